from __future__ import annotations

import pytest

from mathcore import config

#: A config unlike the shipped one in every number: other weights, four layers,
#: another activation, another tree with other values.
ALT_CONFIG = """
[lecture]
title = "Gradients, checked"
course = "TEST101"
year = "2031"
lecturer = "A. Tester"

[chain]
x = 0.7
w = [1.3, -0.45, 0.9, 1.7]
b = [-0.35, 0.6, 0.15, -0.05]
activation = "tanh"
exercise_minutes = 7
bias_exercise_minutes = 3

[tree]
steps = ["u = p*q + r", "y = u*p - q"]
p = 1.25
q = -0.75
r = 3.5
"""


@pytest.fixture
def use_config(tmp_path, monkeypatch):
    """A function that writes a config (and the data files it names) to tmp_path, points the scenes
    at it through $LECTURE_CONFIG and returns it loaded."""

    def use(text: str, files: dict[str, str] | None = None) -> config.LectureConfig:
        for name, content in (files or {}).items():
            (tmp_path / name).write_text(content)
        path = tmp_path / "alt.toml"
        path.write_text(text)
        monkeypatch.setenv(config.ENV_VAR, str(path))
        return config.load(path)

    return use


@pytest.fixture
def alt_config(use_config):
    return use_config(ALT_CONFIG)


@pytest.fixture
def shipped(monkeypatch):
    """The shipped config, which the scenes read too."""
    monkeypatch.setenv(config.ENV_VAR, str(config.DEFAULT_CONFIG))
    return config.load(config.DEFAULT_CONFIG)


@pytest.fixture
def default_config(shipped):
    return shipped
