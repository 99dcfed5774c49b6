"""Part 6, the vanishing gradient problem.

The slides' chain v_1 = σ(w_1 x), v_2 = σ(w_2 v_1), v_3 = σ(w_3 v_2) (z_i = w_i v_(i-1), σ the sigmoid):

    ∂v3/∂w3 = σ'(z3) v2
    ∂v3/∂w2 = σ'(z3) w3 σ'(z2) v1
    ∂v3/∂w1 = σ'(z3) w3 σ'(z2) w2 σ'(z1) x = σ'(z3)σ'(z2)σ'(z1) w3 w2 x

and since σ' ≤ 1/4 (at z = 0), every layer further from the output multiplies in
another factor of at most 1/4. Then the same in a deep network: the norm of the
loss gradient w.r.t. each layer's weight matrix (input layer first) of a deep
sigmoid MLP, the same weights with ReLU, and the sigmoid net with residual
shortcuts h_(k+1) = h_k + σ(W_k h_k + b_k), at initialisation and after a few steps.

What a scene calls (each a frozen dataclass, read by attribute):

    sigmoid_prime_curve(lo, hi, points) -> SigmaPrimeCurve: z, sigma, sigma_prime, max, argmax  (numpy, closed form)
    chain(x, w) -> VanishingChain: x, w, z, v, sigma_prime, formula [∂v_n/∂w_k for k = 1..n], autograd [the same
                   from torch], bound, ..., and dv3_dw3, dv3_dw2, dv3_dw1 (3 layers only)
    chain_from_config(cfg) -> the same for [vanishing] x, w
    layer_norms(cfg) -> LayerNorms: layers ["W1", ...], init_norms {"sigmoid": [...], "relu": [...],
                        "residual": [...]}, after {...} (after train_steps SGD steps), loss, diverged, ...  (cached)
    from_config(cfg) -> VanishingResult: chain, sigma_prime, norms and decay_per_layer (``mathcore vanishing``)
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

from . import cache, datasets, train
from .errors import ConfigError, NonFinite, check_finite
from .results import Result, optional

if TYPE_CHECKING:
    from .config import LectureConfig

SECTION = "vanishing"
NETWORKS = ("sigmoid", "relu", "residual")
#: Each network's activation: the residual net is the sigmoid net with short-cuts, so it keeps the sigmoid.
ACTIVATIONS = {"sigmoid": "sigmoid", "relu": "relu", "residual": "sigmoid"}


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def sigmoid_prime(z):
    """σ'(z) = σ(z)(1 − σ(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


@dataclass(frozen=True)
class SigmaPrimeCurve(Result):
    """σ and σ' on a grid of z, and the grid's largest σ' and where it is."""

    z: list[float]
    sigma: list[float]
    sigma_prime: list[float]
    max: float
    argmax: float


def sigmoid_prime_curve(lo: float, hi: float, points: int) -> SigmaPrimeCurve:
    """σ and σ' on a grid of ``points`` values of z in [lo, hi]; the grid's largest σ' and where it is."""
    z = np.linspace(lo, hi, points)
    d = sigmoid_prime(z)
    k = int(np.argmax(d))
    return SigmaPrimeCurve(z=z.tolist(), sigma=sigmoid(z).tolist(), sigma_prime=d.tolist(),
                           max=float(d[k]), argmax=float(z[k]))


@dataclass(frozen=True)
class VanishingChain(Result):
    """The chain v_i = σ(w_i v_(i-1)), v_0 = x: its values, σ'(z_i), and ∂v_n/∂w_k by the product and by autograd."""

    x: float
    w: list[float]
    z: list[float]
    v: list[float]
    sigma_prime: list[float]  # σ'(z_i)
    formula: list[float]  # ∂v_n/∂w_k for k = 1..n, the slides' product
    autograd: list[float]  # the same from torch
    bound: float  # (1/4)^n |w_2 ... w_n| |x| ≥ |∂v_n/∂w_1|
    sigma_prime_product: float
    w_product: float
    w_x_product: float  # the factors of ∂v_n/∂w_1 that are not σ'
    dv3_dw3: float | None = optional()  # the slide's three lines, for 3 layers only
    dv3_dw2: float | None = optional()
    dv3_dw1: float | None = optional()


