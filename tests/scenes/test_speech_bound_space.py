"""DataManifold, UniversalApproximation, AutoencoderLatent, DotProductGeometry and ReluTransform change as the voice
names things: every mark they wait for is in the shipped captions, and what a sentence names lights up as a reader
(silent builds) reaches its word (timed from the beat's first line, sentence by sentence, as a silent beat times
its marks). DataManifold's numbers and verdicts, as said, are checked with the rule game's and the playground's
(test_speech_bound_data.py), under other configs too."""
from __future__ import annotations

import numpy as np
import pytest

from mathcore import approximation, geometry
from mathcore.display import fmt
from scenes import captions
from scenes.autoencoder import AutoencoderLatent
from scenes.data_manifold import DataManifold
from scenes.dot_products import DotProductGeometry
from scenes.relu_transform import ReluTransform
from scenes.universal_approximation import UniversalApproximation

from .harness import shared_dry_run
from .test_discrete_scenes import ALT, ALT_PAIRS
from .test_networks_scenes import ALT_CONFIG as ALT_NETWORKS
from .test_speech_bound_descent import dry_run, lit_at, reached

pytestmark = pytest.mark.slow

SCENES = [DataManifold, UniversalApproximation, AutoencoderLatent, DotProductGeometry, ReluTransform]


DRY = [c for c in SCENES if c is not DataManifold]  # its dry run, with these checks, is test_speech_bound_data's


@pytest.mark.parametrize("scene_cls", DRY, ids=[c.__name__ for c in DRY])
def test_every_mark_waited_for_is_in_the_captions(scene_cls, shipped):
    scene, *_ = dry_run(scene_cls)
    assert not scene.missed_marks, f"waits for marks its captions lack: {sorted(scene.missed_marks)}"


@pytest.mark.parametrize("scene_cls", SCENES, ids=[c.__name__ for c in SCENES])
def test_marks_keep_the_sentences_and_never_open_one(scene_cls):
    """A mark never joins two sentences, and stands after a sentence's first word (its word's time is found in
    the words before it)."""
    for beat, text in captions.load()[scene_cls.__name__].items():
        assert len(captions.sentences(text)) == len(captions.sentences(captions.unmarked(text))), beat
        for sentence in captions.sentences(text):
            assert all(before for _, before in captions.marks_of(sentence)), (beat, sentence)


def check_first_product_said(cfg) -> None:
    """The first pair drawn in detail is the one nearest 45°; its x·y is said, and its cell lit as it is."""
    scene, flashes, cues, frame = dry_run(DotProductGeometry)
    rows = geometry.from_config(cfg).dot_rows()
    first = min(rows, key=lambda r: abs(r["angle_deg"] - 45.0))
    dot = fmt(first["dot"])
    assert any(f"For this pair, it is {dot}." in text for _, text in cues), [t for _, t in cues]
    lit_at(flashes, dot, reached(cues, "Take a pair", dot), frame)


def test_dot_products_say_the_first_product_as_its_cell_fills(shipped):
    check_first_product_said(shipped)


def test_dot_products_say_the_first_product_under_another_config(use_config):
    check_first_product_said(use_config(ALT, {"alt_pairs.csv": ALT_PAIRS}))


def test_relu_counts_light_up_as_they_are_named(shipped):
    scene, flashes, cues, frame = dry_run(ReluTransform)
    counts = geometry.face_counts(geometry.from_config(shipped).images[scene.order[0]]["zeroed"])["by_zeros"]
    texts = {t for _, lit in flashes for t in lit if t.endswith(f"({counts.get('0', 0)})")}
    assert texts, "the kept points' count is never lit"
    lit_at(flashes, texts.pop(), reached(cues, "The colour says", "counts"), frame)


def test_approximation_error_lights_up_as_the_network_is_called_fine(shipped):
    _, flashes, cues, frame = dry_run(UniversalApproximation)
    ok = {c["name"]: c for c in approximation.compute(shipped).cases}["ok"]
    lit_at(flashes, f"RMS error {fmt(ok['rmse_inside'])}", reached(cues, "With enough training", "network is"), frame)


@pytest.mark.parametrize("which", ["shipped", "alt"])
def test_approximation_answers_its_question_and_says_what_its_range_note_shows(which, request, use_config):
    """The question is answered on screen and aloud; problem #2's note says what the voice says (the training
    data's range, not "the function is only defined there"), and the voice says the wider curve is the same f."""
    cfg = request.getfixturevalue("shipped") if which == "shipped" else use_config(ALT_NETWORKS)
    a = approximation.compute(cfg)
    shown = shared_dry_run(UniversalApproximation)
    said = " ".join(text for _, _, text in shown.captions)
    assert "No: the network is fine, the data are the problem" in said
    assert "No: the network is fine, the data are the problem" in shown.pauses[1]
    (lo, hi), (wide_lo, wide_hi) = a.train_range, a.eval_range
    assert f"the training data cover only this range, from {fmt(lo)} to {fmt(hi)}." in said
    assert f"the same function as before, now drawn from {fmt(wide_lo)} to {fmt(wide_hi)}." in said
    notes = {" ".join(t.split()) for t in shown.pauses[4]}
    assert "training data only in this range" in notes and "function only defined in this range" not in notes
    # the drawn "Actual" of both plots is one function: the wide plot's values where the narrow one's x's are
    narrow, wide = ({c["name"]: c for c in a.cases}[k] for k in ("ok", "outside_range"))
    assert np.allclose(np.interp(narrow["x"], wide["x"], wide["actual"]), narrow["actual"], atol=0.05)
