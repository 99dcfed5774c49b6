"""Toy 2-D classification data sets as in TensorFlow Playground: XOR, circle, Gaussian, spiral.

The recipes follow Playground's ``dataset.ts`` (radius 5, noise 0..0.5), seeded
with numpy so the same seed always gives the same points. Labels are 0/1
(Playground's -1/+1 as 0/1).

    make(name, n, noise, seed) -> (X, y)     X: (n, 2) float64, y: (n,) float64 in {0, 1}
    split(X, y, test_fraction, seed) -> (X_train, y_train, X_test, y_test)
    xor(n, noise, rng), circle(...), gaussian(...), spiral(...): the single generators
"""
from __future__ import annotations

import numpy as np

NAMES = ("xor", "circle", "gaussian", "spiral")
RADIUS = 5.0  # Playground's data live in [-5, 5]^2 (spiral and Gaussian a little beyond)
XOR_PADDING = 0.3  # Playground pushes XOR points away from the axes


def _rng(seed_or_rng) -> np.random.Generator:
    if isinstance(seed_or_rng, np.random.Generator):
        return seed_or_rng
    return np.random.default_rng(seed_or_rng)


def xor(n: int, noise: float = 0.0, rng=0):
    """Uniform points in the square, pushed off the axes; label 1 where x·y ≥ 0 (after noise)."""
    rng = _rng(rng)
    pts = rng.uniform(-RADIUS, RADIUS, size=(n, 2))
    pts += np.where(pts > 0, XOR_PADDING, -XOR_PADDING)
    jitter = rng.uniform(-RADIUS, RADIUS, size=(n, 2)) * noise
    moved = pts + jitter
    y = (moved[:, 0] * moved[:, 1] >= 0).astype(float)
    return pts, y


def circle(n: int, noise: float = 0.0, rng=0):
    """Half the points inside radius 2.5 (label 1), half in the ring 3.5..5 (label 0).

    With noise, the label is decided by the jittered point's distance, as in Playground.
    """
    rng = _rng(rng)
    n_in = n // 2
    r = np.concatenate([rng.uniform(0, RADIUS * 0.5, n_in), rng.uniform(RADIUS * 0.7, RADIUS, n - n_in)])
    angle = rng.uniform(0, 2 * np.pi, n)
    pts = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    jitter = rng.uniform(-RADIUS, RADIUS, size=(n, 2)) * noise
    y = (np.linalg.norm(pts + jitter, axis=1) < RADIUS * 0.5).astype(float)
    return pts, y


def gaussian(n: int, noise: float = 0.0, rng=0):
    """Two Gaussian blobs at (2, 2) (label 1) and (-2, -2) (label 0); variance 0.5..4 as noise 0..0.5."""
    rng = _rng(rng)
    variance = 0.5 + (4.0 - 0.5) * (noise / 0.5)
    n_pos = n // 2
    centres = np.concatenate([np.full((n_pos, 2), 2.0), np.full((n - n_pos, 2), -2.0)])
    pts = centres + rng.normal(0.0, np.sqrt(variance), size=(n, 2))
    y = np.concatenate([np.ones(n_pos), np.zeros(n - n_pos)])
    return pts, y


def spiral(n: int, noise: float = 0.0, rng=0):
    """Two interleaved spirals r = 5 i/m, t = 3.5π i/m (+π for the second), label 1 and 0."""
    rng = _rng(rng)
    parts = []
    for label, count, delta in ((1.0, n // 2, 0.0), (0.0, n - n // 2, np.pi)):
        i = np.arange(count)
        r = i / count * RADIUS
        t = 1.75 * i / count * 2 * np.pi + delta
        jitter = rng.uniform(-1, 1, size=(count, 2)) * noise
        pts = np.stack([r * np.sin(t), r * np.cos(t)], axis=1) + jitter
        parts.append((pts, np.full(count, label)))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


GENERATORS = {"xor": xor, "circle": circle, "gaussian": gaussian, "spiral": spiral}


def make(name: str, n: int, noise: float = 0.0, seed: int = 0):
    """``n`` points of data set ``name`` (shuffled, seeded): X (n, 2) and labels y in {0, 1}."""
    if name not in GENERATORS:
        raise ValueError("a data set, one of " + ", ".join(NAMES))
    if n < 2:
        raise ValueError("at least 2 points")
    if not 0 <= noise <= 1 or not np.isfinite(noise):
        raise ValueError("noise in [0, 1]")
    rng = np.random.default_rng(seed)
    X, y = GENERATORS[name](n, noise, rng)
    order = rng.permutation(n)  # the spiral and blobs come class by class
    return X[order], y[order]


def split(X, y, test_fraction: float, seed: int = 0):
    """A seeded shuffle into (X_train, y_train, X_test, y_test); both parts get at least one point."""
    n = len(X)
    n_test = int(round(n * test_fraction))
    if not 1 <= n_test <= n - 1:
        raise ValueError("a test fraction that leaves at least one point on each side")
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train], X[test], y[test]
