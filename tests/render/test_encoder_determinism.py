"""The same frames give the same video bytes: the encoder settings every render uses are reproducible.

A build re-exports a scene's clips when its slide videos' bytes change, so an encoder whose output
depends on anything but its input frames re-exports scenes nothing changed in. On a CPU with
AVX-512, libx264's AVX-512 code for its macroblock tree (the default rate control) read uninitialised
heap memory on 854-pixel-wide frames (-ql): the same frames gave different bytes from one process to
the next (docs/ARCHITECTURE.md: same config, code and quality, same frames). glibc's MALLOC_PERTURB_
fills fresh heap memory with a chosen byte, which makes such a read show up every time, not now and then.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .common import REPO

#: A small scene (no TeX) rendered the way a render worker encodes: manim's partial movies with
#: the project's encoder patch and settings; prints the digest of the scene's video.
RENDER = """
import hashlib, sys
from pathlib import Path
from manim import BLUE, YELLOW, Dot, FunctionGraph, Scene, Text, tempconfig
from scenes import manim_patches

class Tiny(Scene):
    def construct(self):
        curve = FunctionGraph(lambda x: 0.3 * x * x - 1, x_range=[-3, 3], color=BLUE)
        dot = Dot(curve.point_from_proportion(0.1), color=YELLOW)
        self.add(curve, dot, Text("w = 1.823", font_size=30).to_corner())
        self.play(dot.animate.move_to(curve.point_from_proportion(0.6)), run_time=1)

manim_patches.short_encoder_lookahead()
with tempconfig({"quality": "low_quality", "media_dir": sys.argv[1], "progress_bar": "none",
                 "verbosity": "WARNING", **manim_patches.ENCODING}):
    scene = Tiny()
    scene.render()
    print(hashlib.sha256(Path(scene.renderer.file_writer.movie_file_path).read_bytes()).hexdigest())
"""


def _video_digest(media, perturb: int) -> str:
    env = {**os.environ, "MALLOC_PERTURB_": str(perturb)}
    done = subprocess.run([sys.executable, "-c", RENDER, str(media)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split()[-1]


@pytest.mark.slow
def test_same_frames_give_the_same_video_bytes_whatever_the_heap_held(tmp_path):
    digests = {p: _video_digest(tmp_path / f"perturb{p}", p) for p in (1, 77, 165)}
    assert len(set(digests.values())) == 1, f"one scene, three videos: {digests}"
