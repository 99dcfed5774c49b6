"""Recap shows and says mathcore's numbers for the config it runs under, and lays out cleanly.

Under the shipped config and under another (a four-layer tanh chain, other learning rates, another
rule game, another race start), the gradients of every weight, the update rule's good and far-too-large η
with the minimum, the guesses the numbers ruled out, and which optimisers of the race ended deeper than
gradient descent appear on screen and in the narration; none of the shipped config's distinctive numbers
is left over.
"""
from __future__ import annotations

import math

import pytest

from mathcore import chain, config, gd, race, rulegame
from mathcore.display import fmt
from mathcore.errors import ConfigError
from scenes.recap import Recap

from .conftest import ALT_CONFIG
from .harness import check, numbers_in, shared_dry_run
from .test_discrete_scenes import ALT_RULE_GAME

pytestmark = pytest.mark.slow

ALT = ALT_CONFIG + """
[gd]
learning_rates = [0.05, 0.3, 1.8, 2.5]

[optim]
start = [-1.0, 1.1]
""" + ALT_RULE_GAME
NAMES = {"sgd": "stochastic GD", "minibatch": "minibatch GD", "momentum": "momentum", "adam": "Adam"}


def recap_numbers(cfg) -> tuple[set[str], set[str]]:
    """(must be shown and said, distinctive: may not be left over under another config)."""
    c = chain.from_config(cfg)
    runs = {r["behaviour"]: r for r in gd.from_config(cfg).runs}
    game = rulegame.from_config(cfg)
    guesses = [v for v in game.verdicts if v.hypothesis.id != cfg.rule_game.hidden_rule]
    said = {fmt(c.grad_w[0]), fmt(c.grad_w[-1]), fmt(runs["converges"]["lr"]), fmt(runs["diverges"]["lr"]),
            fmt(gd.from_config(cfg).cost["w_star"]), str(sum(v.at is not None for v in guesses)),
            str(len(guesses))}
    shown = said | {fmt(v) for v in (*c.grad_w, *c.grad_z)}
    distinctive = {fmt(v) for v in (*c.grad_w, runs["converges"]["lr"], runs["diverges"]["lr"])}
    return shown, said, distinctive


def spoken_numbers(shown) -> set[str]:
    return {n for _, _, line in shown.captions for n in numbers_in(line)}


def test_shipped_config(shipped):
    must, said, _ = recap_numbers(shipped)
    shown = shared_dry_run(Recap)
    check(shown, must, beats=4)
    assert said <= spoken_numbers(shown), f"not said: {sorted(said - spoken_numbers(shown))}"


def test_another_config(use_config):
    alt = use_config(ALT)
    must, said, _ = recap_numbers(alt)
    _, _, distinctive = recap_numbers(config.load(config.DEFAULT_CONFIG))
    shown = shared_dry_run(Recap)
    check(shown, must, left_over=distinctive - must, beats=4)
    assert said <= spoken_numbers(shown), f"not said: {sorted(said - spoken_numbers(shown))}"


def race_outcome(cfg) -> tuple[list[str], list[str]]:
    """(ended in a deeper minimum than gradient descent, did not): each entrant's minimum is the one nearest
    its last point, so a noisy path around gradient descent's minimum is not deeper."""
    r = race.race(cfg, "surface")

    def depth(e):
        x, y = e["final"]
        return min(r.minima, key=lambda m: math.hypot(x - m["x"], y - m["y"]))["cost"]

    gd_depth = depth(next(e for e in r.entrants if e["optimiser"] == "gd"))
    others = [e for e in r.entrants if e["optimiser"] != "gd"]
    deeper = [e for e in others if not e["diverged"] and depth(e) < gd_depth]
    return ([NAMES[e["optimiser"]] for e in sorted(deeper, key=depth)],
            [NAMES[e["optimiser"]] for e in others if e not in deeper])


def listed(names: list[str]) -> str:
    return " and ".join(filter(None, [", ".join(names[:-1]), names[-1]])) if names else "none"


