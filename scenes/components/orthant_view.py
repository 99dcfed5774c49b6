"""R^3 drawn flat: three axes seen from a fixed viewer (an orthographic projection, no 3-D camera),
with the non-negative orthant's three faces shaded, where ReLU folds everything.

``to_screen(points)`` places (P, 3) coordinates, so anything drawn from mathcore's 3-D numbers
(a grid's image, a vector) lands in the view; text stays flat and upright.
"""
from __future__ import annotations

import numpy as np
from manim import DashedLine, Line, MathTex, Polygon, VGroup

from scenes import theme
from scenes.theme import relu as rtheme

LABEL_GAP = 0.28  # from an axis tip to its name


def projection(azimuth: float, elevation: float) -> np.ndarray:
    """The 3 × 3 map from R^3 to the screen (x right, y up, z dropped) for a viewer at these angles (degrees)."""
    a, e = np.radians(azimuth), np.radians(elevation)
    right = [-np.sin(a), np.cos(a), 0.0]
    up = [-np.cos(a) * np.sin(e), -np.sin(a) * np.sin(e), np.cos(e)]
    return np.array([right, up, [0.0, 0.0, 0.0]])


class OrthantView(VGroup):
    """Axes z_1, z_2, z_3 from -``below[i]`` (dashed) to ``reach[i]`` (data units), ``unit`` screen units per
    data unit, origin at ``origin``; the orthant's faces span the positive ends."""

    def __init__(self, reach, unit: float, origin, below=None, names=("z_1", "z_2", "z_3"),
                 azimuth: float = rtheme.AZIMUTH, elevation: float = rtheme.ELEVATION):
        super().__init__()
        self.reach = np.broadcast_to(np.asarray(reach, dtype=float), (3,)).copy()
        self.below = self.reach if below is None else np.broadcast_to(np.asarray(below, dtype=float), (3,)).copy()
        self.unit = unit
        self.origin = np.asarray(origin, dtype=float)
        self.P = projection(azimuth, elevation)
        ends = np.diag(self.reach)  # the positive ends of the axes
        self.faces = VGroup(*[
            Polygon(*self.to_screen(np.array([np.zeros(3), ends[i], ends[i] + ends[j], ends[j]])), stroke_width=0)
            .set_fill(color, opacity=rtheme.FACE_OPACITY)
            for (i, j), color in zip(((0, 1), (1, 2), (0, 2)), rtheme.FACE_FILLS)
        ])
        o = self.to_screen(np.zeros((1, 3)))[0]
        tips, tails = self.to_screen(ends), self.to_screen(-np.diag(self.below))
        self.positive = VGroup(*[Line(o, t, color=theme.TEXT, stroke_width=rtheme.AXIS_STROKE) for t in tips])
        self.negative = VGroup(*[DashedLine(o, t, color=theme.MUTED, stroke_width=rtheme.AXIS_STROKE * 0.6,
                                            dash_length=0.08) for t in tails])
        self.labels = VGroup()
        for tip, name in zip(tips, names):
            direction = (tip - o) / max(np.linalg.norm(tip - o), 1e-9)
            self.labels.add(MathTex(name, font_size=theme.MATH_MIN_SIZE, color=theme.TEXT)
                            .move_to(tip + LABEL_GAP * direction))
        self.add(self.faces, self.negative, self.positive, self.labels)

    def to_screen(self, points) -> np.ndarray:
        """(P, 3) coordinates -> (P, 3) screen points (z = 0)."""
        return self.origin + np.asarray(points, dtype=float) @ self.P.T * self.unit

    @classmethod
    def fitting(cls, points, left: float, right: float, bottom: float, top: float, margin: float = 0.4, **kwargs):
        """The view whose axes reach as far as ``points`` go along each axis (both ways) and which, with
        everything in ``points``, fills the box (screen units; ``margin`` left for the axis names)."""
        points = np.asarray(points, dtype=float)
        reach = np.abs(points).max(axis=0)
        reach = np.where(reach > 0, reach, 1.0)
        below = np.maximum(-points.min(axis=0), 0.0)  # the dashed negative half-axes go as far as the points
        probe = cls(reach, 1.0, np.zeros(3), below=below, **kwargs)
        ends = np.concatenate([points, np.diag(reach), -np.diag(below)])
        flat = ends @ probe.P.T
        lo, hi = flat.min(axis=0)[:2], flat.max(axis=0)[:2]
        unit = min((right - left - 2 * margin) / (hi[0] - lo[0]), (top - bottom - 2 * margin) / (hi[1] - lo[1]))
        middle = np.array([(left + right) / 2, (bottom + top) / 2])
        origin = np.append(middle - (lo + hi) / 2 * unit, 0.0)
        return cls(reach, unit, origin, below=below, **kwargs)
