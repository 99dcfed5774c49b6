"""[rule_game]: the numbers the slides reveal, their outcomes, and the hypotheses on the board (part 7)."""
from dataclasses import dataclass
from typing import Annotated

from mathcore.config import Expected, choice, integer, keys_of, list_of

NAME = "rule_game"

#: Ids of mathcore.rulegame.HYPOTHESES (kept here so the config loader needs no other module).
HYPOTHESIS_IDS = (
    "odd_even", "prime", "above_6000", "div3", "last_two_even", "div12",
    "include_3_bad", "digit_sum_le_21", "has_2", "first_two_prime", "contains_2_6",
)


def four_digits(value):
    """A 4-digit number written as a string, leading zeros kept ("0064")."""
    if not isinstance(value, str) or len(value) != 4 or not value.isascii() or not value.isdigit():
        raise Expected('a 4-digit string such as "0064"', value)
    return value


def _hypotheses(at_least: int):
    return list_of(choice(HYPOTHESIS_IDS), at_least, len(HYPOTHESIS_IDS), what="hypothesis ids")


@dataclass(frozen=True)
class RuleGameSection:
    """[rule_game], as validated: each key's type and its check."""

    # any number of reveals (HiddenRuleGame says what its columns hold); mathcore/rulegame.py checks that
    # there is one outcome per number and that the rounds' counts increase up to len(numbers)
    numbers: Annotated[tuple[str, ...], list_of(four_digits, 1, what="4-digit strings")]
    outcomes: Annotated[tuple[str, ...], list_of(choice(("win", "lose")), 1, what="outcomes")]
    rounds: Annotated[tuple[int, ...], list_of(integer(1, 2**31 - 1), 1, what="counts")]
    hypotheses: Annotated[tuple[str, ...], _hypotheses(1)]
    slide_eliminated: Annotated[tuple[str, ...], _hypotheses(0)]
    # the rule a student plays against (the explorable); mathcore/rulegame.py checks it gives every revealed
    # number its outcome
    hidden_rule: Annotated[str, choice(HYPOTHESIS_IDS)]


KEYS = keys_of(RuleGameSection)
