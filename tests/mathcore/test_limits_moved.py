"""mathcore has no scene's limits (issue 14): lists longer than a scene draws are computed, and right.

Each list here is one longer than its old cap in mathcore's validators (the cap now lives in the scene
that draws the list, LectureScene.LIMITS; tests/scenes/test_lecture_cli.py checks the scene refuses).
Expected numbers come from torch or numpy written here, never from the mathcore code under test.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from mathcore import config, playground

from .cli_checks import run_json
from .test_gd import torch_iterates


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MATHCORE_CACHE", str(tmp_path / "cache"))


def test_gd_runs_13_learning_rates_like_torch_sgd(capsys):
    """Old cap 12; GradientDescentUpdate shows runs one after another, so it takes any number."""
    lrs = [0.05 + 0.1 * k for k in range(13)]
    steps, w0 = 12, -0.5
    data = run_json(capsys, ["gd", "--json", "--lr", ",".join(map(str, lrs)), "--steps", str(steps),
                             "--w0", str(w0)])
    sec = config.load(config.DEFAULT_CONFIG).gd  # the cost's shape: w*, a, k, b
    assert [r["lr"] for r in data["runs"]] == pytest.approx(lrs)
    for run in data["runs"]:
        expected = torch_iterates(dataclasses.replace(sec, w0=w0), run["lr"], steps)  # torch.optim.SGD
        assert run["w"] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_minima_runs_13_starts_like_numpy_gradient_descent(capsys):
    """Old cap 12; LocalMinima draws 5 (one ball colour each). C'(w1) in closed form, numpy, not torch."""
    starts = [-6.0 + k for k in range(13)]
    lr, steps = 1.0, 40
    data = run_json(capsys, ["minima", "--json", "--starts", ",".join(map(str, starts)), "--lr", str(lr),
                             "--steps", str(steps)])
    x1, x2, y = (np.asarray(data["data"][k], dtype=float) for k in ("x1", "x2", "y"))
    w2 = data["w2"]
    assert [r["start"] for r in data["runs"]] == starts
    for run in data["runs"]:
        w, expected = run["start"], []
        for _ in range(steps + 1):
            expected.append(w)
            o = 1 / (1 + np.exp(-(w * x1 + w2 * x2)))
            w -= lr * np.mean(2 * (o - y) * o * (1 - o) * x1)  # d/dw1 of mean (y - o)²
        assert run["w1"] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_manifold_trains_17_classifier_seeds_like_torch(capsys):
    """Old caps 16 seeds and 4 layers; DataManifold draws 5 seeds (one boundary colour each) and no network.
    Each MLP retrained here in torch."""
    seeds, steps, hidden, lr = list(range(1, 18)), 25, [4, 3, 4, 3, 4], 0.05
    data = run_json(capsys, ["manifold", "--json", "--steps", str(steps), "--grid-size", "10", "--learning-rate",
                             str(lr), "--hidden", ",".join(map(str, hidden)), "--activation", "tanh",
                             "--classifier-seeds", ",".join(map(str, seeds))])
    hyp = next(d for d in data["datasets"] if d["name"] == "hypothetical")
    assert [c["seed"] for c in hyp["classifiers"] if c["kind"] == "mlp"] == seeds
    points, labels = np.asarray(hyp["points"], dtype=float), np.asarray(hyp["labels"], dtype=float)
    mean, std = points.mean(axis=0), points.std(axis=0)
    x = torch.tensor((points - mean) / std)
    blue = torch.tensor((np.asarray(hyp["blue_point"], dtype=float) - mean) / std)[None, :]
    for c in hyp["classifiers"][1:]:
        torch.manual_seed(c["seed"])
        sizes, layers = [2, *hidden, 1], []
        for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers += [torch.nn.Linear(a, b, dtype=torch.float64)] + ([torch.nn.Tanh()] if k < len(hidden) else [])
        net = torch.nn.Sequential(*layers)
        opt = torch.optim.Adam(net.parameters(), lr=lr)
        for _ in range(steps):
            opt.zero_grad()
            torch.nn.functional.binary_cross_entropy_with_logits(net(x)[:, 0], torch.tensor(labels)).backward()
            opt.step()
        with torch.no_grad():
            assert c["blue_prob"] == pytest.approx(torch.sigmoid(net(blue)).item(), rel=1e-9, abs=1e-12)


