"""Activation functions σ and their derivatives σ', in numpy.

σ'(0) for ReLU is 0, as torch's autograd takes it, so our gradients match torch's.
"""
from __future__ import annotations

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # stable for large |z|


ACTIVATIONS = {
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (np.asarray(z) > 0).astype(float)),
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1.0 - _sigmoid(z))),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "linear": (lambda z: np.asarray(z, dtype=float) * 1.0, lambda z: np.ones_like(np.asarray(z, dtype=float))),
}

#: How the slides write each σ.
TEX_NAMES = {"relu": r"\mathrm{ReLU}", "sigmoid": r"\mathrm{sigmoid}", "tanh": r"\tanh", "linear": r"\mathrm{id}"}
NAMES = {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh", "linear": "linear"}


def get(name: str):
    """(σ, σ') for ``name``; ValueError naming the choices otherwise."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError("one of " + ", ".join(ACTIVATIONS)) from None


def slope_case(name: str, z: float) -> str:
    """Why σ'(z) has the value it has, as a lecturer says it: for ReLU "positive" (slope 1), "negative" or "zero"
    (slope 0: torch takes 0 at the kink); "formula" for sigmoid and tanh (their slope depends on z); "constant"
    for linear (slope 1 everywhere)."""
    get(name)  # the same refusal of an unknown name
    if name == "relu":
        return "positive" if z > 0 else "negative" if z < 0 else "zero"
    return "constant" if name == "linear" else "formula"
