"""Join scene videos into one file without re-encoding (PyAV remux), with a chapter per scene."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from mathcore.output import atomic_path


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


def join(parts: list[tuple[str, Path]], out: Path) -> list[Chapter]:
    """Write the videos ``parts`` [(title, path)] one after another to ``out``; return the chapters."""
    if not parts:
        raise ValueError("nothing to join")
    signatures = {stream_signature(p) for _, p in parts}
    if len(signatures) > 1:
        raise ValueError(f"the videos differ in codec or size and cannot be joined as they are: {sorted(signatures)}")
    chapters: list[Chapter] = []
    with atomic_path(out) as tmp:
        with av.open(str(tmp), "w", format="mp4") as output:
            target = None
            offset = Fraction(0)  # seconds
            for title, path in parts:
                with av.open(str(path)) as container:
                    stream = container.streams.video[0]
                    if target is None:
                        target = output.add_stream_from_template(stream)
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
                chapters.append(Chapter(title, float(offset), float(end)))
                offset = end
            output.set_chapters([
                {"id": i + 1, "start": round(c.start * 1000), "end": round(c.end * 1000),
                 "time_base": Fraction(1, 1000), "metadata": {"title": c.title}}
                for i, c in enumerate(chapters)
            ])
    return chapters


def chapters_of(path: Path) -> list[Chapter]:
    """The chapters stored in a video file."""
    with av.open(str(path)) as container:
        return [Chapter(c["metadata"].get("title", ""), float(c["start"] * c["time_base"]),
                        float(c["end"] * c["time_base"])) for c in container.chapters()]
