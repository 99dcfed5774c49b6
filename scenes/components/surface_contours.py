"""A 2-D cost surface as shaded contours (mathcore.surfaces grid values) and marks on it (race paths: race_map)."""
from __future__ import annotations

import numpy as np
from contourpy import contour_generator
from manim import (
    DOWN,
    RIGHT,
    Axes,
    Dot,
    Text,
    VGroup,
    VMobject,
    interpolate_color,
)

from scenes import theme
from scenes.components import roles
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
            Text("θ₁", font=theme.FONT, font_size=theme.LABEL_SIZE, color=theme.MUTED).next_to(
                self.axes.x_axis, RIGHT, buff=0.1
            ),
            Text("θ₂", font=theme.FONT, font_size=theme.LABEL_SIZE, color=theme.MUTED)
            .next_to(self.axes.y_axis.get_top(), RIGHT, buff=0.1)
            .shift(DOWN * 0.2),
        )
        roles.schematic(self.axes)  # positions on the surface are not read off (the start and minima are written)
        self.shading.move_to(self.axes.get_center())
        self.add(self.shading, self.lines, self.axes, self.labels)

    def mark(self, point, color=theme.HIGHLIGHT, radius: float = 0.08) -> Dot:
        return Dot(self.axes.c2p(*point), radius=radius, color=color)
