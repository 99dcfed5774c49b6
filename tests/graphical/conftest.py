"""Graphical tests run on this machine's cairo, and a skip counts as a failure.

Debian 12 ships cairo 1.16; manim skips its frame comparisons below 1.18 unless
told otherwise. Our control data is made on the same cairo, so we lower the bar.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.testing import frames_comparison as fc

from mathcore import config
from tests.conftest import SUITE_MEDIA

REPO = Path(__file__).resolve().parents[2]

fc.MIN_CAIRO_VERSION = 11600


@pytest.fixture(autouse=True)
def shipped_config(monkeypatch):
    monkeypatch.setenv(config.ENV_VAR, str(config.DEFAULT_CONFIG))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and item.get_closest_marker("graphical"):
        report.outcome = "failed"
        report.longrepr = f"graphical test skipped, which asserts nothing: {report.longrepr}"


@pytest.fixture
def tmp_path():
    """frames_comparison puts manim's tex_dir and text_dir in tmp_path. Pointing it at the suite's
    media/Tex (where the dry-run tests cache LaTeX: tests/conftest.py, SUITE_MEDIA) compiles each formula once, not
    once per test: LaTeX is most of these tests' time."""
    folder = SUITE_MEDIA / "Tex"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(autouse=True)
def caches_in_the_suites_media(monkeypatch):
    """frames_comparison starts each test from a fresh ManimConfig, whose media_dir is ./media: the parsed SVGs
    the suite keeps (tests/conftest.py: keep_parsed_svgs) went to the checkout's media, empty in every clean
    checkout, so CI parsed every key frame's formulas and texts again (about 8 s a test). The suite's instead."""
    made = fc._config_test

    def config_test(last_frame: bool):
        cfg = made(last_frame)
        cfg.media_dir = str(SUITE_MEDIA)
        return cfg

    monkeypatch.setattr(fc, "_config_test", config_test)


@pytest.fixture(autouse=True)
def paint_the_last_frame_only(monkeypatch):
    """frames_comparison compares the last frame only, yet manim paints every play's frame even when it skips
    animations (a quarter of these tests' time): paint nothing while the scene runs, then the whole last frame."""
    paint, finish = CairoRenderer.update_frame, CairoRenderer.scene_finished

    def scene_finished(self, scene):
        self.static_image = None  # paint every mobject, not over a background saved mid-scene
        paint(self, scene)
        finish(self, scene)

    monkeypatch.setattr(CairoRenderer, "update_frame", lambda self, *args, **kwargs: None)
    monkeypatch.setattr(CairoRenderer, "scene_finished", scene_finished)
