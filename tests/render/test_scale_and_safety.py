"""Same inputs, same frames; rendering on a Dask cluster; names that could leave the output folder."""
from __future__ import annotations

import subprocess

import numpy as np
import pytest

from scenes.pipeline import clips
from scenes.pipeline.render import render_lecture

from .common import LECTURE, QUIET, REPO, frames, media_folder


@pytest.mark.slow
def test_same_inputs_give_the_same_frames(tmp_path, monkeypatch):
    """SignsOfTrouble trains in torch: render it twice, the second time recomputing everything."""
    first = render_lecture(["SignsOfTrouble"], "l", media_folder(tmp_path / "a"), QUIET, jobs=1)[0]
    monkeypatch.setenv("MATHCORE_CACHE", "off")
    second = render_lecture(["SignsOfTrouble"], "l", media_folder(tmp_path / "b"), QUIET, jobs=1)[0]
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


def test_a_scheduler_that_opens_its_port_a_moment_later_is_waited_for():
    """`dask scheduler & lecture render --scheduler ...`: a port that opens within the grace is not refused;
    one that stays shut is, once the grace is over."""
    import socket
    import threading

    from scenes.pipeline import options

    with socket.socket() as probe:  # a free port, shut again
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConnectionRefusedError):
        options._refused_after_grace(f"tcp://127.0.0.1:{port}", grace=0.5)
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

    def open_later():
        threading.Event().wait(0.6)
        server.bind(("127.0.0.1", port))
        server.listen()

    opener = threading.Thread(target=open_later)
    opener.start()
    try:
        options._refused_after_grace(f"tcp://127.0.0.1:{port}", grace=5)
    finally:
        opener.join()
        server.close()
