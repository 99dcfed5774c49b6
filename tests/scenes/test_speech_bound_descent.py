"""GradientDescentUpdate, AdamOptimizer and SignsOfTrouble change as the voice names things: every mark they
ask for is in the shipped captions, and a drawn number lights up as a reader (silent builds) reaches its word."""
from __future__ import annotations

import pytest

from mathcore import gd, race, trouble
from mathcore.display import fmt
from mathcore.display import tex as display_tex
from scenes import captions
from scenes.adam import AdamOptimizer
from scenes.components import tex
from scenes.gradient_descent import GradientDescentUpdate
from scenes.signs_of_trouble import SignsOfTrouble

from .harness import recorded

pytestmark = pytest.mark.slow

FRAMES = 2  # a highlight may start this many frames off its word (a hold ends on a whole frame)


def dry_run(scene_cls, appearances: list[tuple[float, set[str]]] | None = None):
    """The scene after a dry run, each highlight's (start, texts lit), the subtitles' (start, text) and a frame's
    length (the worker's shared recording: harness.recorded). No highlight may leave its texts invisible (one
    begun with the same mobject's fade-in ends by restoring it faded). ``appearances``, if given, gets each
    fade-in's (start, texts): a number may come in as it is said."""
    rec = recorded(scene_cls)
    if appearances is not None:
        appearances.extend(rec.appearances)
    scene = rec.scene
    frame = 1 / scene.camera.frame_rate
    cues = [(c.start.total_seconds(), c.content) for c in scene.renderer.file_writer.subcaptions]
    assert not rec.left_hidden, f"highlights left these invisible: {sorted(rec.left_hidden)}"
    return scene, rec.flashes, cues, frame


def reached(cues, first: str, phrase: str, word: str = "") -> float:
    """When a reader of the beat whose subtitles begin with ``first`` reaches ``phrase`` (or ``word`` in it: a
    phrase can single out one of a list's repeated words), at the reading rate."""
    k = next(i for i, (_, text) in enumerate(cues) if text.startswith(first))
    said = " ".join(text for _, text in cues[k:])
    t = cues[k][0]
    for sentence in captions.sentences(said):
        if phrase in sentence:
            return t + captions.reading_time(sentence[:sentence.index(phrase) + phrase.index(word)].strip())
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
    lit_at(flashes, str(recs[-1]["t"]), reached(cues, start, "t = "), frame)  # the t row, as "t =" is said
    # the first steps about α long (Δθ and α's line), whatever the gradient (g's row, its size far larger)
    steps = "Each pass counts t"
    alpha = rf"\alpha = {tex.num(scene.spec.lr)}"  # in its Require line
    lines = {text for _, texts in flashes for text in texts if alpha in text}
    assert len(lines) == 1, lines
    lit_at(flashes, lines.pop(), reached(cues, steps, "α long"), frame)
    lit_at(flashes, "g_t", reached(cues, steps, "the gradient."), frame)


def test_trouble_lights_the_end_of_the_climb_as_said(shipped):
    scene, flashes, cues, frame = dry_run(SignsOfTrouble)
    assert not scene.missed_marks
    runs = {r["name"]: r for r in trouble.runs(shipped)}
    climb = trouble.rise_end(runs["sign_bug"]["cost"])
    lit_at(flashes, str(climb), reached(cues, "If the cost increases", f"the first {climb} iterations"), frame)
    # the stuck run's cost axis as the voice names it, then its cost values as it says to read them
    stuck = "If the cost is not decreasing"
    lit_at(flashes, "cost C(w₁)", reached(cues, stuck, "plot's cost axis"), frame)
    lit_at(flashes, display_tex(max(runs["stuck"]["cost"])), reached(cues, stuck, "the values on it"), frame)
    # then its first and last cost, each lit (under the plot) as the voice says it
    first, last = runs["stuck"]["cost"][0], runs["stuck"]["cost"][-1]
    lit_at(flashes, display_tex(first), reached(cues, stuck, f"from {fmt(first)}", fmt(first)), frame)
    lit_at(flashes, display_tex(last), reached(cues, stuck, f"to only {fmt(last)}", fmt(last)), frame)
    # the slow run's last change, lit as the voice says its number (after "still falling: ")
    slope = trouble.end_slope(runs["slow"]["cost"])
    said_slope = next(text for _, text in cues if "still falling: " in text).split("still falling: ")[1].split()[0]
    lit_at(flashes, f"C(t) - C(t - 1) = {display_tex(slope)}",
           reached(cues, "If the cost decreases", f"still falling: {said_slope}", said_slope), frame)


@pytest.mark.parametrize("scene_cls", [GradientDescentUpdate, AdamOptimizer, SignsOfTrouble])
def test_marks_keep_the_sentences_and_their_pauses(scene_cls):
    """A mark never joins two sentences (a mark right before a sentence's first word hid its start: the gap
    after it, and after a question its pause, were lost)."""
    for beat, text in captions.load()[scene_cls.__name__].items():
        assert len(captions.sentences(text)) == len(captions.sentences(captions.unmarked(text))), beat
