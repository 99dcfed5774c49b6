"""Only a live render publishes, and a build reads only its own renders (issue 20, items 1, 2 and 5).

Two builds sharing a media folder published each other's videos; a killed build's workers lived on
and renamed their video into place without a manifest; a Dask cluster without workers made a render
wait for ever.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from scenes.pipeline import folder_lock, incremental, render

from .common import LECTURE, QUIET, REPO, media_folder

SILENT = ["--voice", "none", "--jobs", "1"]


def _descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_a_render_into_a_media_folder_another_build_renders_in_waits(tmp_path):
    """The second render says who holds the folder and renders nothing until it is free."""
    media = tmp_path / "media"
    err = tmp_path / "err.txt"
    with folder_lock.hold(media, name=render.MEDIA_LOCK, say=lambda _: None), err.open("w") as stderr:
        proc = subprocess.Popen([*LECTURE, "render", "TitleCard", *SILENT, "--media-dir", str(media)],
                                cwd=REPO, stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.time() + 60
        while "waiting" not in err.read_text() and proc.poll() is None and time.time() < deadline:
            time.sleep(0.2)
        time.sleep(2)
        assert proc.poll() is None, err.read_text()[-2000:]
        assert f"(process {os.getpid()}) is rendering in {media}" in err.read_text()
        assert not list(media.rglob("*.mp4")) and not list(media.rglob("*.json"))
    assert proc.wait(timeout=300) == 0, err.read_text()[-2000:]
    assert list(media.rglob("TitleCard.mp4"))


@pytest.mark.slow
def test_a_video_or_slides_file_that_is_not_what_its_render_made_is_rendered_again(tmp_path):
    media = media_folder(tmp_path / "media")
    first = subprocess.run([*LECTURE, "render", "TitleCard", "SignsOfTrouble", *SILENT,
                            "--media-dir", str(media)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]

    def plan() -> dict[str, str]:
        done = subprocess.run([*LECTURE, "render", "--explain", "TitleCard", "SignsOfTrouble", *SILENT,
                               "--media-dir", str(media)], cwd=REPO, capture_output=True, text=True, timeout=120)
        return {line.split()[0]: line.split(None, 2)[1:] for line in done.stdout.splitlines()}

    assert [v[0] for v in plan().values()] == ["skip", "skip"]
    title = json.loads(incremental.manifest_path(media, "l", "TitleCard").read_text())
    other = json.loads(incremental.manifest_path(media, "l", "SignsOfTrouble").read_text())
    shutil.copyfile(other["video"], title["video"])  # another build's video under TitleCard's name
    slides = json.loads(Path(other["slides"]).read_text())
    slides["slides"] = slides["slides"][:1]
    Path(other["slides"]).write_text(json.dumps(slides))  # same name, other content
    verdict = plan()
    assert verdict["TitleCard"] == ["render", "TitleCard.mp4 is not the file its render made"]
    assert verdict["SignsOfTrouble"][0] == "render"
    assert "SignsOfTrouble.json is not the file its render made" in verdict["SignsOfTrouble"][1]


@pytest.mark.slow
def test_the_workers_of_a_killed_build_die_with_it_and_publish_nothing(tmp_path):
    """kill -9 of `lecture render` mid-render: its fork server and worker go too; no video appears later."""
    media, scene = tmp_path / "media", "BackwardPass"
    err = tmp_path / "err.txt"
    with err.open("w") as stderr:
        proc = subprocess.Popen([*LECTURE, "render", scene, *SILENT, "--media-dir", str(media)],
                                cwd=REPO, stdout=subprocess.DEVNULL, stderr=stderr)
    log = media / "logs" / f"{scene}.log"
    deadline = time.time() + 120
    while not log.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.1)
    assert log.exists() and proc.poll() is None, err.read_text()[-2000:]
    below = _descendants(proc.pid)
    assert below, "no worker processes found"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.time() + 20
    while any(map(_alive, below)) and time.time() < deadline:
        time.sleep(0.2)
    assert not any(map(_alive, below)), f"workers outlived their build: {sorted(filter(_alive, below))}"
    time.sleep(2)
    assert not list(media.rglob(f"{scene}.mp4")), "a video was renamed into place after its build died"
    assert not incremental.manifest_path(media, "l", scene).exists()


@pytest.mark.slow
def test_a_cluster_left_with_no_workers_fails_its_scenes_in_one_line(tmp_path):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=0, processes=True, host="127.0.0.1", dashboard_address=None) as cluster, \
            Client(cluster.scheduler_address, timeout=10) as client:
        executor = render.ClusterExecutor(client, grace=2)
        started = time.monotonic()
        results = render.render_lecture(["TitleCard"], "l", tmp_path, QUIET, executor=executor)
    assert time.monotonic() - started < 60
    assert [(r.status, r.error) for r in results] == [("failed", "the Dask cluster has had no workers for 2 s")]
    assert not list(tmp_path.rglob("*.mp4"))


@pytest.mark.slow
def test_a_caption_edited_while_its_scene_renders_renders_it_again(tmp_path, monkeypatch):
    """The manifest records the inputs the render started from, not those on disk when it ended."""
    from .common import write_config

    config = write_config(tmp_path / "cfg", "")
    monkeypatch.setenv("LECTURE_CONFIG", str(config))
    captions_file = config.with_name("captions.toml")

    def edit() -> None:  # the renders are under way
        captions_file.write_text(captions_file.read_text().replace("Welcome to", "Hello and welcome to", 1))

    (result,) = render.render_lecture(["TitleCard"], "l", tmp_path / "media", QUIET, jobs=1, on_start=edit)
    assert result.status == "rendered" and "Hello and welcome" in captions_file.read_text()
    decision = incremental.decide("TitleCard", tmp_path / "media", "l")
    assert decision.render and decision.reasons == ["its captions changed"]
