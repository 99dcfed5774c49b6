"""Vanishing gradients: the slides' chain formula against autograd, σ' ≤ 1/4, and per-layer norms of deep nets."""
from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from mathcore import config, vanishing

from .cli_checks import assert_config_error, assert_one_line_exit_2, run_cli


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    # one cache for this module: the deep-network norms are computed once
    monkeypatch.setenv("MATHCORE_CACHE", str(tmp_path_factory.getbasetemp() / "vanishing-cache"))


@pytest.fixture(scope="module")
def norms():
    return vanishing.compute_layer_norms(config.load(config.DEFAULT_CONFIG).vanishing)


def test_sigma_prime_closed_form_and_maximum():
    s = config.load(config.DEFAULT_CONFIG).vanishing
    curve = vanishing.sigmoid_prime_curve(*s.sigma_range, s.sigma_points)
    z = np.array(curve.z)
    closed = np.exp(-z) / (1 + np.exp(-z)) ** 2  # σ'(z) = e^-z / (1 + e^-z)^2
    assert np.allclose(curve.sigma_prime, closed, rtol=1e-12, atol=1e-15)
    assert np.allclose(curve.sigma, 1 / (1 + np.exp(-z)), rtol=1e-12)
    assert curve.max == 0.25 and curve.argmax == 0.0
    assert max(curve.sigma_prime) <= 0.25


def torch_chain(x, w):
    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    v = torch.tensor(x, dtype=torch.float64)
    for k in range(len(w)):
        v = torch.sigmoid(wt[k] * v)
    v.backward()
    return wt.grad.tolist()


def test_slide_lines_equal_autograd_on_the_config_values():
    cfg = config.load(config.DEFAULT_CONFIG)
    c = vanishing.chain_from_config(cfg)
    x, w = cfg.vanishing.x, list(cfg.vanishing.w)
    g = torch_chain(x, w)
    assert c.dv3_dw1 == pytest.approx(g[0], rel=1e-12)
    assert c.dv3_dw2 == pytest.approx(g[1], rel=1e-12)
    assert c.dv3_dw3 == pytest.approx(g[2], rel=1e-12)
    assert abs(c.dv3_dw1) <= c.bound == pytest.approx(w[1] * w[2] * x / 64)


finite = st.floats(-4, 4, allow_nan=False, allow_infinity=False)


@settings(max_examples=50, deadline=None)
@given(x=finite, w=st.lists(finite, min_size=1, max_size=8))
def test_formula_equals_autograd(x, w):
    c = vanishing.chain(x, w)
    assert c.formula == pytest.approx(torch_chain(x, w), rel=1e-10, abs=1e-14)
    assert c.autograd == pytest.approx(torch_chain(x, w), rel=1e-12, abs=1e-15)
    assert abs(c.formula[0]) <= c.bound * (1 + 1e-12)
    if len(w) == 3:
        dsig = [math.exp(-z) / (1 + math.exp(-z)) ** 2 for z in c.z]
        assert c.dv3_dw1 == pytest.approx(dsig[2] * dsig[1] * dsig[0] * w[2] * w[1] * x, rel=1e-10, abs=1e-15)


def manual_backprop(net, X, y):
    """Weight-gradient norms of the plain sigmoid net by hand (numpy), no autograd."""
    Ws = [layer.weight.detach().numpy() for layer in net.layers]
    bs = [layer.bias.detach().numpy() for layer in net.layers]
    hs = [X]
    for W, b in zip(Ws[:-1], bs[:-1]):
        hs.append(1 / (1 + np.exp(-(hs[-1] @ W.T + b))))
    logit = hs[-1] @ Ws[-1].T + bs[-1]
    delta = (1 / (1 + np.exp(-logit)) - y[:, None]) / len(y)  # d mean BCE / d logit
    grads = [None] * len(Ws)
    for k in reversed(range(len(Ws))):
        grads[k] = delta.T @ hs[k]
        if k:
            delta = (delta @ Ws[k]) * hs[k] * (1 - hs[k])
    return [float(np.linalg.norm(g)) for g in grads]


