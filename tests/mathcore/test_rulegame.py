"""The rule game (part 7): predicates on hand-picked numbers, the elimination logic, the slides' game."""
from __future__ import annotations

import subprocess
import sys

import pytest

from mathcore import config, rulegame
from mathcore.rulegame import HYPOTHESES, Hypothesis, Reveal, Rule, play
from mathcore.sections import rule_game as section

from .cli_checks import assert_config_error, assert_one_line_exit_2, run_json

# The slides: first 9931, 8937 (You lose) and 1728, 5952 (You win); then also 6222, 0328,
# 1002 (You lose) and 0064 (You win).
SLIDE_REVEALS = [("9931", "lose"), ("8937", "lose"), ("1728", "win"), ("5952", "win"),
                 ("6222", "lose"), ("0328", "lose"), ("1002", "lose"), ("0064", "win")]


def verdict(hyp_id: str, number: str) -> bool | None:
    return HYPOTHESES[hyp_id].rules[0].verdict(number)


# ---------------------------------------------------------------- predicates


def test_section_ids_match_the_hypotheses():
    assert section.HYPOTHESIS_IDS == tuple(HYPOTHESES)


def test_prime_against_brute_force():
    for n in (2, 3, 89, 97, 9931, 1, 0, 64, 1728, 8937, 9933):
        brute = n >= 2 and all(n % k for k in range(2, n))  # no square-root shortcut: independent
        assert rulegame.is_prime(n) == brute, n
    assert rulegame.is_prime(9931)  # the slides' first "lose" is prime, so "prime" falls at once


@pytest.mark.parametrize("number,expected", [("1728", True), ("5952", True), ("0064", False), ("6222", False)])
def test_div12(number, expected):
    # 1728 = 12^3, 5952 = 12 * 496, 64 = 12 * 5 + 4, 6222 = 12 * 518 + 6
    assert 12**3 == 1728 and 12 * 496 == 5952
    assert verdict("div12", number) is expected


@pytest.mark.parametrize("number,expected", [("0064", True), ("1728", True), ("5952", True),
                                             ("0328", False), ("1002", False), ("9931", False)])
def test_contains_2_6_as_a_factor(number, expected):
    # 2^6 = 64; 1728 = 2^6 * 27, 5952 = 2^6 * 93; 328 = 2^3 * 41, 1002 = 2 * 501
    assert 2**6 * 27 == 1728 and 2**6 * 93 == 5952 and 2**3 * 41 == 328
    assert verdict("contains_2_6", number) is expected


def test_contains_2_6_other_reading_is_the_digits_64():
    digits = HYPOTHESES["contains_2_6"].other_readings[0]
    assert digits.verdict("0064") and digits.verdict("6401") and not digits.verdict("1728")


def test_div3_uses_the_whole_number():
    assert verdict("div3", "8937")  # 8937 = 3 * 2979 (digit sum 27)
    assert 3 * 2979 == 8937
    assert not verdict("div3", "9931") and not verdict("div3", "0064")


def test_parity_hypothesis_has_both_rules():
    even, odd = HYPOTHESES["odd_even"].rules
    assert even.verdict("6222") and not even.verdict("9931")
    assert odd.verdict("9931") and not odd.verdict("0064")


@pytest.mark.parametrize("hyp,number,expected", [
    ("above_6000", "9931", True), ("above_6000", "6000", False), ("above_6000", "5952", False),
    ("last_two_even", "1728", True), ("last_two_even", "5952", False), ("last_two_even", "0064", True),
    ("include_3_bad", "9931", False), ("include_3_bad", "6222", True),
    ("digit_sum_le_21", "5952", True), ("digit_sum_le_21", "9931", False),  # 5+9+5+2 = 21, 9+9+3+1 = 22
    ("has_2", "6222", True), ("has_2", "0064", False),
    ("first_two_prime", "8937", True), ("first_two_prime", "1728", True), ("first_two_prime", "9931", False),
    ("first_two_prime", "0328", True),  # "03" read as a number is 3, a prime
    ("first_two_prime", "1002", False),  # 10
])
def test_predicates_on_hand_picked_numbers(hyp, number, expected):
    assert verdict(hyp, number) is expected


def test_include_3_one_way_reading_makes_no_claim_without_a_3():
    one_way = HYPOTHESES["include_3_bad"].other_readings[0]
    assert one_way.verdict("8937") is False and one_way.verdict("6222") is None


# ---------------------------------------------------------------- elimination logic on a made-up game


def _rule(text, fn):
    return Rule(text, fn, lambda s: s)


EVEN = _rule("even", lambda s: int(s) % 2 == 0)
ODD = _rule("odd", lambda s: int(s) % 2 == 1)
SMALL = _rule("below 10", lambda s: int(s) < 10)
ONE_WAY = _rule("a 7 makes it bad", lambda s: False if "7" in s else None)


