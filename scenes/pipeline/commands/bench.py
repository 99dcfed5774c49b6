"""``lecture bench``: render cost of every scene per video second, against the floor scene.

Each render runs in a fresh process (``manim render``, caching off), so a figure
includes manim's start-up, as a lecturer's single render would. Beside wall-clock
seconds it records the render's CPU seconds (its own and its children's): on a
shared two-core machine other load stretches wall time but hardly CPU time, so the
CPU ratio to the floor stays comparable between runs.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

from scenes import order


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _render_once(module: str, name: str, quality: str, media_dir: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and the video's length of one fresh-process render."""
    import importlib.util

    from scenes.pipeline.render import video_seconds

    source = importlib.util.find_spec(module).origin
    cmd = [sys.executable, "-m", "manim", "render", f"-q{quality}", "--disable_caching",
           "--media_dir", str(media_dir), "--progress_bar", "none", "-v", "WARNING", source, name]
    start, cpu_start = time.perf_counter(), _children_cpu()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu_start
    if proc.returncode != 0:
        raise click.ClickException(f"{name} failed to render at -q{quality}: {proc.stderr.strip().splitlines()[-1:]}")
    videos = sorted(media_dir.rglob(f"videos/**/{name}.mp4"))
    return seconds, cpu, video_seconds(videos[-1])


def _lecture_runs(quality: str, tmp: Path, console, names: list[str]) -> dict:
    """The lecture (``names``): cold with 1 and 2 workers, a re-run with nothing changed, one after a config edit."""
    import os
    import shutil

    from mathcore import config as lecture_config
    from scenes.pipeline.render import render_lecture

    def timed(media: Path, jobs: int, **kw) -> tuple[float, list]:
        start = time.perf_counter()
        results = render_lecture(names, quality, media, console, jobs=jobs, **kw)
        failed = [r.scene for r in results if not r.ok]
        if failed:
            raise click.ClickException(f"bench: {', '.join(failed)} failed to render at -q{quality}")
        return time.perf_counter() - start, results

    figures: dict = {"quality": quality}
    for jobs in (1, 2):
        console.print(f"bench: whole lecture, cold, --jobs {jobs}, -q{quality} ...")
        seconds, results = timed(tmp / f"lecture-j{jobs}", jobs)
        video = sum(r.video_seconds for r in results)
        figures[f"cold_jobs{jobs}_s"] = round(seconds, 1)
        figures[f"cold_jobs{jobs}_s_per_video_s"] = round(seconds / video, 3)
        figures[f"peak_mb_per_worker_jobs{jobs}"] = round(max(r.peak_mb for r in results))
        figures["video_s"] = round(video, 1)
    figures["speed_up_jobs2"] = round(figures["cold_jobs1_s"] / figures["cold_jobs2_s"], 2)
    console.print("bench: re-run with nothing changed ...")
    seconds, results = timed(tmp / "lecture-j2", 2)
    figures["warm_rerun_s"] = round(seconds, 2)
    figures["warm_rerun_share_of_cold"] = round(seconds / figures["cold_jobs2_s"], 4)
    edited = tmp / "edited"
    edited.mkdir(exist_ok=True)
    from scenes import captions

    shutil.copy(captions.captions_path(), edited / "captions.toml")
    chain = lecture_config.load().chain
    (edited / "lecture.toml").write_text(f"[chain]\nx = {chain.x + 0.5!r}\n")  # one value of one section
    old = os.environ.get(lecture_config.ENV_VAR)
    os.environ[lecture_config.ENV_VAR] = str(edited / "lecture.toml")
    try:
        console.print("bench: re-run after editing \\[chain] x ...")
        seconds, results = timed(tmp / "lecture-j2", 2)
    finally:
        os.environ.pop(lecture_config.ENV_VAR) if old is None else os.environ.__setitem__(lecture_config.ENV_VAR, old)
    figures["edit_rerun_s"] = round(seconds, 1)
    figures["edit_rerun_scenes"] = [r.scene for r in results if r.status == "rendered"]
    return figures


