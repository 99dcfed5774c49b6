"""Strings from the config never reach LaTeX: they are typeset with Text and shown literally.

Free-text keys are the [lecture] ones; the tree's steps pass a parser that admits names,
numbers and operators only; every other string key is a choice from a fixed list.
"""
from __future__ import annotations

import pytest

from mathcore import config
from mathcore.errors import ConfigError
from scenes.title import TitleCard

from .harness import run_dry

POISON = {
    "title": r"50% \input{/etc/passwd}",
    "course": r"$\def\x{}$ & #_^~",
    "year": r"\write18{touch /tmp/pwned}",
    "lecturer": r"\end{document} {}",
}


def test_free_text_keys_are_only_the_lecture_ones():
    free = {(s, k) for s, keys in config.SCHEMA.items() for k, check in keys.items() if check is config.text}
    shown = {("lecture", k) for k in POISON}
    files = {("batches", "data"), ("geometry", "data"), ("minima", "data")}  # file names, never drawn
    assert free == shown | files


@pytest.mark.slow
def test_title_card_shows_latex_specials_literally(tmp_path, monkeypatch):
    cfg = tmp_path / "lecture.toml"
    cfg.write_text("[lecture]\n" + "".join(f"{k} = '{v}'\n" for k, v in POISON.items()))
    monkeypatch.setenv(config.ENV_VAR, str(cfg))
    texts = []
    base_play = TitleCard.play

    def play(self, *args, **kwargs):
        base_play(self, *args, **kwargs)
        from scenes.pipeline import layout_check

        for m in layout_check.text_mobjects(self.mobjects):
            texts.append((type(m).__name__, getattr(m, "tex_string", None), getattr(m, "original_text", None)))

    monkeypatch.setattr(TitleCard, "play", play)
    shown = run_dry(TitleCard)
    assert not shown.problems
    tex_sources = [t for kind, t, _ in texts if t]
    assert not any("passwd" in t or "write18" in t or "\\def" in t for t in tex_sources)
    plain = {o for kind, _, o in texts if o}
    for value in POISON.values():
        assert any(value in o for o in plain), f"{value!r} not shown literally"


@pytest.mark.parametrize("step", [r"y = \input{x}", "y = a; import os", "y = __import__('os')", "y = a $ b"])
def test_tree_steps_admit_no_latex_or_code(step, tmp_path):
    cfg = tmp_path / "lecture.toml"
    cfg.write_text(f'[tree]\nsteps = ["{step}"]\na = 1.0\n'.replace("\\", "\\\\"))
    with pytest.raises(ConfigError, match="tree.steps"):
        config.load(cfg)
