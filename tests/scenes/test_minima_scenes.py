"""LocalMinima and EscapingLocalMinima show mathcore's numbers for the config they run under, and lay out cleanly."""
from __future__ import annotations

import numpy as np
import pytest

from mathcore import config, minima, playground, race
from mathcore.display import fmt
from scenes.escaping_minima import SUBSETS_SHOWN, EscapingLocalMinima
from scenes.local_minima import GOOD_SHOWN, STALLED_SHOWN, LocalMinima
from scenes.theme import optimisers as otheme

from .harness import check, run_dry, shared_dry_run

pytestmark = pytest.mark.slow

# The shipped data mirrored (x1 -> -x1) with another w2: other minima (2, 3, 5 errors in w1 order).
ALT_DATA = "x1,x2,y\n-2,7,1\n5,-12,1\n5,-7,0\n5,-4,0\n-4,3,1\n3,0,1\n-5,-10,1\n3,6,0\n-2,-7,0\n"
ALT_CONFIG = """
[minima]
data = "{data}"
w2 = 1.2
starts = [-4.0, -0.5, 0.8, 4.5]
learning_rate = 0.8
steps = 250

[playground]
learning_rate = 0.05
epochs = 120
snapshot_epochs = [0, 10, 40, 120]
xor_good_seeds = [3]
xor_stalled_seeds = [4, 12]

[optim]
gd_lr = 0.08
sgd_lr = 0.03
minibatch_lr = 0.04
minibatch_size = 3
momentum_lr = 0.04
momentum = 0.8
adam_lr = 0.01
race = ["gd", "sgd", "minibatch", "momentum", "adam"]
steps = 400
seed = 3
start = [1.0, -1.0]
surface_depths = [0.9, 1.1, 1.5]
"""


def local_minima_numbers(cfg) -> tuple[set[str], set[str]]:
    """(must show, distinctive: may not be left over under another config)."""
    r = minima.from_config(cfg, runs=True)
    must = {fmt(r.w2), fmt(r.runs[0]["lr"])}
    must |= {fmt(m["w1"]) for m in r.minima} | {str(m["errors"]) for m in r.minima}
    runs = playground.xor_runs(cfg)
    shown = ([x for x in runs if x.label == "good"][:GOOD_SHOWN]
             + [x for x in runs if x.label == "stalled"][:STALLED_SHOWN])
    must |= {fmt(x.train_loss[-1]) for x in shown}
    must |= {str(s["epoch"]) for s in shown[0].snapshots}
    distinctive = {fmt(m["w1"]) for m in r.minima} | {fmt(x.train_loss[-1]) for x in shown}
    return must, distinctive


def escaping_numbers(cfg) -> tuple[set[str], set[str]]:
    r = minima.from_config(cfg, runs=False)
    data = minima.load(cfg)
    lo, hi = r.w1_range
    must = {fmt(r.w2)}
    for row in range(min(SUBSETS_SHOWN, data.n)):
        found = minima.find_minima(minima.without_row(data, row), lo, hi, cfg.minima.grid_points)
        must |= {str(m.errors) for m in found}
    rc = race.race(cfg, "surface")
    must |= {fmt(m["cost"]) for m in rc.minima} | {str(rc.steps)}
    for e in rc.entrants:
        must |= {fmt(e["final_loss"])}
        must |= {fmt(v) for k, v in e["hyper"].items() if k in ("lr", "momentum", "batch_size")}
    distinctive = {fmt(m["cost"]) for m in rc.minima} | {fmt(e["final_loss"]) for e in rc.entrants}
    return must, distinctive


CASES = [(LocalMinima, local_minima_numbers), (EscapingLocalMinima, escaping_numbers)]


@pytest.fixture
def alt(use_config):
    return use_config(ALT_CONFIG.format(data="alt_minima.csv"), {"alt_minima.csv": ALT_DATA})


@pytest.mark.parametrize("cls, numbers", CASES, ids=[c.__name__ for c, _ in CASES])
def test_shipped_config(cls, numbers, shipped):
    must, _ = numbers(shipped)
    check(shared_dry_run(cls), must, beats=3)


@pytest.mark.parametrize("cls, numbers", CASES, ids=[c.__name__ for c, _ in CASES])
def test_another_config(cls, numbers, alt):
    must, _ = numbers(alt)
    _, distinctive = numbers(config.load(config.DEFAULT_CONFIG))
    check(shared_dry_run(cls), must, left_over=distinctive)


