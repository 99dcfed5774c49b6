"""Shared fixtures, and the options manim's frames_comparison expects."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def pytest_addoption(parser):
    parser.addoption("--set_test", action="store_true", help="(re)write graphical control data")
    parser.addoption("--show_diff", action="store_true", help="show graphical diffs in a window")


@pytest.fixture(autouse=True)
def _environment_restored():
    """Undo environment changes a test makes in this worker process.

    The CLIs set $LECTURE_CONFIG for their workers; run in-process by a test, that leaked into
    every later test of the same pytest worker and into the renders it started.
    """
    saved = dict(os.environ)
    yield
    if os.environ != saved:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def write_config(tmp_path):
    """Write a lecture config; returns its path."""

    def write(text: str, name: str = "lecture.toml") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return write


def pytest_configure(config):
    # `lecture render/build` speak with piper by default; the suite renders silent unless a test asks
    # (--voice piper), which keeps it fast. Subprocesses and in-process CLI runs both see this.
    os.environ.setdefault("LECTURE_VOICE", "none")
    # manim deletes every non-SVG file in the TeX folder after each formula; with tests running in
    # parallel workers that share the folder, that deletes the other worker's fresh .dvi (DESIGN.md).
    import manim

    manim.config.no_latex_cleanup = True
