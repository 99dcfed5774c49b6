"""The playground's OUTPUT panel beyond decision_grid.DecisionPanel: test points as rings ("Show test data")
and the decision regions with P(label 1) thresholded at one half ("Discretize output")."""
from __future__ import annotations

import numpy as np
from manim import Circle, VGroup, VMobject, interpolate_color

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


def boundary(grid: dict, side: float) -> VMobject:
    """The decision boundary of ``discrete_image``: the cell edges where P(label 1) crosses one half, one path."""
    label = np.asarray(grid["p"], dtype=float) >= 0.5
    rows, cols = label.shape
    cw, ch = side / cols, side / rows
    line = VMobject(stroke_color=theme.HIGHLIGHT, stroke_width=4)

    def at(j: float, i: float) -> np.ndarray:  # a cell corner: column j, row i from the bottom
        return np.array([-side / 2 + j * cw, -side / 2 + i * ch, 0.0])

    for i, j in zip(*np.nonzero(label[:, 1:] != label[:, :-1])):  # between columns j and j + 1
        line.start_new_path(at(j + 1, i))
        line.add_line_to(at(j + 1, i + 1))
    for i, j in zip(*np.nonzero(label[1:, :] != label[:-1, :])):  # between rows i and i + 1
        line.start_new_path(at(j, i + 1))
        line.add_line_to(at(j + 1, i + 1))
    return line
