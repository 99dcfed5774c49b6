"""The title card fits any title, course and lecturer the config admits, or refuses them in one line.

Long ones are wrapped and made smaller; the dry run's layout check (nothing outside the frame or
its margin, nothing over other text, nothing too small to read at 480p) passes at the limit, made
of the widest capital, and one character past it is refused before rendering.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenes.pipeline.cli import main
from scenes.title import LINE_CHARS, TitleCard, wrapped

from .harness import run_dry
from .test_text_fit import SECONDS, TEXTS, within

#: The widest capital of the font, 40 a line: the worst case of each part at its limit.
WIDEST = {"title": "W" * 120, "course": "W" * 74, "year": "2031", "lecturer": "W" * 80}
#: Long, as people write them.
WORDY = {
    "title": "Now we take the derivative of the cost with respect to every weight in the network using the chain "
             "rule",
    "course": "Introduction to Deep Learning for the Life Sciences",
    "year": "2031/32",
    "lecturer": "Professor Maximiliane Wolfeschlegelsteinhausen-Bergerdorff",
}


def lecture_toml(fields: dict[str, str]) -> str:
    return "[lecture]\n" + "".join(f"{k} = {v!r}\n" for k, v in fields.items())


@pytest.mark.slow
@pytest.mark.parametrize("fields", [
    WIDEST,
    WORDY,
    {"title": "An eighty character title without a single comma in it for the title card to fit"},
    {"title": "Backpropagation" * 8},  # one word of 120 characters: broken across three lines
], ids=["widest", "wordy", "eighty", "one-word"])
def test_a_long_title_course_and_lecturer_fit_the_card(fields, use_config):
    use_config(lecture_toml(fields))
    shown = run_dry(TitleCard)
    assert not shown.problems, "\n".join(shown.problems)
    on_screen = " ".join(shown.texts)
    for key, value in fields.items():
        if key != "year" and " " in value:
            assert all(word in on_screen for word in value.split()), f"a word of {key} is missing"


@pytest.mark.parametrize("key, value, most", [
    ("title", "W" * 121, 3),
    ("title", " ".join(["Backpropagation"] * 9), 3),
    ("course", "W" * 79, 2),  # with "  2022", the shipped year
    ("lecturer", "Lee Hwee Kuan " * 6, 2),
])
@pytest.mark.parametrize("explain", [False, True])
def test_a_text_too_long_for_the_card_is_one_line_before_rendering(capsys, tmp_path, key, value, most, explain):
    path = tmp_path / "long.toml"
    path.write_text(lecture_toml({key: value}))
    media = tmp_path / "media"
    with pytest.raises(SystemExit) as info:
        main(["render", "TitleCard", "--voice", "none", "--config", str(path), "--media-dir", str(media),
              *(["--explain"] if explain else [])])
    err = capsys.readouterr().err
    assert info.value.code == 2 and err.count("\n") == 1, err
    assert f"{path}: lecture.{key}: expected a " in err
    assert f"fits the title card: at most {most} lines of 40 characters" in err
    assert not list(media.rglob("*.mp4"))


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.integers(1, 3))
def test_wrapping_any_text_for_the_card_ends_and_keeps_every_character(text, most):
    with within(SECONDS):
        lines = wrapped(text, most)
    if lines is None:  # refused: longer than a line, and no fewer lines fit either
        assert len(" ".join(text.split())) > LINE_CHARS
        assert all(wrapped(text, fewer) is None for fewer in range(1, most))
        return
    assert len(lines) <= most and all(len(line) <= LINE_CHARS for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())
