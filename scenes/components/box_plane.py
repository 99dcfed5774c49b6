"""A framed plane that maps a box of data coordinates (x0, x1, y0, y1) onto a rectangle on screen:
dots, polylines and polygons given in data units land in the right place (no axes, no numbers)."""
from __future__ import annotations

import numpy as np
from manim import Dot, Polygon, Rectangle, VGroup, VMobject

from scenes import theme

DOT_RADIUS = 0.06


def box_around(*point_sets, margin: float = 0.1, square: bool = False) -> tuple[float, float, float, float]:
    """The box (x0, x1, y0, y1) holding every (n, 2) point set, widened by ``margin`` of its span;
    ``square``: both sides as long as the longer one (for a plane drawn with equal scales)."""
    pts = np.vstack([np.asarray(p, dtype=float).reshape(-1, 2) for p in point_sets])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    if square:
        half = (hi - lo).max() / 2
        mid = (lo + hi) / 2
        lo, hi = mid - half, mid + half
    pad = margin * (hi - lo)
    return float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1])


class BoxPlane(VGroup):
    """A ``width`` x ``height`` frame showing the data box ``box`` = (x0, x1, y0, y1)."""

    def __init__(self, box, width: float, height: float, frame_color=theme.MUTED):
        super().__init__()
        self.box = tuple(float(v) for v in box)
        self.frame = Rectangle(width=width, height=height, color=frame_color, stroke_width=2)
        self.add(self.frame)

    def to_point(self, x: float, y: float) -> np.ndarray:
        """Screen point of the data point (x, y), wherever the plane has been moved."""
        x0, x1, y0, y1 = self.box
        left, bottom = self.frame.get_corner(np.array([-1, -1, 0]))[:2]
        return np.array([left + self.frame.width * (x - x0) / (x1 - x0),
                         bottom + self.frame.height * (y - y0) / (y1 - y0), 0.0])

    def to_points(self, xy) -> list[np.ndarray]:
        return [self.to_point(x, y) for x, y in np.asarray(xy, dtype=float).reshape(-1, 2)]

    def dots(self, xy, colors, radius: float = DOT_RADIUS) -> VGroup:
        """One dot per row of ``xy``; ``colors`` one colour or one per row."""
        pts = self.to_points(xy)
        if not isinstance(colors, (list, tuple)):
            colors = [colors] * len(pts)
        return VGroup(*[Dot(p, radius=radius, color=c) for p, c in zip(pts, colors)])

    def polyline(self, xy, color, width: float = 4) -> VMobject:
        return VMobject(stroke_color=color, stroke_width=width).set_points_as_corners(self.to_points(xy))

    def polygon(self, xy, color, opacity: float) -> Polygon:
        return Polygon(*self.to_points(xy), color=color, stroke_width=2).set_fill(color, opacity=opacity)
