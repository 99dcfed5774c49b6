"""The scalar chain against the slides' numbers, torch autograd and finite differences."""
from __future__ import annotations

import math

import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mathcore import activations, chain, config

ACTS = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "linear": lambda z: z}


def test_seed_forward_and_backward_numbers():
    r = chain.from_config(config.load(config.DEFAULT_CONFIG))
    # The slides: z1 = 0.1*1 + 0 = 0.1, z2 = -0.2*0.1 + 0.1 = 0.08, z3 = -0.1*0.08 + 0.2 = 0.192
    assert r.z == pytest.approx([0.1, 0.08, 0.192])
    assert r.h == pytest.approx([0.1, 0.08, 0.192])
    assert r.output == pytest.approx(0.192)
    # ∂h3/∂z3 = 1, ∂h3/∂z2 = (1)(-0.1)(1) = -0.1, ∂h3/∂z1 = (-0.1)(-0.2)(1) = 0.02
    assert r.grad_z == pytest.approx([0.02, -0.1, 1.0])
    # ∂h3/∂w3 = (1)(0.08), ∂h3/∂w2 = (-0.1)(0.1), ∂h3/∂w1 = (0.02)(1)
    assert r.grad_w == pytest.approx([0.02, -0.01, 0.08])
    # The exercise: ∂h3/∂b_i = ∂h3/∂z_i · 1
    assert r.grad_b == pytest.approx([0.02, -0.1, 1.0])
    assert r.dz_next_dh == pytest.approx([-0.2, -0.1])
    assert r.dh_dz == pytest.approx([1.0, 1.0, 1.0])


def torch_reference(x, w, b, activation):
    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    h = torch.tensor(x, dtype=torch.float64)
    zs = []
    for i in range(len(w)):
        z = wt[i] * h + bt[i]
        z.retain_grad()
        zs.append(z)
        h = ACTS[activation](z)
    h.backward()
    return h.item(), [z.grad.item() for z in zs], wt.grad.tolist(), bt.grad.tolist()


