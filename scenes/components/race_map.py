"""A 2-D cost surface as contour lines (from mathcore grid values) with optimiser trajectories racing on it.

``RaceMap(grid, size)``: ``grid`` is ``mathcore.surfaces.Wells.grid`` (x, y axes and z values);
the contours are traced by contourpy at evenly spaced levels of z (drawing, not lecture numbers).
``to_frame(x, y)`` maps surface coordinates into the map; ``trail(thetas)`` is a polyline through
the given iterates, one segment per step, and ``race(trails, dots, steps)`` grows every trail by
the same number of steps at once.
"""
from __future__ import annotations

import contourpy
import numpy as np
from manim import (
    Dot,
    Square,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    interpolate_color,
    linear,
)

from scenes import theme
from scenes.theme import optimisers as otheme

LEVELS = 16


class RaceMap(VGroup):
    def __init__(self, grid: dict, size: float = 6.0, levels: int = LEVELS):
        super().__init__()
        x, y, z = np.asarray(grid["x"]), np.asarray(grid["y"]), np.asarray(grid["z"])
        self.x0, self.x1, self.y0, self.y1 = x[0], x[-1], y[0], y[-1]
        self.size = size
        self.frame = Square(size, color=theme.MUTED, stroke_width=1.5)
        gen = contourpy.contour_generator(x, y, z)
        self.contours = VGroup()
        lo, hi = float(z.min()), float(z.max())
        for k, level in enumerate(np.linspace(lo, hi, levels + 2)[1:-1]):
            color = interpolate_color(otheme.CONTOUR_LOW, otheme.CONTOUR_HIGH, k / max(levels - 1, 1))
            for line in gen.lines(level):
                if len(line) < 2:
                    continue
                path = VMobject(stroke_color=color, stroke_width=1.6)
                path.set_points_as_corners([self.to_frame(px, py) for px, py in line])
                self.contours.add(path)
        self.add(self.frame, self.contours)

    def to_frame(self, x: float, y: float) -> np.ndarray:
        """Surface coordinates -> a point of the map (relative to the map's current centre)."""
        u = (x - self.x0) / (self.x1 - self.x0) - 0.5
        v = (y - self.y0) / (self.y1 - self.y0) - 0.5
        centre = self.frame.get_center() if hasattr(self, "frame") else np.zeros(3)
        return centre + np.array([u * self.size, v * self.size, 0.0])

    def marker(self, x: float, y: float, color=theme.TEXT, radius: float = 0.07) -> Dot:
        return Dot(self.to_frame(x, y), radius=radius, color=color)

    def trail(self, thetas, color) -> VMobject:
        path = VMobject(stroke_color=color, stroke_width=3.5)
        path.set_points_as_corners([self.to_frame(*t) for t in thetas])
        return path

    @staticmethod
    def race(trails: list[VMobject], dots: list[Dot], run_time: float = otheme.RACE_SECONDS, rate_func=linear):
        """Every trail grows by the same share of its steps; its dot rides at the head."""
        full = [t.copy() for t in trails]

        def update(_, alpha):
            for trail, whole, dot in zip(trails, full, dots):
                trail.pointwise_become_partial(whole, 0, max(alpha, 1e-6))
                dot.move_to(trail.get_end())

        # the animated mobject is what changes, so the renderer redraws it every frame
        return UpdateFromAlphaFunc(VGroup(*trails, *dots), update, run_time=run_time, rate_func=rate_func)
