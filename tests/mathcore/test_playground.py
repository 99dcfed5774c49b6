"""The playground: XOR good vs stalled runs, linear cannot solve XOR, grids, run records, CLI and bad input."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from mathcore import config, playground, train
from mathcore.errors import ConfigError

from .cli_checks import assert_config_error, assert_one_line_exit_2, run_cli


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    # one cache for the module: each configured run trains once
    monkeypatch.setenv("MATHCORE_CACHE", str(tmp_path_factory.getbasetemp() / "playground-cache"))


@pytest.fixture(scope="module")
def cfg():
    return config.load(config.DEFAULT_CONFIG)


def small(**kw):
    """A quick config: few epochs, small net."""
    values = {"epochs": 3, "hidden": [3], "snapshot_epochs": [0, 2, 3], "snapshot_grid": 8, **kw}
    return config.load(config.DEFAULT_CONFIG, overrides={"playground": values})


@pytest.mark.slow
def test_good_xor_seeds_solve_it_and_stalled_ones_stay_stuck(cfg):
    s = cfg.playground
    runs = playground.xor_runs(cfg)
    assert len(runs) == len(s.xor_good_seeds) + len(s.xor_stalled_seeds) >= 2
    for r in runs:
        assert r.dataset == "xor" and not r.diverged
        assert len(r.train_loss) == s.epochs + 1
        if r.label == "good":
            assert r.train_loss[-1] < 0.02 and r.final_accuracy >= 0.99
            assert r.final_test_accuracy >= 0.95
        else:
            assert r.label == "stalled"
            # a plateau, not slow progress: high at every epoch, flat over the last hundred
            assert min(r.train_loss) > 0.25
            assert max(r.train_loss[-100:]) - min(r.train_loss[-100:]) < 0.05
            assert r.final_accuracy < 0.9


@pytest.mark.slow
def test_stalled_runs_are_stuck_in_a_local_minimum(cfg):
    """Independent of our loop: torch full-batch Adam from the stalled end point stays put (a minimum)."""
    s = cfg.playground
    seed = s.xor_stalled_seeds[0]
    final = playground.run(cfg, dataset="xor", activation=s.xor_activation, hidden=s.xor_hidden, seed=seed,
                           label="stalled")  # the same (cached) run as in xor_runs
    weights = final.snapshots[-1]["weights"]
    Xtr, ytr, _, _ = (torch.from_numpy(a) for a in playground.data(cfg, "xor"))
    model = train.mlp([2, *s.xor_hidden, 1], s.xor_activation)
    with torch.no_grad():
        for layer, w in zip([m for m in model if isinstance(m, torch.nn.Linear)], weights):
            layer.weight.copy_(torch.tensor(w["weight"], dtype=torch.float64))
            layer.bias.copy_(torch.tensor(w["bias"], dtype=torch.float64))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    for _ in range(300):
        opt.zero_grad()
        loss = loss_fn(model(Xtr)[:, 0], ytr)
        loss.backward()
        opt.step()
    assert final.snapshots[-1]["epoch"] == s.epochs
    assert loss.item() > 0.25  # 300 more full-batch steps do not get out


@pytest.mark.slow
def test_each_activation_on_xor_and_linear_cannot_solve_it(cfg):
    runs = {r.activation: r for r in playground.compare_runs(cfg)}
    assert set(runs) == set(cfg.playground.compare_activations)
    for name in ("relu", "tanh"):
        assert runs[name].final_accuracy >= 0.98
    lin = runs["linear"]
    Xtr, ytr, _, _ = playground.data(cfg, "xor")
    # the best any straight line does on these points (brute force over angles and offsets)
    angles = np.linspace(0, np.pi, 360, endpoint=False)
    proj = Xtr @ np.stack([np.cos(angles), np.sin(angles)])  # (n, angles)
    best = 0.0
    for c in np.linspace(-7, 7, 281):
        side = proj > c
        acc = (side == ytr[:, None].astype(bool)).mean(axis=0)
        best = max(best, acc.max(), (1 - acc).max())
    assert best < 0.8
    assert lin.final_accuracy <= best + 1e-12
    assert lin.train_loss[-1] > 0.5
    # a linear-activation network is one affine map: its logit is a plane over the input
    _, pts = playground._grid_points(6.0, 20)
    logits = playground.forward_numpy(lin.snapshots[-1]["weights"], "linear", pts)
    A = np.column_stack([pts, np.ones(len(pts))])
    residual = logits - A @ np.linalg.lstsq(A, logits, rcond=None)[0]
    assert np.abs(residual).max() < 1e-9


def test_run_record_and_snapshots(cfg):
    c = small()
    r = playground.single_run(c)
    s = c.playground
    for key in ("activation", "layers", "seed", "epochs", "train_loss", "test_loss", "snapshots", "final_accuracy"):
        assert key in r.to_dict()
    assert r.layers == [2, 3, 1] and r.epochs == [0, 1, 2, 3]
    assert [snap["epoch"] for snap in r.snapshots] == [0, 2, 3]
    for snap in r.snapshots:
        g = snap["grid"]
        assert len(g["p"]) == len(g["x"]) == 8 and len(g["p"][0]) == 8
        assert [np.array(w["weight"]).shape for w in snap["weights"]] == [(3, 2), (1, 3)]
        # the stored weights redraw the stored grid (rounded to snapshot_decimals)
        again = playground.grid_from_weights(snap["weights"], r.activation, g["extent"], g["resolution"])
        assert np.abs(again["p"] - np.array(g["p"])).max() <= 0.5 * 10 ** -s.snapshot_decimals + 1e-12
    # the losses are those of the final weights on the data (independent forward in torch)
    Xtr, ytr, Xte, yte = (torch.from_numpy(a) for a in playground.data(c))
    model = train.mlp(r.layers, r.activation)
    with torch.no_grad():
        for layer, w in zip([m for m in model if isinstance(m, torch.nn.Linear)], r.snapshots[-1]["weights"]):
            layer.weight.copy_(torch.tensor(w["weight"], dtype=torch.float64))
            layer.bias.copy_(torch.tensor(w["bias"], dtype=torch.float64))
        bce = torch.nn.functional.binary_cross_entropy_with_logits
        assert r.train_loss[-1] == pytest.approx(bce(model(Xtr)[:, 0], ytr).item(), rel=1e-12)
        assert r.test_loss[-1] == pytest.approx(bce(model(Xte)[:, 0], yte).item(), rel=1e-12)
        acc = ((model(Xtr)[:, 0] > 0).double() == ytr).double().mean().item()
    assert r.final_accuracy == acc


def test_decision_grid_is_the_model_pointwise():
    with train.seeded(1):
        model = train.mlp([2, 5, 5, 1], "tanh")
    g = playground.decision_grid(model, 6.0, 200)
    assert g["p"].shape == (200, 200)
    for i, j in [(0, 0), (17, 150), (199, 3), (100, 100)]:
        point = torch.tensor([[g["x"][j], g["y"][i]]], dtype=torch.float64)
        assert g["p"][i, j] == pytest.approx(torch.sigmoid(model(point)).item(), rel=1e-12)
    weights = playground._weights(model)
    assert np.allclose(playground.grid_from_weights(weights, "tanh", 6.0, 200)["p"], g["p"], atol=1e-12)


def test_same_config_gives_identical_json_and_a_change_recomputes(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("MATHCORE_CACHE", str(tmp_path))
    calls = []
    real = playground.train_run
    monkeypatch.setattr(playground, "train_run", lambda *a, **k: calls.append(1) or real(*a, **k))
    a = json.dumps(playground.single_run(small()).to_dict())
    b = json.dumps(playground.single_run(small()).to_dict())
    assert a == b and len(calls) == 1
    playground.single_run(small(epochs=4))
    assert len(calls) == 2
    monkeypatch.setenv("MATHCORE_CACHE", "off")
    assert json.dumps(playground.single_run(small()).to_dict()) == a  # recomputed, same numbers


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_divergence_is_reported(optimizer):
    c = small(learning_rate=1e300, optimizer=optimizer, epochs=5, activation="relu")
    r = playground.single_run(c)
    assert r.diverged and 1 <= r.diverged_at <= 5
    assert len(r.train_loss) == r.diverged_at and all(math.isfinite(v) for v in r.train_loss)
    json.dumps(r.to_dict(), allow_nan=False)


@pytest.mark.parametrize("values,key", [
    ({"batch_size": 101}, "playground.batch_size"),  # 200 points, half for testing
    ({"test_fraction": 0.001}, "playground.test_fraction"),
])
def test_cross_key_errors(values, key):
    with pytest.raises(ConfigError) as info:
        playground.settings(config.load(config.DEFAULT_CONFIG, overrides={"playground": values}))
    assert f"{key}: expected" in str(info.value)


def test_cli_json_csv_and_table(capsys, tmp_path):
    args = ["playground", "--epochs", "2", "--hidden", "2", "--dataset", "circle", "--activation", "sigmoid"]
    code, out, _ = run_cli(capsys, args + ["--json"])
    assert code == 0
    run = json.loads(out)["runs"][0]
    assert run["dataset"] == "circle" and run["activation"] == "sigmoid" and run["layers"] == [2, 2, 1]
    assert run["epochs"] == [0, 1, 2]
    csv_file = tmp_path / "loss.csv"
    code, out, _ = run_cli(capsys, args + ["--csv", str(csv_file)])
    assert code == 0 and "circle" in out
    lines = csv_file.read_text().splitlines()
    assert lines[0] == "run,label,dataset,activation,seed,epoch,train_loss,test_loss" and len(lines) == 4


@pytest.mark.parametrize("args,key", [
    (["--activation", "softmax"], "playground.activation"),
    (["--optimizer", "lbfgs"], "playground.optimizer"),
    (["--learning-rate", "-0.1"], "playground.learning_rate"),
    (["--learning-rate", "inf"], "playground.learning_rate"),
    (["--batch-size", "0"], "playground.batch_size"),
    (["--batch-size", "150"], "playground.batch_size"),
    (["--hidden", "4,a"], "--hidden"),
    (["--dataset", "moons"], "playground.dataset"),
])
def test_cli_bad_input_is_one_line_exit_2(capsys, args, key):
    assert_one_line_exit_2(capsys, ["playground", *args], key)


def test_config_file_errors_name_file_and_key(write_config):
    assert_config_error(write_config("[playground]\nsnapshot_epochs = [10, 5]\n"), "playground.snapshot_epochs",
                        "increasing")


@pytest.mark.parametrize("activation, hidden", [("tanh", [4, 4]), ("relu", [3]), ("sigmoid", [2, 3]),
                                                ("linear", [5])])
def test_neuron_grids_are_each_hidden_neurons_torch_output_on_the_grid(activation, hidden):
    """Each hidden neuron's square: its output at every grid point, as torch's layers give it (row i is y[i])."""
    torch.manual_seed(3)
    model = train.mlp([2, *hidden, 1], activation)
    weights = playground._weights(model)
    grids = playground.neuron_grids(weights, activation, 6.0, 9)
    axis = torch.linspace(-6.0, 6.0, 9, dtype=torch.float64)
    gy, gx = torch.meshgrid(axis, axis, indexing="ij")
    h = torch.stack([gx.ravel(), gy.ravel()], dim=1)
    layers = list(model)
    outputs = []
    with torch.no_grad():
        for layer in layers[:-1]:  # every hidden layer's activation module's output
            h = layer(h)
            if not isinstance(layer, torch.nn.Linear):
                outputs.append(h.T.reshape(-1, 9, 9).numpy())
    assert [g.shape for g in grids] == [(n, 9, 9) for n in hidden]
    for got, want in zip(grids, outputs, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
