"""The playground's OUTPUT panel beyond decision_grid.DecisionPanel: test points as rings ("Show test data"),
the decision regions with P(label 1) thresholded at one half ("Discretize output") and a run's final losses under
its panel (``losses_under``: mathcore.playground runs' ``train_loss``, ``test_loss``, ``diverged``)."""
from __future__ import annotations

import numpy as np
from manim import DOWN, Circle, MathTex, VGroup, VMobject, interpolate_color

from mathcore.display import tex
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


def loss_lines(run, digits: int) -> list[str]:
    """TeX: small losses in scientific notation (1.2 \\times 10^{-5}), never Python's raw 1.2e-05."""
    if run.diverged:
        return [r"\text{diverged at}", rf"\text{{epoch }} {run.diverged_at}"]
    return [rf"\text{{train }} {tex(run.train_loss[-1], digits)}", rf"\text{{test }} {tex(run.test_loss[-1], digits)}"]


def losses_under(panels, runs, digits: int) -> VGroup:
    """Each run's final training and test loss (``digits`` figures) under its panel, in the curves' colours."""
    return VGroup(*[
        VGroup(*[MathTex(t, font_size=theme.MATH_MIN_SIZE, color=c)
                 for t, c in zip(loss_lines(r, digits), (ntheme.TRAIN_CURVE, ntheme.TEST_CURVE))])
        .arrange(DOWN, buff=0.1).next_to(p, DOWN, buff=0.2)
        for p, r in zip(panels, runs)
    ])
