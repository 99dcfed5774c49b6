"""ReluTransform shows mathcore.geometry's numbers for the config it runs under, and lays out cleanly."""
from __future__ import annotations

import re

import numpy as np
import pytest

from mathcore import config, geometry
from mathcore.display import fmt
from scenes.components.grid_runs import GridRuns
from scenes.relu_transform import ReluTransform

from .harness import check, run_dry, shared_dry_run

pytestmark = pytest.mark.slow

# Another x, other matrices (the all-negative one first, so the scene reorders), another grid.
ALT_CONFIG = """
[geometry]
x = [-0.8, 0.5]
matrices = [
  [[1.0, -0.5], [0.4, -1.2], [0.9, 0.3]],
  [[-1.3, 0.6], [0.2, 1.7], [1.4, 0.8]],
  [[0.6, 1.9], [-0.7, -0.3], [2.2, -0.9]],
]
grid_extent = 1.5
grid_points = 31
"""


def relu_numbers(cfg) -> tuple[set[str], set[str]]:
    """(must show, distinctive: may not be left over under another config)."""
    g = geometry.from_config(cfg)
    must = {fmt(v) for v in g.x} | {str(len(g.grid))}
    distinctive = {str(len(g.grid))}
    for p, img in zip(g.products, g.images):
        must |= {fmt(v) for v in p["rows"].ravel()} | {fmt(v) for v in p["terms"].ravel()}
        must |= {fmt(v) for v in p["wx"]} | {fmt(v) for v in p["relu"]}
        must |= {str(c) for c in geometry.face_counts(img["zeroed"])["by_zeros"].values()}
        distinctive |= {fmt(v) for v in p["wx"]}
    return must, distinctive


@pytest.fixture
def alt(use_config):
    return use_config(ALT_CONFIG)


def test_shipped_config(shipped):
    must, _ = relu_numbers(shipped)
    check(shared_dry_run(ReluTransform), must, beats=6)


def test_another_config(alt):
    must, _ = relu_numbers(alt)
    _, distinctive = relu_numbers(config.load(config.DEFAULT_CONFIG))
    check(shared_dry_run(ReluTransform), must, left_over=distinctive)


def test_alt_config_puts_the_all_negative_matrix_last(alt):
    # Independent of drawing: the scene's order ends with the matrix whose W x is all negative.
    g = geometry.from_config(alt)
    assert [p["all_zero"] for p in g.products] == [True, False, False]
    scene_order = ReluTransform.matrix_order(g)
    assert scene_order == [1, 2, 0]


def run_relu() -> tuple:
    """A dry run, and the lines drawn each way on the flat plane when it first shows (counted from their paths)."""
    drawn = []

    def count(scene) -> None:
        grids = [m for m in scene.mobjects if isinstance(m, GridRuns)]
        if drawn or not grids:
            return
        flat = grids[0]  # the plane's own grid, one path per whole line
        rows = {round(p.points[0][1], 4) for p in flat if np.allclose(p.points[:, 1], p.points[0][1])}
        columns = {round(p.points[0][0], 4) for p in flat if np.allclose(p.points[:, 0], p.points[0][0])}
        drawn.append((len(rows), len(columns)))

    return run_dry(ReluTransform, observers=[count]), drawn


def check_names_and_grid(shown, drawn, cfg) -> None:
    """Rows of a matrix are not named like the matrices (w_i beside W_1, W_2, W_3), each row note names its
    matrix; the screen says how many points the counts count and how many lines of them are drawn."""
    g = geometry.from_config(cfg)
    texts = {" ".join(t.split()) for t in shown.texts}
    assert not [t for t in texts if re.search(r"\\mathbf\{w\}_\{\d", t)], "a row named w_i, like the matrices W_i"
    rows = ", ".join(rf"\mathbf{{r}}_{{{i + 1}}}" for i in range(3))
    for k in range(len(g.matrices)):
        assert rows + r"\text{: the rows of } " + f"W_{{{k + 1}}}" in texts
    assert drawn and drawn[0][0] == drawn[0][1], drawn
    n = g.grid_points
    assert f"{n * n} = {n} × {n} points; {drawn[0][0]} lines drawn" in texts, sorted(texts)
    said = " ".join(" ".join(line for _, _, line in shown.captions).split())
    assert f"all {n * n} points of a {n} by {n} grid; {drawn[0][0]} of its lines are drawn each way" in said


def test_rows_and_grid_are_named_for_what_they_are(shipped):
    check_names_and_grid(*run_relu(), shipped)


def test_rows_and_grid_are_named_for_what_they_are_under_another_config(alt):
    check_names_and_grid(*run_relu(), alt)


#: The least a class of points needs drawn to be seen at 480p: this many grid steps of lines in its colour.
SEEN = 16


def test_every_class_relu_sends_points_to_is_drawn_however_small(shipped):
    """On the input plane, each class of points (how many coordinates ReLU zeroes) is drawn in its colour along
    at least SEEN grid steps (or one per point, if it has fewer): the shipped W1 keeps only 25 of 1681 points,
    which the every-fourth-line grid crossed in a few one-step stubs."""
    from scenes.theme import relu as rtheme

    g = geometry.from_config(shipped)
    zeros = g.images[ReluTransform.matrix_order(g)[0]]["zeros"]
    seen: list[dict] = []

    def drawn(scene) -> None:
        grid = getattr(scene, "plane_grid", None)
        if seen or grid is None or not hasattr(scene, "legend"):
            return
        steps: dict[str, int] = {}
        for path, idx in zip(grid, grid.runs):
            colour = path.get_stroke_color().to_hex()
            steps[colour] = steps.get(colour, 0) + len(idx) - 1
        seen.append(steps)

    run_dry(ReluTransform, observers=[drawn])
    assert seen, "the plane was never coloured by class"
    by_class = {k: (int(n), seen[0].get(rtheme.ZEROED_COLORS[k].to_hex(), 0))
                for k, n in enumerate(np.bincount(zeros.astype(int), minlength=len(rtheme.ZEROED_COLORS)))}
    assert {k: v for k, v in by_class.items() if v[0] and v[1] < min(v[0], SEEN)} == {}, by_class


def test_the_legend_names_the_rule_the_counts_use():
    """mathcore counts a coordinate at exactly 0 as zeroed (the origin lands on 0 with every coordinate 0, an
    "all" point), so the legend's classes say "≤ 0"; "< 0" would leave such points in no class it names."""
    from scenes.theme import relu as rtheme

    W = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    img = geometry.grid_image(W, np.array([[0.0, 0.0], [1.0, 0.0], [-1.0, 1.0]]))
    assert img["zeros"].tolist() == [3, 1, 2]  # (0, 0, 0), (1, 0, 1), (-1, 1, 0): a 0 counts, as "≤ 0" says
    assert all("≤ 0" in name and "< 0" not in name for name in rtheme.ZEROED_NAMES), rtheme.ZEROED_NAMES