def test_playground_trains_7_hidden_layers_and_its_loss_is_its_weights_loss():
    """Old caps 6 layers of 64 (and MAX_DEPTH 6 in the depth ladder); ActivationPlayground draws 2 layers (its
    ladder, 0 to 4 layers, fills the row) of 8. The recorded train loss is the BCE of the recorded weights,
    in numpy here."""
    hidden = [3] * 6 + [65]  # 65: past the old width cap of 64 too
    values = {"epochs": 4, "hidden": hidden, "snapshot_epochs": [0, 4], "snapshot_grid": 4,
              "dataset": "circle", "activation": "tanh", "seed": 1}
    cfg = config.load(config.DEFAULT_CONFIG, overrides={"playground": values})
    run = playground.single_run(cfg)
    assert run.layers == [2, *hidden, 1] and not run.diverged
    X, y, _, _ = playground.data(cfg, "circle")
    for snap in run.snapshots:
        h = np.asarray(X, dtype=float)
        for k, layer in enumerate(snap["weights"]):
            h = h @ np.asarray(layer["weight"], dtype=float).T + np.asarray(layer["bias"], dtype=float)
            if k < len(snap["weights"]) - 1:
                h = np.tanh(h)
        z, t = h[:, 0], np.asarray(y, dtype=float)
        bce = np.mean(np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z))))
        assert run.train_loss[snap["epoch"]] == pytest.approx(bce, rel=1e-9)
    assert [len(h) for h in playground.depth_ladder(hidden)] == list(range(15))  # 0 to 14 layers of 65


def test_playground_takes_17_xor_seeds_and_5_activations():
    """Old caps 16 and 4: LocalMinima shows the first good and stalled seeds, ActivationPlayground draws 4."""
    cfg = config.load(config.DEFAULT_CONFIG, overrides={"playground": {
        "xor_good_seeds": list(range(17)), "xor_stalled_seeds": list(range(17, 34)),
        "compare_activations": ["relu", "tanh", "sigmoid", "linear", "relu"],
        "epochs": 1, "snapshot_epochs": [0, 1], "snapshot_grid": 2}})
    assert len(cfg.playground.xor_good_seeds) == len(cfg.playground.xor_stalled_seeds) == 17
    runs = playground.compare_runs(cfg)
    assert [r.activation for r in runs] == ["relu", "tanh", "sigmoid", "linear", "relu"]
    assert runs[0].train_loss == runs[4].train_loss  # the same network, seed and data


WELLS_11 = """[optim]
surface_centres = [[-1.0, -1.0], [-0.5, 0.8], [0.0, 0.0], [0.6, -0.7], [1.0, 1.0], [-1.2, 0.2], [0.3, 1.2],
                   [1.2, -0.1], [-0.3, -1.2], [0.8, 0.4], [-0.8, -0.3]]
surface_depths = [0.5, 0.8, 1.0, 0.7, 0.9, 0.6, 0.4, 0.8, 0.5, 0.3, 0.7]
surface_widths = [0.3, 0.25, 0.35, 0.3, 0.3, 0.2, 0.3, 0.25, 0.3, 0.2, 0.3]
"""


@pytest.mark.parametrize("wells", [None, WELLS_11], ids=["shipped wells", "11 wells"])
def test_race_runs_11_entrants_like_numpy_on_the_wells(capsys, tmp_path, wells):
    """Old caps 10 entrants and 10 wells; EscapingLocalMinima draws 5 entrants (one colour and legend row each).
    GD and the heavy ball (v ← μ v + g, θ ← θ − η v) on the wells' closed-form gradient, numpy."""
    names = ["gd", "momentum"] * 5 + ["gd"]
    steps = 15
    path = config.DEFAULT_CONFIG
    if wells:
        path = tmp_path / "wells.toml"
        path.write_text(wells)
    data = run_json(capsys, ["race", "--json", "--problem", "surface", "--race", ",".join(names),
                             "--steps", str(steps), "--config", str(path)])
    o = config.load(path).optim
    assert len(o.surface_centres) == (11 if wells else 3)
    c, d, s = (np.asarray(v, dtype=float) for v in (o.surface_centres, o.surface_depths, o.surface_widths))

    def grad(p):
        bumps = d * np.exp(-((p - c) ** 2).sum(axis=1) / (2 * s**2))
        return o.surface_bowl * p + ((bumps / s**2)[:, None] * (p - c)).sum(axis=0)

    assert [e["optimiser"] for e in data["entrants"]] == names
    for e in data["entrants"]:
        p, v, expected = np.asarray(o.start, dtype=float), np.zeros(2), [list(o.start)]
        for _ in range(steps):
            if e["optimiser"] == "gd":
                p = p - o.gd_lr * grad(p)
            else:
                v = o.momentum * v + grad(p)
                p = p - o.momentum_lr * v
            expected.append(p.tolist())
        assert np.allclose(e["theta"], expected, rtol=1e-9, atol=1e-12)


def test_relu_transform_takes_9_matrices_of_any_rows_like_numpy(capsys, tmp_path):
    """Old cap 8 matrices (ReluTransform draws 4, each with 3 rows); W x and ReLU(W x) in numpy."""
    rng = np.random.default_rng(5)
    mats = [np.round(rng.uniform(-2, 2, (rows, 2)), 2) for rows in (2, 5, 3, 1, 4, 3, 3, 8, 2)]
    path = tmp_path / "geo.toml"
    path.write_text("[geometry]\nmatrices = " + repr([m.tolist() for m in mats]) + "\n")
    data = run_json(capsys, ["relu-transform", "--json", "--config", str(path)])
    assert len(data["matrices"]) == 9
    x = np.asarray(data["x"], dtype=float)
    for W, m in zip(mats, data["matrices"]):
        assert m["rows"] == W.tolist()
        assert m["wx"] == pytest.approx((W @ x).tolist(), rel=1e-12, abs=1e-12)
        assert m["relu"] == pytest.approx(np.maximum(W @ x, 0).tolist(), rel=1e-12, abs=1e-12)