def check_race_said_and_shown(shown, deeper: list[str], not_deeper: list[str]) -> None:
    said = " ".join(text for _, _, text in shown.captions)
    assert f"deeper than gradient descent: {listed(deeper)}. Not deeper: {listed(not_deeper)}." in said
    assert "shake" not in said  # the race showed no minibatch run shaken out of its valley
    card = {" ".join(t.split()) for t in shown.pauses[2]}
    assert {f"deeper than gradient descent: {listed(deeper)}", f"not deeper: {listed(not_deeper)}"} <= card


def test_the_race_line_says_what_the_shipped_race_showed(shipped):
    deeper, not_deeper = race_outcome(shipped)
    # the lecture's race: minibatch GD ended in gradient descent's valley, the other three went deeper
    assert not_deeper == ["minibatch GD"] and set(deeper) == {"stochastic GD", "momentum", "Adam"}
    check_race_said_and_shown(shared_dry_run(Recap), deeper, not_deeper)


def test_the_race_line_follows_another_race(use_config):
    deeper, not_deeper = race_outcome(use_config(ALT))
    assert set(not_deeper) == {"minibatch GD", "Adam"}, "this start leaves Adam in gradient descent's valley too"
    check_race_said_and_shown(shared_dry_run(Recap), deeper, not_deeper)


def test_the_race_line_when_every_optimiser_went_deeper(use_config):
    deeper, not_deeper = race_outcome(use_config("[optim]\nminibatch_size = 2\n"))
    assert not not_deeper
    check_race_said_and_shown(shared_dry_run(Recap), deeper, not_deeper)


def test_the_rules_line_does_not_contradict_itself(shipped):
    shown = shared_dry_run(Recap)
    said = " ".join(text for _, _, text in shown.captions)
    assert "the one left" not in said
    assert "But a rule that fits every number is still not proved" in said
    assert not any("the one left" in t for t in shown.texts)


def test_a_race_without_gradient_descent_is_refused(use_config):
    cfg = use_config('[optim]\nrace = ["sgd", "momentum", "adam"]\n')
    with pytest.raises(ConfigError, match=r"optim.race.*gradient descent"):
        Recap.check_config(cfg)


def test_a_config_without_a_diverging_rate_is_refused(use_config):
    cfg = use_config("[gd]\nlearning_rates = [0.1, 0.4]\n")
    with pytest.raises(ConfigError, match=r"gd.learning_rates.*diverges: the recap names it"):
        Recap.check_config(cfg)


def test_the_data_space_recalls_every_data_scene_and_the_update_rule_bridges_from_backprop(shipped):
    """/04 names universal approximation and the auto-encoder (shown and said) beside the rule game, manifolds
    and boundaries, and its rules line reads as a sentence; /02 writes ∂C/∂w = ∂C/∂h3 · ∂h3/∂w, the step from the
    gradients of /01 (of the output h3) to the update's gradient of the cost, and says it."""
    shown = shared_dry_run(Recap)
    said = " ".join(" ".join(text for _, _, text in shown.captions).split())
    card = {" ".join(t.split()) for t in shown.pauses[3]}
    for words in ("the network is fine, the data are the problem: too few points, or the wrong range.",
                  "a 1-D latent z is a coordinate along the manifold; the decoder's curve estimates it."):
        assert words in card, words
    assert "the data are the problem: too few points, or the wrong range" in said
    assert "1-D latent z is a coordinate along the manifold, and the decoder's curve estimates it" in said
    assert any(t.startswith("the numbers ruled out") for t in card) and "Data can rule guesses out" in said
    layers = chain.from_config(shipped).layers
    h = f"h_{{{layers}}}"
    d = r"\frac{{\partial {}}}{{\partial {}}}".format
    assert f"{d('C', 'w')} = {d('C', h)} \\cdot {d(h, 'w')}" in shown.pauses[1]
    assert f"∂C/∂w = ∂C/∂h{layers} × ∂h{layers}/∂w" in said
