"""Small torch building blocks the training parts share: seeding, MLPs, activations.

Training runs are seeded from the config and run on one thread, so the same
config gives the same numbers (and byte-identical JSON) on any run.
"""
from __future__ import annotations

import contextlib
import math

import torch
from torch import nn

from .progress import track

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "linear": nn.Identity}


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
        layers.append(nn.Linear(a, b, dtype=torch.float64))
        if k < len(sizes) - 2:
            layers.append(ACTIVATIONS[activation]())
    if out_activation:
        layers.append(ACTIVATIONS[out_activation]())
    return nn.Sequential(*layers)


def fit_adam(params, loss_of, lr: float, steps: int, description: str | None = None) -> tuple[int | None, float]:
    """Full-batch Adam on ``loss_of()`` for ``steps`` steps, stopping at the first non-finite loss.

    Returns (the step where the run diverged, or None; the last loss). A run whose loss stayed
    finite but whose parameters did not counts as diverged at ``steps``.
    """
    params = list(params)
    opt = torch.optim.Adam(params, lr=lr)
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
