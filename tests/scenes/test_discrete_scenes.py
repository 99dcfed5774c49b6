"""HiddenRuleGame and DotProductGeometry show mathcore's numbers for the config they run under.

Each scene runs dry (animations skipped) under the shipped config and under ALT: other revealed
numbers, outcomes, rounds and board, and another table of vector pairs (one perpendicular pair, so
x·y = 0 and the projection is a point). The numbers on screen must include mathcore's for that
config, come only from it (plus a few structural constants), and none of the shipped config's may
be left; the layout check must pass at every pause.
"""
from __future__ import annotations

import pytest

from mathcore import config, geometry, rulegame
from mathcore.display import fmt
from scenes.components.hypothesis_board import board_text
from scenes.dot_products import DotProductGeometry
from scenes.rule_game import HiddenRuleGame

from .harness import Shown, check, run_dry

ALT_PAIRS = """x1,x2,y1,y2
1.5,-0.5,0.8,0.6
-1.2,0.7,0.3,-1.1
0.4,2.2,-1.7,0.9
2.5,1.0,-0.6,1.4
-0.9,-1.3,1.2,-0.45
0.0,1.0,1.0,0.0
"""

ALT = """
[rule_game]
numbers = ["2048", "1357", "0128", "7777", "4096", "3003"]
outcomes = ["win", "lose", "win", "lose", "win", "lose"]
rounds = [3, 6]
hypotheses = ["odd_even", "prime", "div3", "has_2", "contains_2_6", "digit_sum_le_21"]
slide_eliminated = ["odd_even", "prime"]

[geometry]
data = "alt_pairs.csv"
"""


def numbers_in(*texts: str) -> set[str]:
    return Shown(texts=set(texts)).numbers


def rule_numbers(cfg) -> tuple[set[str], set[str]]:
    game = rulegame.from_config(cfg)
    must = {r.number for r in game.reveals}
    for d in game.differences():
        must |= numbers_in(d["why"] if d["computed"].startswith("eliminated") else d["computed"])
    # the board's names ("sum digit <=21", "Contains 2⁶"), the slides' "$1"
    may = numbers_in(*(board_text(v.hypothesis.name) for v in game.verdicts)) | {"1"}
    return must, may


def dot_numbers(cfg) -> tuple[set[str], set[str]]:
    must = set()
    for r in geometry.from_config(cfg).dot_rows():
        must |= {fmt(v) for v in (*r["x"], *r["y"])}
        must |= {fmt(r[k]) for k in ("dot", "norm_x", "norm_y", "angle_deg", "cos", "scalar_projection")}
    return must, {"0", "90"}  # x·y > 0, θ < 90°


CASES = {
    "HiddenRuleGame": (HiddenRuleGame, rule_numbers),
    "DotProductGeometry": (DotProductGeometry, dot_numbers),
}


@pytest.fixture
def alt(use_config):
    return use_config(ALT, {"alt_pairs.csv": ALT_PAIRS})


def check_strikes(shown: Shown, cfg) -> None:
    """Each struck guess is tagged with the number mathcore says eliminates it, and no other is."""
    hyps = rulegame.from_config(cfg).to_dict()["hypotheses"]
    tags = {t for t in shown.texts if t.startswith("✗")}
    assert tags == {f"✗ {h['eliminated_by']}" for h in hyps if h["eliminated_by"] is not None}


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_shipped_config(name, shipped):
    cls, numbers = CASES[name]
    shown = run_dry(cls)
    check(shown, *numbers(shipped), beats=2)
    if cls is HiddenRuleGame:
        check_strikes(shown, shipped)


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_another_config(name, alt):
    cls, numbers = CASES[name]
    shipped_numbers = set.union(*numbers(config.load(config.DEFAULT_CONFIG)))
    shown = run_dry(cls)
    check(shown, *numbers(alt), left_over=shipped_numbers, beats=2)
    if cls is HiddenRuleGame:
        check_strikes(shown, alt)
