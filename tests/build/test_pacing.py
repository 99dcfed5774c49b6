"""`lecture pacing`'s figures on a video made here with a known rhythm: moving for 1 s, still for 4 s, while
a beat's voice talks 3.5 s past its last motion."""
from __future__ import annotations

import json

import av
import numpy as np
import pytest

from scenes.pipeline import pacing

FPS = 15


def make_video(path, moving: float, still: float) -> None:
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = 320, 180, "yuv420p"
        for k in range(int((moving + still) * FPS)):
            picture = np.full((180, 320, 3), 20, np.uint8)
            x = 10 + 4 * min(k, int(moving * FPS))  # a box that slides, then stops
            picture[60:120, x:x + 40] = 230
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def test_moving_share_longest_still_and_frozen_talk(tmp_path):
    video, log = tmp_path / "S.mp4", tmp_path / "S.speech.json"
    make_video(video, moving=1.0, still=4.0)
    log.write_text(json.dumps([{"beat": "slide_box", "start": 0.0, "end": 5.0,
                                "sentences": [[0.0, 2.0, "A box slides."], [2.2, 4.5, "Then it stays."]]}]))
    result = pacing.pace("S", video, log)
    assert result.seconds == pytest.approx(5.0, abs=1 / FPS)
    assert result.moving_share == pytest.approx(1 / 5, abs=2 / (5 * FPS))
    assert result.longest_still == pytest.approx(4.0, abs=2 / FPS)
    (beat,) = result.beats
    assert beat.last_motion == pytest.approx(1.0, abs=2 / FPS)
    assert beat.frozen_talk == pytest.approx(3.5, abs=2 / FPS)
    assert [b.beat for b in result.frozen_beats] == ["slide_box"]
    figures = pacing.summary([result])
    assert figures["frozen_beats"] == 1 and figures["longest_still_in"].startswith("S at")


def test_a_picture_that_keeps_moving_while_it_talks_is_not_frozen(tmp_path):
    video, log = tmp_path / "S.mp4", tmp_path / "S.speech.json"
    make_video(video, moving=4.6, still=0.4)
    log.write_text(json.dumps([{"beat": "b", "start": 0.0, "end": 5.0, "sentences": [[0.0, 4.5, "It slides."]]}]))
    result = pacing.pace("S", video, log)
    assert result.frozen_beats == [] and result.beats[0].frozen_talk == 0.0


def test_the_next_beats_first_motion_is_not_this_beats(tmp_path):
    """A beat ending at frame 33 is still after 1 s; the next beat moves from its first frame. The first beat's end,
    as manim's clock adds it up, is a hair past 33 frames: its picture is still frozen (the hair once took the next
    beat's first frame, and its motion, into it)."""
    video, log = tmp_path / "S.mp4", tmp_path / "S.speech.json"
    with av.open(str(video), "w") as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = 320, 180, "yuv420p"
        for k in range(int(3.2 * FPS)):
            picture = np.full((180, 320, 3), 20, np.uint8)
            x = 10 + 4 * min(k, FPS) + 4 * max(0, k - 32)  # slides 1 s, rests, slides again from frame 33
            picture[60:120, x:x + 40] = 230
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    end = (33 + 1e-10) / FPS  # manim's clock adds up with float noise: a beat ended at 655.0000000000043 frames
    log.write_text(json.dumps([{"beat": "a", "start": 0.0, "end": end, "sentences": [[0.0, 2.1, "It rests."]]},
                               {"beat": "b", "start": end, "end": 3.2, "sentences": [[2.2, 3.0, "It moves."]]}]))
    a, b = pacing.pace("S", video, log).beats
    assert a.last_motion == pytest.approx(1.0, abs=2 / FPS)
    assert a.frozen_talk == pytest.approx(1.1, abs=2 / FPS)
    assert b.last_motion >= 2.2
