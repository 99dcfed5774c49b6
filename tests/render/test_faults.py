"""A failing scene does not stop the others; Ctrl-C stops cleanly and the next run resumes."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from scenes.pipeline import incremental

from .common import LECTURE, REPO, default_sigint, write_config


@pytest.mark.slow
def test_a_failing_scene_does_not_stop_the_others(tmp_path):
    # a table the CLI's checks let through (it is there and readable) that the scene finds wrong only as it renders
    bad = write_config(tmp_path / "cfg", '[minima]\ndata = "no-y-column.csv"\n')
    (bad.parent / "no-y-column.csv").write_text("x1,x2\n1,2\n")
    media = tmp_path / "media"
    done = subprocess.run([*LECTURE, "render", "SignsOfTrouble", "TitleCard", "--config", str(bad),
                           "--media-dir", str(media), "--jobs", "2"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 1
    line = [x for x in done.stderr.splitlines() if x.startswith("SignsOfTrouble: failed")]
    assert len(line) == 1 and "no-y-column.csv" in line[0] and "SignsOfTrouble.log" in line[0]
    log = media / "logs" / "SignsOfTrouble.log"
    assert "Traceback" in log.read_text() and "no-y-column.csv" in log.read_text()
    assert list(media.rglob("TitleCard.mp4"))
    assert not list(media.rglob("SignsOfTrouble.mp4")) and not list(media.rglob("*.rendering*"))
    assert not incremental.manifest_path(media, "l", "SignsOfTrouble").exists()


def _tail(media: Path, *files: Path) -> str:
    """What the run printed and logged, for a failure message."""
    texts = [f.read_text()[-1500:] for f in (*files, *sorted(media.glob("logs/*.log"))) if f.exists()]
    return "\n---\n".join(texts)


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_the_next_run_resumes(tmp_path):
    """One scene done, the other rendering when Ctrl-C comes: the next run renders only that one."""
    media = tmp_path / "media"
    done, other = "TitleCard", "BackwardPass"
    first = subprocess.run([*LECTURE, "render", done, "--jobs", "1", "--media-dir", str(media)],
                           cwd=REPO, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr[-2000:]
    # Files, not pipes: nobody reads while it renders, and a full pipe would block it.
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("w") as stdout, err.open("w") as stderr:
        proc = subprocess.Popen([*LECTURE, "render", done, other, "--jobs", "1", "--media-dir", str(media)],
                                cwd=REPO, stdout=stdout, stderr=stderr, start_new_session=True,
                                preexec_fn=default_sigint)  # Ctrl-C must reach it even if pytest runs in the background
    log = media / "logs" / f"{other}.log"
    started = time.time()
    while not log.exists() and time.time() < started + 120 and proc.poll() is None:
        time.sleep(0.2)
    assert log.exists() and proc.poll() is None, f"{other} did not start: {_tail(media, err, out)}"
    time.sleep(3)  # well inside its render (~15 s at -ql)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    proc.wait(timeout=60)
    assert proc.returncode == 130, _tail(media, err, out)
    assert "interrupted" in err.read_text()
    assert not list(media.rglob(f"{other}.mp4")) and not list(media.rglob("*.rendering*"))
    assert not incremental.manifest_path(media, "l", other).exists()
    plan = subprocess.run([*LECTURE, "render", "--explain", done, other, "--jobs", "1", "--media-dir", str(media)],
                          cwd=REPO, capture_output=True, text=True).stdout.splitlines()
    verdict = {line.split()[0]: line.split()[1] for line in plan}
    assert verdict == {done: "skip", other: "render"}
