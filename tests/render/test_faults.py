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
    """Two long scenes, one worker: interrupt once the first (whichever starts first) is done."""
    media = tmp_path / "media"
    scenes = ["ForwardPass", "BackwardPass"]
    proc = subprocess.Popen([*LECTURE, "render", *scenes, "--jobs", "1", "--media-dir", str(media)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    manifests = {name: incremental.manifest_path(media, "l", name) for name in scenes}
    deadline = time.time() + 180
    while not any(m.exists() for m in manifests.values()) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
    done = [name for name, m in manifests.items() if m.exists()]
    assert len(done) == 1, "no scene finished first"
    time.sleep(2)  # the other one is rendering now
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-2000:]
    assert "interrupted" in err
    other = next(name for name in scenes if name not in done)
    assert not list(media.rglob(f"{other}.mp4")) and not list(media.rglob("*.rendering*"))
    plan = subprocess.run([*LECTURE, "render", "--explain", *scenes, "--jobs", "1", "--media-dir", str(media)],
                          cwd=REPO, capture_output=True, text=True).stdout.splitlines()
    verdict = {line.split()[0]: line.split()[1] for line in plan}
    assert verdict == {done[0]: "skip", other: "render"}
