"""EscapingLocalMinima and BatchCostSurfaces change as the voice names things: every mark they ask for is in the
shipped captions, and what the voice names lights up as a reader (silent builds) reaches its word."""
from __future__ import annotations

import pytest

from mathcore import race
from scenes import captions
from scenes.batch_surfaces import BatchCostSurfaces
from scenes.escaping_minima import EscapingLocalMinima

from .test_speech_bound_descent import FRAMES, dry_run, reached

pytestmark = pytest.mark.slow


def lit_with(flashes, part: str, when: float, frame: float) -> None:
    """A highlight whose texts include one containing ``part`` starts within FRAMES of ``when``."""
    starts = [round(t, 2) for t, texts in flashes if any(part in text for text in texts)]
    assert any(abs(t - when) <= FRAMES * frame for t in starts), \
        f"{part!r} lit at {starts}, its word is read at {when:.2f} s"


def test_escaping_lights_the_start_the_alphas_mu_and_the_yardstick_as_said(shipped):
    scene, flashes, cues, frame = dry_run(EscapingLocalMinima)
    assert not scene.missed_marks
    values = scene.narration_values()
    lit_with(flashes, "start", reached(cues, "Second, a race", "the same point"), frame)
    lit_with(flashes, r"\alpha", reached(cues, "Adam's step size", f"{values['adam_alpha']:g};"), frame)
    lit_with(flashes, "Algorithm 1", reached(cues, "Adam's step size", f"{values['algorithm_alpha']:g}."), frame)
    lit_with(flashes, r"\mu", reached(cues, "Momentum keeps a velocity", f"{values['momentum']:g} times"), frame)
    gd = next(e for e in race.race(shipped, "surface").entrants if e["optimiser"] == "gd")
    assert gd["final_loss"] == values["gd_cost"]
    said = reached(cues, "All the paths together", "C = ")  # gradient descent's end marker (a dot: no text)
    assert any(abs(t - said) <= FRAMES * frame for t, texts in flashes if not texts), flashes


def test_batch_surfaces_light_the_first_batch_the_full_minimum_and_the_batch_sizes_as_said(shipped):
    scene, flashes, cues, frame = dry_run(BatchCostSurfaces)
    assert not scene.missed_marks
    size = scene.narration_values()["first_size"]
    lit_with(flashes, "all ", reached(cues, "And this is the minimum", "all the data"), frame)
    lit_with(flashes, f"batch size {size}", reached(cues, "This is minibatch", f"{size}: each step"), frame)
    lit_with(flashes, "batch size = 1", reached(cues, "Stochastic gradient descent uses", "a batch size of one"), frame)


@pytest.mark.parametrize("scene_cls", [EscapingLocalMinima, BatchCostSurfaces])
def test_marks_keep_the_sentences_and_their_pauses(scene_cls):
    for beat, text in captions.load()[scene_cls.__name__].items():
        assert len(captions.sentences(text)) == len(captions.sentences(captions.unmarked(text))), beat
