"""The optimisers of the lecture as small step functions (numpy) that show their state.

Every step function has the form ``step(theta, g, state, **hyper) -> (theta_new, state_new, record)``:
``g`` is the gradient at ``theta``, ``state`` what the method carries between steps (``init_state``),
and ``record`` the numbers a scene shows for that step (always ``g`` and ``step``, the change of θ).

- GD, SGD and minibatch GD share one rule, θ ← θ − η g (``gd_step``); they differ only in the
  gradient they are fed: of all the data, of one sample, of a batch (see ``mathcore.batches``).
- Momentum (``momentum_step``) uses torch.optim.SGD's convention v ← μ v + g, θ ← θ − η v.
  The textbook form u ← μ u − η g, θ ← θ + u is the same run with u = −η v (η constant);
  the tests check both against torch.
- Adam (``adam_step``) is Algorithm 1 of Kingma & Ba (2015) line by line; the record holds
  t, g, m, v, m̂, v̂ and the step. Defaults α = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8.

A scene calls ``run(spec, theta0, oracle, steps)``: the whole trajectory as an ``OptimRun`` with
``theta`` (iterates θ_0..θ_T), ``loss``, per-step ``records`` and ``diverged``/``diverged_at``
(the first t where θ_t, its loss or its gradient stopped being finite). ``spec_from_config(cfg, name)``
builds a ``Spec`` (optimiser name and its hyperparameters) from the [optim] section.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .config import OPTIMISERS  # the lecture's; "momentum" and "adam" are fed the full gradient
from .errors import ConfigError
from .results import Result


def gd_step(theta, g, state, *, lr):
    """θ ← θ − η g (GD, SGD and minibatch GD: only the gradient fed in differs)."""
    step = -lr * g
    return theta + step, state, {"g": g, "step": step}


def momentum_step(theta, g, state, *, lr, momentum=0.9):
    """torch.optim.SGD's heavy ball: v ← μ v + g, θ ← θ − η v (v starts at 0, so v_1 = g)."""
    v = momentum * state["v"] + g
    step = -lr * v
    return theta + step, {"v": v}, {"g": g, "velocity": v, "step": step}


def adam_step(theta, g, state, *, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """One pass of the while-loop of Algorithm 1 (Kingma & Ba), with α = ``lr``."""
    t = state["t"] + 1
    m = beta1 * state["m"] + (1 - beta1) * g  # biased first moment
    v = beta2 * state["v"] + (1 - beta2) * g * g  # biased second raw moment
    m_hat = m / (1 - beta1**t)  # bias corrections: m, v start at 0
    v_hat = v / (1 - beta2**t)
    step = -lr * m_hat / (np.sqrt(v_hat) + eps)
    record = {"t": t, "g": g, "m": m, "v": v, "m_hat": m_hat, "v_hat": v_hat, "step": step}
    return theta + step, {"t": t, "m": m, "v": v}, record


def init_state(name: str, theta) -> dict:
    zeros = np.zeros_like(np.asarray(theta, dtype=float))
    if name == "momentum":
        return {"v": zeros}
    if name == "adam":
        return {"t": 0, "m": zeros, "v": zeros.copy()}
    return {}


@dataclass(frozen=True)
class Spec:
    """An optimiser and its hyperparameters (``batch_size`` only matters to "minibatch")."""

    name: str
    lr: float
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    batch_size: int = 1

    def step(self, theta, g, state):
        if self.name in ("gd", "sgd", "minibatch"):
            return gd_step(theta, g, state, lr=self.lr)
        if self.name == "momentum":
            return momentum_step(theta, g, state, lr=self.lr, momentum=self.momentum)
        if self.name == "adam":
            return adam_step(theta, g, state, lr=self.lr, beta1=self.beta1, beta2=self.beta2, eps=self.eps)
        raise ValueError(f"unknown optimiser {self.name!r}")

    def hyper(self) -> dict:
        """The hyperparameters this optimiser uses (what the output states next to its name)."""
        keys = {"gd": ("lr",), "sgd": ("lr",), "minibatch": ("lr", "batch_size"),
                "momentum": ("lr", "momentum"), "adam": ("lr", "beta1", "beta2", "eps")}[self.name]
        return {k: v for k, v in asdict(self).items() if k in keys}


def spec_from_config(cfg, name: str) -> Spec:
    """The [optim] section's hyperparameters for optimiser ``name`` (ConfigError if unknown)."""
    o = cfg.optim
    if name not in OPTIMISERS:
        raise ConfigError(cfg.path, "optimiser", "one of " + ", ".join(OPTIMISERS), name)
    lrs = {"gd": o.gd_lr, "sgd": o.sgd_lr, "minibatch": o.minibatch_lr, "momentum": o.momentum_lr, "adam": o.adam_lr}
    return Spec(name=name, lr=lrs[name], momentum=o.momentum, beta1=o.beta1, beta2=o.beta2,
                eps=o.eps, batch_size=o.minibatch_size)


#: An oracle maps θ_t (and t) to (loss at θ_t, the gradient the optimiser is fed, extra info).
Oracle = Callable[[np.ndarray, int], tuple[float, np.ndarray, dict]]


def _finite(*values) -> bool:
    return all(np.all(np.isfinite(v)) for v in values)


@dataclass(frozen=True)
class OptimRun(Result):
    """One optimiser's run: its name and hyperparameters, θ_0..θ_T, L(θ_0).., a record per step, and the first
    t that was not finite (``diverged_at``, None if none)."""

    optimiser: str
    hyper: dict[str, Any]  # lr, momentum, beta1 ... as the optimiser takes them
    theta: list[np.ndarray]  # θ_0 .. θ_T
    loss: list[float]  # L(θ_0) ..
    records: list[dict[str, Any]]  # per step: t, theta_before, loss, the oracle's info, the state, theta_after
    diverged: bool
    diverged_at: int | None


def run(spec: Spec, theta0, oracle: Oracle, steps: int) -> OptimRun:
    """``steps`` updates of ``spec`` from ``theta0``; stops (diverged) at the first non-finite value.

    Record t (1-based) holds θ before/after, the info the oracle gave and the optimiser's state after the step.
    """
    theta = np.array(theta0, dtype=float)
    state = init_state(spec.name, theta)
    thetas: list[np.ndarray] = [theta.copy()]
    losses: list[float] = []
    records: list[dict] = []
    diverged_at = None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for t in range(steps + 1):
            loss, g, info = oracle(theta, t + 1)
            if not _finite(loss, g):
                diverged_at = t  # θ_t is finite but its loss or gradient is not: drop it and its step
                thetas.pop()
                if records:
                    records.pop()
                break
            losses.append(float(loss))
            if t == steps:
                break
            new, state, record = spec.step(theta, np.asarray(g, dtype=float), state)
            if not _finite(new, *record.values()):
                diverged_at = t + 1
                break
            records.append({"t": t + 1, "theta_before": theta, "loss": float(loss), **info, **record,
                            "theta_after": new})
            theta = new
            thetas.append(theta.copy())
    return OptimRun(
        optimiser=spec.name,
        hyper=spec.hyper(),
        theta=thetas,
        loss=losses,
        records=records,
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
    )
