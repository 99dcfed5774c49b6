"""``once``: tests share a dry run only when everything it reads is the same (the config and the files beside it,
the lecture's environment, the voice, the scene's methods)."""
from __future__ import annotations

from mathcore import config

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
