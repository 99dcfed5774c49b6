"""Cost surfaces of batches: the slides' table, closed-form minimisers, shuffled epochs, runs against torch."""
from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
import torch

from mathcore import batches, config
from mathcore.errors import ConfigError

from .cli_checks import assert_config_error, assert_one_line_exit_2, run_cli, run_json, run_to_files

# The slides' table ("cost surfaces are different for different data sets").
SLIDE_X = [0.97, 0.016, 0.87, 0.70, 0.11, 0.023, 0.65, 0.27, 0.21, 0.087]
SLIDE_Y = [2.0, 0.025, 1.4, 1.5, 0.19, 0.048, 1.4, 0.55, 0.40, 0.19]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MATHCORE_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def result():
    return batches._compute(config.load())


def test_shipped_table_is_the_slides():
    x, y = batches.table(config.load())
    assert x.tolist() == SLIDE_X and y.tolist() == SLIDE_Y


def lstsq_slope(x, y) -> float:
    """The least-squares w of y ≈ w x, by numpy's solver (not the Σxy/Σx² formula)."""
    return float(np.linalg.lstsq(np.asarray(x)[:, None], np.asarray(y), rcond=None)[0][0])


def test_full_minimiser_and_curve(result):
    assert result["full"]["minimiser"] == pytest.approx(lstsq_slope(SLIDE_X, SLIDE_Y), rel=1e-12)
    w = torch.tensor(result["w"], dtype=torch.float64)
    x, y = torch.tensor(SLIDE_X, dtype=torch.float64), torch.tensor(SLIDE_Y, dtype=torch.float64)
    ref = ((y[None, :] - w[:, None] * x[None, :]) ** 2).sum(dim=1)
    np.testing.assert_allclose(result["full"]["loss"], ref.numpy(), rtol=1e-12)
    a, b, c = result["full"]["quadratic"]  # L(w) = a w² − 2 b w + c
    np.testing.assert_allclose(a * w.numpy() ** 2 - 2 * b * w.numpy() + c, ref.numpy(), rtol=1e-9, atol=1e-12)


def test_minimiser_is_where_autograd_gradient_vanishes():
    x, y = np.array(SLIDE_X[:4]), np.array(SLIDE_Y[:4])
    w = torch.tensor(batches.minimiser(x, y), dtype=torch.float64, requires_grad=True)
    ((torch.tensor(y) - w * torch.tensor(x)) ** 2).sum().backward()
    assert abs(w.grad.item()) < 1e-12
    assert batches.gradient(0.3, x, y) == pytest.approx(-2 * sum(xi * (yi - 0.3 * xi) for xi, yi in zip(x, y)))


def test_random_batches(result):
    cfg = config.load().batches
    rand = result["random_batches"]
    assert len(rand) == cfg.random_batches
    for b in rand:
        assert len(set(b["rows"])) == cfg.random_batch_size == 3
        assert all(0 <= r < 10 for r in b["rows"])
        xs, ys = [SLIDE_X[r] for r in b["rows"]], [SLIDE_Y[r] for r in b["rows"]]
        assert b["minimiser"] == pytest.approx(lstsq_slope(xs, ys), rel=1e-12)
        i = int(np.argmin(b["loss"]))  # the curve's lowest grid point is next to the minimiser
        assert abs(result["w"][i] - b["minimiser"]) <= result["w"][1] - result["w"][0]
    assert batches.random_batches(10, 3, 5, 0) == batches.random_batches(10, 3, 5, 0)  # repeatable
    assert batches.random_batches(10, 3, 5, 0) != batches.random_batches(10, 3, 5, 1)


