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


def render_scene(name: str, quality: str = "l", media_dir: str | Path = "media", on_play=None,
                 transparent: bool = False) -> RenderResult:
    """Render one scene to its mp4; a failure is reported, not raised."""
    start = time.perf_counter()
    # manim-slides logs each slide file it writes, twice; the summary table says where things went.
    logging.getLogger("manim-slides").setLevel(logging.WARNING)
    settings = {
        "quality": QUALITIES[quality],
        "media_dir": str(media_dir),
        "progress_bar": "none",
        "verbosity": "WARNING",
        "transparent": transparent,  # manim then writes .mov (qtrle with alpha)
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



def render_many(names: list[str], quality: str, media_dir: str | Path, console,
                transparent: bool = False) -> list[RenderResult]:
    """Render scenes one after another under one rich progress display; a line per scene as it ends."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    results = []
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               TextColumn("{task.completed}/{task.total} scenes"), TextColumn("{task.fields[plays]} animations"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("", total=len(names), plays=0)
        for name in names:
            progress.update(task, description=f"rendering {name}" + (" (transparent)" if transparent else ""), plays=0)
            result = render_scene(name, quality, media_dir,
                                  on_play=lambda: progress.update(task, plays=progress.tasks[0].fields["plays"] + 1),
                                  transparent=transparent)
            results.append(result)
            progress.advance(task)
            mark = "[green]ok[/]" if result.status == "ok" else f"[red]failed[/]: {result.error}"
            console.print(f"{name}: {mark} ({result.seconds:.1f} s)")
    return results
