"""Workers encode with a short libx264 look-ahead (its buffers were most of a worker's memory at -qh)."""
from __future__ import annotations

import subprocess

import pytest

from scenes.pipeline import render

from .common import LECTURE, REPO


@pytest.mark.slow
def test_rendered_video_was_encoded_with_the_short_lookahead(tmp_path):
    media = tmp_path / "media"
    done = subprocess.run([*LECTURE, "render", "TitleCard", "-q", "l", "--jobs", "1", "--media-dir", str(media)],
                          cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    (video,) = media.rglob("TitleCard.mp4")
    # libx264 writes its settings into the stream (an SEI message), and the join copies packets.
    stream = video.read_bytes()
    wanted = render.X264_PARAMS.replace("rc-lookahead", "rc_lookahead").encode()
    is_x264, has_lookahead = b"x264 - core" in stream, wanted in stream
    assert is_x264, "not a libx264 stream"
    assert has_lookahead, "the video was encoded with libx264's default look-ahead"
