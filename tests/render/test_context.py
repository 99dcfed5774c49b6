"""A render's context (scenes/context.py): what a job carries is what its scene reads, and nothing of one render
is left for the next render in the same worker process."""
from __future__ import annotations

import os
import subprocess
import sys

from mathcore import data as mathcore_data
from scenes import context, voice
from scenes.context import LectureContext

from .common import REPO


def test_an_active_context_sets_the_config_cache_and_voice_and_gives_them_back(tmp_path, monkeypatch):
    monkeypatch.delenv("LECTURE_CONFIG", raising=False)
    monkeypatch.setenv("MATHCORE_CACHE", "off")
    before = voice.chosen()
    config = tmp_path / "lecture.toml"
    mathcore_data.READ.add(tmp_path / "left over")
    ctx = LectureContext(str(config), None, speech={"kind": "piper", "rate": 1.5})
    with ctx.active():
        assert context.current() is ctx
        assert os.environ["LECTURE_CONFIG"] == str(config) and "MATHCORE_CACHE" not in os.environ
        assert voice.chosen().kind == "piper" and voice.chosen().rate == 1.5
        assert not mathcore_data.READ  # this render's tables only
    assert "LECTURE_CONFIG" not in os.environ and os.environ["MATHCORE_CACHE"] == "off"
    assert voice.chosen() == before
    assert context.current() == LectureContext.of_this_process()


def test_without_a_build_a_scene_gets_the_context_of_its_environment(tmp_path, monkeypatch):
    """``manim render scenes/<file>.py <Scene>``: $LECTURE_CONFIG (made absolute) and the process's voice."""
    (tmp_path / "my.toml").write_text("")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LECTURE_CONFIG", "my.toml")
    found = context.current()
    assert found.config == str(tmp_path / "my.toml") and found.config_file() == tmp_path / "my.toml"
    assert found.speech == voice.chosen().as_dict()


def test_two_jobs_in_one_worker_each_render_in_their_own_context(tmp_path):
    """The second job has no config of its own: its scene reads the shipped config, silently, not the first
    job's config and voice (a worker process serves many jobs)."""
    (tmp_path / "other.toml").write_text('[chain]\nx = 2.0\n')
    code = (
        "import sys; from pathlib import Path\n"
        "from scenes.pipeline import render; from scenes import order, context, voice\n"
        "from scenes.context import LectureContext\n"
        "def load(name):\n"
        "    ctx = context.current(); cfg = __import__('mathcore.config').config.load(ctx.config)\n"
        "    print(Path(cfg.path).name, cfg.chain.x, voice.chosen().kind)\n"
        "    raise RuntimeError('stop here')\n"
        "order.load = load\n"
        "first = LectureContext(sys.argv[2], speech={'kind': 'piper'})\n"
        "for ctx in (first, LectureContext()):\n"
        "    render.run_job(render.Job('ForwardPass', 'l', sys.argv[1], context=ctx))\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "media"), str(tmp_path / "other.toml")],
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.stdout.split("\n")[:2] == ["other.toml 2.0 piper", "lecture.toml 1.0 none"], done.stderr[-2000:]
