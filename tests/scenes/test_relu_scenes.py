"""ReluTransform shows mathcore.geometry's numbers for the config it runs under, and lays out cleanly."""
from __future__ import annotations

import pytest

from mathcore import config, geometry
from mathcore.display import fmt
from scenes.relu_transform import ReluTransform

from .harness import check, run_dry

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
    check(run_dry(ReluTransform), must, beats=6)


def test_another_config(alt):
    must, _ = relu_numbers(alt)
    _, distinctive = relu_numbers(config.load(config.DEFAULT_CONFIG))
    check(run_dry(ReluTransform), must, left_over=distinctive)


def test_alt_config_puts_the_all_negative_matrix_last(alt):
    # Independent of drawing: the scene's order ends with the matrix whose W x is all negative.
    g = geometry.from_config(alt)
    assert [p["all_zero"] for p in g.products] == [True, False, False]
    scene_order = ReluTransform.matrix_order(g)
    assert scene_order == [1, 2, 0]