def chain(x: float, w) -> VanishingChain:
    """Forward pass of v_i = σ(w_i v_(i-1)), v_0 = x, and ∂v_n/∂w_k by the slides' product and by autograd."""
    w = [float(v) for v in w]
    if not w:
        raise ValueError("at least one weight")
    z, v = [], []
    prev = float(x)
    for wi in w:
        z.append(wi * prev)
        prev = float(sigmoid(z[-1]))
        v.append(prev)
    dsig = [float(sigmoid_prime(zi)) for zi in z]
    inputs = [float(x), *v[:-1]]  # v_(k-1): what w_k multiplies
    n = len(w)
    # ∂v_n/∂w_k = σ'(z_n) ... σ'(z_k) · w_n ... w_(k+1) · v_(k-1)
    formula = [math.prod(dsig[k:]) * math.prod(w[k + 1:]) * inputs[k] for k in range(n)]
    out = {
        "x": float(x), "w": w, "z": z, "v": v, "sigma_prime": dsig,
        "formula": formula,
        "autograd": autograd_chain(x, w),
        # |∂v_n/∂w_1| ≤ (1/4)^n |w_2 ... w_n| |x|, since σ' ≤ 1/4
        "bound": 0.25 ** n * abs(math.prod(w[1:])) * abs(float(x)),
        "sigma_prime_product": math.prod(dsig),
        "w_product": math.prod(w[1:]),
        "w_x_product": math.prod(w[1:]) * float(x),  # the factors of ∂v_n/∂w_1 that are not σ'
    }
    check_finite({"z": z, "v": v, "σ'(z)": dsig, "∂v_n/∂w": formula, "autograd ∂v_n/∂w": out["autograd"],
                  "bound": [out["bound"]]})
    if n == 3:  # the slide's three lines, term by term
        out["dv3_dw3"] = dsig[2] * v[1]
        out["dv3_dw2"] = dsig[2] * w[2] * dsig[1] * v[0]
        out["dv3_dw1"] = dsig[2] * dsig[1] * dsig[0] * w[2] * w[1] * float(x)
    return VanishingChain(**out)


def autograd_chain(x: float, w) -> list[float]:
    """∂v_n/∂w_k for every k, from torch autograd (float64)."""
    wt = torch.tensor([float(v) for v in w], dtype=torch.float64, requires_grad=True)
    v = torch.tensor(float(x), dtype=torch.float64)
    for k in range(len(w)):
        v = torch.sigmoid(wt[k] * v)
    v.backward()
    return wt.grad.tolist()


def chain_from_config(cfg) -> VanishingChain:
    s = cfg.vanishing
    try:
        return chain(s.x, s.w)
    except NonFinite as exc:
        raise ConfigError(cfg.path, SECTION, f"x and w whose intermediate results stay finite ({exc})") from None


class DeepNet(nn.Module):
    """2 → width (depth hidden layers) → 1; ``residual`` adds h to each hidden-to-hidden layer's output."""

    def __init__(self, depth: int, width: int, activation: str, residual: bool = False):
        super().__init__()
        sizes = [2] + [width] * depth + [1]
        self.layers = nn.ModuleList(nn.Linear(a, b, dtype=torch.float64) for a, b in zip(sizes[:-1], sizes[1:]))
        self.act = train.ACTIVATIONS[activation]()
        self.residual = residual

    def forward(self, x):
        h = self.act(self.layers[0](x))
        for layer in self.layers[1:-1]:
            a = self.act(layer(h))
            h = h + a if self.residual else a
        return self.layers[-1](h)


def networks(depth: int, width: int, seed: int, init: str) -> dict[str, DeepNet]:
    """The sigmoid, ReLU and residual networks (ACTIVATIONS), all with the same initial weights."""
    with train.seeded(seed):
        base = DeepNet(depth, width, ACTIVATIONS["sigmoid"])
        for layer in base.layers:
            if init == "kaiming":  # He et al.: variance 2/fan_in, keeps ReLU activations' scale
                nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
                nn.init.zeros_(layer.bias)
            elif init == "xavier":
                nn.init.xavier_normal_(layer.weight)
                nn.init.zeros_(layer.bias)
            # "torch": keep nn.Linear's own initialisation
    nets = {"sigmoid": base, "relu": DeepNet(depth, width, ACTIVATIONS["relu"]),
            "residual": DeepNet(depth, width, ACTIVATIONS["residual"], True)}
    for name in ("relu", "residual"):
        nets[name].load_state_dict(base.state_dict())
    return nets


def gradient_norms(model: DeepNet, X, y) -> tuple[float, list[float]]:
    """The loss (binary cross-entropy) and ‖∂loss/∂W_k‖ (Frobenius) for each weight matrix, input layer first."""
    model.zero_grad()
    loss = nn.functional.binary_cross_entropy_with_logits(model(X)[:, 0], y)
    loss.backward()
    return loss.item(), [layer.weight.grad.norm().item() for layer in model.layers]


