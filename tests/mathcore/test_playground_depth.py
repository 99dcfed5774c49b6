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
    ladder = playground.from_config(cfg, "depth")  # `mathcore playground --runs depth`: the runs and the answer
    assert ladder.runs == runs and ladder.answer is not None
    assert runs[ladder.answer.best].test_loss[-1] == min(r.test_loss[-1] for r in runs)
    assert "answer" in ladder.to_dict() and "answer" not in playground.from_config(cfg).to_dict()


def made(hidden, train: float, test: float, diverged: bool = False) -> playground.PlaygroundRun:
    """A run by hand: only its final losses matter to the answer (nothing is trained)."""
    losses = ([], []) if diverged else ([0.7, train], [0.7, test])
    return playground.PlaygroundRun(
        dataset="xor", activation="tanh", hidden=list(hidden), layers=[2, *hidden, 1], seed=0, label=None,
        optimizer="adam", learning_rate=0.03, batch_size=20, epochs=[0, 1][:len(losses[0])], train_loss=losses[0],
        test_loss=losses[1], snapshots=[], final_accuracy=None, final_test_accuracy=None, diverged=diverged,
        diverged_at=1 if diverged else None)


def test_the_lowest_test_loss_is_named_and_the_deepest_shows_why():
    # test losses 0.75, 1.2, 0.41, 0.0007, 0.33: the network with 3 layers is best, not the deepest (4), whose
    # training loss is the lowest of all
    runs = [made([], 0.67, 0.75), made([4], 0.11, 1.2), made([4] * 2, 0.0012, 0.41), made([4] * 3, 4.5e-4, 7e-4),
            made([4] * 4, 4.8e-5, 0.33)]
    assert playground.depth_answer(runs) == playground.DepthAnswer(best=3, gap=4, deepest_best=False,
                                                                   gap_deepest=True, fits_closer=True)


def test_when_the_deepest_is_best_the_widest_gap_shows_why():
    # test - train: 0.05, 0.3, 0.01; the deepest (0.2) is best
    runs = [made([], 0.6, 0.65), made([3], 0.1, 0.4), made([3, 3], 0.19, 0.2)]
    assert playground.depth_answer(runs) == playground.DepthAnswer(best=2, gap=1, deepest_best=True,
                                                                   gap_deepest=False, fits_closer=True)


def test_a_diverged_run_is_never_named():
    # the deepest diverged (no losses): the best of the rest, and the widest gap of the rest (0.5 - 0.1)
    runs = [made([], 0.6, 0.65), made([2], 0.1, 0.5), made([2, 2], 0.2, 0.3), made([2] * 3, 0, 0, diverged=True)]
    assert playground.depth_answer(runs) == playground.DepthAnswer(best=2, gap=1, deepest_best=False,
                                                                   gap_deepest=False, fits_closer=True)
    with pytest.raises(ValueError, match="diverged"):
        playground.depth_answer([made([], 0, 0, diverged=True)])


def test_ties_go_to_the_shallower_network():
    runs = [made([], 0.5, 0.5), made([3], 0.2, 0.3), made([3, 3], 0.1, 0.3)]
    answer = playground.depth_answer(runs)
    assert (answer.best, answer.gap) == (1, 2)  # equal test losses: 1 layer; the deepest is not best, so it shows why


def test_a_gap_run_that_fits_no_closer_than_the_best_is_not_compared_with_it():
    # the deepest (test 0.1) is best and also fits closest (train 0.05): the widest gap, 1 layer's, trains worse
    runs = [made([], 0.6, 0.65), made([2], 0.3, 0.9), made([2, 2], 0.05, 0.1)]
    answer = playground.depth_answer(runs)
    assert (answer.best, answer.gap, answer.fits_closer) == (2, 1, False)
