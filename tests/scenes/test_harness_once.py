"""``once``: tests share a dry run only when everything it reads is the same (the config and the files beside it,
the lecture's environment, the voice, the scene's methods); the suite's workers share a dry run of an unpatched
scene class on disk, and never a patched one's."""
from __future__ import annotations

import multiprocessing

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


def test_observers_see_at_each_pause_what_they_saw_live(shipped):
    """run_dry's observers look at copies of the screen kept at each pause (harness.Paused): they see the same
    texts, tagged fields and places as an observer of the live run, the pause's time, and a scene attribute that
    is on screen is still the very mobject shown in scene.mobjects."""
    import numpy as np

    from scenes.forward_pass import ForwardPass

    def looker(seen: list):
        def look(scene):
            family = [m for top in scene.mobjects for m in top.get_family()]
            seen.append((scene.renderer.time,
                         sorted((harness.field_of(m), harness.text_of(m), tuple(np.round(m.get_center(), 6)))
                                for m in family if harness.field_of(m) is not None),
                         sorted(harness.text_of(m) for m in harness.layout_check.text_mobjects(scene.mobjects)),
                         any(m is scene.title for m in family)))
        return look

    live, kept = [], []
    harness.record(ForwardPass, observers=[looker(live)])
    assert ForwardPass.__name__ in harness.PAUSES_KEPT
    harness.run_dry(ForwardPass, observers=[looker(kept)])
    assert len(live) >= 4 and all(on for *_, on in live)
    assert kept == live
    # and the copies are copies: moving one leaves the live scene's end as it was
    end = harness.recorded(ForwardPass)
    before = end.scene.title.get_center().copy()
    end.paused[-1].title.shift(np.array([1.0, 0, 0]))
    assert np.allclose(end.scene.title.get_center(), before)
