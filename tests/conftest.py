"""Shared fixtures, and the options manim's frames_comparison expects."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def pytest_addoption(parser):
    parser.addoption("--set_test", action="store_true", help="(re)write graphical control data")
    parser.addoption("--show_diff", action="store_true", help="show graphical diffs in a window")


@pytest.fixture
def write_config(tmp_path):
    """Write a lecture config; returns its path."""

    def write(text: str, name: str = "lecture.toml") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return write


def pytest_configure(config):
    # manim deletes every non-SVG file in the TeX folder after each formula; with tests running in
    # parallel workers that share the folder, that deletes the other worker's fresh .dvi (DESIGN.md).
    import manim

    manim.config.no_latex_cleanup = True
