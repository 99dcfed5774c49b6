"""Part 2: the shipped data has exactly three local minima of C(w1), with 5, 3 and 2 errors by increasing w1.

The proofs here read the CSV with the csv module and evaluate C with 1/(1 + exp(−z)) in
torch, independently of mathcore.minima's numpy (tanh) code.
"""
from __future__ import annotations

import csv
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

from mathcore import config, minima, minima_search
from mathcore.cli import main
from mathcore.data import DATA_DIR
from mathcore.errors import ConfigError

from .cli_checks import assert_one_line_exit_2, run_json, run_to_files

CSV = DATA_DIR / "minima.csv"


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MATHCORE_CACHE", str(tmp_path / "cache"))


def read_points():
    with open(CSV, newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [(float(r["x1"]), float(r["x2"]), int(r["y"])) for r in rows]


def torch_cost(w1: torch.Tensor, points, w2=1.0) -> torch.Tensor:
    x1, x2, y = (torch.tensor(c, dtype=torch.float64) for c in zip(*points))
    o = 1.0 / (1.0 + torch.exp(-(w1[..., None] * x1 + w2 * x2)))
    return ((y - o) ** 2).mean(-1)


def direct_errors(w1: float, points, w2=1.0) -> list[int]:
    """Row indices of the points the rule o >= 0.5 gets wrong, one point at a time."""
    wrong = []
    for i, (x1, x2, y) in enumerate(points):
        o = 1.0 / (1.0 + np.exp(-(w1 * x1 + w2 * x2)))
        if (1 if o >= 0.5 else 0) != y:
            wrong.append(i)
    return wrong


@pytest.fixture(scope="module")
def dense():
    """C on 200 001 points of the shipped range, and the grid minima of a finite-difference derivative."""
    cfg = config.load(config.DEFAULT_CONFIG)
    lo, hi = cfg.minima.w1_range
    w = torch.linspace(lo, hi, 200_001, dtype=torch.float64)
    c = torch_cost(w, read_points()).numpy()
    d = np.diff(c)  # forward differences
    mins = np.flatnonzero((d[:-1] < 0) & (d[1:] > 0)) + 1
    maxs = np.flatnonzero((d[:-1] > 0) & (d[1:] < 0)) + 1
    return w.numpy(), c, d, mins, maxs


def test_exactly_three_local_minima_with_5_3_2_errors(dense):
    w, c, d, mins, maxs = dense
    assert len(mins) == 3 and len(maxs) == 2
    assert not np.any(d == 0)  # no flat spot could hide a minimum between grid points
    assert d[0] < 0 < d[-1]  # the ends of the range are not minima either
    points = read_points()
    assert [len(direct_errors(w[k], points)) for k in mins] == [5, 3, 2]
    # minima and maxima alternate, and each minimum sits in a real dip (visible on a plot)
    assert mins[0] < maxs[0] < mins[1] < maxs[1] < mins[2]
    barriers = [c[maxs[0]] - c[mins[0]], c[maxs[0]] - c[mins[1]], c[maxs[1]] - c[mins[1]], c[maxs[1]] - c[mins[2]]]
    assert min(barriers) > 0.05


def test_no_other_minimum_outside_the_range():
    # beyond the range C' keeps its sign all the way out (dC/dw1 from torch autograd)
    points = read_points()
    for ws, sign in ((torch.linspace(-60, -6, 5401), -1), (torch.linspace(6, 60, 5401), 1)):
        w = ws.to(torch.float64).requires_grad_(True)
        torch_cost(w, points).sum().backward()
        g = w.grad.numpy()
        assert np.all(sign * g >= 0)


def test_find_minima_agrees_with_the_independent_proof(dense):
    w, c, d, mins, maxs = dense
    cfg = config.load(config.DEFAULT_CONFIG)
    result = minima.from_config(cfg, runs=False)
    found = result.minima
    points = read_points()
    assert [m["errors"] for m in found] == [5, 3, 2]
    assert [m["w1"] for m in found] == sorted(m["w1"] for m in found)
    step = w[1] - w[0]
    for m, k in zip(found, mins):
        assert abs(m["w1"] - w[k]) <= 2 * step
        assert m["misclassified"] == direct_errors(m["w1"], points)
        assert m["errors"] == len(m["misclassified"])
        assert m["line_slope"] == pytest.approx(-m["w1"])
        # a true minimum: autograd slope ~ 0, and C higher on both sides
        wt = torch.tensor(m["w1"], dtype=torch.float64, requires_grad=True)
        cost = torch_cost(wt, points)
        cost.backward()
        assert abs(wt.grad.item()) < 1e-9
        assert m["cost"] == pytest.approx(cost.item(), rel=1e-12)
        h = 1e-3
        assert torch_cost(torch.tensor(m["w1"] - h, dtype=torch.float64), points) > cost
        assert torch_cost(torch.tensor(m["w1"] + h, dtype=torch.float64), points) > cost


def test_cost_slope_and_errors_are_vectorised_and_match_torch():
    data = minima.load(config.load(config.DEFAULT_CONFIG))
    points = read_points()
    w = torch.linspace(-8, 8, 1001, dtype=torch.float64, requires_grad=True)
    c = torch_cost(w, points)
    c.sum().backward()
    assert minima.cost(w.detach().numpy(), data) == pytest.approx(c.detach().numpy(), rel=1e-12, abs=1e-15)
    assert minima.slope(w.detach().numpy(), data) == pytest.approx(w.grad.numpy(), rel=1e-9, abs=1e-13)
    assert minima.cost(0.25, data) == pytest.approx(torch_cost(torch.tensor(0.25, dtype=torch.float64), points).item())
    sample = np.linspace(-6, 6, 97)
    assert minima.errors(sample, data).tolist() == [len(direct_errors(v, points)) for v in sample]
    # a grid bigger than one block of the vectorised code
    w1, cgrid = minima.grid(data, -6, 6, 3 * minima.CHUNK + 5)
    assert w1.shape == cgrid.shape == (3 * minima.CHUNK + 5,)
    assert cgrid[-1] == pytest.approx(minima.cost(6.0, data))


def test_classification_rule_at_the_boundary():
    data = minima.Data(np.array([1.0, 1.0]), np.array([0.0, 0.0]), np.array([1.0, 0.0]))
    # z = 0 exactly: o = 0.5, which the rule calls class 1
    assert minima.classify(0.0, data).tolist() == [1, 1]
    assert minima.misclassified(0.0, data) == [1]


def test_gradient_descent_runs_end_in_different_minima():
    cfg = config.load(config.DEFAULT_CONFIG)
    result = minima.from_config(cfg)
    found = result.minima
    ends = [r["minimum"] for r in result.runs]
    assert None not in ends and set(ends) == {0, 1, 2}
    lr = cfg.minima.learning_rate
    for r in result.runs:
        assert r["w1"][-1] == pytest.approx(found[r["minimum"]]["w1"], abs=1e-6)
        assert all(b <= a + 1e-15 for a, b in zip(r["cost"], r["cost"][1:]))
        assert r["diverged"] is False
        assert r["w1"][1] == pytest.approx(r["w1"][0] - lr * r["slope"][0], rel=1e-12, abs=1e-15)


def test_a_run_matches_torch_optim_sgd():
    data = minima.load(config.load(config.DEFAULT_CONFIG))
    run = minima.descend(data, 1.5, 0.8, 50)
    w = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.8)
    points = read_points()
    ws = [w.item()]
    for _ in range(50):
        opt.zero_grad()
        torch_cost(w, points).backward()
        opt.step()
        ws.append(w.item())
    assert run.w1 == pytest.approx(ws, rel=1e-12, abs=1e-14)


