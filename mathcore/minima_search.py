"""How ``assets/data/minima.csv`` was found: a seeded search, run once, its result stored as data.

The cost C(w1) = 1/n Σ (y_i − σ(w1 x1_i + x2_i))² is a sum of sigmoid steps, one per point,
centred at w1 = −x2/x1 with steepness |x1|; a step goes up (the point becomes wrong as w1
grows) or down. So a candidate is drawn as a sorted row of thresholds with a fixed up/down
``pattern`` and integer steepness, turned into integer coordinates, and kept when C has exactly
the wanted local minima. ``candidate(seed, trial)`` rebuilds any candidate on its own (each
trial has its own generator), so the shipped file can be checked against ``candidate(SEED, TRIAL)``.

Why the order is 5, 3, 2 errors (in increasing w1) and not the slides' 3, 5, 2: with one
step per point, the errors at three minima A < B < C are e_A = u0 + d1 + d2 + d3,
e_B = u0 + u1 + d2 + d3, e_C = u0 + u1 + u2 + d3 (u_k, d_k: up and down steps between
the minima). e_A = 3, e_B = 5, e_C = 2 forces no down step between A and B and no up step
between B and C, so the 5-error minimum would sit on top of a hill of the error count and
can only be a shallow dent made by far-away soft steps (a grid search over such designs
found barriers of about 0.002 at best, invisible on a plot). The search keeps deep minima instead.

Run: ``python -m mathcore.minima_search`` prints the best candidate of the stored search.
"""
from __future__ import annotations

import numpy as np

#: The search that produced assets/data/minima.csv, and the trial it picked.
SEED = 6207
PATTERN = "DUDDDUDDU"  # step kinds in increasing threshold order: errors 6 -> 5, 6, 3, 4, 2 -> 3
TARGET = (5, 3, 2)
TRIALS = 40_000
TRIAL = 36145  # search(SEED, TRIALS) picks it: barrier 0.070


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def candidate(seed: int, trial: int, pattern: str = PATTERN, coord_max: int = 12):
    """The trial's points (x1, x2, y) as integer-valued float arrays, or None if out of bounds."""
    rng = np.random.default_rng([seed, trial])
    n = len(pattern)
    up = np.array([ch == "U" for ch in pattern])
    tau = np.sort(rng.uniform(-4.0, 4.0, n))
    steep = rng.integers(2, 6, n).astype(float)
    steep[0] = steep[-1] = 2.0  # the softest steps at both ends: C rises towards ±infinity
    sign = np.where(rng.random(n) < 0.5, -1.0, 1.0)
    x1 = steep * sign
    x2 = np.round(-tau * x1) + 0.0
    if np.abs(x2).max() > coord_max:
        return None
    # A down step is a point that becomes right as w1 grows: y = 1 if x1 > 0.
    y = np.where(up, 0.0, 1.0)
    y = np.where(sign < 0, 1.0 - y, y)
    if abs(y.sum() - n / 2) > 1:  # roughly balanced classes
        return None
    return x1, x2, y


def score(x1, x2, y, target=TARGET, lo=-6.0, hi=6.0, points=4801, min_margin=1.0):
    """The smallest barrier between neighbouring minima, or None if C(w1) is not as wanted."""
    w = np.linspace(lo, hi, points)
    z = w[:, None] * x1[None, :] + x2[None, :]
    c = ((y[None, :] - _sigmoid(z)) ** 2).mean(1)
    d = np.diff(c)
    mins = np.where((d[:-1] < 0) & (d[1:] >= 0))[0] + 1
    maxs = np.where((d[:-1] > 0) & (d[1:] <= 0))[0] + 1
    if len(mins) != len(target) or not (d[0] < 0 < d[-1]):
        return None
    zm = w[mins][:, None] * x1[None, :] + x2[None, :]
    errors = ((zm >= 0) != (y[None, :] > 0.5)).sum(1)
    if tuple(int(e) for e in errors) != tuple(target) or np.abs(zm).min() < min_margin:
        return None
    # No other minimum far out: C' < 0 left of the range and > 0 right of it (zero where it underflows).
    wide = np.linspace(-40.0, 40.0, 16001)
    zw = wide[:, None] * x1[None, :] + x2[None, :]
    s = _sigmoid(zw)
    g = (-2.0 * (y[None, :] - s) * s * _sigmoid(-zw) * x1[None, :]).mean(1)
    if np.any(g[wide < lo] > 0) or np.any(g[wide > hi] < 0):
        return None
    if np.sum((g[:-1] < 0) & (g[1:] > 0)) != len(target):
        return None
    barriers = ([c[maxs[k]] - c[mins[k]] for k in range(len(maxs))]
                + [c[maxs[k]] - c[mins[k + 1]] for k in range(len(maxs))])
    return float(min(barriers))


def search(seed: int = SEED, trials: int = TRIALS):
    """The trial with the deepest shallowest barrier: (barrier, trial)."""
    best: tuple[float, int | None] = (0.0, None)
    for trial in range(trials):
        pts = candidate(seed, trial)
        if pts is None:
            continue
        b = score(*pts)
        if b is not None and b > best[0]:
            best = (b, trial)
    return best


if __name__ == "__main__":  # pragma: no cover
    barrier, trial = search()
    print(f"seed {SEED}, trial {trial}: barrier {barrier:.4f}")
    x1, x2, y = candidate(SEED, trial)
    print("x1,x2,y")
    for a, b, c in zip(x1, x2, y):
        print(f"{a:g},{b:g},{c:g}")
