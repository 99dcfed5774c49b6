"""A 2-D cost surface as shaded contours (mathcore.surfaces grid values), its minima, and race trajectories."""
from __future__ import annotations

import numpy as np
from contourpy import contour_generator
from manim import (
    DOWN,
    RIGHT,
    Axes,
    Dot,
    MathTex,
    ValueTracker,
    VGroup,
    VMobject,
    always_redraw,
    interpolate_color,
)

from scenes import theme
from scenes.components.heatmap import heatmap

LEVELS = 14  # contour lines between the lowest and highest value on the grid
SHADE_LOW = theme.SHADE_LOW  # colour of the lowest cost; the highest is the background
SHADES = 12  # colour steps of the shading
SHADE_CELLS = 80  # the shading uses at most this many grid points a side


class SurfaceContours(VGroup):
    """Square axes over [-extent, extent]² with the grid ``{"x", "y", "z"}`` shaded and contoured.

    ``self.shading`` is the quantised colour under ``self.lines``, the contour lines.
    """

    def __init__(self, grid: dict, side: float):
        super().__init__()
        x, y, z = (np.asarray(grid[k], dtype=float) for k in ("x", "y", "z"))
        self.axes = Axes(
            x_range=[x[0], x[-1], 1e9], y_range=[y[0], y[-1], 1e9], x_length=side, y_length=side,
            axis_config={"color": theme.MUTED, "include_ticks": False, "stroke_width": 1.5}, tips=False,
        )
        lo, hi = float(z.min()), float(z.max())
        stride = max(1, int(np.ceil(len(x) / SHADE_CELLS)))
        coarse = z[::stride, ::stride]
        levels = np.minimum(((coarse - lo) / (hi - lo) * SHADES).astype(int), SHADES - 1)
        colours = [interpolate_color(SHADE_LOW, theme.BACKGROUND, (k + 0.5) / SHADES) for k in range(SHADES)]
        self.shading = heatmap(levels, colours, side, side)
        gen = contour_generator(x, y, z)
        self.lines = VGroup()
        for level in np.linspace(lo, hi, LEVELS + 2)[1:-1]:
            for seg in gen.lines(level):
                if len(seg) < 2:
                    continue
                line = VMobject(stroke_width=1.5, stroke_color=theme.MUTED, stroke_opacity=0.6)
                line.set_points_as_corners([self.axes.c2p(a, b) for a, b in seg])
                self.lines.add(line)
        self.labels = VGroup(
            MathTex(r"\theta_1", font_size=theme.LABEL_SIZE, color=theme.MUTED).next_to(self.axes.x_axis, RIGHT, buff=0.1),
            MathTex(r"\theta_2", font_size=theme.LABEL_SIZE, color=theme.MUTED)
            .next_to(self.axes.y_axis.get_top(), RIGHT, buff=0.1).shift(DOWN * 0.2),
        )
        self.shading.move_to(self.axes.get_center())
        self.add(self.shading, self.lines, self.axes, self.labels)

    def mark(self, point, color=theme.HIGHLIGHT, radius: float = 0.08) -> Dot:
        return Dot(self.axes.c2p(*point), radius=radius, color=color)

    def trail(self, theta: list, step: ValueTracker, every: int, color) -> VMobject:
        """The path θ_0, θ_every, θ_2·every, ... up to the tracker's step (and a head dot)."""
        pts = [self.axes.c2p(*theta[k]) for k in range(0, len(theta), every)]
        if (len(theta) - 1) % every:
            pts.append(self.axes.c2p(*theta[-1]))

        def draw():
            n = int(min(max(step.get_value(), 0), len(pts) - 1))
            path = VMobject(stroke_color=color, stroke_width=3)
            path.set_points_as_corners(pts[: n + 1] if n else [pts[0], pts[0]])
            return VGroup(path, Dot(pts[n], radius=0.07, color=color))

        return always_redraw(draw)

    @staticmethod
    def samples(theta: list, every: int) -> int:
        """How many drawn points ``trail`` makes of ``theta`` at this subsampling."""
        return len(range(0, len(theta), every)) + (1 if (len(theta) - 1) % every else 0)
