"""--background light gives the light palette; a colour replaces only the background."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
SNIPPET = ("import sys; from scenes import theme; theme.use(*sys.argv[2:]); "
           "from scenes.pipeline.keyframes import render_keyframes; from scenes.title import TitleCard; "
           "print(render_keyframes(TitleCard, sys.argv[1])[-1])")


def title_frame(tmp_path, *look: str) -> np.ndarray:
    """The title card's last key frame, in a fresh process that calls ``theme.use(*look)`` before any scene import."""
    done = subprocess.run([sys.executable, "-c", SNIPPET, str(tmp_path), *look], cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return np.asarray(Image.open(done.stdout.strip().splitlines()[-1]).convert("RGB")).astype(int)


@pytest.mark.slow
def test_light_theme_is_dark_on_light(tmp_path):
    frame = title_frame(tmp_path, "light")
    background = frame[2, 2]
    assert background.min() > 230
    ink = frame[np.abs(frame - background).sum(axis=2) > 60]
    assert len(ink) > 500 and ink.mean() < 150  # the text is darker than the page


@pytest.mark.slow
def test_background_colour_replaces_only_the_background(tmp_path):
    frame = title_frame(tmp_path, "dark", "#204060")
    assert tuple(frame[2, 2]) == pytest.approx((0x20, 0x40, 0x60), abs=2)


def test_unknown_theme_is_refused():
    from scenes import theme

    with pytest.raises(ValueError, match="theme 'sepia': expected one of dark, light"):
        theme.use("sepia")


def test_the_environment_does_not_pick_the_theme():
    """The theme is handed to the worker (theme.use), never read from the environment at import."""
    done = subprocess.run([sys.executable, "-c", "from scenes import theme; print(theme.current(), theme.BACKGROUND)"],
                          cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "LECTURE_THEME": "light", "LECTURE_BACKGROUND": "#204060"})
    assert done.stdout.split() == ["('dark',", "'')", "#14161C"], done.stderr[-2000:]


def test_a_render_worker_draws_with_the_theme_it_is_handed(tmp_path):
    """The job carries the theme; the worker applies it before the scene module is imported."""
    code = ("import sys; from scenes.pipeline import render; from scenes import order, theme\n"
            "def load(name):\n    print(name, *theme.current(), theme.BACKGROUND); raise RuntimeError('stop here')\n"
            "order.load = load\n"
            "from scenes.context import LectureContext\n"
            "job = render.Job('TitleCard', 'l', sys.argv[1], context=LectureContext(look=('light', '#204060')))\n"
            "out = render.run_job(job)\n"
            "print(out['status'])")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.split() == ["TitleCard", "light", "#204060", "#204060", "failed"], done.stderr[-2000:]


def test_changing_the_theme_after_scenes_were_imported_is_refused():
    done = subprocess.run([sys.executable, "-c", "import scenes.title; from scenes import theme; theme.use('light')"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "RuntimeError: theme.use('light') after scenes." in done.stderr


def test_a_background_colour_is_only_the_background():
    import dataclasses

    from scenes.theme import DARK, LIGHT, colours

    blue = dataclasses.replace(LIGHT, background="#204060")
    assert blue.background == "#204060" and colours(blue)["TEXT"] == colours(LIGHT)["TEXT"]
    assert colours(DARK)["TEXT"] != colours(LIGHT)["TEXT"]


def test_scenes_take_every_colour_from_the_palette():
    """A colour written into a scene module would stay dark-theme on a light page."""
    literal = re.compile(r"""["']#[0-9A-Fa-f]{6}["']|\b(WHITE|BLACK|GR[AE]Y(_[A-E])?|BLUE(_[A-E])?|RED(_[A-E])?)\b""")
    found = [f"{path.relative_to(REPO)}:{n}" for path in sorted((REPO / "scenes").rglob("*.py"))
             if not {"theme", "pipeline"} & set(path.relative_to(REPO).parts)  # the palette; the HTML page
             for n, line in enumerate(path.read_text().splitlines(), 1) if literal.search(line)]
    assert found == []