def test_batches_runs_11_batch_sizes_each_step_on_its_own_rows(capsys):
    """Old cap 10; BatchCostSurfaces draws 5 (the range bars fit). Every step, numpy: w ← w + η mean 2x(y − w x)
    over that step's rows (mean reduction, as shipped), and each epoch's rows are every row once."""
    import csv

    sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 3]
    lr, epochs = 0.5, 3
    data = run_json(capsys, ["batches", "--json", "--batch-sizes", ",".join(map(str, sizes)), "--lr", str(lr),
                             "--epochs", str(epochs)])
    b = config.load(config.DEFAULT_CONFIG).batches
    assert b.reduction == "mean"
    with open(config.REPO_ROOT / "assets" / "data" / b.data, newline="") as fh:
        rows = list(csv.DictReader(fh))
    x, y = (np.array([float(r[k]) for r in rows]) for k in ("x", "y"))
    assert [r["batch_size"] for r in data["runs"]] == sizes
    for run in data["runs"]:
        w = b.w0
        for step in run["steps"]:
            xb, yb = x[step["rows"]], y[step["rows"]]
            assert step["w_before"] == pytest.approx(w, rel=1e-12, abs=1e-12)
            w = w + lr * np.mean(2 * xb * (yb - w * xb))
            assert step["w_after"] == pytest.approx(w, rel=1e-12, abs=1e-12)
        for epoch in range(1, epochs + 1):
            seen = sorted(r for s in run["steps"] if s["epoch"] == epoch for r in s["rows"])
            assert seen == list(range(len(x)))


def test_approximation_fits_6_hidden_layers_like_torch(capsys):
    """Old cap 4 layers (no scene draws this network): the 6-layer fit retrained here in torch (Adam on the
    mean squared error, inputs mapped to [-1, 1] over the training range), its predictions compared."""
    hidden, steps, lr = [8] * 6, 30, 0.01
    data = run_json(capsys, ["approximation", "--json", "--hidden", ",".join(map(str, hidden)), "--steps",
                             str(steps), "--learning-rate", str(lr), "--activation", "tanh", "--seed", "3"])
    lo, hi = data["train_range"]
    for fit in data["fits"]:
        torch.manual_seed(3)
        sizes = [1, *hidden, 1]
        layers = []
        for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers += [torch.nn.Linear(a, b, dtype=torch.float64)] + ([torch.nn.Tanh()] if k < len(hidden) else [])
        net = torch.nn.Sequential(*layers)
        x = torch.tensor((np.asarray(fit["train_x"]) - (lo + hi) / 2) / ((hi - lo) / 2))[:, None]
        y = torch.tensor(fit["train_y"], dtype=torch.float64)[:, None]
        opt = torch.optim.Adam(net.parameters(), lr=lr)
        for _ in range(steps):
            opt.zero_grad()
            torch.mean((net(x) - y) ** 2).backward()
            opt.step()
        with torch.no_grad():
            assert fit["train_predicted"] == pytest.approx(net(x)[:, 0].tolist(), rel=1e-9, abs=1e-12)


def test_rule_game_plays_101_reveals_like_python(capsys, tmp_path):
    """Old cap 100 reveals (HiddenRuleGame draws 13 a column). Numbers 0000..0100, a win above 50: the first
    number each 'iff' hypothesis gets wrong, computed here."""
    numbers = [f"{k:04d}" for k in range(101)]
    outcomes = ["win" if k > 50 else "lose" for k in range(101)]
    path = tmp_path / "game.toml"
    path.write_text("[rule_game]\nnumbers = %s\noutcomes = %s\nrounds = [4, 101]\n"
                    % (str(numbers).replace("'", '"'), str(outcomes).replace("'", '"')))
    data = run_json(capsys, ["rule-game", "--json", "--config", str(path)])
    assert [r["number"] for r in data["reveals"]] == numbers
    rules = {"above_6000": lambda k: k > 6000, "div3": lambda k: k % 3 == 0, "div12": lambda k: k % 12 == 0,
             "prime": lambda k: k > 1 and all(k % d for d in range(2, int(k**0.5) + 1))}
    by_id = {h["id"]: h for h in data["hypotheses"]}
    for hid, good in rules.items():
        first = next(n for n, o in zip(numbers, outcomes) if good(int(n)) != (o == "win"))
        assert by_id[hid]["eliminated_by"] == first, hid
