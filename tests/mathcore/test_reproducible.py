"""Same config, same JSON (docs/ARCHITECTURE.md), whatever the process: its string-hash salt, its
thread count, and with nothing taken from mathcore's cache. The commands are the ones behind the
scenes whose videos a build once re-exported with nothing changed (BatchCostSurfaces, LocalMinima,
GradientDescentUpdate): the cause was the video encoder (tests/render/test_encoder_determinism.py),
and this keeps the numbers out of suspicion.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

#: Two processes that differ in everything that must not matter.
PROCESSES = ({"PYTHONHASHSEED": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"},
             {"PYTHONHASHSEED": "2", "OMP_NUM_THREADS": "2", "MKL_NUM_THREADS": "2"})


def _json(args: list[str], env: dict) -> bytes:
    done = subprocess.run([sys.executable, "-m", "mathcore", *args],
                          env={**os.environ, **env, "MATHCORE_CACHE": "off"}, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-1000:]
    return done.stdout


@pytest.mark.parametrize("args", [
    ["batches", "--json"],
    ["gd", "--json"],
    ["minima", "--json"],  # with its torch gradient-descent runs
    pytest.param(["playground", "--runs", "xor", "--json"], marks=pytest.mark.slow),  # torch training
], ids=lambda a: a[0])
def test_json_is_the_same_in_any_process(args):
    first, second = (_json(args, env) for env in PROCESSES)
    assert first and first == second
