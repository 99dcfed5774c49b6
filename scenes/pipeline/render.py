"""Render lecture scenes: in parallel worker processes, only when something changed, one failure at a time.

Each scene is a job for a ``concurrent.futures`` executor (local processes by default, a Dask
cluster's executor with ``--scheduler``). A job renders under a temporary file name; the parent,
not the worker, renames it and writes its manifest, so only a live render publishes a video: a
killed build's workers die with it (:func:`die_with_build`) and leave nothing under a final name.
One render at a time uses a media folder (``<media>/.render.lock``): two builds sharing it would
otherwise publish each other's videos. Workers share manim's TeX, text and SVG caches under a file
lock, and encode with a bounded queue and a short libx264 look-ahead (scenes/manim_patches.py).
"""
from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import resource
import select
import signal
import threading
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from scenes import manim_patches, order
from scenes.context import LectureContext
from scenes.pipeline import folder_lock, incremental


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
    title: str = ""  # the scene's TITLE, so the build need not import the scene module

    @property
    def ok(self) -> bool:
        return self.status in ("rendered", "up to date")


@dataclass
class Job:
    scene: str
    quality: str
    media_dir: str  # absolute
    transparent: bool = False
    context: LectureContext = field(default_factory=LectureContext)  # the config, cache, look and voice


@contextlib.contextmanager
def interruptible():
    """Ctrl-C is KeyboardInterrupt inside (a job in a worker of :func:`start_workers`, which ignores it while it
    waits for one); a no-op off the main thread (a Dask worker's, or a build's threads)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def interrupt_after():
    """Ctrl-C inside is held back and yields True in the list it gives, for the caller to stop cleanly (on the
    main thread; elsewhere, or where Ctrl-C is ignored, nothing changes). A worker process interrupted while it
    started printed a traceback once the parent had gone: the semaphores it was handed no longer existed."""
    caught: list[bool] = []
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        yield caught
        return
    previous = signal.signal(signal.SIGINT, lambda *_: caught.append(True))
    try:
        yield caught
    finally:
        signal.signal(signal.SIGINT, previous)


@interruptible()
def run_job(job: Job) -> dict:
    """Render one scene (in a worker). Returns a plain dict; never raises for a scene's own error."""
    from tqdm import tqdm

    # manim's progress bars are off, yet tqdm makes a semaphore for them: one that a worker stopped on Ctrl-C
    # could not remove, which the resource tracker then reported in lines after the CLI's last
    tqdm.set_lock(threading.RLock())
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
    # manim passes ffmpeg-CLI options PyAV ignores when it adds the sound track, and says so for every scene
    logging.getLogger("av.container.output").setLevel(logging.ERROR)
    start = time.perf_counter()
    out = {"scene": job.scene, "log": str(log_file), "worker": os.getpid()}
    try:
        manim_patches.lock_caches()  # the three in the media folder set below
        manim_patches.preloaded_tex_preamble()
        manim_patches.keep_parsed_svgs()
        manim_patches.short_encoder_lookahead()
        settings = {"quality": order.QUALITIES[job.quality], "media_dir": str(media_dir), "progress_bar": "none",
                    "verbosity": "WARNING", "transparent": job.transparent, "no_latex_cleanup": True,
                    "output_file": f"{job.scene}.rendering", **manim_patches.ENCODING}
        with job.context.active(), tempconfig(settings):
            from scenes.base import slides_folder

            scene = order.load(job.scene)()
            scene.render()
            slides = slides_folder() / f"{job.scene}.json"
            partial = Path(scene.renderer.file_writer.movie_file_path)
            length = float(scene.renderer.time)
            plays = scene.renderer.num_plays
            data_read = sorted(str(p) for p in mathcore_data.READ)  # while the context is active: this render's
        # manim converts its sound track to AAC, deletes that, keeps this
        partial.with_suffix(".wav").unlink(missing_ok=True)
        # the parent renames it (publish): a worker outliving its build must not put a video in place
        out |= {"status": "rendered", "partial": str(partial), "slides": str(slides), "title": scene.TITLE,
                "video_seconds": length, "animations": plays,
                "sections": sorted(scene.cfg.reads), "data": data_read}
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


def publish(out: dict) -> dict:
    """Put a worker's finished render under its final name (in the build's process): ``<Scene>.mp4`` and
    its ``.srt`` (none if the scene has no captions). ``out`` gains ``path``."""
    partial = Path(out.pop("partial"))
    final = partial.with_name(f"{out['scene']}{partial.suffix}")
    os.replace(partial, final)
    srt = partial.with_suffix(".srt")
    if srt.exists():
        os.replace(srt, final.with_suffix(".srt"))
    else:
        final.with_suffix(".srt").unlink(missing_ok=True)
    return out | {"path": str(final)}


