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
from tests.construct import slides_in_construct

from .harness import Shown, check, shared_dry_run

ALT_PAIRS = """x1,x2,y1,y2
1.5,-0.5,0.8,0.6
-1.2,0.7,0.3,-1.1
0.4,2.2,-1.7,0.9
2.5,1.0,-0.6,1.4
-0.9,-1.3,1.2,-0.45
0.0,1.0,1.0,0.0
"""

#: Another rule game: other numbers, rounds and board (the Recap's other config plays it too).
ALT_RULE_GAME = """
[rule_game]
numbers = ["2048", "1357", "0128", "7777", "4096", "3003"]
outcomes = ["win", "lose", "win", "lose", "win", "lose"]
rounds = [3, 6]
hypotheses = ["odd_even", "prime", "div3", "has_2", "contains_2_6", "digit_sum_le_21"]
slide_eliminated = ["odd_even", "prime"]
"""

ALT = ALT_RULE_GAME + """
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
    # each struck guess's reason, the hidden rule's facts about the wins, how many guesses fell
    struck = [v for v in game.verdicts if v.at is not None and v.hypothesis.id != cfg.rule_game.hidden_rule]
    must |= numbers_in(*(v.deciding.why(game.reveals) for v in struck), str(len(struck)))
    rule = rulegame.hidden_rule(cfg)
    must |= numbers_in(*(rule.fact(r.number) for r in game.reveals if r.outcome == "win"))
    must |= numbers_in(*rival_words(cfg))
    if means := rulegame.HYPOTHESES[cfg.rule_game.hidden_rule].means:  # what "Contains 2⁶" means
        must |= numbers_in(board_text(means))
    # the board's names ("sum digit <=21", "Contains 2⁶"), the slides' "$1"
    may = numbers_in(*(board_text(v.hypothesis.name) for v in game.verdicts)) | {"1"}
    return must, may


def rival_words(cfg) -> list[str]:
    """The rule that fits every number as well as the hidden one: its name, how it sorts the numbers, and what it
    and the hidden rule say of the number that would tell them apart (mathcore's words); none if there is none."""
    game, rule = rulegame.from_config(cfg), rulegame.hidden_rule(cfg)
    r = rulegame.rival(game.reveals, rule)
    return [r.name, r.sorts(game.reveals), r.rule.fact(r.apart), rule.fact(r.apart)] if r else []


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
    shown = shared_dry_run(cls)
    check(shown, *numbers(shipped), beats=2)
    if cls is HiddenRuleGame:
        check_strikes(shown, shipped)


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_another_config(name, alt):
    cls, numbers = CASES[name]
    shipped_numbers = set.union(*numbers(config.load(config.DEFAULT_CONFIG)))
    shown = shared_dry_run(cls)
    check(shown, *numbers(alt), left_over=shipped_numbers, beats=2)
    if cls is HiddenRuleGame:
        check_strikes(shown, alt)


def flat(text: str) -> str:
    return " ".join(text.split())


def said(shown: Shown) -> str:
    return flat(" ".join(line for _, _, line in shown.captions))


def slide_of(beat: str) -> int:
    """The pause (0-based) that ends the slide holding ``beat``."""
    slides = slides_in_construct(HiddenRuleGame)
    assert any(beat in beats for beats in slides), f"no beat {beat}"
    return next(i for i, beats in enumerate(slides) if beat in beats)


def check_teaching(shown: Shown, cfg) -> None:
    """The answer is revealed last, each struck guess shows mathcore's reason, and the game's lesson is said."""
    game = rulegame.from_config(cfg)
    answer = board_text(rulegame.HYPOTHESES[cfg.rule_game.hidden_rule].name)
    struck = [v for v in game.verdicts if v.at is not None and v.hypothesis.id != cfg.rule_game.hidden_rule]
    tags = {f"✗ {game.reveals[v.at].number}" for v in struck}
    early = [i + 1 for i, pause in enumerate(shown.pauses) if any(answer in t for t in pause) and not tags <= pause]
    assert not early, f"the answer {answer!r} is on the board at pause(s) {early}, before every guess is checked"
    assert any(answer in t for t in shown.pauses[slide_of("reveal_the_rule")])
    texts = {flat(t) for t in shown.texts}
    for v in struck:
        line = f"{board_text(v.hypothesis.name)} ✗ {game.reveals[v.at].number}: {v.deciding.why(game.reveals)}"
        assert line in texts, f"no reason shown for {v.hypothesis.name}: {line!r}"
    first = [v for v in struck if v.at < game.rounds[0]]
    last = max(first, key=lambda v: (v.at, [u.hypothesis.id for u in struck].index(v.hypothesis.id)))
    speech = said(shown)
    assert flat(f"{game.reveals[last.at].number} crosses out {board_text(last.hypothesis.name)}: "
                f"{last.deciding.why(game.reveals)}") in speech
    wins = [r.number for r in game.reveals if r.outcome == "win"]
    for fact in (rulegame.hidden_rule(cfg).fact(n) for n in wins):  # each said, and on screen with the rule
        assert flat(fact) in speech
        assert fact in shown.pauses[slide_of("reveal_the_rule")], fact
    lesson = {"Fundamental problem of Neural Networks", f"The numbers ruled {len(struck)} guesses out."}
    assert lesson <= shown.pauses[-1]
    assert f"ruled {len(struck)} guesses out, but they cannot prove the rule that is left" in speech
    name, sorts, rival_fact, rule_fact = rival_words(cfg)  # both configs have a rival: it is shown and said
    last = {flat(t) for t in shown.pauses[-1]}
    wins, losses = sorts.split("; ")  # each half on its own line, shown as the voice says it
    halves = {wins + ";", losses, rival_fact + ",", f"but {rule_fact}"}
    assert {f"'{name}' also fits every number so far:", *halves} <= last
    divisor = name.split()[-1].strip("'")
    assert flat(f"Another rule, {name}, also fits every number so far: every win is divisible by {divisor}, and no "
                f"loss is. The next number may tell them apart: {rival_fact}, but {rule_fact}.") in speech


@pytest.mark.slow
def test_the_game_reveals_its_rule_last_gives_reasons_and_says_what_data_cannot_do(shipped):
    shown = shared_dry_run(HiddenRuleGame)
    check_teaching(shown, shipped)
    assert "5952 crosses out last 2 digit even: its last two digits are 5 and 2" in said(shown)


@pytest.mark.slow
def test_the_game_teaches_the_same_under_another_config(alt):
    check_teaching(shared_dry_run(HiddenRuleGame), alt)


#: A game no 'divisible by d' rule fits but the hidden one: 0032 lost, and every divisor of 64 but 64 divides it.
NO_RIVAL_GAME = """
[rule_game]
numbers = ["0064", "0032", "1728", "9931"]
outcomes = ["win", "lose", "win", "lose"]
rounds = [2, 4]
hypotheses = ["odd_even", "prime", "div3", "contains_2_6"]
slide_eliminated = ["prime"]
"""


@pytest.mark.slow
def test_the_lesson_says_so_when_no_divisor_rule_rivals_the_hidden_one(use_config):
    cfg = use_config(NO_RIVAL_GAME)
    game = rulegame.from_config(cfg)
    assert rulegame.rival(game.reveals, rulegame.hidden_rule(cfg)) is None
    shown = shared_dry_run(HiddenRuleGame)
    assert {"another rule may fit every number,", "(no rule 'divisible by d' fits them all here)"} <= shown.pauses[-1]
    assert "No rule 'divisible by d' fits these numbers so well, yet another kind of rule may" in said(shown)
    assert not shown.problems, shown.problems
