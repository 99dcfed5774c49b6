"""Join scene videos into one file without re-encoding the video (PyAV remux), with a chapter per scene,
their speech as one audio track and their captions as a subtitle track."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from mathcore.output import atomic_path
from scenes.pipeline import audio, transcript


@dataclass
class Chapter:
    title: str
    start: float  # seconds
    end: float


def stream_signature(path: Path) -> tuple:
    """What must agree for packets of two files to be joined as they are."""
    with av.open(str(path)) as container:
        s = container.streams.video[0]
        return s.codec_context.name, s.width, s.height, s.codec_context.pix_fmt


def length(path: Path) -> float:
    """Seconds of video in ``path``: the end of its last packet."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        end = max((p.pts + p.duration for p in container.demux(stream) if p.pts is not None), default=0)
        return float(end * stream.time_base)


MS = Fraction(1, 1000)
#: The style mov_text takes its font, size and colours from (FFmpeg's default ASS header).
ASS_HEADER = b"""[Script Info]
ScriptType: v4.00+
PlayResX: 384
PlayResY: 288

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, \
Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, \
MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
"""


def cues_of(path: Path | None) -> list[tuple[float, float, bytes]]:
    """The cues of an .srt as (start, end, ASS dialogue), which the mov_text encoder takes.

    The text goes in as it is (FFmpeg's srt decoder would drop anything between < and > as markup);
    only a line break is written the ASS way.
    """
    cues = []
    for i, cue in enumerate(transcript.read(path) if path is not None else []):
        text = cue.content.replace("\r\n", "\n").replace("\n", "\\N")
        cues.append((cue.start.total_seconds(), cue.end.total_seconds(), f"{i},0,Default,,0,0,0,,{text}".encode()))
    return cues


@dataclass
class Part:
    title: str
    video: Path
    sound: audio.Sound | None = None  # silence of the video's length when the output has audio
    captions: Path | None = None
    seconds: float | None = None  # the video's length if known (else read from the file)


def remux(parts: list[Part], out: Path, chapters: bool = False, faststart: bool = False) -> list[Chapter]:
    """Copy the video packets of ``parts`` one after another into ``out`` (mp4 or mov), with their sounds
    as one continuous audio track and their captions as a subtitle track (mov_text); return where each part lies."""
    signatures = {stream_signature(p.video) for p in parts}
    if len(signatures) > 1:
        raise ValueError(f"the videos differ in codec or size and cannot be joined as they are: {sorted(signatures)}")
    fmt = out.suffix[1:]
    sounds = [p.sound for p in parts if p.sound is not None]
    if len({s.rate for s in sounds}) > 1:
        sounds = [audio.resample(s, sounds[0].rate) for s in sounds]
        parts = [Part(p.title, p.video, p.sound and audio.resample(p.sound, sounds[0].rate), p.captions, p.seconds)
                 for p in parts]
    texts = [cues_of(p.captions) for p in parts]
    placed: list[Chapter] = []
    # +faststart: the index first, so a browser plays the file while it downloads
    options = {"movflags": "+faststart"} if faststart else {}
    with av.open(str(out), "w", format=fmt, options=options) as output:
        target = track = subtitles = None
        offset = Fraction(0)  # seconds
        for part, cues in zip(parts, texts):
            with av.open(str(part.video)) as container:
                stream = container.streams.video[0]
                if target is None:
                    target = output.add_stream_from_template(stream)
                    if sounds:
                        track = audio.Track(output, fmt, sounds[0].rate, max(s.channels for s in sounds))
                    if any(texts):
                        subtitles = output.add_stream("mov_text")
                        subtitles.codec_context.subtitle_header = ASS_HEADER
                        subtitles.codec_context.time_base = MS
                        subtitles.metadata["language"] = "eng"
                start = round(offset * track.rate) if track else 0
                seconds = part.seconds if part.seconds is not None else length(part.video)
                end_time = offset + Fraction(seconds).limit_denominator(10**6)
                if track:  # this part's sound, exactly to where its video ends, so the track stays in step
                    sound = part.sound or audio.Sound.silence(0, track.rate)
                    track.write(sound.cut(0, (round(end_time * track.rate) - start) / track.rate))
                for a, b, text in cues:
                    _subtitle(subtitles, text, offset + Fraction(a).limit_denominator(1000),
                              offset + Fraction(b).limit_denominator(1000), output)
                shift = int(offset / target.time_base)
                scale = stream.time_base / target.time_base
                end = offset
                for packet in container.demux(stream):
                    if packet.dts is None:  # the flush packet at the end
                        continue
                    packet.pts = int(packet.pts * scale) + shift
                    packet.dts = int(packet.dts * scale) + shift
                    packet.duration = int(packet.duration * scale)
                    end = max(end, (packet.pts + packet.duration) * target.time_base)
                    packet.stream = target
                    output.mux(packet)
            placed.append(Chapter(part.title, float(offset), float(end)))
            offset = end
        if track:
            track.close()
        if chapters:
            output.set_chapters([
                {"id": i + 1, "start": round(c.start * 1000), "end": round(c.end * 1000),
                 "time_base": MS, "metadata": {"title": c.title}}
                for i, c in enumerate(placed)
            ])
    return placed


def _subtitle(stream, ass: bytes, start: Fraction, end: Fraction, output) -> None:
    cue = av.subtitles.subtitle.SubtitleSet.create(ass, 0, round((end - start) * 1000), pts=round(start * 1000))
    packet = stream.codec_context.encode_subtitle(cue)
    packet.stream, packet.time_base = stream, MS
    output.mux(packet)


def join(parts: list[tuple[str, Path]], out: Path, captions: list[Path] | None = None) -> list[Chapter]:
    """Write the videos ``parts`` [(title, path)] one after another to ``out``; return the chapters.

    Their audio (if any part has some; silence for the others) becomes one AAC track, and their
    captions (``.srt`` per part, if given) a subtitle track, so players show them without the .srt.
    """
    if not parts:
        raise ValueError("nothing to join")
    lengths = [length(path) for _, path in parts]
    pieces = [Part(title, path, audio.read(path, seconds), (captions or [None] * len(parts))[i], seconds)
              for i, ((title, path), seconds) in enumerate(zip(parts, lengths))]
    with atomic_path(out) as tmp:
        return remux(pieces, tmp, chapters=True, faststart=True)


def chapters_of(path: Path) -> list[Chapter]:
    """The chapters stored in a video file."""
    with av.open(str(path)) as container:
        return [Chapter(c["metadata"].get("title", ""), float(c["start"] * c["time_base"]),
                        float(c["end"] * c["time_base"])) for c in container.chapters()]