@dataclass(frozen=True)
class LayerNorms(Result):
    """‖∂loss/∂W_k‖ per weight matrix (input layer first) of the three networks, at initialisation and after
    ``steps`` SGD steps (``after[name]`` None if that network diverged); each dict is keyed by network name."""

    depth: int
    width: int
    seed: int
    init: str
    layers: list[str]  # W1 .. W(depth+1)
    shapes: list[list[int]]
    steps: int
    learning_rate: float
    init_loss: dict[str, float]
    init_norms: dict[str, list[float]]
    after: dict[str, list[float] | None]
    loss: dict[str, list[float]]  # per network: the loss at initialisation, then after each step
    diverged: dict[str, bool]
    diverged_at: dict[str, int | None]


def compute_layer_norms(s) -> LayerNorms:
    """layer_norms without the cache, from the [vanishing] section (``cfg.vanishing``)."""
    X, y = datasets.make(s.dataset, s.points, s.noise, s.data_seed)
    X, y = torch.from_numpy(X), torch.from_numpy(y)
    nets = networks(s.depth, s.width, s.seed, s.init)
    out = {
        "depth": s.depth, "width": s.width, "seed": s.seed, "init": s.init,
        "layers": [f"W{k + 1}" for k in range(s.depth + 1)],
        "shapes": [list(layer.weight.shape) for layer in nets["sigmoid"].layers],
        "steps": s.train_steps, "learning_rate": s.learning_rate,
        "init_loss": {}, "init_norms": {}, "after": {}, "loss": {}, "diverged": {}, "diverged_at": {},
    }
    for name, net in nets.items():
        loss, norms = gradient_norms(net, X, y)
        out["init_loss"][name], out["init_norms"][name] = loss, norms
        losses, diverged_at = [loss], None
        with train.seeded(s.seed):
            opt = torch.optim.SGD(net.parameters(), lr=s.learning_rate)
            for step in range(1, s.train_steps + 1):
                opt.step()  # the gradient from the last gradient_norms call
                loss, norms = gradient_norms(net, X, y)
                if not (math.isfinite(loss) and all(math.isfinite(v) for v in norms)):
                    diverged_at = step
                    break
                losses.append(loss)
        out["loss"][name] = losses
        out["after"][name] = None if diverged_at else norms
        out["diverged"][name] = diverged_at is not None
        out["diverged_at"][name] = diverged_at
    return LayerNorms(**out)


def layer_norms(cfg) -> LayerNorms:
    """Per-layer gradient norms of the three networks of [vanishing], cached by the section."""
    s = cfg.vanishing
    return LayerNorms(**cache.cached("vanishing-norms", cfg, sections=(SECTION,),
                                     compute=lambda: compute_layer_norms(s).to_dict()))


def decay_per_layer(norms) -> float:
    """The geometric-mean factor by which the norm shrinks per layer toward the input (least squares on log)."""
    logs = np.log(np.asarray(norms, dtype=float))
    k = np.arange(len(logs))
    slope = np.polyfit(k, logs, 1)[0]  # log-norm against layer index (input first)
    return float(np.exp(-slope))


def drop(norms) -> float:
    """How many times smaller the input layer's gradient norm is than the output layer's (norms input first)."""
    return float(norms[-1] / norms[0])


def compared(ratio: float) -> str:
    """One network's drop against another's, from their ratio (this one's over the other's), as said: "far less
    than" (under a tenth), "less than", "about as much as" (within 10 %), "more than", "far more than" (over ten)."""
    if ratio < 0.1:
        return "far less than"
    if ratio < 1 / 1.1:
        return "less than"
    if ratio <= 1.1:
        return "about as much as"
    return "more than" if ratio <= 10 else "far more than"


def drop_against(norms: LayerNorms, name: str, other: str) -> str:
    """How ``name``'s drop from output to input layer compares with ``other``'s, in words (``compared``)."""
    return compared(drop(norms.init_norms[name]) / drop(norms.init_norms[other]))


@dataclass(frozen=True)
class VanishingResult(Result):
    """``mathcore vanishing``: the chain, σ' on [vanishing] sigma_range, the deep networks' layer norms, and per
    network the factor by which its initial norm shrinks per layer toward the input."""

    chain: VanishingChain
    sigma_prime: SigmaPrimeCurve
    norms: LayerNorms
    decay_per_layer: dict[str, float]


def from_config(cfg: LectureConfig) -> VanishingResult:
    """The chain, σ' and the layer norms of [vanishing] (see the module docstring); the norms are cached."""
    s = cfg.vanishing
    chain = chain_from_config(cfg)  # first: a chain that overflows is a one-line error before any training
    curve = sigmoid_prime_curve(*s.sigma_range, s.sigma_points)
    norms = layer_norms(cfg)
    return VanishingResult(chain=chain, sigma_prime=curve, norms=norms,
                           decay_per_layer={n: decay_per_layer(norms.init_norms[n]) for n in NETWORKS})
