"""A playground decision grid (mathcore.playground snapshot ``grid``: x, y, P(label 1)) as a shaded square,
the data on top and the run's loss curve under it."""
from __future__ import annotations

import numpy as np
from manim import DOWN, Dot, Rectangle, VGroup, VMobject, interpolate_color

from scenes import theme
from scenes.components.heatmap import heatmap

SHADE = 0.7  # how strongly the regions are tinted (0: background only): a sure region 2.5:1 from the background
BANDS = 10  # colour steps of P(label 1)


def grid_image(grid: dict, side: float) -> VGroup:
    """P(label 1) as colour: blue where the net says 1, red where it says 0, dark near 0.5 (BANDS steps)."""
    p = np.asarray(grid["p"], dtype=float)
    levels = np.minimum((p * BANDS).astype(int), BANDS - 1)
    colours = []
    for k in range(BANDS):
        centre = (k + 0.5) / BANDS
        hue = theme.POSITIVE if centre >= 0.5 else theme.NEGATIVE
        colours.append(interpolate_color(theme.BACKGROUND, hue, SHADE * abs(2 * centre - 1)))
    return heatmap(levels, colours, side, side)


class DecisionPanel(VGroup):
    """A frame of ``side`` over [-extent, extent]² with the data points; the shading is added per snapshot."""

    def __init__(self, extent: float, side: float, points, labels):
        super().__init__()
        self.extent, self.side = extent, side
        self.frame = Rectangle(width=side, height=side, color=theme.MUTED, stroke_width=2)
        self.dots = VGroup(*[
            Dot(self.to_point(a, b), radius=0.035, color=theme.POSITIVE if y == 1 else theme.NEGATIVE)
            .set_stroke(theme.TEXT, width=0.6)
            for (a, b), y in zip(points, labels)
        ])
        self.add(self.frame, self.dots)

    def to_point(self, a: float, b: float):
        c = self.frame.get_center()
        return c + np.array([a, b, 0.0]) * (self.side / (2 * self.extent))

    def shading(self, grid: dict) -> VGroup:
        return grid_image(grid, self.side).move_to(self.frame.get_center())


def loss_curve(losses, top: float, width: float, height: float, anchor) -> VGroup:
    """Loss against epoch as a line in a box under ``anchor``; ``top`` is the shared largest loss."""
    box = Rectangle(width=width, height=height, stroke_width=1, color=theme.MUTED).next_to(anchor, DOWN, buff=0.2)
    n = len(losses) - 1
    x0, y0 = box.get_left()[0], box.get_bottom()[1]
    pts = [np.array([x0 + width * k / max(n, 1), y0 + height * v / top, 0.0]) for k, v in enumerate(losses)]
    line = VMobject(stroke_color=theme.GRADIENT, stroke_width=3).set_points_as_corners(pts)
    return VGroup(box, line)