def die_with_build(build: int) -> None:
    """Worker initializer: kill this worker as soon as the build process ``build`` is gone (killed, even by
    SIGKILL), so it does not go on rendering into the media folder. Its parent is the fork server, which
    outlives the build while any worker runs, so the worker watches the build itself (a pidfd: no
    polling, and no mistaking a new process for it)."""
    try:
        handle = os.pidfd_open(build)
    except ProcessLookupError:  # the build died before this worker started
        os._exit(1)

    def watch() -> None:
        select.select([handle], [], [])  # readable once the build has exited
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="die-with-build", daemon=True).start()


def _result(out: dict, reasons: list[str] | None = None) -> RenderResult:
    return RenderResult(out["scene"], out["status"], out.get("seconds", 0.0), out.get("video_seconds", 0.0),
                        Path(out["path"]) if out.get("path") else None, out.get("error", ""),
                        out.get("animations", 0), Path(out["log"]) if out.get("log") else None, reasons or [],
                        out.get("peak_mb", 0.0), out.get("worker", 0),
                        Path(out["slides"]) if out.get("slides") else None, out.get("title", ""))


#: Imported once by the fork server, so each worker starts with them (about 1 s each otherwise).
#: Third-party only: a scene module binds the theme's colours at import, and each job picks its theme.
PRELOAD = ["manim", "manim_slides"]


def start_workers() -> None:
    """Start the fork server now: it imports :data:`PRELOAD` on the other core while the caller plans.

    It starts with Ctrl-C ignored, and so does every worker it forks but for its jobs (:func:`interruptible`):
    interrupted, the server printed a traceback while it imported manim, and a worker while it waited."""
    from multiprocessing import forkserver, resource_tracker

    multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
    if threading.current_thread() is not threading.main_thread():  # only the main thread sets handlers
        forkserver.ensure_running()
        return
    resource_tracker.ensure_running()  # (the server's first step) outside the milliseconds Ctrl-C is ignored here
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server inherits it across exec
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


def local_executor(jobs: int) -> Executor:
    # forkserver: workers start clean (no inherited torch threads), and faster than spawn.
    # One scene per worker process: memory is returned after each scene (one process rendering
    # all 18 grew past 2.7 GB at -qh) and no state carries over between scenes.
    start_workers()
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("forkserver"),
                               max_tasks_per_child=1, initializer=die_with_build, initargs=(os.getpid(),))


class ClusterExecutor(Executor):
    """A Dask cluster's executor that can tell when it has had no workers for ``grace`` seconds: the
    scheduler then keeps the scenes' tasks waiting for ever, so the render gives up on them instead."""

    def __init__(self, client, grace: float = 60.0):
        self.client, self.grace = client, grace
        self.inner = client.get_executor(pure=False)
        self.last_seen = time.monotonic()

    def submit(self, fn, /, *args, **kwargs):
        return self.inner.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False):
        self.inner.shutdown(wait=wait)

    def stalled(self) -> str | None:
        """Why no task can finish (no workers for ``grace`` seconds, or no scheduler), else None."""
        try:
            workers = len(self.client.nthreads())
        except Exception as err:  # the scheduler is gone or not answering
            return f"the Dask scheduler stopped answering ({type(err).__name__})"
        now = time.monotonic()
        if workers:
            self.last_seen = now
            return None
        if now - self.last_seen >= self.grace:
            return f"the Dask cluster has had no workers for {self.grace:.0f} s"
        return None


#: Seconds between checks that a cluster still has workers while scenes render.
POLL = 2.0


def expected_cost(decision: incremental.Decision) -> float:
    """Seconds a scene's render is expected to take: its last render's, else its captions' reading time
    (which follows the video's length). Longest first keeps a lone long scene from ending the run."""
    if decision.previous and decision.previous.get("seconds"):
        return float(decision.previous["seconds"])
    from scenes import captions

    return sum(captions.reading_time(t) for t in captions.load().get(decision.scene, {}).values())


def plan(names: list[str], quality: str, media_dir: Path, transparent: bool = False, force: bool = False,
         before_checks=None):
    """One decision per scene: render it or not, and why. ``before_checks()`` runs once the decisions are
    made, if any scene renders, before the checks that import those scenes' modules."""
    from mathcore import config as lecture_config

    cfg = lecture_config.load()
    decisions = [incremental.decide(n, media_dir, quality, transparent, force, cfg) for n in names]
    if before_checks is not None and any(d.render for d in decisions):
        before_checks()
    for d in decisions:  # a scene that cannot draw this config says so now, in one line (exit 2)
        if d.render:
            order.load(d.scene).check_config(cfg)
    return decisions


#: The lock file of a media folder: held by one render (or build) at a time.
MEDIA_LOCK = ".render.lock"


def hold_media(media_dir: Path, console, wait: bool = True):
    """Hold ``media_dir`` for a render; another build rendering there: one line, then wait (or FolderBusy)."""
    return folder_lock.hold(media_dir, wait, lambda line: console.print(line, soft_wrap=True), MEDIA_LOCK,
                            "rendering in")