def test_every_epoch_is_a_permutation_of_all_rows(result):
    for run in result["runs"]:
        b = run["batch_size"]
        by_epoch: dict[int, list[int]] = {}
        for s in run["steps"]:
            assert 1 <= len(s["rows"]) <= b
            by_epoch.setdefault(s["epoch"], []).extend(s["rows"])
        assert sorted(by_epoch) == list(range(1, run["epochs"] + 1))
        for rows in by_epoch.values():
            assert sorted(rows) == list(range(10))
        assert len(run["steps"]) == run["epochs"] * math.ceil(10 / b)
        orders = {tuple(rows) for rows in by_epoch.values()}
        assert len(orders) > 1  # shuffled each epoch, not once


def test_runs_agree_with_torch_sgd_fed_the_same_batches(result):
    x, y = torch.tensor(SLIDE_X, dtype=torch.float64), torch.tensor(SLIDE_Y, dtype=torch.float64)
    for run in result["runs"]:
        w = torch.tensor([run["w0"]], dtype=torch.float64, requires_grad=True)
        opt = torch.optim.SGD([w], lr=run["lr"])
        for s in run["steps"]:
            rows = torch.tensor(s["rows"])
            assert s["w_before"] == pytest.approx(w.item(), abs=1e-12)
            errors = (y[rows] - w * x[rows]) ** 2
            loss = errors.mean() if run["reduction"] == "mean" else errors.sum()
            assert s["batch_loss"] == pytest.approx(loss.item(), rel=1e-12)
            opt.zero_grad()
            loss.backward()
            assert s["gradient"] == pytest.approx(w.grad.item(), rel=1e-12, abs=1e-15)
            opt.step()
            assert s["w_after"] == pytest.approx(w.item(), abs=1e-12)
            xs, ys = [SLIDE_X[r] for r in s["rows"]], [SLIDE_Y[r] for r in s["rows"]]
            assert s["batch_minimiser"] == pytest.approx(lstsq_slope(xs, ys), rel=1e-12)
            a, b, c = s["quadratic"]  # the batch's parabola (summed), at w_before, is the batch loss
            share = 1 / len(s["rows"]) if run["reduction"] == "mean" else 1.0
            before = s["w_before"]
            assert share * (a * before ** 2 - 2 * b * before + c) == pytest.approx(s["batch_loss"], abs=1e-10)
        assert run["final_w"] == pytest.approx(w.item(), abs=1e-12)
        assert not run["diverged"]
    assert [r["kind"] for r in result["runs"]] == ["SGD", "minibatch", "minibatch", "minibatch"]


def test_batch_size_makes_a_visible_difference_in_the_shipped_config(result):
    """Smaller batches wander further around the all-data minimum (the slides' point), in mathcore's runs,
    which the test above checks step by step against torch.optim.SGD."""
    runs = {r["batch_size"]: r for r in result["runs"]}
    epochs = runs[1]["epochs"]
    spread = {}
    for size, run in runs.items():
        late = [s["w_after"] for s in run["steps"] if s["epoch"] > epochs / 2]
        assert run["late"] == pytest.approx([min(late), max(late)])
        spread[size] = max(late) - min(late)
        # the trace is w0 and then w after each step, at its position in epochs
        assert run["trace"][0] == pytest.approx([0.0, run["w0"]])
        assert run["trace"][-1] == pytest.approx([epochs, run["final_w"]])
    assert spread[1] > 2 * spread[max(runs)]  # stochastic GD wanders at least twice as far as the largest batch
    full = lstsq_slope(SLIDE_X, SLIDE_Y)
    for run in runs.values():  # every run ends near the all-data minimum, inside the trace's range
        lo, hi = result["trace_range"]
        assert abs(run["final_w"] - full) < 0.2 and all(lo <= w <= hi for _, w in run["trace"])
        assert result["late_range"][0] < run["late"][0] <= run["late"][1] < result["late_range"][1]


