"""Render lecture scenes in this process, one after another, and say how it went."""
from __future__ import annotations

import logging
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from manim import tempconfig

from scenes import order
from scenes.keyframes import QUALITIES


@dataclass
class RenderResult:
    scene: str
    status: str  # ok or failed
    seconds: float
    video_seconds: float = 0.0
    path: Path | None = None
    error: str = ""
    animations: int = 0


def render_scene(name: str, quality: str = "l", media_dir: str | Path = "media", on_play=None) -> RenderResult:
    """Render one scene to its mp4; a failure is reported, not raised."""
    start = time.perf_counter()
    # manim-slides logs each slide file it writes, twice; the summary table says where things went.
    logging.getLogger("manim-slides").setLevel(logging.WARNING)
    settings = {
        "quality": QUALITIES[quality],
        "media_dir": str(media_dir),
        "progress_bar": "none",
        "verbosity": "WARNING",
    }
    try:
        cls = order.load(name)
        if on_play is not None:  # count animations for the progress display
            base_play = cls.play

            def play(self, *args, **kwargs):
                base_play(self, *args, **kwargs)
                on_play()

            cls = type(name, (cls,), {"play": play})
        with tempconfig(settings):
            scene = cls()
            scene.render()
            path = Path(scene.renderer.file_writer.movie_file_path)
            length = float(scene.renderer.time)
            plays = scene.renderer.num_plays
        return RenderResult(name, "ok", time.perf_counter() - start, length, path, animations=plays)
    except Exception as exc:  # one scene's failure must not stop the others
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()[-1]
        return RenderResult(name, "failed", time.perf_counter() - start, error=detail)


def video_seconds(path: Path) -> float:
    """Length of a video file, from its container (PyAV ships with manim)."""
    import av

    with av.open(str(path)) as container:
        return float(container.duration or 0) / 1_000_000

