"""``lecture bench``: render cost of every scene per video second, against the floor scene.

Each render runs in a fresh process (``manim render``, caching off), so a figure
includes manim's start-up, as a lecturer's single render would.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

from scenes import order


def _render_once(module: str, name: str, quality: str, media_dir: Path) -> tuple[float, float]:
    import importlib.util

    from scenes.render import video_seconds

    source = importlib.util.find_spec(module).origin
    cmd = [sys.executable, "-m", "manim", "render", f"-q{quality}", "--disable_caching",
           "--media_dir", str(media_dir), "--progress_bar", "none", "-v", "WARNING", source, name]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise click.ClickException(f"{name} failed to render at -q{quality}: {proc.stderr.strip().splitlines()[-1:]}")
    videos = sorted(media_dir.rglob(f"videos/**/{name}.mp4"))
    return seconds, video_seconds(videos[-1])


@click.command()
@click.argument("scenes", nargs=-1)
@click.option("--quality", "qualities", default="l,h", show_default=True, help="Comma-separated qualities to measure.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False), default=None, help="Also write the figures here.")
def bench(scenes, qualities, json_file):
    """Render the floor scene and each lecture scene; print seconds per video second and the ratio to the floor."""
    from rich.console import Console
    from rich.table import Table

    names = list(scenes) or order.names()
    for name in names:
        if name not in order.names():
            raise click.BadParameter(f"unknown scene {name!r}", param_hint="SCENE")
    rows = []
    console = Console(stderr=True)
    with tempfile.TemporaryDirectory(prefix="lecture-bench-") as tmp:
        for quality in qualities.split(","):
            floor_module, floor_name = order.FLOOR
            for module, name in [(floor_module, floor_name), *((order.module_of(n), n) for n in names)]:
                console.print(f"bench: {name} at -q{quality} ...")
                seconds, length = _render_once(module, name, quality, Path(tmp) / f"{quality}-{name}")
                rows.append({"scene": name, "quality": quality, "render_s": round(seconds, 2),
                             "video_s": round(length, 2), "s_per_video_s": round(seconds / length, 3)})
    for row in rows:
        floor = next(r for r in rows if r["scene"] == order.FLOOR[1] and r["quality"] == row["quality"])
        row["ratio_to_floor"] = round(row["s_per_video_s"] / floor["s_per_video_s"], 2)
    table = Table(title="lecture bench (fresh process per render, caching off)")
    for col in ("scene", "quality", "render_s", "video_s", "s_per_video_s", "ratio_to_floor"):
        table.add_column(col, justify="right")
    for row in rows:
        table.add_row(*(str(row[c]) for c in ("scene", "quality", "render_s", "video_s", "s_per_video_s", "ratio_to_floor")))
    Console().print(table)
    if json_file:
        Path(json_file).write_text(json.dumps(rows, indent=2))
