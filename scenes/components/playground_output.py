"""The playground's OUTPUT panel beyond decision_grid.DecisionPanel: test points as rings ("Show test data")
and the decision regions with P(label 1) thresholded at one half ("Discretize output")."""
from __future__ import annotations

import numpy as np
from manim import Circle, VGroup, interpolate_color

from scenes import theme
from scenes.components.decision_grid import SHADE
from scenes.components.heatmap import heatmap
from scenes.theme import networks as ntheme


def test_rings(panel, points, labels) -> VGroup:
    """One ring per test point on ``panel`` (a DecisionPanel), in its class colour."""
    return VGroup(*[
        Circle(ntheme.TEST_RING, color=theme.POSITIVE if y == 1 else theme.NEGATIVE, stroke_width=2.5)
        .move_to(panel.to_point(a, b))
        for (a, b), y in zip(points, labels)
    ])


def discrete_image(grid: dict, side: float) -> VGroup:
    """The regions where the network says label 1 (blue) or 0 (red), without the shades of confidence."""
    p = np.asarray(grid["p"], dtype=float)
    colours = [interpolate_color(theme.BACKGROUND, hue, SHADE) for hue in (theme.NEGATIVE, theme.POSITIVE)]
    return heatmap((p >= 0.5).astype(int), colours, side, side)
