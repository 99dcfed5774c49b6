"""lecture render: incremental decisions, parallel workers, failure isolation, Ctrl-C, determinism, Dask."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import numpy as np
import pytest
from rich.console import Console

from mathcore import config
from scenes import deps, incremental
from scenes.build import clips
from scenes.render import render_lecture

REPO = Path(__file__).resolve().parents[2]
LECTURE = [sys.executable, "-m", "scenes"]
QUIET = Console(file=open(os.devnull, "w"))


def frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(c.streams.video[0])]


def write_config(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lecture.toml").write_text(text)
    shutil.copy(REPO / "assets" / "captions.toml", folder / "captions.toml")
    return folder / "lecture.toml"


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    """TitleCard and ForwardPass rendered once, in two workers."""
    media = tmp_path_factory.mktemp("media")
    results = render_lecture(["TitleCard", "ForwardPass"], "l", media, QUIET, jobs=2)
    assert [r.status for r in results] == ["rendered", "rendered"], [r.error for r in results]
    assert len({r.worker for r in results}) == 2  # two processes
    return media


def test_closure_follows_imports_and_nothing_else():
    files = deps.code_digests("scenes.forward_pass")
    assert {"scenes/forward_pass.py", "scenes/base.py", "scenes/components/chain_diagram.py", "mathcore/chain.py",
            "scenes/theme.py"} <= set(files)
    assert "mathcore/gd.py" not in files and "scenes/adam.py" not in files


@pytest.mark.slow
def test_scenes_record_the_sections_they_read(media):
    read = {name: json.loads(incremental.manifest_path(media, "l", name).read_text())["inputs"]["sections"]
            for name in ("TitleCard", "ForwardPass")}
    assert set(read["TitleCard"]) == {"lecture"}
    assert set(read["ForwardPass"]) == {"chain"}


@pytest.mark.slow
def test_nothing_changed_renders_nothing(media):
    before = {p: p.stat().st_mtime_ns for p in media.rglob("*.mp4")}
    results = render_lecture(["TitleCard", "ForwardPass"], "l", media, QUIET, jobs=2)
    assert [r.status for r in results] == ["up to date", "up to date"]
    assert all(r.path.exists() and r.video_seconds > 1 for r in results)
    assert {p: p.stat().st_mtime_ns for p in media.rglob("*.mp4")} == before


@pytest.mark.slow
def test_config_edit_re_renders_only_its_readers(media, tmp_path, monkeypatch):
    monkeypatch.setenv(config.ENV_VAR, str(write_config(tmp_path, '[lecture]\ntitle = "Another title"\n')))
    plan = {d.scene: d for d in (incremental.decide(n, media, "l") for n in ("TitleCard", "ForwardPass"))}
    assert plan["TitleCard"].render and plan["TitleCard"].reasons == ["config [lecture] changed"]
    assert not plan["ForwardPass"].render
    results = render_lecture(["TitleCard", "ForwardPass"], "l", media, QUIET, jobs=1)
    assert [r.status for r in results] == ["rendered", "up to date"]
    monkeypatch.delenv(config.ENV_VAR)
    assert [r.status for r in render_lecture(["TitleCard"], "l", media, QUIET, force=True)] == ["rendered"]


@pytest.mark.slow
def test_code_quality_and_caption_changes_are_named(media, tmp_path):
    manifest = incremental.manifest_path(media, "l", "TitleCard")
    saved = manifest.read_text()
    try:
        data = json.loads(saved)
        data["inputs"]["code"]["scenes/title.py"] = "0" * 16
        data["inputs"]["captions"] = "x"
        data["settings"]["manim"] = "0.20.0"
        manifest.write_text(json.dumps(data))
        reasons = incremental.decide("TitleCard", media, "l").reasons
        assert "code changed: scenes/title.py" in reasons
        assert "its captions changed" in reasons
        assert any(r.startswith("manim changed (0.20.0 -> ") for r in reasons)
        assert incremental.decide("TitleCard", media, "h").reasons == ["never rendered at this quality"]
        assert incremental.decide("TitleCard", media, "l", force=True).reasons == ["--force"]
    finally:
        manifest.write_text(saved)


@pytest.mark.slow
def test_explain_says_why(media):
    done = subprocess.run([*LECTURE, "render", "--explain", "TitleCard", "ForwardPass", "SignsOfTrouble",
                           "--media-dir", str(media)], cwd=REPO, capture_output=True, text=True)
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and len(lines) == 3
    assert "skip" in lines[0] and "up to date" in lines[0]
    assert "render" in lines[2] and "never rendered" in lines[2]


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


@pytest.mark.slow
def test_same_inputs_give_the_same_frames(tmp_path, monkeypatch):
    """SignsOfTrouble trains in torch: render it twice, the second time recomputing everything."""
    first = render_lecture(["SignsOfTrouble"], "l", tmp_path / "a", QUIET, jobs=1)[0]
    monkeypatch.setenv("MATHCORE_CACHE", "off")
    second = render_lecture(["SignsOfTrouble"], "l", tmp_path / "b", QUIET, jobs=1)[0]
    assert first.status == second.status == "rendered"
    a, b = frames(first.path), frames(second.path)
    assert len(a) == len(b) > 100
    assert all(np.array_equal(x, y) for x, y in zip(a, b))


@pytest.mark.slow
def test_renders_on_a_dask_cluster(tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        done = subprocess.run([*LECTURE, "render", "TitleCard", "--media-dir", str(tmp_path),
                               "--scheduler", cluster.scheduler_address], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "rendered" in done.stdout and list(tmp_path.rglob("TitleCard.mp4"))


def test_unreachable_scheduler_is_one_line(tmp_path):
    done = subprocess.run([*LECTURE, "render", "TitleCard", "--media-dir", str(tmp_path),
                           "--scheduler", "tcp://127.0.0.1:9"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Dask scheduler" in done.stderr
    assert not list(tmp_path.rglob("*.mp4"))


@pytest.mark.parametrize("bad", ["../evil", "a/b", "", "Title Card"])
def test_names_that_could_leave_the_output_folder_are_refused(bad, tmp_path):
    with pytest.raises(ValueError, match="name"):
        clips.export_scene(bad, [], [], ["mp4"], tmp_path / "clips" / "x", "k")
    with pytest.raises(ValueError, match="name"):
        clips.clip_name(1, [bad or "."])
