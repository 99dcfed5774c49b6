"""The lecture's captions as one .srt (and WebVTT, for browsers): each scene's subcaptions shifted to where
its video starts."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import srt

from scenes.pipeline.atomic import write_text


def read(path: Path) -> list[srt.Subtitle]:
    return list(srt.parse(path.read_text(encoding="utf-8"))) if path.exists() else []


def cues(path: Path) -> list[tuple[float, float, str]]:
    """The captions of an .srt as [(start s, end s, text)] (the page's player and transcript read them)."""
    return [(s.start.total_seconds(), s.end.total_seconds(), s.content) for s in read(path)]


def merge(parts: list[tuple[Path, float]], out: Path) -> list[srt.Subtitle]:
    """Write the captions of [(srt path, start second)] to ``out``, renumbered; return them."""
    merged = []
    for path, start in parts:
        shift = timedelta(seconds=start)
        merged += [srt.Subtitle(0, s.start + shift, s.end + shift, s.content) for s in read(path)]
    merged = list(srt.sort_and_reindex(merged))
    write_text(out, srt.compose(merged))
    return merged


def _stamp(t: timedelta) -> str:
    ms = round(t.total_seconds() * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _escape(text: str) -> str:
    """Cue text as WebVTT reads it: & and < start markup, and a blank line would end the cue."""
    lines = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").splitlines()
    return "\n".join(line for line in lines if line.strip())


def write_vtt(cues: list[tuple[timedelta, timedelta, str]], out: Path) -> Path:
    """WebVTT of [(start, end, text)]: what a browser's <track> reads (it does not read .srt)."""
    blocks = [f"{_stamp(a)} --> {_stamp(b)}\n{_escape(text)}" for a, b, text in cues]
    return write_text(out, "WEBVTT\n\n" + "".join(block + "\n\n" for block in blocks))


def captions_vtt(subtitles: list[srt.Subtitle], out: Path) -> Path:
    """The lecture's captions (``merge``'s result) as WebVTT."""
    return write_vtt([(s.start, s.end, s.content) for s in subtitles], out)


def chapters_vtt(chapters: list[tuple[str, float, float]], out: Path) -> Path:
    """One cue per chapter (title, start s, end s): a <track kind="chapters">."""
    return write_vtt([(timedelta(seconds=a), timedelta(seconds=b), title) for title, a, b in chapters], out)