def _build_runs(quality: str, tmp: Path, console, names: list[str]) -> dict:
    """``lecture build`` of ``names`` as a lecturer runs it (a fresh process each): cold, again with nothing
    changed, after editing ``[chain] x``, and again with nothing changed. Silent, so speech does not count."""
    import os
    import shutil

    from mathcore import config as lecture_config
    from scenes import captions

    media, out = tmp / "build-media", tmp / "build-out"
    edited = tmp / "build-edited"
    edited.mkdir(exist_ok=True)
    shutil.copy(captions.captions_path(), edited / "captions.toml")
    chain = lecture_config.load().chain
    (edited / "lecture.toml").write_text(f"[chain]\nx = {chain.x + 0.5!r}\n")
    base = [sys.executable, "-m", "scenes", "build", "--scenes", ",".join(names), "-q", quality, "--format", "mp4,png",
            "--out", str(out), "--media-dir", str(media)]

    def timed(what: str, *extra: str) -> float:
        console.print(f"bench: lecture build -q{quality}, {what} ...")
        start = time.perf_counter()
        done = subprocess.run([*base, *extra], capture_output=True, text=True,
                              env={**os.environ, "LECTURE_VOICE": "none"})
        if done.returncode != 0:
            raise click.ClickException(f"bench: lecture build failed: {done.stderr.strip().splitlines()[-1:]}")
        return time.perf_counter() - start

    figures: dict = {"build_quality": quality, "build_cold_s": round(timed("cold"), 1)}
    figures["build_nochange_s"] = round(timed("nothing changed"), 2)
    figures["build_nochange_share_of_cold"] = round(figures["build_nochange_s"] / figures["build_cold_s"], 4)
    config = ("--config", str(edited / "lecture.toml"))
    figures["build_chain_x_edit_s"] = round(timed("after editing [chain] x", *config), 1)
    figures["build_nochange_after_edit_s"] = round(timed("nothing changed since the edit", *config), 2)
    return figures


LECTURE_TARGETS = {  # issue 7's targets, checked in the report
    "whole lecture vs floor (s per video s, --jobs 1)": ("cold_jobs1_ratio_to_floor", "<=", 1.3),
    "--jobs 2 speed-up over --jobs 1": ("speed_up_jobs2", ">=", 1.35),
    "no-change re-run, share of the cold run": ("warm_rerun_share_of_cold", "<", 0.05),
    "peak memory per worker (MB)": ("peak_mb_per_worker_jobs2", "<", 1536),
    # issue 14: a build redoes only what changed
    "no-change build (s)": ("build_nochange_s", "<", 2.0),
    "no-change build, share of the cold build": ("build_nochange_share_of_cold", "<", 0.05),
    "build after editing [chain] x (s)": ("build_chain_x_edit_s", "<", 15.0),
}


@click.command()
@click.argument("scenes", nargs=-1)
@click.option("--quality", "qualities", default="l,h", show_default=True, help="Comma-separated qualities to measure.")
@click.option("--lecture", "lecture_quality", default="h", show_default=True, metavar="Q",
              help="Quality of the whole-lecture runs (jobs 1 and 2, warm, one edit); 'none' skips them.")
@click.option("--floor-only", is_flag=True,
              help="Per quality, render only the floor scene (for the lecture runs' ratio).")
