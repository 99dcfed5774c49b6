"""Recap shows and says mathcore's numbers for the config it runs under, and lays out cleanly.

Under the shipped config and under another (a four-layer tanh chain, other learning rates, another
rule game), the gradients of every weight, the update rule's good and far-too-large η with the
minimum, and the guesses the numbers ruled out appear on screen and in the narration; none of the
shipped config's distinctive numbers is left over.
"""
from __future__ import annotations

import pytest

from mathcore import chain, config, gd, rulegame
from mathcore.display import fmt
from mathcore.errors import ConfigError
from scenes.recap import Recap

from .conftest import ALT_CONFIG
from .harness import check, numbers_in, run_dry
from .test_discrete_scenes import ALT_RULE_GAME

pytestmark = pytest.mark.slow

ALT = ALT_CONFIG + """
[gd]
learning_rates = [0.05, 0.3, 1.8, 2.5]
""" + ALT_RULE_GAME


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
    shown = run_dry(Recap)
    check(shown, must, beats=4)
    assert said <= spoken_numbers(shown), f"not said: {sorted(said - spoken_numbers(shown))}"


def test_another_config(use_config):
    alt = use_config(ALT)
    must, said, _ = recap_numbers(alt)
    _, _, distinctive = recap_numbers(config.load(config.DEFAULT_CONFIG))
    shown = run_dry(Recap)
    check(shown, must, left_over=distinctive - must, beats=4)
    assert said <= spoken_numbers(shown), f"not said: {sorted(said - spoken_numbers(shown))}"


def test_a_config_without_a_diverging_rate_is_refused(use_config):
    cfg = use_config("[gd]\nlearning_rates = [0.1, 0.4]\n")
    with pytest.raises(ConfigError, match=r"gd.learning_rates.*diverges: the recap names it"):
        Recap.check_config(cfg)
