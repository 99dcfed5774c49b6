"""Every beat of every scene has a caption; captions cover each scene's whole length; notes follow slides."""
from __future__ import annotations

import pytest

from mathcore.errors import ConfigError
from scenes import captions, order

from .harness import run_dry

#: The longest stretch of a scene with no caption on screen, in seconds.
MAX_GAP = 3.0
MAX_SECONDS_PER_CHARACTER = 0.6  # a caption shown far longer than it takes to read says too little


@pytest.mark.parametrize("name", order.names())
def test_every_beat_has_a_caption(name):
    own = captions.load().get(name)
    assert own, f"captions.toml has no [{name}]"
    beats = [b for slide in captions.slides_of(order.load(name)) for b in slide]
    assert [b for b in beats if not own.get(b, "").strip()] == []
    assert sorted(set(own) - set(beats)) == [], "captions for beats the scene does not have"


@pytest.mark.slow
@pytest.mark.parametrize("name", order.names())
def test_captions_cover_the_scene(name):
    shown = run_dry(order.load(name))
    spans = sorted(shown.captions)
    assert spans, "no subcaptions"
    assert spans[0][0] <= MAX_GAP
    assert shown.duration - spans[-1][1] <= MAX_GAP
    for (s0, e0, _), (s1, e1, _) in zip(spans, spans[1:]):
        assert s1 >= e0 - 1e-6, f"captions overlap at {s1:.2f} s"
        assert s1 - e0 <= MAX_GAP, f"no caption from {e0:.2f} s to {s1:.2f} s"
    for start, end, text in spans:
        assert len(text) / (end - start) <= captions.READING_RATE + 0.5, f"{text!r} is on screen {end - start:.1f} s"
        assert end - start <= max(MAX_GAP, MAX_SECONDS_PER_CHARACTER * len(text)), f"{text!r} stays {end - start:.1f} s"


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


def test_notes_are_the_captions_of_each_slide():
    cls = order.load("ComputeTree")
    slides = captions.slides_of(cls)
    own = captions.load()["ComputeTree"]
    notes = captions.notes(cls)
    assert len(notes) == len(slides)
    assert notes[0] == "\n\n".join(own[b] for b in slides[0])


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