@click.option("--build", "build_quality", default="l", show_default=True, metavar="Q",
              help="Quality of the `lecture build` runs (cold, no change, one edit); 'none' skips them.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False), default=None, help="Also write the figures here.")
def bench(scenes, qualities, lecture_quality, floor_only, build_quality, json_file):
    """Per scene: seconds per video second and the ratio to the floor. Whole lecture: cold, parallel, warm, edited."""
    from rich.console import Console
    from rich.table import Table

    names = list(scenes) or order.names()
    for name in names:
        if name not in order.names():
            raise click.BadParameter(f"unknown scene {name!r}", param_hint="SCENE")
    if lecture_quality != "none" and lecture_quality not in order.QUALITIES:
        raise click.BadParameter(f"{lecture_quality!r}: expected one of {', '.join(order.QUALITIES)} or none",
                                 param_hint="--lecture")
    qualities = [q for q in qualities.split(",") if q]
    if lecture_quality != "none" and lecture_quality not in qualities:
        qualities.append(lecture_quality)  # the floor at that quality is the yardstick
    rows = []
    console = Console(stderr=True)
    lecture = None
    with tempfile.TemporaryDirectory(prefix="lecture-bench-") as tmp:
        floor_module, floor_name = order.FLOOR
        console.print("bench: warming up (the first render of a run also fills font and TeX caches) ...")
        _render_once(floor_module, floor_name, qualities[0], Path(tmp) / "warm-up")
        for quality in qualities:
            measured = [] if floor_only else [(order.module_of(n), n) for n in names]
            for module, name in [(floor_module, floor_name), *measured]:
                console.print(f"bench: {name} at -q{quality} ...")
                seconds, cpu, length = _render_once(module, name, quality, Path(tmp) / f"{quality}-{name}")
                rows.append({"scene": name, "quality": quality, "render_s": round(seconds, 2),
                             "video_s": round(length, 2), "s_per_video_s": round(seconds / length, 3),
                             "cpu_s": round(cpu, 2), "cpu_per_video_s": round(cpu / length, 3)})
        if lecture_quality != "none":
            lecture = _lecture_runs(lecture_quality, Path(tmp), console, names)
        if build_quality != "none":
            lecture = (lecture or {"quality": lecture_quality}) | _build_runs(build_quality, Path(tmp), console, names)
    for row in rows:
        floor = next(r for r in rows if r["scene"] == order.FLOOR[1] and r["quality"] == row["quality"])
        row["ratio_to_floor"] = round(row["s_per_video_s"] / floor["s_per_video_s"], 2)
        row["cpu_ratio_to_floor"] = round(row["cpu_per_video_s"] / floor["cpu_per_video_s"], 2)
    # JSON key -> a header short enough for an 80-column log
    columns = {"scene": "scene", "quality": "q", "render_s": "wall s", "video_s": "video s",
               "s_per_video_s": "wall/video", "ratio_to_floor": "×floor", "cpu_s": "CPU s",
               "cpu_per_video_s": "CPU/video", "cpu_ratio_to_floor": "CPU ×floor"}
    table = Table(title="lecture bench (fresh process per render, caching off)")
    for header in columns.values():
        table.add_column(header, justify="right")
    for row in rows:
        table.add_row(*(str(row[c]) for c in columns))
    Console(width=max(Console().width, 120)).print(table)  # whole scene names in a log
    out = {"scenes": rows}
    if lecture:
        if "cold_jobs1_s" in lecture:  # the render runs (not with --lecture none)
            floor = next(r for r in rows if r["scene"] == order.FLOOR[1] and r["quality"] == lecture["quality"])
            for jobs in (1, 2):
                lecture[f"cold_jobs{jobs}_ratio_to_floor"] = round(lecture[f"cold_jobs{jobs}_s_per_video_s"]
                                                                   / floor["s_per_video_s"], 2)
        runs = [f"render -q{lecture['quality']} ({lecture['video_s']} s of video)"] if "video_s" in lecture else []
        runs += [f"build -q{lecture['build_quality']}"] if "build_quality" in lecture else []
        summary = Table(title=f"whole lecture: {', '.join(runs)}")
        for col in ("figure", "value", "target", "met"):
            summary.add_column(col)
        for key, value in lecture.items():
            if key == "quality":
                continue
            target = next(((op, limit) for _, (k, op, limit) in LECTURE_TARGETS.items() if k == key), None)
            met = "" if target is None else ("yes" if _meets(value, *target) else "NO")
            summary.add_row(key, str(value), f"{target[0]} {target[1]}" if target else "", met)
        Console().print(summary)
        out["lecture"] = lecture
    if json_file:
        Path(json_file).write_text(json.dumps(out, indent=2))


def _meets(value: float, op: str, limit: float) -> bool:
    return {"<=": value <= limit, ">=": value >= limit, "<": value < limit}[op]