def test_shipped_data_is_the_searched_candidate():
    x1, x2, y = minima_search.candidate(minima_search.SEED, minima_search.TRIAL)
    assert [(float(a), float(b), int(c)) for a, b, c in zip(x1, x2, y)] == read_points()
    assert minima_search.score(x1, x2, y) > 0.05


@pytest.mark.slow
def test_the_search_picks_the_shipped_trial():
    barrier, trial = minima_search.search(minima_search.SEED, minima_search.TRIALS)
    assert trial == minima_search.TRIAL and barrier > 0.05


def test_json_contract(capsys):
    data = run_json(capsys, ["minima", "--json"])
    assert [sorted(m) for m in data["minima"]] == [sorted(["w1", "cost", "errors", "misclassified", "line_slope"])] * 3
    assert [m["errors"] for m in data["minima"]] == [5, 3, 2]
    assert [m["w1"] for m in data["minima"]] == sorted(m["w1"] for m in data["minima"])
    assert all(isinstance(i, int) for m in data["minima"] for i in m["misclassified"])
    assert len(data["runs"]) == len(config.load().minima.starts)


@pytest.mark.slow
def test_json_is_byte_identical_and_no_runs_needs_no_torch(tmp_path):
    env = {**os.environ, "MATHCORE_CACHE": "off"}
    cmd = [sys.executable, "-m", "mathcore", "minima", "--json"]
    first = subprocess.run(cmd, capture_output=True, check=True, env=env).stdout
    second = subprocess.run(cmd, capture_output=True, check=True, env=env).stdout
    assert first == second and b'"minima"' in first
    code = ("import sys; from mathcore.cli import main\ntry:\n main(['minima','--json','--no-runs'])\n"
            "except SystemExit: pass\nprint('torch' in sys.modules, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr.strip().endswith("False")


def test_a_config_change_invalidates_the_cached_runs(tmp_path, monkeypatch):
    folder = tmp_path / "runs-cache"
    monkeypatch.setenv("MATHCORE_CACHE", str(folder))
    cfg = config.load(config.DEFAULT_CONFIG)
    first = minima.from_config(cfg)
    assert len(list(folder.glob("minima-runs-*.json"))) == 1
    assert minima.from_config(cfg).runs == first.runs  # from the cache
    assert len(list(folder.glob("minima-runs-*.json"))) == 1
    changed = config.load(config.DEFAULT_CONFIG, overrides={"minima": {"steps": 5}})
    again = minima.from_config(changed)
    assert len(list(folder.glob("minima-runs-*.json"))) == 2
    assert len(again.runs[0]["w1"]) == 6


def test_csv_and_plot(tmp_path, capsys):
    _, lines = run_to_files(capsys, tmp_path, ["minima", "--no-runs", "--grid-points", "101"])
    assert lines[0] == "w1,cost,errors" and len(lines) == 102
    first = lines[1].split(",")
    assert float(first[0]) == -6.0 and int(first[2]) == len(direct_errors(-6.0, read_points()))
    with pytest.raises(SystemExit):
        main(["minima", "--no-runs"])
    out = capsys.readouterr().out
    assert "2, 3, 4, 6, 7" in out or "errors" in out


@pytest.mark.parametrize(
    "body,needle",
    [
        ("x1,x2\n1,2\n", "a column named 'y'"),
        ("x1,x2,y\n1,oops,1\n", "x2 (line 2): expected a number"),
        ("x1,x2,y\n1,2,0.5\n", "y: expected class labels 0 or 1"),
    ],
)
def test_bad_data_file_is_one_line_exit_2(tmp_path, capsys, body, needle):
    (tmp_path / "bad.csv").write_text(body)
    cfg = tmp_path / "lecture.toml"
    cfg.write_text('[minima]\ndata = "bad.csv"\n')
    assert_one_line_exit_2(capsys, ["minima", "--no-runs", "--config", str(cfg)], needle)


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--lr", "-1"], "minima.learning_rate"),
        (["--lr", "nan"], "minima.learning_rate"),
        (["--starts", "1,x"], "--starts"),
        (["--grid-points", "3"], "minima.grid_points"),
    ],
)
def test_bad_flags_are_one_line_exit_2(capsys, args, needle):
    assert_one_line_exit_2(capsys, ["minima", *args], needle)