def test_elimination_on_a_tiny_game():
    # hidden rule "even": 0002 win, 0003 lose, 0014 win, 0007 lose
    reveals = [Reveal("0002", "win"), Reveal("0003", "lose"), Reveal("0014", "win"), Reveal("0007", "lose")]
    hyps = [Hypothesis("even", "even", (EVEN,)), Hypothesis("odd", "odd", (ODD,)),
            Hypothesis("small", "small", (SMALL,)), Hypothesis("parity", "parity", (EVEN, ODD)),
            Hypothesis("odd_or_small", "odd or small", (ODD, SMALL)), Hypothesis("seven", "7 bad", (ONE_WAY,))]
    got = {v.hypothesis.id: (reveals[v.at].number if v.at is not None else None) for v in play(reveals, hyps)}
    assert got == {
        "even": None,            # fits every reveal
        "odd": "0002",           # 2 is even but won
        "small": "0003",         # 3 < 10 but lost
        "parity": None,          # "even" still explains everything
        "odd_or_small": "0003",  # odd falls at 0002, small at 0003: gone when the last one falls
        "seven": None,           # only 0007 has a 7, and it lost
    }


def test_the_first_contradiction_counts_not_a_later_one():
    reveals = [Reveal("0001", "win"), Reveal("0003", "lose"), Reveal("0005", "lose")]
    (v,) = play(reveals, [Hypothesis("odd", "odd", (ODD,))])
    assert v.at == 1 and v.rules[0].eliminated_by == "0003"


def test_the_reason_names_the_outcome_as_a_noun():
    """The reason a guess falls reads as English on screen and aloud: "but it was a loss", not "a lose"."""
    reveals = [Reveal("0001", "win"), Reveal("0003", "lose")]
    (v,) = play(reveals, [Hypothesis("odd", "odd", (ODD,))])
    assert v.deciding.why(reveals).endswith("but it was a loss")
    (w,) = play(reveals, [Hypothesis("even", "even", (EVEN,))])
    assert w.deciding.why(reveals).endswith("but it was a win")


# ---------------------------------------------------------------- the slides' game


def test_slides_game_from_config():
    game = rulegame.from_config(config.load(config.DEFAULT_CONFIG))
    assert [(r.number, r.outcome) for r in game.reveals] == SLIDE_REVEALS
    doc = game.to_dict()
    by_name = {h["name"]: h["eliminated_by"] for h in doc["hypotheses"]}
    # worked out by hand, in reveal order:
    assert by_name == {
        "odd/even": "6222",                # odd falls at 9931 (odd, lost), even at 6222 (even, lost)
        "prime": "9931",                   # 9931 is prime and lost
        ">6000": "9931",
        "div3": "8937",                    # 8937 = 3 * 2979 lost
        "last 2 digit even": "5952",       # 5 is odd, yet 5952 won
        "div12": "0064",                   # 64 is not a multiple of 12, yet won
        "include 3 -> bad": "6222",        # no 3, yet lost
        "sum digit <=21": "6222",          # digit sum 12, yet lost
        "have 2 as a digit": "6222",
        "first 2 digit is prime": "8937",  # 89 is prime, yet lost
        "Contains 2^6": None,              # 1728, 5952, 0064 are multiples of 64; the losers are not
    }
    assert doc["survivors"] == ["Contains 2^6"]
    assert [r["revealed"] for r in doc["rounds"]] == [4, 8]
    # after the first slide's four numbers these are still standing
    assert doc["rounds"][0]["survivors"] == ["odd/even", "div12", "include 3 -> bad", "sum digit <=21",
                                             "have 2 as a digit", "Contains 2^6"]


def test_differs_from_slides():
    doc = rulegame.from_config(config.load(config.DEFAULT_CONFIG)).to_dict()
    diffs = {d["name"]: d for d in doc["differs_from_slides"]}
    assert set(diffs) == {"div3", "div12", "first 2 digit is prime"}
    assert diffs["div3"]["slide"] == "not marked" and diffs["div3"]["computed"] == "eliminated by 8937"
    assert diffs["div12"]["computed"] == "eliminated by 0064" and "0064" in diffs["div12"]["why"]
    assert diffs["first 2 digit is prime"]["computed"] == "eliminated by 8937"
    assert all(d["why"] for d in diffs.values())


def test_slide_marks_agree_elsewhere():
    doc = rulegame.from_config(config.load(config.DEFAULT_CONFIG)).to_dict()
    for h in doc["hypotheses"]:
        if h["name"] not in ("div3", "div12", "first 2 digit is prime"):
            assert (h["slide_mark"] == "eliminated") == (h["eliminated_by"] is not None), h["name"]


# ---------------------------------------------------------------- config and CLI


@pytest.mark.parametrize("text,key,expected", [
    ('[rule_game]\nnumbers = ["64"]\noutcomes = ["win"]\nrounds = [1]\n', "rule_game.numbers", "4-digit string"),
    ('[rule_game]\nnumbers = [64]\n', "rule_game.numbers", "4-digit string"),
    ('[rule_game]\noutcomes = ["draw"]\n', "rule_game.outcomes", "one of win, lose"),
    ('[rule_game]\nhypotheses = ["is_even"]\n', "rule_game.hypotheses", "one of odd_even"),
    ('[rule_game]\noutcomes = ["win", "lose"]\n', "rule_game.outcomes", "one outcome per number"),
    ('[rule_game]\nrounds = [4, 7]\n', "rule_game.rounds", "ending at 8"),
    ('[rule_game]\nnumbers = ["0064", "0064"]\noutcomes = ["win", "lose"]\nrounds = [2]\n',
     "rule_game.outcomes", "same outcome"),
])
def test_config_errors(write_config, text, key, expected):
    assert_config_error(write_config(text), key, expected, load=lambda path: rulegame.from_config(config.load(path)))


