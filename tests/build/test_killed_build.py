"""A build killed at any moment leaves no process behind and nothing that looks finished but is not."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from scenes.pipeline import deck, lecture_build
from scenes.pipeline.stamps import Stamps
from tests.render.common import QUIET, REPO
from tests.render.test_publish import _alive, _descendants

#: Starts the deck's workers as a build does (while its scenes render), prints their pids, then waits.
DECK_WORKERS = """
import json, time
from scenes.pipeline import deck
pool = deck.workers()
while len(pool._processes) < deck.WORKERS:
    time.sleep(0.05)
print(json.dumps(sorted(pool._processes)), flush=True)
time.sleep(600)
"""


def test_the_deck_workers_of_a_build_killed_with_sigkill_die_with_it():
    """They are started while the scenes render; kill -9 of the build left them (and the fork server) idle for good."""
    proc = subprocess.Popen([sys.executable, "-c", DECK_WORKERS], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        workers = json.loads(proc.stdout.readline())
        assert len(workers) == 2 and all(map(_alive, workers))
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    deadline = time.time() + 20
    while any(map(_alive, workers)) and time.time() < deadline:
        time.sleep(0.2)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:  # not to leak them into the rest of the run
        Path(f"/proc/{pid}").exists() and subprocess.run(["kill", "-9", str(pid)], check=False)
    assert not left, f"deck workers outlived their build: {left}"


def test_a_build_with_nothing_to_render_starts_its_deck_workers_on_its_main_thread(tmp_path, monkeypatch):
    """Started from the deck's thread, the fork server did not ignore Ctrl-C: interrupted while it imported
    manim, it printed a traceback after the build's one line."""
    started, given = [], []
    monkeypatch.setattr(deck, "workers", lambda: started.append(threading.current_thread()) or "pool")
    monkeypatch.setattr(deck, "build", lambda names, folder, out, pool=None, **_: given.append(pool) or {})
    slides = tmp_path / "A.json"
    slides.write_text('{"slides": []}')
    out, workers = tmp_path / "out", []
    with ThreadPoolExecutor(1) as background:
        lecture_build._deck(["A"], {"A": slides}, out, Stamps(out), background, workers, QUIET).result()
    assert started == [threading.main_thread()] and given == ["pool"]


#: Ctrl-C while the deck's workers start (they wait for the fork server to import manim): one line, no traceback.
INTERRUPTED = """
import signal, sys, time


def main():
    from scenes.pipeline import deck
    print("starting", flush=True)
    try:
        pool = deck.workers()
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(130)
    pool.shutdown()
    print("started", flush=True)


if __name__ == "__main__":
    main()
"""


def test_ctrl_c_while_the_deck_workers_start_leaves_no_traceback_and_no_process(tmp_path):
    """A worker the fork server forked after the build had gone read its semaphores from a dead parent and
    printed a FileNotFoundError traceback after the build's one line."""
    script = tmp_path / "start_deck.py"
    script.write_text(INTERRUPTED)
    proc = subprocess.Popen([sys.executable, str(script)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.stdout.readline() == "starting\n"
    time.sleep(0.3)
    below = _descendants(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: the whole group
    out, err = proc.communicate(timeout=60)
    time.sleep(2)  # a worker forked late prints its traceback after its parent has gone
    assert (proc.returncode, out) == (130, "interrupted\n"), err
    assert "Traceback" not in err, err
    deadline = time.time() + 20
    while any(map(_alive, below)) and time.time() < deadline:
        time.sleep(0.2)
    assert not any(map(_alive, below)), "processes outlived the interrupted start"


def test_a_build_removes_what_a_killed_build_left_half_written_and_nothing_else(tmp_path, monkeypatch):
    """kill -9 while the lecture was joined left ``.lecture-<random>.mp4`` (as large as the lecture) for good."""
    out = tmp_path / "out"
    stale = [out / ".lecture-jkdd5j_1.mp4", out / "videos" / ".TitleCard-ab_cd123.srt",
             out / "clips" / "TitleCard" / ".01-show_title-3hntet29.png", out / ".index-q1w2e3r4.html",
             out / "clips" / "TitleCard" / "..source-0a_b9c8d",
             out / ".slides.partial" / "reveal.js" / "dist" / "reveal.js", out / ".slides.old" / "index.html"]
    kept = [out / ".stamps.json", out / "lecture.mp4", out / "clips" / "TitleCard" / ".source",
            out / "clips" / "TitleCard" / "01-show_title.png", out / "my-notes.txt", out / ".my-settings",
            out / "extra" / ".lecture-jkdd5j_1.mp4"]  # a folder the build does not write to is not its own
    for path in stale + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    monkeypatch.setattr(lecture_build, "_run", lambda *_: lecture_build.Outcome({}, [], 0.0, []))
    lecture_build.run(lecture_build.Build(["TitleCard"], out=out, media_dir=tmp_path / "media"), QUIET)
    assert [p for p in stale if p.exists()] == [] and not (out / ".slides.partial").exists()
    assert [p for p in kept if not p.exists()] == []
