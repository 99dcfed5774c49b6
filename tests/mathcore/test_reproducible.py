"""Same config, same JSON (docs/ARCHITECTURE.md), whatever the process: its string-hash salt, its
thread count, torch's CPU vector code (for the trained results), and with nothing taken from mathcore's
cache. The commands of the first test are the ones behind the scenes whose videos a build once
re-exported with nothing changed (BatchCostSurfaces, LocalMinima, GradientDescentUpdate): the cause
was the video encoder (tests/render/test_encoder_determinism.py), and this keeps the numbers out of
suspicion.
"""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest
import torch

from mathcore import train
from mathcore.display import fmt

#: Two processes that differ in everything that must not matter.
PROCESSES = ({"PYTHONHASHSEED": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"},
             {"PYTHONHASHSEED": "2", "OMP_NUM_THREADS": "2", "MKL_NUM_THREADS": "2"})

#: torch's scalar code, and MKL's CPU-independent path (as on a CPU whose MKL takes another). MKL's path moves trained
#: numbers (the autoencoder's latent coordinates by up to 8.8e-5): the Makefile draws those scenes' frames under it.
OTHER_CPU = {"ATEN_CPU_CAPABILITY": "default", "MKL_CBWR": "COMPATIBLE"}


def own_cpu() -> dict:
    """This environment without a forced capability: torch's own pick, its AVX-512 or AVX2 code where the CPU has it."""
    return {k: v for k, v in os.environ.items() if k != "ATEN_CPU_CAPABILITY"}


#: Runs mathcore commands one after another in one process (each started as a process would start it: click's
#: own runner, stdout captured) and prints {command: its JSON}: a process per environment, not per command, as
#: a build's render worker runs scene after scene (both processes run the same commands in the same order).
RUNNER = """
import json, sys
from click.testing import CliRunner
from mathcore.cli import cli
out = {}
for args in json.loads(sys.argv[1]):
    done = CliRunner().invoke(cli, args, catch_exceptions=False)
    if done.exit_code:
        sys.exit(f"mathcore {' '.join(args)}: exit {done.exit_code}: {done.output[-1000:]}")
    out[" ".join(args)] = done.stdout
print(json.dumps(out))
"""


def _jsons(commands: list[list[str]], env: dict, base: dict = os.environ) -> dict[str, str]:
    """Each command's JSON from one process with ``env`` over ``base``, mathcore's cache off."""
    done = subprocess.run([sys.executable, "-c", RUNNER, json.dumps(commands)],
                          env={**base, **env, "MATHCORE_CACHE": "off"}, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()[-1000:]
    return json.loads(done.stdout)


def selected(request, test: str) -> list[list[str]]:
    """The ``args`` of every collected (not deselected) case of ``test``: what a process must run for them."""
    return [item.callspec.params["args"] for item in request.session.items
            if item.module is request.module and getattr(item, "originalname", "") == test]


@pytest.fixture(scope="module")
def in_two_processes(request):
    """The commands of test_json_is_the_same_in_any_process, run in each of PROCESSES."""
    commands = selected(request, "test_json_is_the_same_in_any_process")
    return [_jsons(commands, env) for env in PROCESSES]


@pytest.fixture(scope="module")
def trained_under_two_codes(request):
    """The commands of test_trained_json_is_the_same_under_any_cpu_vector_code, under torch's scalar code and under
    the CPU's own, in processes that also differ as PROCESSES do."""
    commands = selected(request, "test_trained_json_is_the_same_under_any_cpu_vector_code")
    return (_jsons(commands, {**PROCESSES[0], "ATEN_CPU_CAPABILITY": "default"}),
            _jsons(commands, PROCESSES[1], base=own_cpu()))


@pytest.mark.parametrize("args", [
    ["batches", "--json"],
    ["gd", "--json"],
    ["minima", "--json"],  # with its torch gradient-descent runs
], ids=lambda a: a[0])
def test_json_is_the_same_in_any_process(args, in_two_processes):
    first, second = (runs[" ".join(args)] for runs in in_two_processes)
    assert first and first == second


@pytest.mark.parametrize("args", [
    ["autoencoder", "--json"],  # its latent coordinates moved by 2e-3 between torch's scalar and vector code
    pytest.param(["approximation", "--json"], marks=pytest.mark.slow),
    pytest.param(["manifold", "--json"], marks=pytest.mark.slow),
    pytest.param(["playground", "--runs", "xor", "--json"], marks=pytest.mark.slow),  # batches, Adam, BCE
], ids=lambda a: a[0])
def test_trained_json_is_the_same_under_any_cpu_vector_code(args, trained_under_two_codes):
    """torch's kernels for ATEN_CPU_CAPABILITY=default round differently from its AVX2/AVX-512 ones; the trained
    results (mathcore.train) must not show it. The mathcore cache's key leaves the capability out for this reason.
    The two processes also differ as PROCESSES do (one training run each, not two pairs)."""
    scalar, vector = (runs[" ".join(args)] for runs in trained_under_two_codes)
    assert scalar and scalar == vector


#: How far a number may move between torch's codes (measured: 8.3e-17 at most, a slope of minima's runs), and the size
#: under which a number is rounding noise (a slope at a minimum: 3.1e-15 / 3.2e-15), which no scene draws.
ROUNDING, NOISE = 1e-12, 1e-9


def _differences(a, b, where: str = "") -> list[str]:
    """Where two JSON values differ in anything but a float's last bits: structure, a string, a count, or a
    number as the screen writes it (mathcore.display.fmt)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{where}: keys {sorted(a)} / {sorted(b)}"]
        return [d for k in a for d in _differences(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} / {len(b)} items"]
        return [d for k, (x, y) in enumerate(zip(a, b)) for d in _differences(x, y, f"{where}[{k}]")]
    if isinstance(a, float) and isinstance(b, float):
        if a == b or (math.isnan(a) and math.isnan(b)):
            return []
        # within rounding, and written alike unless it is rounding noise itself (a converged run's slope)
        same = abs(a - b) <= ROUNDING and (fmt(a) == fmt(b) or max(abs(a), abs(b)) < NOISE)
        return [] if same else [f"{where}: {a!r} / {b!r}"]
    return [] if a == b else [f"{where}: {a!r} / {b!r}"]


UNTRAINED = ["trouble", "vanishing", "minima"]


@pytest.fixture(scope="module")
def untrained_under_two_codes():
    commands = [[command, "--json"] for command in UNTRAINED]
    return _jsons(commands, OTHER_CPU), _jsons(commands, {}, base=own_cpu())


@pytest.mark.parametrize("command", UNTRAINED)
def test_untrained_torch_numbers_show_the_same_under_any_cpu_vector_code(command, untrained_under_two_codes):
    """Outside mathcore.train, torch's autograd and reductions differ between its scalar and vector code in a
    float's last bits (measured: 3, 45 and 247 numbers of these JSONs, e.g. 0.9594088053452717 / ...718). No more:
    every number is within ROUNDING of the other and written alike on screen (mathcore.display.fmt), so their frames
    do not depend on the CPU."""
    scalar, vector = (json.loads(runs[f"{command} --json"]) for runs in untrained_under_two_codes)
    assert scalar, "no JSON"
    differences = _differences(scalar, vector)
    assert not differences, f"{len(differences)} numbers differ, first: {differences[:3]}"


# mathcore.train writes torch's initial weights, activations, loss and optimisers in plain operations; these keep
# them torch's own, to rounding.

def test_linear_starts_from_torchs_initial_values():
    for fan_in, fan_out in ((1, 32), (2, 5), (32, 2)):
        torch.manual_seed(3)
        ref = torch.nn.Linear(fan_in, fan_out, dtype=torch.float64)
        ref_next = torch.rand(4, dtype=torch.float64)
        torch.manual_seed(3)
        ours = train.linear(fan_in, fan_out)
        assert torch.equal(torch.rand(4, dtype=torch.float64), ref_next)  # the generator advanced as torch's did
        for a, b in ((ours.weight, ref.weight), (ours.bias, ref.bias)):
            assert a.dtype == torch.float64 and a.shape == b.shape
            torch.testing.assert_close(a, b, rtol=0, atol=2e-16)  # torch's fused multiply-add differs by an ulp


@pytest.mark.parametrize("name, ref", [("tanh", torch.tanh), ("sigmoid", torch.sigmoid)])
def test_activations_and_their_gradients_are_torchs(name, ref):
    z = torch.linspace(-40, 40, 2001, dtype=torch.float64)
    ours_z, ref_z = z.clone().requires_grad_(), z.clone().requires_grad_()
    ours, theirs = train.ACTIVATIONS[name]()(ours_z), ref(ref_z)
    torch.testing.assert_close(ours, theirs, rtol=1e-15, atol=1e-300)
    weights = torch.cos(z)  # any upstream gradient
    (ours * weights).sum().backward()
    (theirs * weights).sum().backward()
    # 1 − tanh² cancels where tanh ≈ ±1: rounded twice it is off by an ulp of 1 (torch's FMA rounds once)
    torch.testing.assert_close(ours_z.grad, ref_z.grad, rtol=1e-14, atol=2e-16)


def test_bce_with_logits_and_its_gradient_are_torchs():
    z = torch.cat([torch.linspace(-60, 60, 1001, dtype=torch.float64), torch.tensor([-800.0, 800.0, 1e-9])])
    y = (torch.arange(len(z)) % 3 == 0).double()
    ours_z, ref_z = z.clone().requires_grad_(), z.clone().requires_grad_()
    ours = train.bce_with_logits(ours_z, y)
    theirs = torch.nn.functional.binary_cross_entropy_with_logits(ref_z, y)
    assert ours.item() == pytest.approx(theirs.item(), rel=1e-14)
    ours.backward()
    theirs.backward()
    torch.testing.assert_close(ours_z.grad, ref_z.grad, rtol=1e-13, atol=1e-300)
    # far in the tails a loss of e^-|z| is kept, not lost to 1 + e^-|z| = 1
    far = torch.tensor([40.0, -40.0], dtype=torch.float64)
    assert train.bce_with_logits(far, torch.tensor([1.0, 0.0], dtype=torch.float64)).item() == pytest.approx(
        math.exp(-40.0), rel=1e-14)


@pytest.mark.parametrize("ours, theirs", [
    (lambda p: train.Adam(p, lr=0.05), lambda p: torch.optim.Adam(p, lr=0.05)),
    (lambda p: train.SGD(p, lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
], ids=["adam", "sgd"])
def test_optimisers_step_as_torch_optim_does(ours, theirs):
    """200 full-batch steps of a small tanh MLP on a regression: the same trajectory as torch.optim's."""
    x = torch.linspace(-2, 2, 40, dtype=torch.float64)[:, None]
    y = torch.sin(2 * x)
    nets = []
    for make in (ours, theirs):
        with train.seeded(5):
            net = train.mlp([1, 8, 1], "tanh")
        opt = make(net.parameters())
        for _ in range(200):
            opt.zero_grad()
            loss = torch.mean((net(x) - y) ** 2)
            loss.backward()
            opt.step()
        nets.append(net)
    first = nets[0].state_dict()
    assert torch.mean((nets[0](x) - y) ** 2).item() < 0.5 * torch.mean(y**2).item()  # it did learn
    for key, value in nets[1].state_dict().items():
        torch.testing.assert_close(first[key], value, rtol=1e-9, atol=1e-12)