def render_lecture(names: list[str], quality: str, media_dir: str | Path, console, jobs: int | None = None,
                   force: bool = False, transparent: bool = False,
                   executor: Executor | None = None, on_done=None, on_start=None, on_checked=None,
                   media_held: bool = False) -> list[RenderResult]:
    """Render what changed among ``names``, ``jobs`` at a time, with one progress display; results in order.

    ``on_checked()`` runs once every scene to render has accepted the config, before any render starts.
    ``on_done(result)`` runs in this process for each scene as soon as it is ready (up to date ones
    first), while the other scenes still render: a build makes that scene's outputs meanwhile.
    ``on_start()`` runs once the renders are under way (none if nothing renders). The media folder's
    lock is taken here unless the caller holds it already (``media_held``: a build holds it throughout,
    since it reads the renders after this returns)."""
    if not media_held:
        with hold_media(Path(media_dir), console):
            return render_lecture(names, quality, media_dir, console, jobs, force, transparent, executor,
                                  on_done, on_start, on_checked, media_held=True)
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    media_dir = Path(media_dir).resolve()
    context = LectureContext.of_this_process()  # every job renders in the build's config, cache, look and voice
    # the workers' imports overlap the checks, which import the scene modules here too
    decisions = plan(names, quality, media_dir, transparent, force, None if executor else start_workers)
    if on_checked:
        on_checked()
    results: dict[str, RenderResult] = {}
    for d in decisions:
        if not d.render:
            p = d.previous
            results[d.scene] = RenderResult(d.scene, "up to date", 0.0, p.get("video_seconds", 0.0), Path(p["video"]),
                                            reasons=d.reasons, slides=Path(p["slides"]), title=p.get("title", ""))
    todo = [d for d in decisions if d.render]
    ready = [results[n] for n in names if n in results]  # handed to on_done while the others render
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
                    job = Job(d.scene, quality, str(media_dir), transparent, context)
                    futures[executor.submit(run_job, job)] = d
                    running.add(d.scene)
                progress.update(task, description=f"rendering on {jobs} worker{'s' * (jobs > 1)}")
                if on_start:
                    on_start()
                for result in ready if on_done else []:
                    on_done(result)
                ready = []
                for future, out in _finished(futures, executor):
                    d = futures[future]
                    running.discard(d.scene)
                    if out is None:
                        try:
                            out = future.result()
                        except Exception as exc:  # the worker itself died (killed, out of memory)
                            out = {"scene": d.scene, "status": "failed", "error": f"worker died: {exc!r}"}
                    if out["status"] == "rendered":
                        out = publish(out)
                        incremental.record(d.scene, media_dir, quality, transparent, out["sections"], out["data"],
                                           {"video": out["path"], "slides": out["slides"], "title": out["title"],
                                            "video_seconds": out["video_seconds"],
                                            "seconds": round(out["seconds"], 2), "reasons": d.reasons},
                                           d.taken)  # what it rendered from, not what is on disk now
                    result = _result(out, d.reasons)
                    results[d.scene] = result
                    progress.advance(task)
                    mark = ("[green]rendered[/]" if result.ok else
                            f"[red]failed[/]: {result.error} (log: {result.log})")
                    console.print(f"{d.scene}: {mark} ({result.seconds:.1f} s)", soft_wrap=True)  # one line each
                    if result.ok and on_done:
                        on_done(result)
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()
            if own:  # stop the workers now; their half-written files carry temporary names
                for proc in list((getattr(executor, "_processes", None) or {}).values()):
                    proc.terminate()
                executor.shutdown(wait=False, cancel_futures=True)
            # the CLI's one line says it: "lecture: interrupted: ..."
            raise KeyboardInterrupt(f"{len(results)} of {len(names)} scenes are done; "
                                    "the next run renders only the rest") from None
        finally:
            if own:
                executor.shutdown(wait=True, cancel_futures=True)
    for result in ready if on_done else []:  # nothing rendered
        on_done(result)
    return [results[n] for n in names]


def _finished(futures: dict, executor):
    """``(future, None)`` for each future as it finishes; on an executor that can stall (a cluster with no
    workers), ``(future, failure)`` for every one still waiting once it says why none can finish."""
    pending = set(futures)
    stalled = getattr(executor, "stalled", None)
    while pending:
        done, pending = wait(pending, timeout=POLL if stalled else None, return_when=FIRST_COMPLETED)
        yield from ((f, None) for f in done)
        if pending and stalled and (why := stalled()):
            for f in pending:
                f.cancel()
                yield f, {"scene": futures[f].scene, "status": "failed", "error": why}
            return


def video_seconds(path: Path) -> float:
    """Length of a video file, from its container (PyAV ships with manim)."""
    import av

    with av.open(str(path)) as container:
        return float(container.duration or 0) / 1_000_000
