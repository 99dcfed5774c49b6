"""playground.depth_ladder / depth_runs: the networks of "more layers always better?"."""
from __future__ import annotations

import pytest

from mathcore import config, playground


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("MATHCORE_CACHE", str(tmp_path_factory.getbasetemp() / "playground-depth-cache"))


def test_ladder_goes_from_no_hidden_layer_to_twice_the_depth():
    assert playground.depth_ladder([4, 4]) == [[], [4], [4, 4], [4, 4, 4], [4, 4, 4, 4]]
    assert playground.depth_ladder([3, 5]) == [[], [5], [5, 5], [5, 5, 5], [5, 5, 5, 5]]
    assert playground.depth_ladder([6]) == [[], [6], [6, 6]]
    assert playground.depth_ladder([]) == [[], [2], [2, 2]]
    # any depth: the old cap of 6 hidden layers was the scene's (ActivationPlayground.LIMITS)
    assert playground.depth_ladder([2] * 5) == [[2] * k for k in range(11)]


def test_depth_runs_train_the_configured_problem_at_each_depth():
    values = {"epochs": 3, "hidden": [3], "snapshot_epochs": [0, 3], "snapshot_grid": 8,
              "dataset": "circle", "activation": "relu", "seed": 2}
    cfg = config.load(config.DEFAULT_CONFIG, overrides={"playground": values})
    runs = playground.depth_runs(cfg)
    assert [r.hidden for r in runs] == [[], [3], [3, 3]]
    assert [r.label for r in runs] == ["depth 0", "depth 1", "depth 2"]
    for r in runs:
        assert (r.dataset, r.activation, r.seed) == ("circle", "relu", 2)
        assert r.layers == [2, *r.hidden, 1]
        assert len(r.train_loss) == 4 and [s["epoch"] for s in r.snapshots] == [0, 3]
