"""A plane with equal units on both axes (built once) and, per vector pair, x and y as arrows,
the angle θ between them, and the projection of x on y: a dashed drop from x's tip to its foot
on y's line and a wide, translucent band from 0 to the foot, coloured by the sign of x·y, under y's
thin arrow, so that y and its projection both show where they lie on one line.

Every point drawn is a mathcore number (the pair and ``geometry.pair_table``'s vector projection);
the plane only maps them to the screen.
"""
from __future__ import annotations

import math

import numpy as np
from manim import DOWN, LEFT, PI, RIGHT, UP, Angle, Arrow, DashedLine, Line, MathTex, NumberPlane, Text, VGroup

from scenes import theme
from scenes.components import roles
from scenes.components.light_text import light

X_COLOR = theme.HIGHLIGHT
Y_COLOR = theme.LOCAL
ARROW_WIDTH = 5
PROJECTION_WIDTH = 20  # about three arrow widths: the band shows either side of y's arrow over it
PROJECTION_OPACITY = 0.5  # translucent, so the grid and y's arrow under the drop stay visible
ON_TOP = 1  # z_index of the arrows and their labels: over the band, whatever order the parts are added in
ARC_RADIUS = 0.45
LABEL_GAP = 0.3  # from an arrow's tip to its label
THETA_GAP = 0.32  # from the arc to θ


class ProjectionPlane(VGroup):
    """``plane`` (grid and axes) over whole-number bounds that hold every point in ``points``."""

    def __init__(self, points: np.ndarray, size: float = 5.0):
        super().__init__()
        pts = np.vstack([np.asarray(points, dtype=float).reshape(-1, 2), [[0.0, 0.0]]])
        pts = pts[np.all(np.isfinite(pts), axis=1)]
        lo = np.floor(pts.min(axis=0))
        hi = np.ceil(pts.max(axis=0))
        span = hi - lo
        unit = size / max(span)
        self.plane = NumberPlane(
            x_range=[lo[0], hi[0], 1], y_range=[lo[1], hi[1], 1],
            x_length=span[0] * unit, y_length=span[1] * unit,
            background_line_style={"stroke_color": theme.MUTED, "stroke_width": 1, "stroke_opacity": 0.35},
            axis_config={"color": theme.MUTED, "stroke_width": 2, "include_ticks": False},
        )
        roles.schematic(self.plane)  # each pair's numbers are written beside the plane, not read off a scale
        self.axis_names = VGroup(
            light(Text("x₁, y₁", font=theme.FONT, font_size=theme.SMALL_SIZE, color=theme.MUTED))
            .next_to(self.plane.x_axis.get_end(), DOWN, buff=0.12).align_to(self.plane.x_axis.get_end(), RIGHT),
            light(Text("x₂, y₂", font=theme.FONT, font_size=theme.SMALL_SIZE, color=theme.MUTED))
            .next_to(self.plane.y_axis.get_end(), LEFT, buff=0.12).align_to(self.plane.y_axis.get_end(), UP),
        )
        self.add(self.plane, self.axis_names)
        # the labels are the same for every pair: typeset once, copied into place
        self.names = {name: light(MathTex(tex, font_size=theme.MATH_MIN_SIZE, color=color))
                      for name, tex, color in (("x", "x", X_COLOR), ("y", "y", Y_COLOR))}
        self.theta = light(MathTex(r"\theta", font_size=theme.MATH_MIN_SIZE, color=theme.TEXT))

    def point(self, v) -> np.ndarray:
        return self.plane.c2p(float(v[0]), float(v[1]))

    def arrow(self, v, color) -> Arrow:
        return Arrow(self.point((0, 0)), self.point(v), buff=0, color=color, stroke_width=ARROW_WIDTH,
                     max_tip_length_to_length_ratio=0.18, max_stroke_width_to_length_ratio=12)

    def label(self, v, other, name: str) -> MathTex:
        """The label ``name`` beside the tip of the arrow to v (level with it, so it names that arrow and not the
        projection band that may run on past it), on the side away from the arrow to ``other``."""
        o, tip = self.point((0, 0)), self.point(v)
        d = tip - o
        length = np.linalg.norm(d)
        along = d / length if length > 0 else np.array([1.0, 0.0, 0.0])
        across = np.array([-along[1], along[0], 0.0])
        away = -1.0 if np.dot(across, self.point(other) - o) > 0 else 1.0
        return self.names[name].copy().move_to(tip + across * away * LABEL_GAP)

    def pair(self, x, y, foot, dot: float) -> VGroup:
        """x, y, θ and the projection of x on y (``foot``: mathcore's vector projection)."""
        o = self.point((0, 0))
        color = theme.sign_color(dot)
        drop = DashedLine(self.point(x), self.point(foot), color=theme.MUTED, stroke_width=2.5, dash_length=0.08)
        projection = Line(o, self.point(foot), color=color, stroke_width=PROJECTION_WIDTH,
                          stroke_opacity=PROJECTION_OPACITY)
        ly, lx = Line(o, self.point(y)), Line(o, self.point(x))
        arc = Angle(ly, lx, radius=ARC_RADIUS, color=theme.TEXT, stroke_width=2.5)
        if arc.get_value() > PI:
            arc = Angle(ly, lx, radius=ARC_RADIUS, other_angle=True, color=theme.TEXT, stroke_width=2.5)
        mid = arc.point_from_proportion(0.5)
        d = mid - o
        theta = self.theta.copy()
        theta.move_to(o + d * (1 + THETA_GAP / max(math.hypot(d[0], d[1]), 1e-6)))
        arrows = VGroup(self.arrow(y, Y_COLOR), self.arrow(x, X_COLOR), self.label(y, x, "y"), self.label(x, y, "x"))
        for m in arrows:
            m.set_z_index(ON_TOP)
        return light(VGroup(projection, drop, arc, theta, *arrows))
