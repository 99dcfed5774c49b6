"""Render lecture scenes: in parallel worker processes, only when something changed, one failure at a time.

Each scene is a job for a ``concurrent.futures`` executor (local processes by default, a Dask
cluster's executor with ``--scheduler``). A job renders under a temporary file name and
renames on success, so a failed or interrupted render never leaves a video under its final
name. Workers share manim's TeX, text and SVG caches under a file lock (two processes compiling
into one ``media/Tex`` folder race, see DESIGN.md; so do two parsing the same SVG).
"""
from __future__ import annotations

import fcntl
import logging
import multiprocessing
import os
import resource
import time
import traceback
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from scenes import order, voice
from scenes.pipeline import incremental

#: Environment variables a worker needs from the caller (the config in use, the theme, the cache).
PASSED_ENV = ("LECTURE_CONFIG", "LECTURE_THEME", "LECTURE_BACKGROUND", "MATHCORE_CACHE")


@dataclass
class RenderResult:
    scene: str
    status: str  # rendered, up to date, failed or cancelled
    seconds: float = 0.0
    video_seconds: float = 0.0
    path: Path | None = None
    error: str = ""
    animations: int = 0
    log: Path | None = None
    reasons: list[str] = field(default_factory=list)
    peak_mb: float = 0.0
    worker: int = 0
    slides: Path | None = None  # manim-slides' JSON for the scene

    @property
    def ok(self) -> bool:
        return self.status in ("rendered", "up to date")


@dataclass
class Job:
    scene: str
    quality: str
    media_dir: str  # absolute
    transparent: bool = False
    env: dict = field(default_factory=dict)
    speech: dict = field(default_factory=dict)  # voice.Settings as a dict: how the scene speaks (empty: silent)


@contextmanager
def _locked(lock_file: Path):
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


#: The lock file of the media folder a worker renders into now (a Dask worker outlives one run).
_cache_lock: dict = {"path": None}


def _share_caches_safely(media_dir: Path) -> None:
    """Serialise manim's TeX compilation, text rendering and SVG parsing across processes.

    manim writes each parsed SVG to a fixed ``<hash>_.svg`` beside the cached one and deletes it
    after parsing, so two workers building the same MathTex at once lost the file (seen in the
    bench: ForwardPass and BackwardPass both typesetting the edited x).
    """
    from manim.mobject.svg import svg_mobject
    from manim.mobject.text import tex_mobject, text_mobject

    _cache_lock["path"] = media_dir / ".cache.lock"
    if getattr(tex_mobject.tex_to_svg_file, "_locked", False):
        return

    def wrap(fn):
        def locked(*args, **kwargs):  # none of the three calls another, so the lock never nests
            with _locked(_cache_lock["path"]):
                return fn(*args, **kwargs)

        locked._locked = True
        return locked

    tex_mobject.tex_to_svg_file = wrap(tex_mobject.tex_to_svg_file)
    for cls in (text_mobject.Text, text_mobject.MarkupText):
        cls._text2svg = wrap(cls._text2svg)
    svg_mobject.SVGMobject.generate_mobject = wrap(svg_mobject.SVGMobject.generate_mobject)


#: manim settings of every render. With one encoder in flight manim queues frames without bound
#: and a worker grew past 1.8 GB at -qh (frames waiting for libx264); two in flight use a bounded
#: queue, overlap encoding with drawing and took AdamOptimizer at -qh from 70.7 s, 1844 MB to
#: 59.2 s, 1229 MB. manim's own per-animation cache is off: the manifests decide per scene, and
#: hashing every play call cost GradientDescentUpdate 6 s of 71.
ENCODING = {"max_inflight_encoders": 2, "disable_caching": True}


#: libx264's look-ahead (40 frames by default) held ~370 MB per 1080p encoder: LocalMinima at -qh
#: peaked at 1320-1637 MB with it and at 945-963 MB with 10 frames, in the same time, its frames
#: 40-47 dB PSNR from the default's (flat colours need little look-ahead).
X264_PARAMS = "rc-lookahead=10"