def test_cli_json_contract(capsys):
    data = run_json(capsys, ["rule-game", "--json"])
    assert [(r["number"], r["outcome"]) for r in data["reveals"]] == SLIDE_REVEALS
    assert all(isinstance(r["number"], str) for r in data["reveals"])  # "0064", not 64
    for h in data["hypotheses"]:
        assert {"name", "eliminated_by"} <= set(h)
        assert h["eliminated_by"] is None or h["eliminated_by"] in {n for n, _ in SLIDE_REVEALS}
    assert {d["name"] for d in data["differs_from_slides"]} == {"div3", "div12", "first 2 digit is prime"}


def test_cli_overrides_and_csv(capsys, tmp_path):
    out = tmp_path / "h.csv"
    data = run_json(capsys, ["rule-game", "--json", "--numbers", "0128,0100", "--outcomes", "win,lose",
                             "--csv", str(out)])
    assert [r["number"] for r in data["reveals"]] == ["0128", "0100"]
    by_name = {h["name"]: h["eliminated_by"] for h in data["hypotheses"]}
    assert by_name["Contains 2^6"] is None and by_name["odd/even"] == "0100"  # both even; one won, one lost
    assert out.read_text().splitlines()[0] == "id,name,eliminated_by,slide_mark,why"


def test_cli_bad_number_is_one_line_exit_2(capsys):
    assert_one_line_exit_2(capsys, ["rule-game", "--numbers", "12345", "--outcomes", "win"], "rule_game.numbers")


def test_cli_table_and_no_torch():
    code = ("import sys; from mathcore.cli import main\ntry:\n main(['rule-game'])\nexcept SystemExit: pass\n"
            "print('torch' in sys.modules, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr.strip().endswith("False")
    assert "Contains 2^6" in proc.stdout and "differs from the slides" in proc.stdout


# ---------------------------------------------------------------- a rival rule the data cannot rule out

CONTAINS_2_6 = HYPOTHESES["contains_2_6"].rules[0]


def slide_reveals() -> list[Reveal]:
    return [Reveal(n, o) for n, o in SLIDE_REVEALS]


def test_divisible_by_16_fits_the_slides_numbers_as_well_as_the_hidden_rule():
    """Wins 1728 = 16·108, 5952 = 16·372, 0064 = 16·4; no loss is a multiple of 16 (0328 = 8·41 is the nearest);
    0016 is the first number it calls good that 2^6 does not."""
    r = rulegame.rival(slide_reveals(), CONTAINS_2_6)
    assert r is not None and (r.divisor, r.apart, r.name) == (16, "0016", "divisible by 16")
    assert not any(r.rule.contradicted_by(v.number, v.outcome) for v in slide_reveals())
    assert r.rule.verdict("0016") and not CONTAINS_2_6.verdict("0016")
    assert r.sorts(slide_reveals()) == ("the wins 1728, 5952 and 0064 are divisible by 16; "
                                        "the losses 9931, 8937, 6222, 0328 and 1002 are not")
    assert r.sorts([Reveal("0032", "win"), Reveal("0001", "lose")]) == ("the win 0032 is divisible by 16; "
                                                                        "the loss 0001 is not")


def test_no_smaller_divisor_fits_and_the_real_rule_is_no_rival():
    """Brute force: 2, 4 and 8 each call a loss good (6222, 1002; 0328); 64 itself is the hidden rule."""
    reveals = slide_reveals()
    for d in range(2, 16):
        assert any((int(v.number) % d == 0) != (v.outcome == "win") for v in reveals), d
    div64 = Rule("good iff divisible by 64", lambda s: int(s) % 64 == 0, str)
    r = rulegame.rival([Reveal("0064", "win"), Reveal("0032", "lose")], div64)
    assert r is None  # only 64 divides 64 and not 32: the hidden rule itself


def test_a_rival_in_another_game_and_none_where_no_divisor_fits():
    # 2048, 0128, 4096 win; odd numbers lose: "divisible by 2" fits them all
    alt = [Reveal("2048", "win"), Reveal("1357", "lose"), Reveal("0128", "win"), Reveal("3003", "lose")]
    r = rulegame.rival(alt, CONTAINS_2_6)
    assert r is not None and (r.divisor, r.apart) == (2, "0002")
    # 0007 wins, 0014 loses: only 7 divides the win, and it divides the loss
    assert rulegame.rival([Reveal("0007", "win"), Reveal("0014", "lose")], CONTAINS_2_6) is None
    assert rulegame.rival([Reveal("0007", "lose")], CONTAINS_2_6) is None  # no win: no divisor rule to guess
