"""A failing scene does not stop the others; Ctrl-C stops cleanly and the next run resumes."""
from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from scenes import incremental

from .common import LECTURE, REPO, write_config


@pytest.mark.slow
def test_a_failing_scene_does_not_stop_the_others(tmp_path):
    bad = write_config(tmp_path / "cfg", '[minima]\ndata = "no-such-table.csv"\n')
    media = tmp_path / "media"
    done = subprocess.run([*LECTURE, "render", "SignsOfTrouble", "TitleCard", "--config", str(bad),
                           "--media-dir", str(media), "--jobs", "2"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 1
    line = [x for x in done.stderr.splitlines() if x.startswith("SignsOfTrouble: failed")]
    assert len(line) == 1 and "no-such-table.csv" in line[0] and "SignsOfTrouble.log" in line[0]
    log = media / "logs" / "SignsOfTrouble.log"
    assert "Traceback" in log.read_text() and "no-such-table.csv" in log.read_text()
    assert list(media.rglob("TitleCard.mp4"))
    assert not list(media.rglob("SignsOfTrouble.mp4")) and not list(media.rglob("*.rendering*"))
    assert not incremental.manifest_path(media, "l", "SignsOfTrouble").exists()


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_the_next_run_resumes(tmp_path):
    media = tmp_path / "media"
    proc = subprocess.Popen([*LECTURE, "render", "TitleCard", "BackwardPass", "--jobs", "1", "--media-dir", str(media)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    first = incremental.manifest_path(media, "l", "TitleCard")
    deadline = time.time() + 120
    while not first.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert first.exists(), "TitleCard did not finish"
    time.sleep(2)  # BackwardPass is rendering now
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-2000:]
    assert "interrupted" in err
    assert not list(media.rglob("BackwardPass.mp4")) and not list(media.rglob("*.rendering*"))
    plan = subprocess.run([*LECTURE, "render", "--explain", "TitleCard", "BackwardPass", "--jobs", "1",
                           "--media-dir", str(media)], cwd=REPO, capture_output=True, text=True).stdout.splitlines()
    assert "skip" in plan[0] and "render" in plan[1]