def _short_encoder_lookahead() -> None:
    """Give every libx264 partial movie manim opens ``X264_PARAMS`` (once per worker).

    manim has no setting for encoder options; the codec opens at the first frame, so options set
    on the stream right after manim adds it still apply.
    """
    from manim.scene import scene_file_writer

    opener = scene_file_writer.SceneFileWriter.open_partial_movie_stream
    if getattr(opener, "_short_lookahead", False):
        return

    def open_stream(self, *args, **kwargs):
        opener(self, *args, **kwargs)
        codec = self._current_encode_job.stream.codec_context
        if codec.name == "libx264":
            codec.options = {**codec.options, "x264-params": X264_PARAMS}

    open_stream._short_lookahead = True
    scene_file_writer.SceneFileWriter.open_partial_movie_stream = open_stream


def run_job(job: Job) -> dict:
    """Render one scene (in a worker). Returns a plain dict; never raises for a scene's own error."""
    os.environ.update(job.env)
    for key in PASSED_ENV:
        if key not in job.env:
            os.environ.pop(key, None)
    from manim import tempconfig

    from mathcore import data as mathcore_data

    media_dir = Path(job.media_dir)
    log_file = media_dir / "logs" / f"{job.scene}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_file, mode="w")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    own = logging.getLogger("lecture.render")  # the traceback goes to the log file only
    own.propagate = False
    loggers = [logging.getLogger("manim"), logging.getLogger("manim-slides"), own]
    for lg in loggers:
        lg.addHandler(handler)
    logging.getLogger("manim-slides").setLevel(logging.WARNING)  # it logs every slide file twice
    start = time.perf_counter()
    out = {"scene": job.scene, "log": str(log_file), "worker": os.getpid()}
    try:
        _share_caches_safely(media_dir)
        voice.choose(job.speech)
        _short_encoder_lookahead()
        mathcore_data.READ.clear()
        settings = {"quality": order.QUALITIES[job.quality], "media_dir": str(media_dir), "progress_bar": "none",
                    "verbosity": "WARNING", "transparent": job.transparent, "no_latex_cleanup": True,
                    "output_file": f"{job.scene}.rendering", **ENCODING}
        with tempconfig(settings):
            from scenes.base import slides_folder

            scene = order.load(job.scene)()
            scene.render()
            slides = slides_folder() / f"{job.scene}.json"
            partial = Path(scene.renderer.file_writer.movie_file_path)
            length = float(scene.renderer.time)
            plays = scene.renderer.num_plays
        final = partial.with_name(f"{job.scene}{partial.suffix}")
        srt = partial.with_suffix(".srt")
        os.replace(partial, final)
        partial.with_suffix(".wav").unlink(missing_ok=True)  # manim converts its sound track to AAC, deletes that, keeps this
        if srt.exists():
            os.replace(srt, final.with_suffix(".srt"))
        else:
            final.with_suffix(".srt").unlink(missing_ok=True)
        out |= {"status": "rendered", "path": str(final), "slides": str(slides), "video_seconds": length, "animations": plays,
                "sections": sorted(scene.cfg.reads), "data": sorted(str(p) for p in mathcore_data.READ)}
    except Exception as exc:  # one scene's failure must not stop the others
        own.error("render failed:\n%s", traceback.format_exc())
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()[-1]
        out |= {"status": "failed", "error": detail}
    finally:
        for lg in loggers:
            lg.removeHandler(handler)
        handler.close()
    out["seconds"] = time.perf_counter() - start
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def render_scene(name: str, quality: str = "l", media_dir: str | Path = "media", transparent: bool = False,
                 speech: voice.Settings | None = None) -> RenderResult:
    """Render one scene in this process (no manifest, no pool): for tests and tools. Silent unless ``speech``."""
    out = run_job(Job(name, quality, str(Path(media_dir).resolve()), transparent, _env(),
                      speech=(speech or voice.Settings()).as_dict()))
    return _result(out)


def _env() -> dict:
    return {k: os.environ[k] for k in PASSED_ENV if k in os.environ}


def _result(out: dict, reasons: list[str] | None = None) -> RenderResult:
    return RenderResult(out["scene"], out["status"], out.get("seconds", 0.0), out.get("video_seconds", 0.0),
                        Path(out["path"]) if out.get("path") else None, out.get("error", ""),
                        out.get("animations", 0), Path(out["log"]) if out.get("log") else None, reasons or [],
                        out.get("peak_mb", 0.0), out.get("worker", 0),
                        Path(out["slides"]) if out.get("slides") else None)


