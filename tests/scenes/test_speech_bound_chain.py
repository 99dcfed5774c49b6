"""Speech-bound beats in ForwardPass, BackwardPass and ComputeTree: each number appears as the voice says it.

Silent dry runs: a mark comes when a reader reaches its word (captions.reading_time of the text before it),
so the time a tagged number first stands on screen can be compared with the time its word is read.
"""
from __future__ import annotations

import pytest

from scenes import captions, narration, order

from .harness import recorded

pytestmark = pytest.mark.slow

FRAME = 1 / 15  # a frame at low quality
HELD = 2 * FRAME  # a hold ends in whole frames: a highlight that waits for its word starts within 1.5 frames


def first_seen(name: str, beat: str) -> tuple[dict[str, float], float, str, object, list[tuple[float, object]]]:
    """Scene ``name`` from the worker's dry run (harness.recorded): when each tagged field first stood on screen
    after a play, when ``beat`` started, the beat's caption as filled (with its marks), the scene, and the
    (start time, mobject) of every highlight."""
    recording = recorded(order.load(name))
    scene = recording.scene
    assert scene.camera.frame_rate == 1 / FRAME
    template = captions.load()[name][beat]
    return (recording.first_seen, recording.beat_starts[beat][0], narration.fill(template, scene.narration_values()),
            scene, recording.lit)


def read_at(start: float, text: str, mark: str) -> float:
    """When a reader starting ``text`` at ``start`` reaches the word after ``[[mark]]`` (by hand: sentence by
    sentence at the reading rate, as a silent beat times them)."""
    t = start
    for sentence in captions.sentences(text):
        if f"[[{mark}]]" in sentence:
            return t + captions.reading_time(sentence[:sentence.index(f"[[{mark}]]")])
        t += captions.reading_time(sentence)
    raise AssertionError(f"no [[{mark}]] in {text!r}")


@pytest.mark.parametrize("name", ["ForwardPass", "BackwardPass", "ComputeTree"])
def test_every_mark_the_scene_uses_is_in_the_shipped_captions(name, shipped):
    *_, scene, _ = first_seen(name, "show_equations" if name != "ComputeTree" else "show_code")
    assert not scene.missed_marks, f"{name} waits for marks its captions lack: {sorted(scene.missed_marks)}"


def test_forward_z1_and_h1_are_written_as_their_numbers_are_said(shipped):
    seen, start, text, _, _ = first_seen("ForwardPass", "put_in_numbers")
    assert seen["z[0]"] == pytest.approx(read_at(start, text, "z1"), abs=FRAME)
    assert seen["h[0]"] == pytest.approx(read_at(start, text, "h1"), abs=FRAME)
    # the layers after the first come while the voice lists the h values, not all before it
    assert seen["h[1]"] > read_at(start, text, "h1") + 1.0


def lit_at(lit, mobject) -> list[float]:
    return [t for t, m in lit if m is mobject]


def test_backward_each_factor_lights_up_as_the_voice_names_it(shipped):
    _, start, text, scene, lit = first_seen("BackwardPass", "earlier_layers")
    L = scene.r.layers
    weight = scene.diagram.weight_labels[L - 1]  # the first line down multiplies by the last weight
    assert any(t == pytest.approx(read_at(start, text, "weight"), abs=HELD) for t in lit_at(lit, weight))
    above = scene.z_lines[L - 1]  # the last layer's line: its result is the first factor
    assert any(t == pytest.approx(read_at(start, text, "first"), abs=HELD) for t in lit_at(lit, above[-1]))
    # the gradients listed at the end: each chip on the chain lights up as its number is said
    for k in range(1, L + 1):
        assert any(t == pytest.approx(read_at(start, text, f"gz{k}"), abs=HELD) for t in lit_at(lit, scene.chips[k]))


def test_backward_gives_the_slope_reason_piece_by_piece_as_it_is_said(shipped):
    """The shipped chain's z_L is positive under ReLU: z_L's equation lights up as the reason starts ("z3 is"), the
    note's "> 0" as "for every positive z" is said."""
    _, start, text, scene, lit = first_seen("BackwardPass", "last_layer")
    L = scene.r.layers
    assert scene.r.activation == "relu" and scene.r.z[-1] > 0
    assert any(t == pytest.approx(read_at(start, text, "why"), abs=HELD) for t in lit_at(lit, scene.eqs[L - 1]))
    sign = [(t, m) for t, m in lit if getattr(m, "tex_string", "") == "> 0"]
    assert any(t == pytest.approx(read_at(start, text, "every"), abs=HELD) for t, _ in sign), sign


def test_tree_leaf_values_land_and_output_arrives_as_each_is_said(shipped):
    seen, start, text, scene, lit = first_seen("ComputeTree", "forward_values")
    for k, leaf in enumerate(scene.g.leaves, start=1):
        assert seen[f"value[{leaf.id}]"] == pytest.approx(read_at(start, text, f"leaf{k}"), abs=FRAME), leaf.id
    out = scene.g.output.id
    assert seen[f"value[{out}]"] == pytest.approx(read_at(start, text, "out"), abs=FRAME)
    # and on the way down, the first node's local derivatives come with their words
    assert any(t > seen[f"value[{out}]"] for t, _ in lit)
