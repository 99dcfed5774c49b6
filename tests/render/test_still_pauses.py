"""Rule 1 on rendered slides: every slide's video ends on a still, finished picture (its last two frames match).

manim's last frame of an animation is drawn one step before the animation's end, so a pause right
after one froze it half done (43 of 109 clips, before LectureScene.settle()). Two frames of one
picture still differ by libx264's noise; the tolerance is set from measured clips:

- after settle(): at most 72 pixels differ by more than 16 levels (max difference 18-49 levels);
- frozen mid-animation: 573-855 pixels over 16 levels (max 155).

So a clip ends still when at most STILL_PIXELS pixels differ by more than 16 levels.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import av
import numpy as np
import pytest

from scenes.pipeline.clips import slide_files

from .common import LECTURE, REPO, media_folder

NOISE = 16  # levels of 255: what libx264 moves a still pixel by
STILL_PIXELS = 200  # pixels over NOISE: noise stays under 72, a moving picture is over 570
#: A scene whose clip once ended mid-animation when its last play was shorter than two frames (before settle()
#: waited for two; GradientDescentUpdate's too), with 6 pauses; every scene pauses through LectureScene.next_slide.
SCENES = ["BackwardPass"]


def last_two(path: Path) -> tuple[np.ndarray, np.ndarray]:
    before = last = None
    with av.open(str(path)) as c:
        for frame in c.decode(c.streams.video[0]):
            before, last = last, frame
    assert before is not None, f"{path}: fewer than two frames"
    return before.to_ndarray(format="rgb24").astype(int), last.to_ndarray(format="rgb24").astype(int)


def moving_pixels(path: Path) -> int:
    """How many pixels of the clip's last frame differ from the frame before by more than the codec's noise."""
    a, b = last_two(path)
    return int((np.abs(a - b).max(axis=2) > NOISE).sum())


TINY = """
from manim import DOWN, Text, Write, tempconfig
from scenes.base import LectureScene, beat

class TinyPause(LectureScene):
    def construct(self):
        self.write_words()
        self.next_slide()
        self.write_more()

    @beat
    def write_words(self):
        self.play(Write(Text("Repeat the above several times", font_size=40)), run_time=1)

    @beat
    def write_more(self):
        self.play(Write(Text("and again", font_size=40).shift(2 * DOWN)), run_time=1)

if {unsettled}:
    LectureScene.settle = lambda self: None  # the code before the fix: pause on the animation's last frame
with tempconfig({{"quality": "low_quality", "media_dir": {media!r}, "progress_bar": "none", "verbosity": "ERROR"}}):
    TinyPause().render()
"""


def render_tiny(tmp_path: Path, unsettled: bool) -> list[Path]:
    media = tmp_path / ("unsettled" if unsettled else "settled")
    script = tmp_path / f"tiny_{unsettled}.py"
    script.write_text(textwrap.dedent(TINY.format(unsettled=unsettled, media=str(media))))
    done = subprocess.run([sys.executable, str(script)], cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr[-2000:]
    (index,) = media.rglob("TinyPause.json")
    return slide_files(index)


@pytest.mark.slow
def test_the_check_sees_a_pause_frozen_mid_animation(tmp_path):
    """Without settle() the first slide's clip ends one frame before Write finishes: the check must say so."""
    frozen = render_tiny(tmp_path, unsettled=True)
    still = render_tiny(tmp_path, unsettled=False)
    assert moving_pixels(frozen[0]) > STILL_PIXELS
    assert all(moving_pixels(clip) <= STILL_PIXELS for clip in still)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """The scenes' slide videos, as a build cuts its clips from them."""
    media = media_folder(tmp_path_factory.mktemp("still") / "media")
    done = subprocess.run([*LECTURE, "render", *SCENES, "-q", "l", "--media-dir", str(media), "--jobs", "1"],
                          cwd=REPO, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    return media


@pytest.mark.slow
@pytest.mark.parametrize("scene", SCENES)
def test_every_slide_ends_on_a_still_picture(rendered, scene):
    (index,) = rendered.rglob(f"slides/*/{scene}.json")
    clips = slide_files(index)
    assert len(clips) >= 4, f"{scene}: only {len(clips)} clips"
    moving = {f"slide {k}": n for k, clip in enumerate(clips, 1) if (n := moving_pixels(clip)) > STILL_PIXELS}
    assert not moving, f"{scene}: slides ending mid-animation (pixels over {NOISE} levels): {moving}"