def test_gradient_norms_equal_a_manual_backward_pass():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 2)), (rng.random(30) > 0.5).astype(float)
    net = vanishing.networks(depth=5, width=7, seed=3, init="kaiming")["sigmoid"]
    _, got = vanishing.gradient_norms(net, torch.from_numpy(X), torch.from_numpy(y))
    assert got == pytest.approx(manual_backprop(net, X, y), rel=1e-10)


def test_the_three_networks_start_from_the_same_weights():
    nets = vanishing.networks(4, 5, seed=1, init="xavier")
    for name in ("relu", "residual"):
        for a, b in zip(nets["sigmoid"].parameters(), nets[name].parameters()):
            assert torch.equal(a, b)


def test_residual_net_is_h_plus_sigma():
    net = vanishing.networks(3, 4, seed=2, init="torch")["residual"]
    x = torch.randn(5, 2, dtype=torch.float64)
    L = net.layers
    h = torch.sigmoid(L[0](x))
    h = h + torch.sigmoid(L[1](h))
    h = h + torch.sigmoid(L[2](h))
    assert torch.allclose(net(x), L[3](h))


@pytest.mark.slow
def test_sigmoid_gradients_vanish_toward_the_input(norms):
    s = norms.init_norms["sigmoid"]
    assert len(s) == norms.depth + 1
    assert all(a < b for a, b in zip(s, s[1:]))  # every layer nearer the input gets less
    assert s[0] / s[-1] < 1e-4
    assert vanishing.decay_per_layer(s) < 0.5  # σ' ≤ 1/4 times the weights' gain
    # geometric: log-norm is close to a straight line in the layer index
    logs, k = np.log(s), np.arange(len(s))
    fit = np.polyval(np.polyfit(k, logs, 1), k)
    assert 1 - ((logs - fit) ** 2).sum() / ((logs - logs.mean()) ** 2).sum() > 0.95
    # still vanishing after the training steps
    after = norms.after["sigmoid"]
    assert after[0] / after[-1] < 1e-2


@pytest.mark.slow
@pytest.mark.parametrize("name", ["relu", "residual"])
def test_relu_and_residual_do_not_vanish(norms, name):
    got, sig = norms.init_norms[name], norms.init_norms["sigmoid"]
    assert vanishing.decay_per_layer(got) > 0.6
    assert got[0] / got[-1] > 1000 * sig[0] / sig[-1]
    hidden = got[1:-1]  # the width x width layers
    assert max(hidden) / min(hidden) < 10
    # after the training steps the input layer still gets a real gradient, unlike the sigmoid net's
    assert norms.after[name][0] > 1000 * norms.after["sigmoid"][0]


@pytest.mark.slow
def test_training_steps_lower_the_loss(norms):
    for name in vanishing.NETWORKS:
        losses = norms.loss[name]
        assert len(losses) == norms.steps + 1 and not norms.diverged[name]
        assert losses[-1] < losses[0]


def test_divergence_is_reported_not_crashed():
    s = dataclasses.replace(config.load(config.DEFAULT_CONFIG).vanishing, depth=3, width=4, train_steps=5,
                            learning_rate=1e300)
    r = vanishing.compute_layer_norms(s)
    assert any(r.diverged.values())
    for name in vanishing.NETWORKS:
        if r.diverged[name]:
            assert 1 <= r.diverged_at[name] <= 5 and r.after[name] is None
        assert all(math.isfinite(v) for v in r.loss[name])
    json.dumps(r.to_dict(), allow_nan=False)


def test_config_change_invalidates_the_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("MATHCORE_CACHE", str(tmp_path))
    calls = []
    real = vanishing.compute_layer_norms
    monkeypatch.setattr(vanishing, "compute_layer_norms", lambda s: calls.append(1) or real(s))
    small = {"depth": 2, "width": 3, "train_steps": 1}
    vanishing.layer_norms(config.load(overrides={"vanishing": small}))
    vanishing.layer_norms(config.load(overrides={"vanishing": small}))
    assert len(calls) == 1
    vanishing.layer_norms(config.load(overrides={"vanishing": {**small, "seed": 9}}))
    assert len(calls) == 2


