"""The speech of a scene as samples: read from its video, cut at a slide's start and end, written into a file.

A scene's video carries its narration (an AAC track); every output that plays it (the lecture,
the slide videos of the deck, the clips) gets its audio from here, through PyAV. A video
without an audio track is silent, and so is everything made from it: no audio stream at all
(the silent build, ``--voice none``, gives the same files as before). Only a lecture that
joins narrated and silent scenes fills the silent ones with silence, so its track is continuous.

Loudness: manim writes the mono speech as two equal channels, each 3 dB down, which BS.1770 measures
at the speech's own loudness (it sums the channels' power). Every output keeps those two channels:
averaging them into one gave a mono track 3 dB quieter (-19.3 LUFS for a -16 target). A track that
must change its number of channels does so at the same measured loudness (:func:`remix`).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

#: Audio encoder, fixed sample rate (None: the speech's own), bit rate per channel and options, per container.
#: mp4: AAC, what every player and browser plays; FFmpeg's "fast" coder encodes speech 3x faster
#: than its default (0.7 s per minute here) at no worse a signal-to-noise ratio. webm: Opus (WebM
#: allows Opus or Vorbis; Opus runs at 48 kHz only). mov: 16-bit PCM, lossless and without AAC's
#: encoder delay, for editors that take the qtrle clips.
ENCODERS = {
    "mp4": ("aac", None, 64_000, {"aac_coder": "fast"}),
    "webm": ("libopus", 48_000, 32_000, {}),
    "mov": ("pcm_s16le", None, None, {}),
}


@dataclass
class Sound:
    samples: np.ndarray  # float32, (channels, n)
    rate: int

    @property
    def channels(self) -> int:
        return self.samples.shape[0]

    @property
    def seconds(self) -> float:
        return self.samples.shape[1] / self.rate

    def cut(self, start: float, end: float) -> Sound:
        """The samples from ``start`` to ``end`` seconds, silence where the sound does not reach."""
        a, b = round(start * self.rate), round(end * self.rate)
        out = np.zeros((self.channels, max(0, b - a)), np.float32)
        lo, hi = max(a, 0), min(b, self.samples.shape[1])
        if hi > lo:
            out[:, lo - a:hi - a] = self.samples[:, lo:hi]
        return Sound(out, self.rate)

    @classmethod
    def silence(cls, seconds: float, rate: int, channels: int = 1) -> Sound:
        return cls(np.zeros((channels, round(seconds * rate)), np.float32), rate)


def layout(channels: int) -> str:
    return "mono" if channels == 1 else "stereo"


def probe(path: Path) -> tuple[int, int] | None:
    """Sample rate and channels of the audio in ``path``, or None if it has none."""
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        ctx = container.streams.audio[0].codec_context
        return ctx.sample_rate, min(2, len(ctx.layout.channels))


def read(path: Path, seconds: float | None = None) -> Sound | None:
    """The first audio track of ``path`` (from time 0, to ``seconds`` if given), or None if it has none."""
    found = probe(path)
    if found is None:
        return None
    rate, channels = found
    resampler = av.AudioResampler(format="fltp", layout=layout(channels), rate=rate)
    chunks, first = [], None
    with av.open(str(path)) as container:
        for frame in container.decode(container.streams.audio[0]):
            if first is None:
                first = frame.time or 0.0
            chunks += [f.to_ndarray() for f in resampler.resample(frame)]
    chunks += [f.to_ndarray() for f in resampler.resample(None)]
    samples = np.concatenate(chunks, axis=1).astype(np.float32) if chunks else np.zeros((channels, 0), np.float32)
    sound = Sound(samples, rate)
    start = -(first or 0.0)  # a track that starts late begins with silence
    return sound.cut(start, start + (sound.seconds if seconds is None else seconds))


def remix(samples: np.ndarray, channels: int) -> np.ndarray:
    """``samples`` (channels, n) as mono or stereo at the same BS.1770 loudness: one channel becomes two
    each 3 dB down; two become their sum 3 dB down (two equal channels give back the mono signal)."""
    if samples.shape[0] == channels:
        return samples
    if channels == 2:
        return np.repeat(samples[:1] / np.sqrt(2), 2, axis=0)
    return samples[:2].sum(axis=0, keepdims=True) / np.sqrt(2)


class Track:
    """One continuous audio stream in an output file: sounds written one after another, no gaps."""

    def __init__(self, container, fmt: str, rate: int, channels: int):
        codec, fixed_rate, bit_rate, options = ENCODERS[fmt]
        self.layout = layout(channels)
        self.stream = container.add_stream(codec, rate=fixed_rate or rate, layout=self.layout, options=options)
        if bit_rate:
            self.stream.bit_rate = bit_rate * channels
        self.container, self.rate, self.written = container, rate, 0  # samples at the input rate

    def write(self, sound: Sound) -> None:
        if sound.rate != self.rate:
            raise ValueError(f"a {sound.rate} Hz sound on a {self.rate} Hz track")
        samples = remix(sound.samples, len(av.AudioLayout(self.layout).channels))
        if not samples.shape[1]:
            return
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples, np.float32), format="fltp", layout=self.layout)
        frame.sample_rate, frame.pts, frame.time_base = self.rate, self.written, Fraction(1, self.rate)
        self.written += samples.shape[1]
        self.container.mux(self.stream.encode(frame))  # PyAV resamples to the encoder's rate and frame size

    def close(self) -> None:
        self.container.mux(self.stream.encode(None))


def resample(sound: Sound, rate: int) -> Sound:
    """``sound`` at another sample rate (scenes spoken at different rates joined into one track)."""
    if sound.rate == rate:
        return sound
    resampler = av.AudioResampler(format="fltp", layout=layout(sound.channels), rate=rate)
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(sound.samples), format="fltp",
                                       layout=layout(sound.channels))
    frame.sample_rate = sound.rate
    chunks = [f.to_ndarray() for f in resampler.resample(frame) + resampler.resample(None)]
    samples = np.concatenate(chunks, axis=1) if chunks else np.zeros((sound.channels, 0), np.float32)
    return Sound(samples, rate).cut(0, sound.seconds)