def test_random_batches_have_distinct_minima_and_scaled_curves_fill_the_plot(result):
    minima = sorted(b["minimiser"] for b in result["random_batches"])
    assert min(b - a for a, b in zip(minima, minima[1:])) > 0.02  # five ticks that can be told apart
    x, y = np.array(SLIDE_X), np.array(SLIDE_Y)
    w = np.asarray(result["w"])
    for b in result["random_batches"]:
        scaled = batches.scaled_loss(w, x[b["rows"]], y[b["rows"]])
        raw = [sum((y[r] - v * x[r]) ** 2 for r in b["rows"]) for v in w]
        assert scaled == pytest.approx(np.array(raw) / max(raw), rel=1e-9)
        assert scaled.max() == pytest.approx(1.0) and scaled.min() < 0.25


def test_too_large_learning_rate_diverges_at_the_step_torch_does():
    x, y = np.array(SLIDE_X), np.array(SLIDE_Y)
    run = batches.train(x, y, batch_size=10, lr=5.0, epochs=400, w0=0.0, seed=0)
    assert run["diverged"] and run["steps"]
    assert all(math.isfinite(s["w_after"]) for s in run["steps"])
    w = torch.tensor([0.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=5.0)
    xt, yt = torch.tensor(x), torch.tensor(y)
    expected = None
    for t in range(401):  # look at θ_t
        loss = ((yt - w * xt) ** 2).sum()
        opt.zero_grad()
        loss.backward()
        if not (torch.isfinite(loss) and torch.isfinite(w.grad).all()):
            expected = t
            break
        opt.step()  # θ_(t+1)
        if not torch.isfinite(w).all():
            expected = t + 1
            break
    assert expected is not None and run["diverged_at"] == expected and len(run["steps"]) == expected - 1


@pytest.mark.parametrize("text,key,expected", [
    ("[batches]\nbatch_sizes = [2, 11]\n", "batches.batch_sizes", "at most 10"),
    ("[batches]\nbatch_sizes = [0]\n", "batches.batch_sizes", "each a whole number from 1"),
    ("[batches]\nbatch_sizes = []\n", "batches.batch_sizes", "a list of at least 1 batch sizes"),
    ("[batches]\nrandom_batch_size = 0\n", "batches.random_batch_size", "a whole number from 1"),
    ("[batches]\nrandom_batch_size = 12\n", "batches.random_batch_size", "at most 10"),
    ("[batches]\nlearning_rate = -0.1\n", "batches.learning_rate", "a number above 0"),
    ("[batches]\nlearning_rate = nan\n", "batches.learning_rate", "a finite number"),
    ("[batches]\nlearning_rate = inf\n", "batches.learning_rate", "a finite number"),
    ("[batches]\nw_range = [2.0, 1.0]\n", "batches.w_range", "low < high"),
    ("[batches]\nepochs = 0\n", "batches.epochs", "a whole number from 1"),
    ("[batches]\nreduction = \"max\"\n", "batches.reduction", "mean"),
])
def test_config_errors(write_config, text, key, expected):
    assert_config_error(write_config(text), key, expected, load=lambda path: batches._compute(config.load(path)))


@pytest.mark.parametrize("csv_text,needle", [
    ("x,z\n1,2\n", "a column named 'y'"),
    ("x,y\n1,two\n", "y (line 2): expected a number"),
])
def test_bad_data_file(write_config, csv_text, needle):
    path = write_config("[batches]\ndata = \"table.csv\"\n")
    (path.parent / "table.csv").write_text(csv_text)
    with pytest.raises(ConfigError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        batches.from_config(config.load(path))


def test_cli_json_csv_plot(capsys, tmp_path):
    out, lines = run_to_files(capsys, tmp_path, ["batches", "--json", "--batch-sizes", "1,3", "--epochs", "2",
                                                 "--seed", "5"])
    data = json.loads(out)
    assert set(data) >= {"w", "full", "random_batches", "runs"}
    assert [r["batch_size"] for r in data["runs"]] == [1, 3] and data["runs"][0]["seed"] == 5
    assert lines[0].startswith("batch_size,step,epoch,rows,batch_minimiser") and len(lines) == 1 + 2 * 10 + 2 * 4


def test_cli_table(capsys):
    code, out, _ = run_cli(capsys, ["batches"])
    assert code == 0 and "w* = 1.96" in out and "SGD" in out  # Σxy/Σx² = 1.9614, at three digits


@pytest.mark.parametrize("args,needle", [
    (["batches", "--lr", "-1"], "batches.learning_rate"),
    (["batches", "--batch-sizes", "2,20"], "batches.batch_sizes"),
    (["batches", "--batch-sizes", "0"], "batches.batch_sizes"),
    (["batches", "--batch-sizes", "2,x"], "--batch-sizes"),
])
def test_cli_bad_input(capsys, args, needle):
    assert_one_line_exit_2(capsys, args, needle)


def test_json_byte_identical_and_torch_free():
    code = ("import sys; from mathcore.cli import main\ntry:\n main(['batches','--json'])\n"
            "except SystemExit: pass\nprint('torch' in sys.modules, file=sys.stderr)")
    env = {"MATHCORE_CACHE": "off", "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
            for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout and runs[0].stderr.strip().endswith("False")


def test_cache_follows_config_and_data(tmp_path, monkeypatch, write_config):
    monkeypatch.setenv("MATHCORE_CACHE", str(tmp_path / "c"))
    first = batches.from_config(config.load())
    assert batches.from_config(config.load()) == first and len(list((tmp_path / "c").iterdir())) == 1
    batches.from_config(config.load(overrides={"batches": {"learning_rate": 0.01}}))
    assert len(list((tmp_path / "c").iterdir())) == 2
    path = write_config("[batches]\ndata = \"table.csv\"\n")
    table = path.parent / "table.csv"
    table.write_text("x,y\n1,2\n2,3\n3,5\n4,9\n")
    a = batches.from_config(config.load(path))
    table.write_text("x,y\n1,2\n2,3\n3,5\n4,8\n")  # same config, new data: recomputed
    b = batches.from_config(config.load(path))
    assert a.full["minimiser"] == pytest.approx(lstsq_slope([1, 2, 3, 4], [2, 3, 5, 9]))
    assert b.full["minimiser"] == pytest.approx(lstsq_slope([1, 2, 3, 4], [2, 3, 5, 8]))


def test_the_result_is_a_typed_frozen_record(capsys):
    """batches.from_config returns a frozen dataclass whose fields are the JSON's keys, in order."""
    import dataclasses

    cfg = config.load(config.DEFAULT_CONFIG)
    result = batches.from_config(cfg)
    assert [r["batch_size"] for r in result.runs] == list(cfg.batches.batch_sizes)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.runs = []  # type: ignore[misc]
    assert list(run_json(capsys, ["batches", "--json"])) == [f.name for f in dataclasses.fields(result)]


@pytest.mark.parametrize("n_rows, batch_size", [(10, 1), (10, 2), (10, 3), (10, 4), (10, 10), (8, 3), (8, 5), (7, 7),
                                                (13, 4), (1, 1)])
def test_epoch_sizes_are_torch_dataloaders_batches(n_rows, batch_size):
    """The rows per batch of one epoch, in order: what torch's DataLoader yields without drop_last."""
    loader = torch.utils.data.DataLoader(torch.arange(n_rows), batch_size=batch_size, shuffle=True, drop_last=False)
    assert batches.epoch_sizes(n_rows, batch_size) == [len(b) for b in loader]


def test_every_run_records_its_last_batch(result):
    """Each run's last batch of an epoch, as many rows as torch's DataLoader's last batch for the table."""
    for run in result["runs"]:
        loader = torch.utils.data.DataLoader(torch.arange(len(SLIDE_X)), batch_size=run["batch_size"])
        assert run["last_batch"] == len(list(loader)[-1])
        assert all(len(s["rows"]) == run["last_batch"] for s in run["steps"][run["steps_per_epoch"] - 1::
                                                                              run["steps_per_epoch"]])