def test_cli_json_is_repeatable_and_has_the_parts(capsys, tmp_path, monkeypatch):
    args = ["vanishing", "--json", "--depth", "4", "--width", "6", "--steps", "2", "--w", "1,-2,3"]
    monkeypatch.setenv("MATHCORE_CACHE", "off")
    code, out, _ = run_cli(capsys, args)
    assert code == 0
    code2, out2, _ = run_cli(capsys, args)
    assert out == out2
    data = json.loads(out)
    assert set(data) >= {"chain", "sigma_prime", "norms", "decay_per_layer"}
    assert data["chain"]["w"] == [1.0, -2.0, 3.0]
    assert data["chain"]["dv3_dw1"] == pytest.approx(torch_chain(1.0, [1.0, -2.0, 3.0])[0])
    assert len(data["norms"]["init_norms"]["sigmoid"]) == 5
    csv_file = tmp_path / "norms.csv"
    code, out, _ = run_cli(capsys, args[:1] + args[2:] + ["--csv", str(csv_file)])
    assert code == 0 and "W1" in out
    lines = csv_file.read_text().splitlines()
    assert lines[0].startswith("layer,sigmoid_init") and len(lines) == 6


@pytest.mark.parametrize("args,key", [
    (["--init", "he"], "vanishing.init"),
    (["--learning-rate", "-1"], "vanishing.learning_rate"),
    (["--learning-rate", "nan"], "vanishing.learning_rate"),
    (["--depth", "1"], "vanishing.depth"),
    (["--w", "1,x"], "--w"),
])
def test_cli_bad_input_is_one_line_exit_2(capsys, args, key):
    assert_one_line_exit_2(capsys, ["vanishing", *args], key)


def test_config_file_errors_name_file_and_key(write_config):
    assert_config_error(write_config("[vanishing]\nsigma_range = [2.0, -2.0]\n"), "vanishing.sigma_range",
                        "low < high")


def test_drop_is_output_norm_over_input_norm(norms):
    assert vanishing.drop([0.5, 1.0, 20.0]) == 40.0
    sig = norms.init_norms["sigmoid"]
    assert vanishing.drop(sig) == pytest.approx(sig[-1] / sig[0]) and vanishing.drop(sig) > 1e3  # it vanishes


def test_the_residual_network_is_the_sigmoid_network_with_short_cuts():
    """The scene names the residual net's activation from ACTIVATIONS: it must be the one the net is built with."""
    nets = vanishing.networks(depth=3, width=4, seed=0, init="kaiming")
    z = torch.linspace(-3, 3, 7, dtype=torch.float64)
    for name, act, residual in (("sigmoid", torch.sigmoid, False), ("relu", torch.relu, False),
                                ("residual", torch.sigmoid, True)):
        assert torch.allclose(nets[name].act(z), act(z)) and nets[name].residual == residual, name
    assert vanishing.ACTIVATIONS == {"sigmoid": "sigmoid", "relu": "relu", "residual": "sigmoid"}


@pytest.mark.parametrize("ratio, words", [
    (1e-5, "far less than"), (0.099, "far less than"), (0.1, "less than"), (0.5, "less than"),
    (0.95, "about as much as"), (1.0, "about as much as"), (1.1, "about as much as"), (1.2, "more than"),
    (10.0, "more than"), (35.0, "far more than"),
])
def test_drops_are_compared_in_words(ratio, words):
    assert vanishing.compared(ratio) == words


def test_drop_against_compares_the_drops_from_output_to_input():
    norms = vanishing.LayerNorms(
        depth=1, width=1, seed=0, init="kaiming", layers=["W1", "W2"], shapes=[[1, 2], [1, 1]], steps=0,
        learning_rate=0.1, init_loss={}, after={}, loss={}, diverged={}, diverged_at={},
        init_norms={"sigmoid": [1e-6, 1.0], "relu": [0.5, 2.0], "residual": [0.1, 20.0]})
    # drops: sigmoid 1e6, relu 4, residual 200
    assert vanishing.drop_against(norms, "residual", "sigmoid") == "far less than"
    assert vanishing.drop_against(norms, "residual", "relu") == "far more than"
    assert vanishing.drop_against(norms, "relu", "residual") == "far less than"