def local_executor(jobs: int) -> Executor:
    # forkserver: workers start clean (no inherited torch threads), and faster than spawn.
    # One scene per worker process: memory is returned after each scene (one process rendering
    # all 18 grew past 2.7 GB at -qh) and no state carries over between scenes.
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("forkserver"),
                               max_tasks_per_child=1)


def expected_cost(decision: incremental.Decision) -> float:
    """Seconds a scene's render is expected to take: its last render's, else its captions' reading time
    (which follows the video's length). Longest first keeps a lone long scene from ending the run."""
    if decision.previous and decision.previous.get("seconds"):
        return float(decision.previous["seconds"])
    from scenes import captions

    return sum(captions.reading_time(t) for t in captions.load().get(decision.scene, {}).values())


def plan(names: list[str], quality: str, media_dir: Path, transparent: bool = False, force: bool = False):
    """One decision per scene: render it or not, and why."""
    from mathcore import config as lecture_config

    cfg = lecture_config.load()
    decisions = [incremental.decide(n, media_dir, quality, transparent, force, cfg) for n in names]
    for d in decisions:  # a scene that cannot draw this config says so now, in one line (exit 2)
        if d.render:
            order.load(d.scene).check_config(cfg)
    return decisions


def render_lecture(names: list[str], quality: str, media_dir: str | Path, console, jobs: int | None = None,
                   force: bool = False, transparent: bool = False, executor: Executor | None = None) -> list[RenderResult]:
    """Render what changed among ``names``, ``jobs`` at a time, with one progress display; results in order."""
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    media_dir = Path(media_dir).resolve()
    decisions = plan(names, quality, media_dir, transparent, force)
    results: dict[str, RenderResult] = {}
    for d in decisions:
        if not d.render:
            p = d.previous
            results[d.scene] = RenderResult(d.scene, "up to date", 0.0, p.get("video_seconds", 0.0), Path(p["video"]),
                                            reasons=d.reasons, slides=Path(p["slides"]))
    todo = [d for d in decisions if d.render]
    if todo:
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        own = executor is None
        executor = executor or local_executor(jobs)
        columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                   TextColumn("{task.completed}/{task.total} scenes"), TimeElapsedColumn())
        running: set[str] = set()
        try:
            with Progress(*columns, console=console, transient=True) as progress:
                task = progress.add_task("", total=len(todo))
                futures = {}
                for d in sorted(todo, key=expected_cost, reverse=True):
                    job = Job(d.scene, quality, str(media_dir), transparent, _env(), speech=voice.chosen().as_dict())
                    futures[executor.submit(run_job, job)] = d
                    running.add(d.scene)
                progress.update(task, description=f"rendering on {jobs} worker{'s' * (jobs > 1)}")
                for future in as_completed(futures):
                    d = futures[future]
                    running.discard(d.scene)
                    try:
                        out = future.result()
                    except Exception as exc:  # the worker itself died (killed, out of memory)
                        out = {"scene": d.scene, "status": "failed", "error": f"worker died: {exc!r}"}
                    result = _result(out, d.reasons)
                    if result.ok:
                        incremental.record(d.scene, media_dir, quality, transparent, out["sections"], out["data"],
                                           {"video": out["path"], "slides": out["slides"],
                                            "video_seconds": out["video_seconds"],
                                            "seconds": round(out["seconds"], 2), "reasons": d.reasons})
                    results[d.scene] = result
                    progress.advance(task)
                    mark = ("[green]rendered[/]" if result.ok else
                            f"[red]failed[/]: {result.error} (log: {result.log})")
                    console.print(f"{d.scene}: {mark} ({result.seconds:.1f} s)", soft_wrap=True)  # one line each
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()
            if own:  # stop the workers now; their half-written files carry temporary names
                for proc in list((getattr(executor, "_processes", None) or {}).values()):
                    proc.terminate()
                executor.shutdown(wait=False, cancel_futures=True)
            console.print(f"[yellow]interrupted[/]: {len(results)} of {len(names)} scenes are done; "
                          "the next run renders only the rest")
            raise
        finally:
            if own:
                executor.shutdown(wait=True, cancel_futures=True)
    return [results[n] for n in names]


def video_seconds(path: Path) -> float:
    """Length of a video file, from its container (PyAV ships with manim)."""
    import av

    with av.open(str(path)) as container:
        return float(container.duration or 0) / 1_000_000
