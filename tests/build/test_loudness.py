"""Every output that speaks is as loud as the speech: within 1 LU of -16 LUFS, true peak at most -1 dBTP.

The scene videos here carry what manim writes for a narrated scene: the mono speech (at -16 LUFS,
peaks at -1 dBFS, as scenes/voice.py leaves each sentence) as two equal AAC channels, each 3 dB down
(a real render's channels peak at 0.655 for sentences peaking at 0.891). The lecture, the slide
videos and the clips made from them are measured as a listener's player gets them: decoded, BS.1770
integrated loudness (pyloudnorm) and the peak of the signal oversampled 4x (true peak).
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample_poly

from scenes import voice
from scenes.pipeline import audio, clips, joiner, slide_audio
from tests.build.test_audio_outputs import make_scene, slide_videos

TARGET = -16.0  # LUFS, the lecture's loudness target
TOLERANCE = 1.0  # LU
MAX_TRUE_PEAK = -1.0  # dBTP
RATE = 48_000  # what manim writes


def speech_like(seconds: float, seed: int) -> np.ndarray:
    """Voiced syllables (a 120-180 Hz buzz with its harmonics, 3-5 a second) with pauses, at the sentence
    loudness and peak the voice writes."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * RATE)) / RATE
    pitch = 150 + 30 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    buzz = sum(np.sin(k * phase) / k for k in range(1, 25))
    syllables = np.clip(np.sin(2 * np.pi * rng.uniform(3, 5) * t), 0, None) ** 2
    words = (np.sin(2 * np.pi * 0.4 * t + rng.uniform(0, 6)) > -0.3)  # a pause every 2.5 s
    wave = buzz * syllables * words + 1e-3 * rng.standard_normal(t.size)
    return voice.normalise(wave / np.abs(wave).max(), RATE)


def narrated_scene(path: Path, speech: np.ndarray, fps: int = 15) -> Path:
    """A grey video whose AAC track is ``speech`` as manim writes it: two channels, each 3 dB down."""
    seconds = speech.size / RATE
    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = 160, 90, "yuv420p"
        sound = out.add_stream("aac", rate=RATE, layout="stereo")
        stereo = np.repeat(speech[None] / np.sqrt(2), 2, axis=0).astype(np.float32)
        frame = av.AudioFrame.from_ndarray(stereo, format="fltp", layout="stereo")
        frame.sample_rate, frame.pts, frame.time_base = RATE, 0, Fraction(1, RATE)
        out.mux(sound.encode(frame))
        out.mux(sound.encode(None))
        for i in range(round(seconds * fps)):
            picture = av.VideoFrame.from_ndarray(np.full((90, 160, 3), 80 + i % 50, np.uint8), format="rgb24")
            picture = picture.reformat(format="yuv420p")
            picture.pts, picture.time_base = i, Fraction(1, fps)
            out.mux(video.encode(picture))
        out.mux(video.encode(None))
    return path


def decoded(path: Path) -> tuple[np.ndarray, int]:
    """The first audio track as float samples (channels, n) and its rate, whatever the codec's sample format."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate, layout = stream.codec_context.sample_rate, stream.codec_context.layout.name
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=rate)
        chunks = [g.to_ndarray() for f in container.decode(stream) for g in resampler.resample(f)]
        chunks += [g.to_ndarray() for g in resampler.resample(None)]
    return np.concatenate(chunks, axis=1).astype(np.float64), rate


def loudness_and_true_peak(path: Path) -> tuple[float, float]:
    x, rate = decoded(path)
    lufs = pyloudnorm.Meter(rate).integrated_loudness(x.T)
    true_peak = max(np.abs(resample_poly(channel, 4, 1)).max() for channel in x)
    return float(lufs), float(20 * np.log10(true_peak))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """What a build makes of two narrated scenes and a silent one: the lecture, slide videos, clips."""
    tmp = tmp_path_factory.mktemp("loudness")
    first = narrated_scene(tmp / "First.mp4", speech_like(6.0, 1))
    silent = make_scene(tmp / "Silent.mp4", None, 2.0)
    second = narrated_scene(tmp / "Second.mp4", speech_like(4.0, 2))
    made = {"lecture.mp4": tmp / "lecture.mp4"}
    joiner.join([("First", first), ("Silent", silent), ("Second", second)], made["lecture.mp4"])
    narrated = slide_audio.narrate(slide_videos(tmp, first, [2.0, 4.0]), first, tmp / "slides" / "narrated")
    slides = clips.slide_files(narrated)
    made |= {f"slide {i}": f for i, f in enumerate(slides)}
    entries = clips.export_scene("First", slides, [["one"], ["two"]], ["mp4", "webm", "mov"], tmp / "clips" / "First",
                                 "k")
    made |= {e["file"]: tmp / "clips" / e["file"] for e in entries}
    return {name: loudness_and_true_peak(path) for name, path in made.items()}


def test_the_scene_video_made_here_is_at_the_target(tmp_path):
    """The premise: the stand-in for manim's video measures as a narrated scene does."""
    lufs, true_peak = loudness_and_true_peak(narrated_scene(tmp_path / "S.mp4", speech_like(4.0, 3)))
    assert abs(lufs - TARGET) <= 0.5 and true_peak <= MAX_TRUE_PEAK, (lufs, true_peak)


def test_every_output_is_at_the_target_loudness(outputs):
    assert len(outputs) == 1 + 2 + 6
    off = {name: round(lufs, 2) for name, (lufs, _) in outputs.items() if abs(lufs - TARGET) > TOLERANCE}
    assert not off, f"outside {TARGET} +- {TOLERANCE} LUFS: {off}"


def test_no_output_peaks_above_minus_one_dbtp(outputs):
    over = {name: round(peak, 2) for name, (_, peak) in outputs.items() if peak > MAX_TRUE_PEAK}
    assert not over, f"true peak above {MAX_TRUE_PEAK} dBTP: {over}"


def test_a_mono_sound_on_a_stereo_track_keeps_its_loudness():
    """A silent scene's mono silence, or a mono clip, joined with stereo speech: the channels change, the level not."""
    mono = speech_like(3.0, 4)[None]
    stereo = audio.remix(mono, 2)
    meter = pyloudnorm.Meter(RATE)
    assert stereo.shape == (2, mono.shape[1])
    assert meter.integrated_loudness(stereo.T) == pytest.approx(meter.integrated_loudness(mono[0]), abs=0.01)
    assert np.allclose(audio.remix(stereo, 1), mono)
