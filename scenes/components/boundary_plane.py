"""A data set of mathcore.manifold in its decision-grid box: points by class, the data manifold as a band,
a classifier's two regions as shading (mathcore.manifold.decision_grid) and its boundary
(mathcore.manifold.boundaries)."""
from __future__ import annotations

import numpy as np
from manim import VGroup, interpolate_color

from mathcore import manifold
from scenes import theme
from scenes.components.box_plane import BoxPlane
from scenes.components.heatmap import heatmap
from scenes.theme import manifolds as look

DOT_RADIUS = 0.075


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
