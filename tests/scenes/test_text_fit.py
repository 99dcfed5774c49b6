"""Any text splits into subtitle lines in bounded time, and keeps every word.

A caption or a config string (a title, a lecturer) can be anything a lecturer types: long words,
no spaces, only commas, any script. Splitting it must end, lose nothing and keep lines short.
"""
from __future__ import annotations

import contextlib
import signal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scenes import captions

#: Far more than any split needs (a 23,000-character text splits in about 7 ms).
SECONDS = 2.0


@contextlib.contextmanager
def within(seconds: float):
    """Fail, rather than hang, if the block takes longer than ``seconds`` (a split that never ends)."""

    def expire(*_):
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


WORD = st.text(st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=12)
LONG_WORD = st.text(st.sampled_from("abcdéß語😀,.-"), min_size=80, max_size=200)
SEPARATOR = st.sampled_from([" ", ", ", ",", ". ", "! ", ": ", "  ", "\t", "\n", "\u3000", "\u00a0", "\u2028"])
TEXTS = st.lists(st.one_of(WORD, LONG_WORD, SEPARATOR), max_size=120).map("".join)

ISSUE_SENTENCE = ("Now we take the derivative of the cost with respect to every weight in the network "
                  "using the chain rule, step by step.")


def check_lines(text: str) -> list[str]:
    with within(SECONDS):
        lines = captions.lines_of(text)
    assert " ".join(lines) == " ".join(text.split()), "text lost or changed"
    assert all(lines), "an empty line"
    for line in lines:  # longer than MAX_LINE only if it is one unbreakable word
        assert len(line) <= captions.MAX_LINE or " " not in line, line
    return lines


@settings(max_examples=300, deadline=None)
@given(TEXTS)
@example("x" * 95 + ", " + "y" * 10)  # a first comma piece over MAX_LINE (it spun forever)
@example("z" * 200)  # no space at all (it raised ValueError)
@example("," * 200)  # only commas
@example(", " * 100)
@example("Today's lecture is " + "T" * 40 + " " + "t" * 39 + ", and I am Lee.")  # an 80-character title
def test_any_text_splits_quickly_into_short_lines_and_loses_nothing(text):
    check_lines(text)


def test_the_issues_sentence_splits_at_its_comma_then_near_the_middle():
    lines = check_lines(ISSUE_SENTENCE)
    assert len(lines) == 3 and lines[-1] == "step by step."
    assert " ".join(lines[:2]) == ISSUE_SENTENCE.split(" step by")[0]


def test_a_word_longer_than_a_line_stays_whole_on_its_own_line():
    word = "https://example.org/" + "a" * 100
    assert check_lines(f"See {word} for more.") == ["See", word, "for more."]


def test_a_line_is_split_after_a_comma_only_where_a_space_follows():
    text = "1,2,3," * 20 + " and then some more words to go past the limit of a line"
    lines = check_lines(text)
    assert lines[0] == ("1,2,3," * 20)


@pytest.mark.parametrize("sentence", [ISSUE_SENTENCE, "w" * 120])
def test_timed_spreads_any_sentence(sentence):
    with within(SECONDS):
        spans = captions.timed(sentence, 0.0, 4.0)
    assert spans[0][0] == 0.0 and spans[-1][1] == pytest.approx(4.0)
