"""The lecture's captions as one .srt: each scene's subcaptions shifted to where its video starts."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import srt

from scenes.pipeline.atomic import write_text


def read(path: Path) -> list[srt.Subtitle]:
    return list(srt.parse(path.read_text(encoding="utf-8"))) if path.exists() else []


def merge(parts: list[tuple[Path, float]], out: Path) -> list[srt.Subtitle]:
    """Write the captions of [(srt path, start second)] to ``out``, renumbered; return them."""
    merged = []
    for path, start in parts:
        shift = timedelta(seconds=start)
        merged += [srt.Subtitle(0, s.start + shift, s.end + shift, s.content) for s in read(path)]
    merged = list(srt.sort_and_reindex(merged))
    write_text(out, srt.compose(merged))
    return merged
