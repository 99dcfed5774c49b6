"""Every beat of every scene has a caption; captions cover each scene's whole length; notes follow slides."""
from __future__ import annotations

import pytest

from mathcore.errors import ConfigError
from scenes import captions, order
from tests.construct import slides_in_construct

from .harness import run_dry


@pytest.mark.parametrize("name", order.names())
def test_every_beat_has_a_caption(name):
    own = captions.load().get(name)
    assert own, f"captions.toml has no [{name}]"
    beats = [b for slide in slides_in_construct(order.load(name)) for b in slide]
    assert [b for b in beats if not own.get(b, "").strip()] == []
    assert sorted(set(own) - set(beats)) == [], "captions for beats the scene does not have"


@pytest.mark.slow
def test_dry_runs_report_captions_that_do_not_cover_the_scene(tmp_path, monkeypatch):
    """Every scene's dry-run test (tests/scenes/test_*_scenes.py) fails on caption problems; here is one."""
    from scenes.title import TitleCard

    (tmp_path / "lecture.toml").write_text("")
    (tmp_path / "captions.toml").write_text('[TitleCard]\nshow_title = ""\n')  # an empty caption
    monkeypatch.setenv("LECTURE_CONFIG", str(tmp_path / "lecture.toml"))
    shown = run_dry(TitleCard)
    assert shown.problems == ["captions: no captions"]
    monkeypatch.delenv("LECTURE_CONFIG")
    shown = run_dry(TitleCard)
    assert shown.problems == [] and shown.captions[-1][1] == pytest.approx(shown.duration)


def test_coverage_problems_name_gaps_overlaps_and_rushed_lines():
    ok = [(0.0, 2.0, "First line here."), (2.0, 5.0, "Second line, a bit longer.")]
    assert captions.coverage_problems(ok, 5.5) == []
    assert captions.coverage_problems(ok, 9.0) == ["no caption for the last 4.0 s"]
    gap = [(0.0, 2.0, "First line here."), (6.0, 8.0, "Later.")]
    assert captions.coverage_problems(gap, 8.0) == ["no caption from 2.0 s to 6.0 s"]
    overlap = [(0.0, 3.0, "First line here."), (2.0, 5.0, "Second line, a bit longer.")]
    assert captions.coverage_problems(overlap, 5.0) == ["captions overlap at 2.00 s"]
    rushed = [(0.0, 0.5, "A line far too long to read in half a second.")]
    assert captions.coverage_problems(rushed, 0.5) == [f"{rushed[0][2]!r} is on screen only 0.5 s"]
    assert captions.coverage_problems([], 3.0) == ["no captions"]


def test_lines_split_at_sentences_and_stay_short():
    text = "First sentence. " + "A long clause, " * 10 + "the end."
    lines = captions.lines_of(text)
    assert lines[0] == "First sentence."
    assert all(len(line) <= captions.MAX_LINE for line in lines)
    assert " ".join(lines) == " ".join(text.split())


def test_timed_lines_share_the_beat_by_length():
    spans = captions.timed("Short one. A much longer second sentence here.", 2.0, 8.0)
    assert spans[0][0] == 2.0 and spans[-1][1] == pytest.approx(8.0)
    assert spans[0][1] == spans[1][0]
    assert (spans[1][1] - spans[1][0]) > (spans[0][1] - spans[0][0])


def test_notes_are_the_captions_of_the_beats_that_played_on_each_slide():
    cls = order.load("ComputeTree")
    slides = slides_in_construct(cls)
    own = captions.load()["ComputeTree"]
    log = captions.SlideLog(own)
    for beat in slides[0]:
        log.start(beat)
        log.end()
    assert log.pause(played=True) == "\n\n".join(own[b] for b in slides[0])
    assert log.slides == [slides[0]]


def test_a_config_folder_brings_its_own_captions(tmp_path, monkeypatch):
    (tmp_path / "lecture.toml").write_text("")
    (tmp_path / "captions.toml").write_text('[TitleCard]\nshow_title = "Welcome."\n')
    monkeypatch.setenv("LECTURE_CONFIG", str(tmp_path / "lecture.toml"))
    assert captions.load() == {"TitleCard": {"show_title": "Welcome."}}


def test_bad_captions_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "captions.toml"
    bad.write_text("[TitleCard]\nshow_title = 3\n")
    with pytest.raises(ConfigError, match=r"captions.toml: \[TitleCard\]: expected"):
        captions.load(bad)


def test_slide_log_follows_pauses_inside_beats():
    own = {"intro": "Intro.", "classifiers": "Each classifier.", "outro": "The end."}
    log = captions.SlideLog(own)
    log.start("intro"), log.end()
    assert log.pause(played=True) == "Intro."
    log.start("classifiers")
    assert log.pause(played=True) == "Each classifier."  # a pause inside a beat: the next slide goes on with it
    assert log.pause(played=False) == "Each classifier."  # nothing played: no slide
    log.end()
    log.start("outro"), log.end()
    assert log.pause(played=True) == "Each classifier.\n\nThe end."
    assert log.slides == [["intro"], ["classifiers"], ["classifiers", "outro"]]


def test_beats_are_declared_in_definition_order_and_inherited():
    from scenes.base import LectureScene, beat

    class Base(LectureScene):
        @beat
        def first(self):
            """One."""

        def helper(self):
            """Not a beat."""

    class Child(Base):
        @beat
        def second(self):
            """Two."""

    assert captions.beats_of(Child) == ["first", "second"]
