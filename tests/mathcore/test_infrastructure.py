"""The shared pieces: cache keys follow config and code, CSV loading errors, atomic writes."""
from __future__ import annotations

import json
import types

import pytest

from mathcore import cache, config, data, output
from mathcore.errors import ConfigError


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_cache_hits_for_the_same_config_and_misses_after_an_edit(cache_folder, write_config):
    calls = []

    def compute(cfg):
        calls.append(cfg.chain.x)
        return {"x": cfg.chain.x}

    base = config.load(config.DEFAULT_CONFIG)
    assert cache.cached("run", base, ("chain",), lambda: compute(base)) == {"x": 1.0}
    assert cache.cached("run", base, ("chain",), lambda: compute(base)) == {"x": 1.0}
    assert calls == [1.0]  # second call came from disk

    edited = config.load(write_config("[chain]\nx = 2.5\n"))
    assert cache.cached("run", edited, ("chain",), lambda: compute(edited)) == {"x": 2.5}
    assert calls == [1.0, 2.5]  # a config edit recomputes

    # An edit to a section the run does not read keeps the cached result.
    other = config.load(write_config("[tree]\na = 3.0\n", "other.toml"))
    cache.cached("run", other, ("chain",), lambda: compute(other))
    assert calls == [1.0, 2.5]


def test_cache_key_follows_the_code(tmp_path):
    cfg = config.load(config.DEFAULT_CONFIG)
    source = tmp_path / "mod.py"
    source.write_text("A = 1\n")
    mod = types.SimpleNamespace(__file__=str(source))
    before = cache.key_for("run", cfg, ("chain",), (mod,))
    source.write_text("A = 2\n")
    assert cache.key_for("run", cfg, ("chain",), (mod,)) != before


def test_cache_off(monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, "off")
    cfg = config.load(config.DEFAULT_CONFIG)
    calls = []
    for _ in range(2):
        cache.cached("run", cfg, ("chain",), lambda: calls.append(1) or {})
    assert len(calls) == 2


def test_load_table(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("x,y\n1,2\n3.5,-4\n")
    table = data.load_table(path, ["x", "y"])
    assert table["x"].tolist() == [1.0, 3.5] and table["y"].tolist() == [2.0, -4.0]


@pytest.mark.parametrize("text,key,expected", [
    ("x\n1\n", "y", "a column named 'y'"),
    ("x,y\n1,abc\n", "y (line 2)", "a number"),
    ("x,y\n1,nan\n", "y (line 2)", "a finite number"),
    ("x,y\n", "(rows)", "at least one data row"),
])
def test_load_table_errors_name_file_and_column(tmp_path, text, key, expected):
    path = tmp_path / "t.csv"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        data.load_table(path, ["x", "y"])
    assert str(info.value).startswith(f"{path}: {key}: expected {expected}")


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.csv"

    def boom(tmp):
        tmp.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        output.atomic_write(target, boom)
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_json_output_is_clean(capsys):
    import numpy as np

    output.print_json({"a": np.float64(0.5), "b": np.arange(3), "c": float("nan")})
    assert json.loads(capsys.readouterr().out) == {"a": 0.5, "b": [0, 1, 2], "c": None}
