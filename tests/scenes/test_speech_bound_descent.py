"""GradientDescentUpdate, AdamOptimizer and SignsOfTrouble change as the voice names things: every mark they
ask for is in the shipped captions, and a drawn number lights up as a reader (silent builds) reaches its word."""
from __future__ import annotations

import pytest
from manim import Indicate, config, tempconfig

from mathcore import gd, race, trouble
from mathcore.display import tex as display_tex
from scenes import captions
from scenes.adam import AdamOptimizer
from scenes.components import tex
from scenes.gradient_descent import GradientDescentUpdate
from scenes.signs_of_trouble import SignsOfTrouble

from .harness import once, text_of

pytestmark = pytest.mark.slow

FRAMES = 2  # a highlight may start this many frames off its word (a hold ends on a whole frame)


@once
def dry_run(scene_cls):
    """Run the scene dry; the scene, each highlight's (start, texts lit), the subtitles' (start, text) and the
    texts a highlight left invisible (one begun with the same mobject's fade-in ends by restoring it faded)."""
    flashes: list[tuple[float, set[str]]] = []
    hidden: set[str] = set()
    base_play = scene_cls.play

    def play(self, *animations, **kwargs):
        for a in animations:
            if isinstance(a, Indicate):
                flashes.append((self.renderer.time, {text_of(m) for m in a.mobject.get_family()} - {""}))
        base_play(self, *animations, **kwargs)
        for a in animations:
            if isinstance(a, Indicate):
                hidden.update(text_of(m) or type(m).__name__ for m in a.mobject.family_members_with_points()
                              if max(m.get_fill_opacity(), m.get_stroke_opacity()) < 0.5)

    observed = type(scene_cls.__name__, (scene_cls,), {"play": play})
    with tempconfig({"quality": "low_quality", "dry_run": True, "disable_caching": True, "progress_bar": "none",
                     "verbosity": "WARNING"}):
        scene = observed(skip_animations=True)
        scene.render()
        frame = 1 / config.frame_rate
    cues = [(c.start.total_seconds(), c.content) for c in scene.renderer.file_writer.subcaptions]
    assert not hidden, f"highlights left these invisible: {sorted(hidden)}"
    return scene, flashes, cues, frame


def reached(cues, first: str, phrase: str) -> float:
    """When a reader of the beat whose subtitles begin with ``first`` reaches ``phrase``, at the reading rate."""
    k = next(i for i, (_, text) in enumerate(cues) if text.startswith(first))
    said = " ".join(text for _, text in cues[k:])
    t = cues[k][0]
    for sentence in captions.sentences(said):
        if phrase in sentence:
            return t + captions.reading_time(sentence[:sentence.index(phrase)].strip())
        t += captions.reading_time(sentence)
    raise AssertionError(f"{phrase!r} is never said after {first!r}")


def lit_at(flashes, text: str, when: float, frame: float) -> None:
    starts = [round(t, 2) for t, texts in flashes if text in texts]
    assert any(abs(t - when) <= FRAMES * frame for t in starts), \
        f"{text!r} lit at {starts}, its word is read at {when:.2f} s"


def test_gradient_descent_lights_each_rate_and_its_step_count_as_said(shipped):
    scene, flashes, cues, frame = dry_run(GradientDescentUpdate)
    assert not scene.missed_marks
    runs = {run["behaviour"]: run for run in gd.from_config(shipped).runs}
    good = runs["converges"]
    first = "With a good learning rate"
    lit_at(flashes, rf"\eta = {tex.num(good['lr'])}", reached(cues, first, f"η = {good['lr']:g}"), frame)
    steps = len(good["w"]) - 1
    lit_at(flashes, f"t = {steps}", reached(cues, first, f"{steps} steps"), frame)
    # the rule's η as "η times" is said
    lit_at(flashes, r"\eta", reached(cues, "Now that we have the gradients", "η times"), frame)


def test_adam_lights_the_first_and_last_step_as_said(shipped):
    scene, flashes, cues, frame = dry_run(AdamOptimizer)
    assert not scene.missed_marks
    recs = race.algorithm_run(shipped).records
    first, last = (display_tex(float(recs[k]["step"][0]), 2) for k in (0, -1))
    said_first, said_last = (scene.narration_values()[k] for k in ("first_step", "last_step"))
    start = "Over the run, the step does shrink"
    lit_at(flashes, first, reached(cues, start, f"{said_first} at the start"), frame)
    lit_at(flashes, last, reached(cues, start, f"{said_last} at t ="), frame)


def test_trouble_lights_the_end_of_the_climb_as_said(shipped):
    scene, flashes, cues, frame = dry_run(SignsOfTrouble)
    assert not scene.missed_marks
    runs = {r["name"]: r for r in trouble.runs(shipped)}
    climb = trouble.rise_end(runs["sign_bug"]["cost"])
    lit_at(flashes, str(climb), reached(cues, "If the cost increases", f"the first {climb} iterations"), frame)


@pytest.mark.parametrize("scene_cls", [GradientDescentUpdate, AdamOptimizer, SignsOfTrouble])
def test_marks_keep_the_sentences_and_their_pauses(scene_cls):
    """A mark never joins two sentences (a mark right before a sentence's first word hid its start: the gap
    after it, and after a question its pause, were lost)."""
    for beat, text in captions.load()[scene_cls.__name__].items():
        assert len(captions.sentences(text)) == len(captions.sentences(captions.unmarked(text))), beat
