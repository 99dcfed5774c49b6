"""``once``: tests share a dry run only when everything it reads is the same (the config and the files beside it,
the lecture's environment, the voice, the scene's methods); the suite's workers share a dry run of an unpatched
scene class on disk, and never a patched one's."""
from __future__ import annotations

import multiprocessing

import pytest

from mathcore import config

from . import harness
from .harness import once


class Scene:
    def construct(self):
        return "drawn"


def counted():
    calls = []

    @once
    def run(scene_cls):
        calls.append(scene_cls)
        return len(calls)

    return run, calls


def test_the_same_inputs_share_one_run(shipped):
    run, calls = counted()
    assert run(Scene) == run(Scene) == 1 and len(calls) == 1


def test_another_config_a_file_beside_it_or_a_patched_method_runs_again(tmp_path, monkeypatch):
    run, calls = counted()
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        (folder / "alt.toml").write_text("[chain]\nx = 0.5\n")
    monkeypatch.setenv(config.ENV_VAR, str(first / "alt.toml"))
    run(Scene)
    monkeypatch.setenv(config.ENV_VAR, str(second / "alt.toml"))
    run(Scene)
    assert len(calls) == 1  # the same text in another folder (each test's tmp_path) is the same config
    (second / "captions.toml").write_text("[TitleCard]\n")
    run(Scene)
    assert len(calls) == 2
    (second / "alt.toml").write_text("[chain]\nx = 0.7\n")
    run(Scene)
    assert len(calls) == 3
    monkeypatch.setattr(Scene, "construct", lambda self: "patched")
    run(Scene)
    assert len(calls) == 4
    monkeypatch.setenv("LECTURE_THEME", "light")
    run(Scene)
    assert len(calls) == 5


def test_a_run_that_raised_is_not_kept(shipped):
    calls = []

    @once
    def run(scene_cls):
        calls.append(scene_cls)
        raise AssertionError("a failing check")

    for _ in range(2):
        try:
            run(Scene)
        except AssertionError:
            pass
    assert len(calls) == 2


class Slide:
    shown = "pristine"


def _run(cls) -> str:
    _run.calls += 1  # type: ignore[attr-defined]
    return cls.shown


def _in_another_worker(folder: str, out) -> None:
    import os

    os.environ[harness.SHARED_RUNS] = folder
    _run.calls = 0  # type: ignore[attr-defined]
    out.put((harness.once(_run)(Slide), _run.calls))  # type: ignore[attr-defined]


def test_a_worker_reads_the_dry_run_another_made_and_a_patched_class_gets_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv(harness.SHARED_RUNS, str(tmp_path))
    monkeypatch.setitem(harness._PRISTINE, Slide, harness._attributes(Slide))
    monkeypatch.setattr(_run, "calls", 0, raising=False)
    assert harness.once(_run)(Slide) == "pristine" and _run.calls == 1  # type: ignore[attr-defined]

    ctx = multiprocessing.get_context("fork")  # a worker with the same classes, as collected
    out = ctx.Queue()
    worker = ctx.Process(target=_in_another_worker, args=(str(tmp_path), out))
    worker.start()
    assert out.get(timeout=60) == ("pristine", 0)  # read from disk, not run again
    worker.join(timeout=60)

    monkeypatch.setattr(Slide, "shown", "patched")
    assert harness.once(_run)(Slide) == "patched" and _run.calls == 2  # type: ignore[attr-defined]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["ForwardPass", "GradientDescentUpdate"])
def test_observers_see_at_each_pause_what_they_saw_live(shipped, name):
    """run_dry's observers look at copies of the screen kept at each pause (harness.Paused): they see the same
    texts, tagged fields and places as an observer of the live run, the pause's time and frame size, and every
    mobject a scene attribute holds (scene.title, scene.descent.tangent) where it was and, if it was on screen,
    as the very mobject shown in scene.mobjects. GradientDescentUpdate keeps its run in an object (Descent)."""
    import importlib

    import numpy as np
    from manim import config as manim_config

    from scenes import order

    scene_cls = next(getattr(importlib.import_module(m), n) for m, n in order.LECTURE if n == name)

    def looker(seen: list):
        def look(scene):
            family = [m for top in scene.mobjects for m in top.get_family()]
            held = sorted((path, tuple(np.round(m.get_center(), 6)), any(m is f for f in family))
                          for attr, value in vars(scene).items() if attr not in ("renderer", "camera", "mobjects")
                          for path, m in harness.held_mobjects(value, attr))
            seen.append((scene.renderer.time, manim_config.pixel_height,
                         sorted((harness.field_of(m), harness.text_of(m), tuple(np.round(m.get_center(), 6)))
                                for m in family if harness.field_of(m) is not None),
                         sorted(harness.text_of(m) for m in harness.layout_check.text_mobjects(scene.mobjects)),
                         held))
        return look

    live, kept = [], []
    harness.record(scene_cls, observers=[looker(live)])
    assert name in harness.PAUSES_KEPT
    harness.run_dry(scene_cls, observers=[looker(kept)])
    assert len(live) >= 4 and all(any(on for *_, on in held) for *_, held in live)
    if name == "GradientDescentUpdate":  # the walk reaches into the Descent object, so its tangent is compared
        assert any(path.startswith("descent.") for *_, held in live for path, *_ in held)
    assert kept == live
    # and the copies are copies: the kept end's title is not the scene's, nor are its points
    end = harness.recorded(scene_cls)
    assert end.paused[-1].title is not end.scene.title
    assert not np.shares_memory(end.paused[-1].title.points, end.scene.title.points)
