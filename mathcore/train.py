"""Small torch building blocks the training parts share: seeding, MLPs, activations.

Training runs are seeded from the config and run on one thread, so the same
config gives the same numbers (and byte-identical JSON) on any run.
"""
from __future__ import annotations

import contextlib

import torch
from torch import nn

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
