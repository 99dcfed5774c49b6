"""mathcore's CLI contracts (docs/ARCHITECTURE.md): JSON keys, overrides, and no torch where none is needed."""
from __future__ import annotations

import subprocess
import sys

import pytest

from mathcore.cli import main

from .cli_checks import run_json


def test_chain_json_contract(capsys):
    data = run_json(capsys, ["chain", "--json"])
    for key in ("x", "w", "b", "activation", "z", "h", "output", "grad_z", "grad_w", "grad_b"):
        assert key in data
    assert data["h"] == pytest.approx([0.1, 0.08, 0.192])
    assert data["grad_w"] == pytest.approx([0.02, -0.01, 0.08])


def test_chain_overrides(capsys):
    data = run_json(capsys, ["chain", "--json", "--x", "2", "--w", "1,-1", "--b", "0,0.5", "--activation", "linear"])
    assert data["w"] == [1.0, -1.0] and data["activation"] == "linear"
    assert data["h"] == pytest.approx([2.0, -1.5])  # z1 = 2, z2 = -2 + 0.5
    assert data["grad_w"] == pytest.approx([-2.0, 2.0])  # ∂h2/∂w1 = w2·x, ∂h2/∂w2 = h1


def test_config_flag(capsys, write_config):
    path = write_config("[chain]\nw = [2.0]\nb = [1.0]\n")
    data = run_json(capsys, ["chain", "--json", "--config", str(path)])
    assert data["h"] == [3.0]


def test_tree_json_contract(capsys):
    data = run_json(capsys, ["tree", "--json"])
    assert set(data) >= {"nodes", "edges", "order"}
    for node in data["nodes"]:
        assert {"id", "label", "kind", "value", "grad"} <= set(node)
        assert node["kind"] in ("leaf", "op", "output")
    for edge in data["edges"]:
        assert {"from", "to", "local_grad"} <= set(edge)
    leaves = {n["label"] for n in data["nodes"] if n["kind"] == "leaf"}
    assert leaves == {"a", "b", "c", "x0"}
    assert sorted(data["order"]) == sorted(n["id"] for n in data["nodes"])


def test_table_output_is_readable(capsys):
    with pytest.raises(SystemExit):
        main(["chain"])
    out = capsys.readouterr().out
    assert "0.192" in out and "0.02" in out


def test_json_is_byte_identical_across_runs():
    cmd = [sys.executable, "-m", "mathcore", "tree", "--json"]
    first = subprocess.run(cmd, capture_output=True, check=True).stdout
    second = subprocess.run(cmd, capture_output=True, check=True).stdout
    assert first == second


def test_chain_does_not_import_torch():
    code = ("import sys; from mathcore.cli import main\ntry:\n main(['chain','--json'])\nexcept SystemExit: pass\n"
            "print('torch' in sys.modules, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr.strip().endswith("False")


@pytest.mark.parametrize("args", [
    ["chain", "--json"], ["gd", "--json"], ["minima", "--json", "--no-runs"], ["rule-game", "--json"],
    ["dot-products", "--json"], ["relu-transform", "--json"], ["batches", "--json"], ["optim", "--json"],
    ["race", "--json"],
])
def test_commands_that_need_no_torch_do_not_import_it(args, tmp_path):
    code = ("import sys; from mathcore.cli import main\n"
            f"try:\n main({args!r})\nexcept SystemExit as e:\n assert e.code in (0, None), e.code\n"
            "print('torch' in sys.modules, file=sys.stderr)")
    env = {**__import__("os").environ, "MATHCORE_CACHE": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stderr.strip().endswith("False")
