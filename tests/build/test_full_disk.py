"""A full disk under the build's output folder: one line naming the file, exit 2, no temporary folder left.

The disk is made full by the ``full_disk`` fixture (tests/conftest.py): writes under a folder raise ENOSPC.
"""
from __future__ import annotations

import os
import re
import stat
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mathcore.output import OutputError
from scenes.pipeline import deck
from tests.build.test_deck import SCENES, make_slides
from tests.build.test_lecture_build import lecture

NO_SPACE = "expected a file that can be written, got 'No space left on device'"


@pytest.fixture
def assets(tmp_path, monkeypatch):
    """reveal.js as `make setup` fetches it (a stand-in: the deck only copies it)."""
    source = tmp_path / "reveal"
    (source / "dist").mkdir(parents=True)
    (source / "dist" / "reveal.css").write_text("/* reveal */")
    monkeypatch.setattr(deck, "check_assets", lambda: source)
    return source


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_full_disk_while_the_deck_is_written_leaves_the_old_deck_and_no_partial_folder(tmp_path, monkeypatch,
                                                                                          assets, full_disk):
    (tmp_path / "media").mkdir()
    slides = make_slides(tmp_path / "media")
    out = tmp_path / "out"
    started, done = threading.Event(), threading.Event()

    def html_worker(scenes, slides_folder, dest, title=None):  # a worker that takes its time, and its bytes still fit
        started.set()
        time.sleep(0.5)
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.write(fd, f"<html>{','.join(scenes)}</html>".encode())
        os.close(fd)
        done.set()

    real_pdf = deck.write_pdf

    def write_pdf(*args):  # once the worker is busy
        assert started.wait(10)
        return real_pdf(*args)

    monkeypatch.setattr(deck, "write_pdf", write_pdf)
    monkeypatch.setattr(deck, "_html_apart", html_worker)
    with ThreadPoolExecutor(2) as pool:
        deck.build(list(SCENES), slides, out / "slides", pool)
        before = files(out)
        started.clear()
        done.clear()
        full_disk(out)
        with pytest.raises(OutputError) as info:
            deck.build(list(SCENES), slides, out / "slides", pool)
        assert done.is_set(), "the build returned before its workers stopped writing"
    assert str(info.value) == f"{out / 'slides' / 'lecture.pdf'}: output: {NO_SPACE}"
    assert files(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["slides"]


@pytest.mark.slow
def test_lecture_build_on_a_full_disk_is_one_line_and_exit_2(tmp_path, capsys, full_disk):
    """A real build whose deck finds the disk full (its PDF is written in this process; renders, clips and the
    rest of the output folder still have room)."""
    out = tmp_path / "out"
    full_disk(out / ".slides.partial")
    code = lecture("build", "--scenes", "TitleCard", "-q", "l", "--out", str(out), "--media-dir",
                   str(tmp_path / "media"))
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2, err
    assert err[-1] == f"lecture: error: {out / 'slides' / 'lecture.pdf'}: output: {NO_SPACE}", err
    assert not (out / ".slides.partial").exists() and not list((out / "slides").iterdir())
    temporary = re.compile(r"\.partial$|^\..*-[a-z0-9_]{8}(\.\w+)?$")  # deck.build's and atomic_path's (mkstemp)
    assert not [p for p in out.rglob("*") if temporary.search(p.name)]


def test_lecture_build_into_a_full_disk_stops_at_once_and_leaves_no_probe(tmp_path, capsys, full_disk):
    out = tmp_path / "out"
    full_disk(out)
    code = lecture("build", "--scenes", "TitleCard", "--out", str(out), "--media-dir", str(tmp_path / "media"))
    err = capsys.readouterr().err.strip()
    assert code == 2 and err == f"lecture: error: Invalid value for --out: cannot write to {out}: No space left on " \
                                "device (lecture build)", err
    assert list(out.iterdir()) == [] and not (tmp_path / "media").exists()


@pytest.mark.slow
def test_lecture_build_refuses_an_output_that_is_a_fifo_and_leaves_it(tmp_path, capsys, nothing_replaced):
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "lecture.srt")  # the joined lecture's captions
    code = lecture("build", "--scenes", "TitleCard", "--out", str(out), "--media-dir", str(tmp_path / "media"))
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2, err
    assert err[-1] == (f"lecture: error: {out / 'lecture.srt'}: output: expected a regular file or a new path, "
                       "got 'a FIFO (named pipe)'"), err
    assert stat.S_ISFIFO(os.stat(out / "lecture.srt").st_mode)


@pytest.mark.slow
def test_a_build_that_fills_the_disk_names_the_output_it_was_writing_not_its_stamps(tmp_path, capsys, monkeypatch,
                                                                                    full_disk):
    """The disk fills after the --out check: the build's stamps, saved on the way out, fail too, and that second
    error used to replace the first (the line named .stamps.json, not what the build was writing)."""
    from scenes.pipeline.commands import build as build_command

    out = tmp_path / "out"
    monkeypatch.setattr(build_command, "check_writable", lambda folder: folder)
    full_disk(out)
    code = lecture("build", "--scenes", "TitleCard", "--out", str(out), "--media-dir", str(tmp_path / "media"))
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2, err
    assert "No space left on device" in err[-1] and ".stamps.json" not in err[-1], err
    assert err[-1].startswith(f"lecture: error: {out}/"), err  # the first output it wrote (the explorables)
