"""ActivationPlayground and UniversalApproximation show mathcore's numbers for the config they run under,
and lay out cleanly at every pause."""
from __future__ import annotations

import pytest

from mathcore import approximation, config, playground
from mathcore.display import fmt
from scenes.playground import ActivationPlayground
from scenes.universal_approximation import UniversalApproximation

from .harness import check, run_dry

pytestmark = pytest.mark.slow

# Another problem (circle, relu, one layer of 5), another comparison (gaussian, three activations),
# another function (x sin x on an off-centre range) with another network.
ALT_CONFIG = """
[playground]
points = 160
test_fraction = 0.25
noise = 0.1
data_seed = 7
learning_rate = 0.05
batch_size = 16
epochs = 80
snapshot_epochs = [0, 10, 40, 80]
snapshot_grid = 40
grid_extent = 6.5
dataset = "circle"
activation = "relu"
hidden = [5]
seed = 3
compare_dataset = "gaussian"
compare_hidden = [3, 3]
compare_seed = 1
compare_activations = ["tanh", "linear", "sigmoid"]

[approximation]
function = "x_sin"
frequency = 1.0
train_range = [-2.0, 4.0]
eval_range = [-5.0, 9.0]
points = 120
few_points = 5
noise = 0.05
hidden = [16, 16]
activation = "relu"
steps = 600
learning_rate = 0.02
seed = 4
grid_points = 300
"""


def final_losses(run: dict) -> set[str]:
    return {fmt(run["train_loss"][-1]), fmt(run["test_loss"][-1])}


def playground_numbers(cfg) -> tuple[set[str], set[str]]:
    """(must show, distinctive: may not be left over under another config)."""
    r = playground.single_run(cfg)
    must = {str(h) for h in r["hidden"]}
    for snap in r["snapshots"]:
        must |= {str(snap["epoch"]), fmt(r["train_loss"][snap["epoch"]]), fmt(r["test_loss"][snap["epoch"]])}
    distinctive = final_losses(r)
    for x in playground.depth_runs(cfg) + playground.compare_runs(cfg):
        must |= final_losses(x) | {str(len(x["hidden"]))}
        distinctive |= final_losses(x)
    return must, distinctive


def approximation_numbers(cfg) -> tuple[set[str], set[str]]:
    a = approximation.compute(cfg)
    fits = {f["name"]: f for f in a["fits"]}
    cases = {c["name"]: c for c in a["cases"]}
    must = {str(fits["enough"]["points"]), str(fits["few"]["points"])}
    must |= {fmt(x) for x in (*a["train_range"], *a["eval_range"])}
    must |= {fmt(cases["ok"]["rmse_inside"]), fmt(cases["insufficient_data"]["rmse_inside"]),
             fmt(cases["outside_range"]["rmse_inside"]), fmt(cases["outside_range"]["rmse_outside"])}
    distinctive = {fmt(c[k]) for c in a["cases"] for k in ("rmse_inside", "rmse_outside") if c[k] is not None}
    return must, distinctive


CASES = [(ActivationPlayground, playground_numbers), (UniversalApproximation, approximation_numbers)]
IDS = [c.__name__ for c, _ in CASES]


@pytest.mark.parametrize("cls, numbers", CASES, ids=IDS)
def test_shipped_config(cls, numbers, shipped):
    must, _ = numbers(shipped)
    check(run_dry(cls), must, beats=5)


@pytest.mark.parametrize("cls, numbers", CASES, ids=IDS)
def test_another_config(cls, numbers, use_config):
    must, _ = numbers(use_config(ALT_CONFIG))
    _, distinctive = numbers(config.load(config.DEFAULT_CONFIG))
    check(run_dry(cls), must, left_over=distinctive)
