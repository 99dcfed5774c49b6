"""ActivationPlayground and UniversalApproximation show mathcore's numbers for the config they run under,
and lay out cleanly at every pause."""
from __future__ import annotations

import pytest
from manim import Rectangle

from mathcore import approximation, config, playground
from mathcore.display import fmt
from scenes import theme
from scenes.components import heatmap
from scenes.playground import LADDER_SIDE, ROW_SIDE, ActivationPlayground, depth_text
from scenes.universal_approximation import UniversalApproximation

from .harness import check, run_dry, shared_dry_run

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


def final_losses(run: playground.PlaygroundRun, digits: int = 4) -> set[str]:
    return {fmt(run.train_loss[-1], digits), fmt(run.test_loss[-1], digits)}


def playground_numbers(cfg) -> tuple[set[str], set[str]]:
    """(must show, distinctive: may not be left over under another config)."""
    r = playground.single_run(cfg)
    must = {str(h) for h in r.hidden}
    for snap in r.snapshots:
        must |= {str(snap["epoch"]), fmt(r.train_loss[snap["epoch"]]), fmt(r.test_loss[snap["epoch"]])}
    distinctive = final_losses(r)
    for x in playground.depth_runs(cfg) + playground.compare_runs(cfg):
        must |= final_losses(x, 2) | {str(len(x.hidden))}  # the panels' final losses: two figures
        distinctive |= final_losses(x, 2)
    return must, distinctive


def approximation_numbers(cfg) -> tuple[set[str], set[str]]:
    a = approximation.compute(cfg)
    fits = {f["name"]: f for f in a.fits}
    cases = {c["name"]: c for c in a.cases}
    must = {str(fits["enough"]["points"]), str(fits["few"]["points"])}
    must |= {fmt(x) for x in (*a.train_range, *a.eval_range)}
    must |= {fmt(cases["ok"]["rmse_inside"]), fmt(cases["insufficient_data"]["rmse_inside"]),
             fmt(cases["outside_range"]["rmse_inside"]), fmt(cases["outside_range"]["rmse_outside"])}
    distinctive = {fmt(c[k]) for c in a.cases for k in ("rmse_inside", "rmse_outside") if c[k] is not None}
    return must, distinctive


CASES = [(ActivationPlayground, playground_numbers), (UniversalApproximation, approximation_numbers)]
IDS = [c.__name__ for c, _ in CASES]


@pytest.mark.parametrize("cls, numbers", CASES, ids=IDS)
def test_shipped_config(cls, numbers, shipped):
    must, _ = numbers(shipped)
    check(shared_dry_run(cls), must, beats=5)


@pytest.mark.parametrize("cls, numbers", CASES, ids=IDS)
def test_another_config(cls, numbers, use_config):
    must, _ = numbers(use_config(ALT_CONFIG))
    _, distinctive = numbers(config.load(config.DEFAULT_CONFIG))
    check(shared_dry_run(cls), must, left_over=distinctive)


def flat(text: str) -> str:
    return " ".join(text.split())


def contrast(a, b) -> float:
    """WCAG contrast ratio of two colours."""
    def lum(c):
        return sum(w * (v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4)
                   for w, v in zip((0.2126, 0.7152, 0.0722), c.to_rgb()))
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def run_playground() -> tuple:
    """A dry run, and each small panel's share of area shaded at >= 2.5:1 against the background: at the end, and
    at every pause (the depth ladder's panels too)."""
    shares: list[float] = []
    every: list[float] = []

    def at_end(scene) -> None:
        frames = [m for top in scene.mobjects for m in top.get_family()
                  if isinstance(m, Rectangle) and m.get_fill_opacity() == 0
                  and min(abs(m.width - side) for side in (ROW_SIDE, LADDER_SIDE)) < 1e-6]
        shapes = [m for top in scene.mobjects for m in top.get_family() if m.name == heatmap.NAME]
        shares.clear()
        for f in frames:
            inside = [c for c in shapes if f.get_left()[0] - 1e-6 <= c.get_x() <= f.get_right()[0] + 1e-6
                      and f.get_bottom()[1] - 1e-6 <= c.get_y() <= f.get_top()[1] + 1e-6]
            area = sum(heatmap.shaded_area(c) for c in inside)
            seen = sum(heatmap.shaded_area(c) for c in inside
                       if contrast(c.get_fill_color(), theme.BACKGROUND) >= 2.5)
            shares.append(seen / area if area else 0.0)
        every.extend(shares)

    shown = run_dry(ActivationPlayground, observers=[at_end])
    assert every and min(every) >= 0.9, f"a small panel, at a pause, is barely visible: {every}"
    return shown, shares


def check_answers(shown, shares, cfg) -> None:
    """"More layers always better?" is answered on screen in big text and in speech with mathcore's test losses,
    said once (two figures); the deepest run's train/test gap says why; every activation's panel ends shaded
    visibly (a linear net unsure everywhere used to be nearly black)."""
    runs = playground.depth_runs(cfg)
    best = min(runs, key=lambda r: r.test_loss[-1])
    deepest = runs[-1]
    pause = set().union(*shown.pauses)  # held at a pause, not only passing by
    said = flat(" ".join(line for _, _, line in shown.captions))
    tests = [fmt(r.test_loss[-1], 2) for r in runs]
    assert f"The test losses, from left to right, are {', '.join(tests[:-1])} and {tests[-1]}." in said
    if best is not deepest:
        assert any(f"Not always: {depth_text(best.hidden)} has the lowest test loss" in t for t in pause), \
            sorted(pause)
        assert f"So, not always: the network with {depth_text(best.hidden)} has the lowest test loss." in said
        # the deepest fits its training points better than the best, yet does worse on new ones: said with its
        # two losses against the best's test loss
        closer = deepest.train_loss[-1] < best.train_loss[-1]
        better, against = (("better, ", f", against {fmt(best.test_loss[-1], 2)} with {depth_text(best.hidden)}")
                           if closer else ("", ""))
        assert (f"The deepest network, with {depth_text(deepest.hidden)}, fits its training points {better}with a "
                f"training loss of {fmt(deepest.train_loss[-1], 2)}, but its test loss is "
                f"{fmt(deepest.test_loss[-1], 2)}{against}.") in said
        assert ("A lower training loss did not give a lower test loss" in said) == closer
    assert said.count("lowest test loss") == 1, said  # the answer said once
    assert len(shares) == len(playground.compare_runs(cfg)), shares
    assert min(shares) >= 0.9, f"a panel's regions are barely visible: {shares}"


def test_more_layers_is_answered_and_every_panel_is_visible(shipped):
    check_answers(*run_playground(), shipped)


def test_more_layers_is_answered_under_another_config(use_config):
    cfg = use_config(ALT_CONFIG)
    check_answers(*run_playground(), cfg)
