"""The input plane [-extent, extent]² as a framed square with its axes x_1, x_2 (built once)."""
from __future__ import annotations

import numpy as np
from manim import RIGHT, UP, Line, MathTex, Rectangle, VGroup

from scenes import theme


class InputPlane(VGroup):
    """``to_screen(points)`` places (P, 2) plane coordinates inside the square of ``side``."""

    def __init__(self, extent: float, side: float):
        super().__init__()
        self.extent, self.side = extent, side
        self.frame = Rectangle(width=side, height=side, color=theme.MUTED, stroke_width=2)
        h = side / 2
        self.axes = VGroup(
            Line([-h, 0, 0], [h, 0, 0], color=theme.MUTED, stroke_width=1.5),
            Line([0, -h, 0], [0, h, 0], color=theme.MUTED, stroke_width=1.5),
        )
        self.labels = VGroup(
            MathTex("x_1", font_size=theme.MATH_MIN_SIZE, color=theme.MUTED).next_to(self.frame, RIGHT, buff=0.12),
            MathTex("x_2", font_size=theme.MATH_MIN_SIZE, color=theme.MUTED).next_to(self.frame, UP, buff=0.1),
        )
        self.add(self.frame, self.axes, self.labels)

    def to_screen(self, points) -> np.ndarray:
        points = np.asarray(points, dtype=float)
        flat = np.zeros((len(points), 3))
        flat[:, :2] = points * (self.side / (2 * self.extent))
        return self.frame.get_center() + flat
