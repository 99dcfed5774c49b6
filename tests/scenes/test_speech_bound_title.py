"""The title card follows the voice: the course, the title, the lecturer and the three topics each come as their
words are reached, and the title is written while it is read (not a finished card read over).

Silent dry runs: a mark comes when a reader reaches its word (captions.reading_time of the text before it).
"""
from __future__ import annotations

import pytest

from scenes import captions, narration
from scenes.title import TOPICS, TitleCard

from .harness import dry_scene
from .test_speech_bound_chain import HELD, read_at

pytestmark = pytest.mark.slow


def played() -> tuple[dict[int, tuple[float, float]], TitleCard]:
    """Dry-run the card: for each mobject (by id), the start and end of the play that first put it on screen."""
    first: dict[int, tuple[float, float]] = {}
    play = TitleCard.play

    def watched_play(self, *args, **kwargs):
        start = self.renderer.time
        play(self, *args, **kwargs)
        for m in (m for top in self.mobjects for m in top.get_family()):
            first.setdefault(id(m), (start, self.renderer.time))

    watched = type("TitleCard", (TitleCard,), {"play": watched_play})
    return first, dry_scene(watched)


@pytest.mark.parametrize("config_fixture", ["shipped", "alt_config"])
def test_the_card_comes_as_the_voice_reads_it(config_fixture, request):
    request.getfixturevalue(config_fixture)
    first, scene = played()
    assert not scene.missed_marks, f"TitleCard waits for marks its captions lack: {sorted(scene.missed_marks)}"
    text = narration.fill(captions.load()["TitleCard"]["show_title"], scene.narration_values())
    (welcome, course, rule, title, lecturer), topics, _ = scene.card

    def came(mobject, mark: str) -> tuple[float, float]:
        start, end = first[id(mobject)]
        assert start == pytest.approx(read_at(0.0, text, mark), abs=HELD), f"[[{mark}]]: shown from {start:.2f} s"
        return start, end

    assert first[id(welcome)][0] == 0.0
    came(course, "course")
    # written while it is read: from its first word until the voice goes on to the lecturer
    _, written = came(title, "title")
    assert written == pytest.approx(read_at(0.0, text, "lecturer"), abs=HELD)
    assert first[id(rule)] == first[id(title)]
    came(lecturer, "lecturer")
    for topic, (mark, words, _) in zip(topics, TOPICS, strict=True):
        assert topic.original_text == words
        came(topic, mark)
