"""Small torch building blocks the training parts share: seeding, MLPs, activations, the loss, optimisers.

Training runs are seeded from the config and run on one thread, so the same
config gives the same numbers (and byte-identical JSON) on any run.

They give the same numbers under any of torch's CPU vector code (``ATEN_CPU_CAPABILITY``
default, avx2, avx512) too. torch's vectorised kernels fuse a multiply and an add into one
FMA where its scalar code rounds twice (``uniform_``, ``lerp_``, ``addcmul_``, the backward of
tanh, sigmoid's forward, ``log1p``), so the same run drifts by an ulp per step, which training
then amplifies (an auto-encoder's latent coordinates moved by 2e-3: no rounding of the results
below a pixel could hide that). Here the initial weights, the activations, the cross-entropy
and the optimisers' updates are written as single multiplies, adds, divides and square roots
(each rounded once by IEEE 754 whatever the vector width) and exp, log and tanh (the same
under every capability). So mathcore's cache needs no capability in its key.
"""
from __future__ import annotations

import contextlib
import math

import torch
from torch import nn

from .progress import track


class _Tanh(torch.autograd.Function):
    """tanh, with σ' = 1 − tanh² as a multiply and a subtract (torch's own backward is fused)."""

    @staticmethod
    def forward(ctx, z):
        h = torch.tanh(z)
        ctx.save_for_backward(h)
        return h

    @staticmethod
    def backward(ctx, grad):
        (h,) = ctx.saved_tensors
        return grad * (1 - h * h)


class _Sigmoid(torch.autograd.Function):
    """σ(z) = 1 / (1 + e^(−z)) and σ' = σ(1 − σ), one rounding per operation."""

    @staticmethod
    def forward(ctx, z):
        h = 1 / (1 + torch.exp(-z))
        ctx.save_for_backward(h)
        return h

    @staticmethod
    def backward(ctx, grad):
        (h,) = ctx.saved_tensors
        return grad * (h * (1 - h))


class _BCEWithLogits(torch.autograd.Function):
    """The mean of softplus(z) − y z (torch's BCEWithLogitsLoss), with the derivative (σ(z) − y) / n."""

    @staticmethod
    def forward(ctx, z, y):
        ctx.save_for_backward(z, y)
        u = torch.exp(-torch.abs(z))
        # log1p(u) from log (torch's vectorised log1p differs from its scalar one): log(w) u / (w − 1), w = 1 + u,
        # exact to a few ulps (Goldberg 1991, theorem 4); u itself where w rounds to 1
        w = 1 + u
        log1p = torch.where(w == 1, u, torch.log(w) * (u / (w - 1)))
        return (torch.relu(z) - z * y + log1p).mean()

    @staticmethod
    def backward(ctx, grad):
        z, y = ctx.saved_tensors
        return grad * ((1 / (1 + torch.exp(-z)) - y) / z.numel()), None


def bce_with_logits(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """torch.nn.BCEWithLogitsLoss() (mean cross-entropy of labels 0/1 given logits), one rounding per operation."""
    return _BCEWithLogits.apply(logits, targets)


class Tanh(nn.Module):
    def forward(self, z):
        return _Tanh.apply(z)


class Sigmoid(nn.Module):
    def forward(self, z):
        return _Sigmoid.apply(z)


ACTIVATIONS = {"relu": nn.ReLU, "tanh": Tanh, "sigmoid": Sigmoid, "linear": nn.Identity}


@contextlib.contextmanager
def seeded(seed: int):
    """Seed torch and pin it to one thread for the duration (reproducible, and fair to time)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            yield torch.Generator().manual_seed(seed)
    finally:
        torch.set_num_threads(threads)


def mlp(sizes: list[int], activation: str = "relu", out_activation: str | None = None) -> nn.Sequential:
    """Linear layers of the given sizes with ``activation`` between them (float64)."""
    if activation not in ACTIVATIONS:
        raise ValueError("one of " + ", ".join(ACTIVATIONS))
    layers: list[nn.Module] = []
    for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(linear(a, b))
        if k < len(sizes) - 2:
            layers.append(ACTIVATIONS[activation]())
    if out_activation:
        layers.append(ACTIVATIONS[out_activation]())
    return nn.Sequential(*layers)


def linear(fan_in: int, fan_out: int) -> nn.Linear:
    """nn.Linear in float64 with torch's initial values: weight U(±bound) with torch's kaiming bound (1/√fan_in up
    to rounding), then bias U(±1/√fan_in), drawn from the same generator in the same order, each scaled with one
    multiply and one subtract (``uniform_`` fuses them)."""
    layer = nn.utils.skip_init(nn.Linear, fan_in, fan_out, dtype=torch.float64)
    weight_bound = math.sqrt(3.0) * (nn.init.calculate_gain("leaky_relu", math.sqrt(5)) / math.sqrt(fan_in))
    with torch.no_grad():
        for p, bound in ((layer.weight, weight_bound), (layer.bias, 1 / math.sqrt(fan_in))):
            p.copy_(torch.rand(p.shape, dtype=torch.float64) * (2 * bound) - bound)
    return layer


class Adam:
    """torch.optim.Adam's update (defaults, no weight decay), θ ← θ − lr m̂ / (√v̂ + ε), one rounding per operation."""

    def __init__(self, params, lr: float, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):
        self.params, self.lr, self.betas, self.eps = list(params), lr, betas, eps
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        self.t = 0

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self) -> None:
        self.t += 1
        b1, b2 = self.betas
        c1, c2 = 1 - b1**self.t, math.sqrt(1 - b2**self.t)
        for p, m, v in zip(self.params, self.m, self.v):
            if p.grad is None:
                continue
            g = p.grad
            m.mul_(b1).add_(g * (1 - b1))
            v.mul_(b2).add_((g * g) * (1 - b2))
            p.sub_((m / (v.sqrt() / c2 + self.eps)) * (self.lr / c1))


class SGD:
    """torch.optim.SGD's update (no momentum), θ ← θ − lr g, as a multiply then a subtract."""

    def __init__(self, params, lr: float):
        self.params, self.lr = list(params), lr

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self) -> None:
        for p in self.params:
            if p.grad is not None:
                p.sub_(p.grad * self.lr)


def fit_adam(params, loss_of, lr: float, steps: int, description: str | None = None) -> tuple[int | None, float]:
    """Full-batch Adam on ``loss_of()`` for ``steps`` steps, stopping at the first non-finite loss.

    Returns (the step where the run diverged, or None; the last loss). A run whose loss stayed
    finite but whose parameters did not counts as diverged at ``steps``.
    """
    params = list(params)
    opt = Adam(params, lr=lr)
    diverged_at, loss_value = None, math.nan
    for step in track(range(steps), total=steps, description=description) if description else range(steps):
        opt.zero_grad()
        loss = loss_of()
        loss_value = loss.item()
        if not math.isfinite(loss_value):
            diverged_at = step
            break
        loss.backward()
        opt.step()
    if diverged_at is None and not all(torch.isfinite(p).all() for p in params):
        diverged_at = steps
    return diverged_at, loss_value
