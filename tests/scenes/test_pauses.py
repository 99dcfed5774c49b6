"""Silence to think: 1.5 s after a question, 2 s after an exercise's "please spend N minutes" or "pause the video";
the usual 0.15 s between other sentences and 0.3 s after a beat. Dry runs with the stand-in voice."""
from __future__ import annotations

import pytest
from manim import Square, tempconfig

from scenes.base import LectureScene, beat

from .test_narration import stand_in_voice  # noqa: F401 (a fixture)

QUESTION, EXERCISE, SENTENCE, BEAT = 1.5, 2.0, 0.15, 0.3


class Asks(LectureScene):
    def construct(self):
        self.ask()
        self.exercise()
        self.next_slide()
        self.answer()

    @beat
    def ask(self):
        """A question in the middle of a beat."""
        self.add(Square())

    @beat
    def exercise(self):
        """An exercise at the end of a beat, before a pause."""
        self.wait(0.2)

    @beat
    def answer(self):
        """The answer, ending on a question."""
        self.wait(0.2)


CAPTIONS = '''[Asks]
ask = "Here is the race. Which path went deeper? Adam's did. It ended lower."
exercise = "Your turn: compute every h. Please spend 5 minutes on this."
answer = "The answer is 0.2. Pause the video and check it. Is that what you found?"
'''


@pytest.fixture
def log(tmp_path, monkeypatch, stand_in_voice):  # noqa: F811
    (tmp_path / "lecture.toml").write_text("")
    (tmp_path / "captions.toml").write_text(CAPTIONS)
    monkeypatch.setenv("LECTURE_CONFIG", str(tmp_path / "lecture.toml"))
    with tempconfig({"quality": "low_quality", "dry_run": True, "disable_caching": True, "progress_bar": "none",
                     "verbosity": "WARNING"}):
        scene = Asks(skip_animations=True)
        scene.render()
    subs = [(c.start.total_seconds(), c.end.total_seconds(), c.content) for c in scene.renderer.file_writer.subcaptions]
    return scene.speech_log, subs


def silences(speech_log) -> list[tuple[str, float]]:
    """Each spoken sentence and the silence after it until the next sentence (or the end of the scene)."""
    spans = [s for beat in speech_log for s in beat["sentences"]]
    ends = [s[0] for s in spans[1:]] + [speech_log[-1]["end"]]
    return [(sentence, nxt - t1) for (_, t1, sentence), nxt in zip(spans, ends)]


def test_questions_and_exercises_are_followed_by_time_to_think(log):
    speech_log, _ = log
    wanted = [
        ("Here is the race.", SENTENCE),
        ("Which path went deeper?", QUESTION),
        ("Adam's did.", SENTENCE),
        ("It ended lower.", BEAT),
        ("Your turn: compute every h.", SENTENCE),
        ("Please spend 5 minutes on this.", EXERCISE),
        ("The answer is 0.2.", SENTENCE),
        ("Pause the video and check it.", EXERCISE),
        ("Is that what you found?", QUESTION),
    ]
    got = silences(speech_log)
    assert [sentence for sentence, _ in got] == [sentence for sentence, _ in wanted]
    for (sentence, silence), (_, least) in zip(got, wanted):
        # at a beat's end the picture is held in whole frames (1/15 s), before a pause two more still frames
        assert least - 1e-9 <= silence <= least + 3 / 15, (sentence, silence, least)


def test_a_question_stays_on_screen_while_the_viewer_thinks(log):
    speech_log, subs = log
    (question,) = [s for beat in speech_log for s in beat["sentences"] if s[2] == "Which path went deeper?"]
    (shown,) = [(a, b) for a, b, text in subs if text == "Which path went deeper?"]
    assert shown[0] == pytest.approx(question[0], abs=1e-3)
    assert shown[1] == pytest.approx(question[1] + QUESTION, abs=1e-3)