finite = st.floats(-3, 3, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    x=finite,
    wb=st.integers(1, 6).flatmap(lambda n: st.tuples(st.lists(finite, min_size=n, max_size=n),
                                                      st.lists(finite, min_size=n, max_size=n))),
    activation=st.sampled_from(sorted(ACTS)),
)
def test_matches_torch_autograd(x, wb, activation):
    w, b = wb
    r = chain.run(x, w, b, activation)
    if activation == "relu":
        assume(all(abs(z) > 1e-9 for z in r.z))  # the kink: both sides pick a one-sided slope
    out, gz, gw, gb = torch_reference(x, w, b, activation)
    assert r.output == pytest.approx(out, rel=1e-12, abs=1e-12)
    assert r.grad_z == pytest.approx(gz, rel=1e-10, abs=1e-12)
    assert r.grad_w == pytest.approx(gw, rel=1e-10, abs=1e-12)
    assert r.grad_b == pytest.approx(gb, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("activation", sorted(ACTS))
@pytest.mark.parametrize("seed", range(5))
def test_matches_finite_differences(activation, seed):
    gen = torch.Generator().manual_seed(seed)
    w = (torch.rand(4, generator=gen, dtype=torch.float64) * 2 - 1).tolist()
    b = (torch.rand(4, generator=gen, dtype=torch.float64) * 2 - 1).tolist()
    x, eps = 0.7, 1e-6
    r = chain.run(x, w, b, activation)
    assert all(abs(z) > 1e-3 for z in r.z) or activation != "relu"
    for i in range(4):
        for params, grads in ((w, r.grad_w), (b, r.grad_b)):
            up, down = list(params), list(params)
            up[i] += eps
            down[i] -= eps
            def f(p, params=params):
                return chain.run(x, p if params is w else w, p if params is b else b, activation).output

            numeric = (f(up) - f(down)) / (2 * eps)
            assert grads[i] == pytest.approx(numeric, abs=1e-7)


def test_local_factors_multiply_to_the_gradients():
    r = chain.run(0.3, [0.5, -1.5, 2.0, 0.7], [0.1, 0.2, -0.3, 0.4], "tanh")
    for i in range(r.layers - 1):
        # ∂h_L/∂z_i = ∂h_L/∂z_(i+1) · ∂z_(i+1)/∂h_i · ∂h_i/∂z_i  (the slides' reuse of earlier results)
        assert r.grad_z[i] == pytest.approx(r.grad_z[i + 1] * r.dz_next_dh[i] * r.dh_dz[i])
    assert r.grad_z[-1] == pytest.approx(r.dh_dz[-1])
    assert math.isclose(r.grad_w[0], r.grad_z[0] * r.x)


def test_rejects_mismatched_lengths():
    with pytest.raises(ValueError):
        chain.run(1.0, [0.1, 0.2], [0.0], "relu")
    with pytest.raises(ValueError):
        chain.run(1.0, [0.1], [0.0], "softmax")


def test_any_number_of_layers_through_the_cli_matches_torch(capsys):
    """The core has no scene's limit: a 5-layer chain (ForwardPass draws at most 4) against torch autograd."""
    from .cli_checks import run_json

    x, w, b = 0.6, [0.5, -1.2, 0.9, 1.4, -0.7], [0.1, 0.3, -0.2, 0.05, 0.4]
    got = run_json(capsys, ["chain", "--json", "--x", str(x), "--w", ",".join(map(str, w)),
                            "--b", ",".join(map(str, b)), "--activation", "tanh"])
    out, gz, gw, gb = torch_reference(x, w, b, "tanh")
    assert len(got["z"]) == 5
    assert got["output"] == pytest.approx(out, rel=1e-12)
    assert got["grad_z"] == pytest.approx(gz, rel=1e-10)
    assert got["grad_w"] == pytest.approx(gw, rel=1e-10)
    assert got["grad_b"] == pytest.approx(gb, rel=1e-10)


@pytest.mark.parametrize("args,first", [
    (["--x", "1e308", "--w", "10,1", "--b", "0,0"], "z_1 is inf"),  # 1e308 · 10 overflows
    (["--w", "1e308,1e308,1", "--b", "0,0,0"], "z_2 is inf"),  # 1e308 · 1e308 · x
    (["--x", "1e308", "--w", "1e308,-1", "--b", "0,0", "--activation", "linear"], "z_1 is inf"),
])
def test_overflow_is_one_line_and_exit_2(capsys, args, first):
    from .cli_checks import assert_one_line_exit_2

    err = assert_one_line_exit_2(capsys, ["chain", "--json", *args], "chain: expected x, w and b")
    assert first in err and "null" not in err


def test_an_overflowing_vanishing_chain_is_one_line_and_exit_2(capsys):
    from .cli_checks import assert_one_line_exit_2

    assert_one_line_exit_2(capsys, ["vanishing", "--json", "--x", "1e308", "--w", "1e308,1,1"], "z_1 is inf")


def test_gradient_descent_that_diverges_on_purpose_is_not_refused(capsys):
    """The too-large-η run the lecture shows diverging is a result (diverged at step k), not bad input."""
    from .cli_checks import run_json

    result = run_json(capsys, ["gd", "--json"])
    assert any(run["diverged"] for run in result["runs"])


@pytest.mark.parametrize("z", [0.192, -0.3, 0.0, 2.5, -1e-6])
def test_relu_slope_case_names_the_side_torch_takes(z):
    """The case the backward pass says for ReLU agrees with torch's slope there: "positive" exactly where it is 1."""
    zt = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    torch.relu(zt).backward()
    case = activations.slope_case("relu", z)
    assert (case == "positive") == (zt.grad.item() == 1.0)
    assert case in ("positive", "negative", "zero")
    assert (case == "zero") == (z == 0)


def test_slope_case_of_the_other_activations():
    assert activations.slope_case("linear", -3.0) == "constant"
    assert {activations.slope_case(a, 0.4) for a in ("sigmoid", "tanh")} == {"formula"}
    with pytest.raises(ValueError):
        activations.slope_case("softplus", 0.4)
