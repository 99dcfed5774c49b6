"""[rule_game]: the numbers the slides reveal, their outcomes, and the hypotheses on the board (part 7)."""
from mathcore.config import Expected, choice, integer, list_of

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


KEYS = {
    # any number of reveals (HiddenRuleGame says what its columns hold); mathcore/rulegame.py checks that
    # there is one outcome per number and that the rounds' counts increase up to len(numbers)
    "numbers": list_of(four_digits, 1, what="4-digit strings"),
    "outcomes": list_of(choice(("win", "lose")), 1, what="outcomes"),
    "rounds": list_of(integer(1, 2**31 - 1), 1, what="counts"),
    "hypotheses": list_of(choice(HYPOTHESIS_IDS), 1, len(HYPOTHESIS_IDS), what="hypothesis ids"),
    "slide_eliminated": list_of(choice(HYPOTHESIS_IDS), 0, len(HYPOTHESIS_IDS), what="hypothesis ids"),
    # the rule a student plays against (the explorable); mathcore/rulegame.py checks it gives every revealed
    # number its outcome
    "hidden_rule": choice(HYPOTHESIS_IDS),
}
