"""A data set of mathcore.manifold in its decision-grid box: points by class, the data manifold as a band,
a classifier's two regions as shading (mathcore.manifold.decision_grid), its boundary
(mathcore.manifold.boundaries) and the boundary's name at its end."""
from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Mobject, VGroup, interpolate_color

from mathcore import manifold
from scenes import theme
from scenes.components.box_plane import BoxPlane
from scenes.components.heatmap import heatmap
from scenes.theme import manifolds as look

DOT_RADIUS = 0.075
NAME_BUFF = 0.12  # between a boundary's end and its name
NAME_GAP = 0.25  # between two names (two seeds side by side read as one number), or a name and another label


class BoundaryPlane(BoxPlane):
    """``data`` (a manifold.Dataset) over ``box`` (the decision grid's box), dots coloured by class."""

    def __init__(self, data: manifold.Dataset, box, width: float, height: float):
        super().__init__(box, width, height)
        self.data = data
        colors = [look.CLASS_COLORS[int(y)] for y in data.labels]
        self.data_dots = self.dots(data.points, colors, radius=DOT_RADIUS)
        for d in self.data_dots:
            d.set_stroke(theme.BACKGROUND, width=1)
        self.add(self.data_dots)

    def manifold_band(self, pad: float = 0.05):
        """The band along the data (mathcore.manifold.band)."""
        return self.polygon(manifold.band(self.data, pad), look.MANIFOLD_FILL, opacity=0.55).set_stroke(width=0)

    def shading(self, probs: np.ndarray) -> VGroup:
        """The classifier's two regions: ``probs`` (rows = y, from manifold.decision_grid) >= 0.5 -> class 1."""
        levels = (np.asarray(probs) >= 0.5).astype(int)
        colors = [interpolate_color(theme.BACKGROUND, c, look.REGION_SHADE) for c in look.CLASS_COLORS]
        return heatmap(levels, colors, self.frame.width, self.frame.height).move_to(self.frame.get_center())

    def boundary(self, lines, color, width: float = 5) -> VGroup:
        """The P = 0.5 polylines of one classifier (mathcore.manifold.boundaries)."""
        return VGroup(*[self.polyline(line, color, width) for line in lines if len(line) > 1])

    def end_names(self, edges: list[VGroup], names: list[Mobject], avoid=()) -> VGroup:
        """Each boundary's name outside the frame, beside the boundary's end on the frame's left or top side
        (where no point or shading is); names on one side keep the order of their ends and slide apart along
        it until none touches another or one of ``avoid`` (the axis names, the legend)."""
        left, top = self.frame.get_left()[0], self.frame.get_top()[1]
        sides: dict[int, list[Mobject]] = {0: [], 1: []}  # 0: above the top side, along x; 1: left of it, along y
        for edge, name in zip(edges, names):
            ends = [p for line in edge.submobjects for p in (line.get_start(), line.get_end())]
            if not ends:  # no boundary in the box: nothing to name
                name.set_opacity(0)
                continue
            end = min(ends, key=lambda p: min(p[0] - left, top - p[1]))
            if end[0] - left <= top - end[1]:
                name.next_to([left, end[1], 0], LEFT, buff=NAME_BUFF)
                sides[1].append(name)
            else:
                name.next_to([end[0], top, 0], UP, buff=NAME_BUFF)
                sides[0].append(name)
        _slide_apart(sides[0], 0, list(avoid), self.frame.get_right()[0])
        _slide_apart(sides[1], 1, [*avoid, *sides[0]], -self.frame.get_bottom()[1])
        return VGroup(*names)


def _slide_apart(names: list[Mobject], axis: int, fixed: list[Mobject], end: float) -> None:
    """Along ``axis`` (0: rightwards, 1: downwards) away from the corner, each name moved on past any name before
    it and any of ``fixed`` it touches; then, from ``end`` (the side's far end, in that direction) back, each name
    moved back inside the side and before any name after it and any of ``fixed`` it touches."""
    way = RIGHT if axis == 0 else DOWN

    def lo(m: Mobject) -> float:  # where m starts, along the way
        return m.get_left()[0] if axis == 0 else -m.get_top()[1]

    def hi(m: Mobject) -> float:
        return m.get_right()[0] if axis == 0 else -m.get_bottom()[1]

    names.sort(key=lo)
    for k, name in enumerate(names):
        while hit := next((o for o in [*names[:k], *fixed] if _touch(name, o)), None):
            name.shift(way * (hi(hit) - lo(name) + NAME_GAP))
    for k in reversed(range(len(names))):
        name = names[k]
        name.shift(-way * max(0.0, hi(name) - end))
        while hit := next((o for o in [*names[k + 1:], *fixed] if _touch(name, o)), None):
            name.shift(-way * (hi(name) - lo(hit) + NAME_GAP))


def _touch(a: Mobject, b: Mobject, pad: float = NAME_GAP / 2) -> bool:
    (ax0, ay0), (ax1, ay1) = a.get_corner([-1, -1, 0])[:2], a.get_corner([1, 1, 0])[:2]
    (bx0, by0), (bx1, by1) = b.get_corner([-1, -1, 0])[:2], b.get_corner([1, 1, 0])[:2]
    return ax0 < bx1 + pad and bx0 < ax1 + pad and ay0 < by1 + pad and by0 < ay1 + pad
