"""Marks in a caption (``[[box]]`` before a word): an animation can end as that word is spoken, or start with
it (``LectureScene.until`` / ``at``), with a voice and silent; marks are never shown, spoken or in the notes."""
from __future__ import annotations

import pytest
from manim import BLUE, FadeIn, Square, tempconfig

from scenes import captions, narration, voice
from scenes.base import LectureScene, beat

from .common import frames
from .test_voice import FRAME, piper  # noqa: F401  (a fixture)

SENTENCE = "Here is a shape, and this is the [[box]]square we draw, [[blue]]blue all over."


class Marked(LectureScene):
    def construct(self):
        self.show()

    @beat
    def show(self):
        """A square fades in as its word is spoken, and turns blue with its colour's."""
        self.started = self.renderer.time
        self.square = Square()
        self.play(FadeIn(self.square), run_time=self.until("box"))
        self.shown = self.renderer.time
        self.at("blue")
        self.blue = self.renderer.time
        self.play(self.square.animate.set_fill(BLUE, 1), run_time=0.2)
        self.assumed = self.until("nowhere", default=0.4)  # a mark the captions do not have


def render_marked(tmp_path, monkeypatch):
    (tmp_path / "lecture.toml").write_text("")
    (tmp_path / "captions.toml").write_text(f'[Marked]\nshow = "{SENTENCE}"\n')
    monkeypatch.setenv("LECTURE_CONFIG", str(tmp_path / "lecture.toml"))
    with tempconfig({"quality": "low_quality", "media_dir": str(tmp_path / "media"), "disable_caching": True,
                     "progress_bar": "none", "verbosity": "WARNING", "output_file": "Marked"}):
        scene = Marked()
        scene.render()
        return scene, scene.renderer.file_writer.movie_file_path


def test_marks_are_found_and_removed():
    assert captions.unmarked(SENTENCE) == "Here is a shape, and this is the square we draw, blue all over."
    assert captions.marks_of(SENTENCE) == [("box", "Here is a shape, and this is the"),
                                           ("blue", "Here is a shape, and this is the square we draw,")]
    assert captions.reading_time(SENTENCE) == captions.reading_time(captions.unmarked(SENTENCE))


@pytest.mark.slow
def test_silent_a_mark_comes_when_a_reader_reaches_its_word(tmp_path, monkeypatch):
    scene, video = render_marked(tmp_path, monkeypatch)
    read = captions.reading_time
    assert scene.shown - scene.started == pytest.approx(read("Here is a shape, and this is the"), abs=FRAME)
    assert scene.blue - scene.started == pytest.approx(read("Here is a shape, and this is the square we draw,"),
                                                       abs=FRAME)
    assert scene.assumed == 0.4 and scene.missed_marks == {"nowhere"}
    srt = video.with_suffix(".srt").read_text()
    assert "[[" not in srt and "square we draw" in srt


@pytest.mark.slow
def test_voiced_the_square_is_whole_as_its_word_is_spoken(tmp_path, monkeypatch, piper):  # noqa: F811
    scene, video = render_marked(tmp_path, monkeypatch)
    (beat,) = scene.speech_log
    plain = captions.unmarked(SENTENCE)
    speech = voice.say(narration.spoken(plain), piper)
    assert beat["sentences"][0][2] == plain and "[[" not in video.with_suffix(".srt").read_text()
    before = "Here is a shape, and this is the"
    start = voice.line_starts([narration.spoken(before), narration.spoken(plain[len(before):])], speech, piper)
    assert start is not None and start[1] > 1.0  # piper's alignment: "square" comes a second or more in
    assert scene.shown == pytest.approx(beat["start"] + start[1], abs=FRAME)
    # in the video: the fade (a smooth one) is half done half-way to the word and whole as it is spoken
    light = [float(p.sum()) for p in frames(video)]
    at = round(scene.shown / FRAME)
    added = [(x - light[0]) / (light[at + 2] - light[0]) for x in light]
    half = next(k for k, x in enumerate(added) if x >= 0.5)
    assert abs(half - at / 2) <= 2, (half, at)
    assert added[at] == pytest.approx(1.0, abs=0.01) and added[at + 5] == pytest.approx(1.0, abs=0.01)


def test_a_mark_may_open_a_sentence():
    """A mark before a sentence's first word: still two sentences (the pause after a question stays)."""
    text = "Is it training? [[watch]]Watch the cost fall."
    assert captions.sentences(text) == ["Is it training?", "[[watch]]Watch the cost fall."]
    assert captions.marks_of(captions.sentences(text)[1]) == [("watch", "")]