def test_shipped_minima_are_the_slides_error_counts(shipped):
    # Independent of the scenes: the slides' 5, 3 and 2 errors (in increasing w1, as mathcore orders them).
    assert [m["errors"] for m in minima.from_config(shipped, runs=False).minima] == [5, 3, 2]


def deeper_by_hand(cfg) -> list[str]:
    """The racers whose last point lies nearest a lower minimum than gradient descent's (read off the race)."""
    r = race.race(cfg, "surface")
    minima_xy = np.array([[m["x"], m["y"]] for m in r.minima])

    def depth(e):
        return r.minima[int(np.argmin(np.linalg.norm(minima_xy - np.array(e["theta"][-1]), axis=1)))]["cost"]

    gd = next(e for e in r.entrants if e["optimiser"] == "gd")
    return sorted(otheme.OPTIMISER_NAMES[e["optimiser"]] for e in r.entrants
                  if e["optimiser"] != "gd" and depth(e) < depth(gd))


@pytest.mark.parametrize("which", ["shipped", "alt"])
def test_the_race_answers_which_went_deeper_and_defines_momentum_first(which, request):
    cfg = request.getfixturevalue(which)
    shown = shared_dry_run(EscapingLocalMinima)
    said = " ".join(text for _, _, text in shown.captions)
    deeper = deeper_by_hand(cfg)
    assert bool(deeper) == (which == "shipped")  # the shipped race has an answer; ALT's is "none"
    # on screen: the answer names exactly those racers
    assert sorted(t for k, texts in shown.fields.items() if k.startswith("deeper[") for t in texts) == deeper
    # in speech: after the question, the same names (or none), and gradient descent's cost
    answer = said[said.index("Which went deeper"):]
    for name in deeper or ["none of them"]:
        assert name in answer, f"{name} not said as an answer"
    gd = next(e for e in race.race(cfg, "surface").entrants if e["optimiser"] == "gd")
    assert fmt(gd["final_loss"]) in answer
    # Adam's α in the race and momentum's rule said before the race runs
    before_race = said[:said.index("One at a time")]
    assert f"α in this race is {fmt(cfg.optim.race_adam_lr)}" in before_race
    assert f"Algorithm 1, later, uses {fmt(cfg.optim.adam_lr)}" in before_race
    assert f"{fmt(cfg.optim.momentum)} times the last velocity" in before_race
    assert any(r"\mu\, v_{t-1}" in t for t in shown.texts), "momentum's rule not on screen"


@pytest.mark.parametrize("which", ["shipped", "alt"])
def test_the_line_label_sits_by_its_line_clear_of_the_formulas_and_the_losses_read(which, request):
    """Pauses 2-5: the label σ(...) = 0.5 just above the plane, over the line's upper end when the plane's width
    allows, clear of the formulas. The last pause: each final loss at least 14 px tall at 480p."""
    request.getfixturevalue(which)
    looks, edges, finals = [], [], []

    def look(scene):
        rule, line = getattr(scene, "rule", None), getattr(scene, "line", None)
        if rule is not None and rule in scene.mobjects:
            top = max((line.get_start(), line.get_end()), key=lambda p: p[1])
            looks.append((rule.copy(), top, scene.plane.axes.get_top()[1], scene.equations.get_bottom()[1]))
            edges.append((scene.plane.axes.get_left()[0], scene.plane.axes.get_right()[0]))
        finals[:] = [m for top in scene.mobjects for m in top.get_family()
                     if getattr(m, "original_text", "").startswith("final loss")]

    run_dry(LocalMinima, observers=[look])
    assert len(looks) >= 4
    for (rule, top, plane_top, formulas), (left, right) in zip(looks, edges):
        assert 0 < rule.get_bottom()[1] - plane_top < 0.5, "the label is not just above the plane"
        assert rule.get_top()[1] < formulas, "the label runs into the formulas"
        over = rule.get_left()[0] - 1e-6 <= top[0] <= rule.get_right()[0] + 1e-6
        at_edge = min(abs(rule.get_left()[0] - left), abs(rule.get_right()[0] - right)) < 1e-3
        assert over or (at_edge and (top[0] < rule.get_left()[0]) == (rule.get_left()[0] - left < 1e-3)), \
            "the label is neither over the line's end nor at the plane's edge on its side"
    assert len(finals) == GOOD_SHOWN + STALLED_SHOWN
    assert all(text.height * 480 / 8 >= 14 for text in finals), "a final loss is under 14 px at 480p"
