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
def alt_config(tmp_path, monkeypatch):
    path = tmp_path / "alt.toml"
    path.write_text(ALT_CONFIG)
    monkeypatch.setenv(config.ENV_VAR, str(path))
    return config.load(path)


@pytest.fixture
def default_config(monkeypatch):
    monkeypatch.setenv(config.ENV_VAR, str(config.DEFAULT_CONFIG))
    return config.load(config.DEFAULT_CONFIG)
