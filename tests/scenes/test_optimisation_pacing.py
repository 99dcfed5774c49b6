"""The optimisation part's pacing and words: no caption stays up over long silence, batch sizes are named as such.

Dry runs with the stand-in voice of test_narration (each sentence lasts 0.06 s a character): a beat's last
subtitle stays up until the beat ends, so the silence after its speech is how long a caption hangs unspoken.
"""
from __future__ import annotations

import pytest

from .harness import shared_dry_run
from .test_narration import narrate, stand_in_voice  # noqa: F401 (a fixture)

pytestmark = pytest.mark.slow

MOST_SILENCE = 5.0  # seconds a caption may stay up after its words were spoken
SCENES = ["LocalMinima", "EscapingLocalMinima", "BatchCostSurfaces", "AdamOptimizer", "VanishingGradient"]


@pytest.mark.parametrize("name", SCENES)
def test_no_caption_stays_up_over_long_silence(name, shipped, stand_in_voice):  # noqa: F811
    _, scene = narrate(name)
    long = [(b["beat"], round(b["end"] - b["sentences"][-1][1], 1)) for b in scene.speech_log
            if b["end"] - b["sentences"][-1][1] > MOST_SILENCE]
    assert not long, f"captions up over silence (beat, seconds): {long}"


def test_batch_descents_name_the_batch_size(shipped):
    from scenes.batch_surfaces import BatchCostSurfaces

    texts = shared_dry_run(BatchCostSurfaces).texts
    for size in (2, 3, 4):
        assert f"batch size {size}" in texts and f"batch {size}" not in texts
    assert "batch size 1 (SGD)" in texts and "batch size" in texts  # the range bars' axis, too