def test_config_errors_name_file_and_key(write_config):
    path = write_config("[minima]\nw1_range = [2.0, -2.0]\n")
    with pytest.raises(ConfigError, match=r"minima\.w1_range: expected \[low, high\] with low < high"):
        minima.from_config(config.load(path), runs=False)
    path = write_config("[minima]\nstarts = []\n")
    with pytest.raises(ConfigError, match=r"minima\.starts: expected a list of at least 1 numbers"):
        config.load(path)


def test_without_row_leaves_out_exactly_that_row():
    from mathcore import config, minima

    data = minima.load(config.load(config.DEFAULT_CONFIG))
    less = minima.without_row(data, 2)
    assert less.n == data.n - 1 and less.w2 == data.w2
    assert list(less.x1) == list(data.x1[:2]) + list(data.x1[3:])
    assert list(less.y) == list(data.y[:2]) + list(data.y[3:])


def test_the_result_is_a_typed_frozen_record(capsys):
    """minima.from_config returns a frozen dataclass; without runs the JSON has no "runs" key, as before."""
    import dataclasses

    result = minima.from_config(config.load(config.DEFAULT_CONFIG), runs=False)
    assert result.runs is None and "runs" not in result.to_dict()
    assert [m["errors"] for m in result.minima] == [5, 3, 2]  # the slides' three minima
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.w2 = 0.0  # type: ignore[misc]
    keys = ["minima", "order", "rule", "w2", "w1_range", "data"]
    assert list(run_json(capsys, ["minima", "--json", "--no-runs"])) == keys
