"""Part 2: the local minima of C(w1) = 1/n Σ (y_i − o_i)², o_i = σ(w1 x1_i + w2 x2_i), w2 = 1.

The data is ``assets/data/minima.csv`` (columns x1, x2, y; found by mathcore.minima_search).
On it C(w1) has exactly three local minima; in increasing w1 their decision lines
(o >= 0.5 → class 1, i.e. the line w1 x1 + w2 x2 = 0) misclassify 5, 3 and 2 points: the
slides' "5 errors", "3 errors", "2 errors" (why not 3, 5, 2 from left to right: see
mathcore.minima_search).

What a scene calls:
- ``load(cfg) -> Data`` (x1, x2, y as float arrays, and w2).
- ``cost(w1, data)``, ``slope(w1, data)``: C and dC/dw1 at a float or any array of w1 (vectorised).
- ``classify(w1, data)``: predicted classes (0/1 ints) of the points; ``misclassified(w1, data)``: row indices;
  ``errors(w1, data)``: how many are wrong (vectorised).
- ``grid(data, lo, hi, points) -> (w1, C)``: C on an even grid (10^6 points in well under a second).
- ``find_minima(data, lo, hi, points) -> list[Minimum]``: (w1, cost, errors, misclassified, line slope)
  ordered by w1, each refined by bisection on dC/dw1 to ~1e-12.
- ``descend(data, start, lr, steps) -> Run``: gradient descent on w1 in torch (autograd, float64).
- ``from_config(cfg) -> dict``: everything above for the config, JSON-ready (what ``mathcore minima`` prints);
  the gradient-descent runs are cached by config.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .data import data_file, load_table
from .errors import ConfigError
from .results import Result, optional

SECTION = "minima"
COLUMNS = ["x1", "x2", "y"]
CHUNK = 1 << 16  # grid points per block: keeps the (points × rows) temporaries small


@dataclass(frozen=True)
class Data:
    x1: np.ndarray
    x2: np.ndarray
    y: np.ndarray
    w2: float = 1.0

    @property
    def n(self) -> int:
        return len(self.y)


@dataclass(frozen=True)
class Minimum:
    w1: float
    cost: float
    errors: int
    misclassified: list[int]
    line_slope: float  # the decision line x2 = line_slope * x1

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Run:
    start: float
    lr: float
    w1: list[float] = field(default_factory=list)  # w1(t), t = 0..steps
    cost: list[float] = field(default_factory=list)  # C(w1(t))
    slope: list[float] = field(default_factory=list)  # dC/dw1 at w1(t), from autograd
    diverged: bool = False
    diverged_at: int | None = None
    minimum: int | None = None  # index into the minima it ends in (None: none of them)

    def to_dict(self) -> dict:
        return asdict(self)


def sigmoid(z):
    """σ(z) = 1/(1 + e^−z), written with tanh so no exp overflows for large |z|."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def load(cfg) -> Data:
    sec = cfg.minima
    path = data_file(cfg, SECTION)
    table = load_table(path, COLUMNS)
    y = table["y"]
    if not np.all((y == 0) | (y == 1)):
        bad = next(v for v in y if v not in (0, 1))
        raise ConfigError(path, "y", "class labels 0 or 1", float(bad))
    return Data(table["x1"], table["x2"], y, float(sec.w2))


def _blocks(w1: np.ndarray):
    for start in range(0, len(w1), CHUNK):
        yield slice(start, start + CHUNK)


def cost(w1, data: Data):
    """C(w1) for a float or an array of w1 (same shape back)."""
    w = np.asarray(w1, dtype=float)
    flat = w.reshape(-1)
    out = np.empty_like(flat)
    for s in _blocks(flat):
        o = sigmoid(flat[s, None] * data.x1[None, :] + data.w2 * data.x2[None, :])
        out[s] = ((data.y[None, :] - o) ** 2).mean(axis=1)
    return float(out[0]) if w.ndim == 0 else out.reshape(w.shape)


def slope(w1, data: Data):
    """dC/dw1 = 1/n Σ −2 (y_i − o_i) o_i (1 − o_i) x1_i, vectorised like ``cost``."""
    w = np.asarray(w1, dtype=float)
    flat = w.reshape(-1)
    out = np.empty_like(flat)
    for s in _blocks(flat):
        z = flat[s, None] * data.x1[None, :] + data.w2 * data.x2[None, :]
        o = sigmoid(z)
        out[s] = (-2.0 * (data.y[None, :] - o) * o * sigmoid(-z) * data.x1[None, :]).mean(axis=1)
    return float(out[0]) if w.ndim == 0 else out.reshape(w.shape)


def classify(w1: float, data: Data) -> np.ndarray:
    """The rule: o >= 0.5 (z = w1 x1 + w2 x2 >= 0) → class 1, else class 0."""
    return (w1 * data.x1 + data.w2 * data.x2 >= 0).astype(int)


def errors(w1, data: Data):
    """How many points the decision line of each w1 gets wrong (vectorised like ``cost``)."""
    w = np.asarray(w1, dtype=float)
    flat = w.reshape(-1)
    out = np.empty(flat.shape, dtype=int)
    for s in _blocks(flat):
        predicted = flat[s, None] * data.x1[None, :] + data.w2 * data.x2[None, :] >= 0
        out[s] = (predicted != (data.y[None, :] == 1)).sum(axis=1)
    return int(out[0]) if w.ndim == 0 else out.reshape(w.shape)


def misclassified(w1: float, data: Data) -> list[int]:
    """Row indices (0-based, data rows of the CSV) of the points the decision line gets wrong."""
    return [int(i) for i in np.flatnonzero(classify(w1, data) != data.y.astype(int))]


def without_row(data: Data, row: int) -> Data:
    """The data set with one row left out: another data set, another cost curve ("cost surfaces are
    different for different data sets")."""
    keep = np.arange(data.n) != row
    return Data(data.x1[keep], data.x2[keep], data.y[keep], data.w2)


def grid(data: Data, lo: float, hi: float, points: int) -> tuple[np.ndarray, np.ndarray]:
    w1 = np.linspace(lo, hi, points)
    return w1, cost(w1, data)


def _refine(data: Data, a: float, b: float, iters: int = 200) -> float:
    """Bisection on dC/dw1 in [a, b], where it goes from < 0 to >= 0."""
    for _ in range(iters):
        m = 0.5 * (a + b)
        if m in (a, b):
            break
        if slope(m, data) < 0:
            a = m
        else:
            b = m
    return 0.5 * (a + b)


def find_minima(data: Data, lo: float, hi: float, points: int) -> list[Minimum]:
    """The local minima of C inside (lo, hi), by w1: sign changes − → + of dC/dw1 on the grid, refined."""
    w1 = np.linspace(lo, hi, points)
    g = slope(w1, data)
    found = []
    for k in np.flatnonzero((g[:-1] < 0) & (g[1:] >= 0)):
        w = _refine(data, float(w1[k]), float(w1[k + 1]))
        wrong = misclassified(w, data)
        found.append(Minimum(w, cost(w, data), len(wrong), wrong, -w / data.w2))
    return found


def nearest_minimum(w1: float, minima: list[Minimum], tol: float) -> int | None:
    for k, m in enumerate(minima):
        if abs(w1 - m.w1) <= tol:
            return k
    return None


def descend(data: Data, start: float, lr: float, steps: int, ascend: bool = False) -> Run:
    """Gradient descent w1 ← w1 − η dC/dw1 with torch autograd (float64), from ``start``.

    ``ascend=True`` is the sign bug of part 5 (w1 ← w1 + η dC/dw1). Stops at the first
    non-finite value and reports that step.
    """
    import torch

    x1 = torch.tensor(data.x1, dtype=torch.float64)
    x2 = torch.tensor(data.x2, dtype=torch.float64)
    y = torch.tensor(data.y, dtype=torch.float64)
    w = torch.tensor(float(start), dtype=torch.float64, requires_grad=True)
    run = Run(start=float(start), lr=float(lr))
    sign = 1.0 if ascend else -1.0
    for t in range(steps + 1):
        c = ((y - torch.sigmoid(w * x1 + data.w2 * x2)) ** 2).mean()
        (g,) = torch.autograd.grad(c, w)
        values = (w.item(), c.item(), g.item())
        if not all(math.isfinite(v) for v in values):
            run.diverged, run.diverged_at = True, t
            break
        run.w1.append(values[0])
        run.cost.append(values[1])
        run.slope.append(values[2])
        if t < steps:
            with torch.no_grad():
                w += sign * lr * g
    return run


def _runs(cfg, data: Data, minima: list[Minimum]) -> list[dict]:
    from .progress import track
    from .train import seeded

    sec = cfg.minima
    runs = []
    with seeded(0):  # no randomness here; pins torch to one thread
        for start in track(sec.starts, total=len(sec.starts), description="gradient descent"):
            run = descend(data, start, sec.learning_rate, sec.steps)
            if not run.diverged:
                run.minimum = nearest_minimum(run.w1[-1], minima, sec.tolerance)
            runs.append(run.to_dict())
    return runs


@dataclass(frozen=True)
class MinimaResult(Result):
    """``mathcore minima``: the data, the minima of C(w1) and (if asked for) the gradient-descent runs."""

    minima: list[dict[str, Any]]  # Minimum.to_dict() in increasing w1
    order: str
    rule: str
    w2: float
    w1_range: list[float]
    data: dict[str, np.ndarray]  # x1, x2, y
    runs: list[dict[str, Any]] | None = optional()


def from_config(cfg, runs: bool = True) -> MinimaResult:
    """Data, minima, a grid of C and (if ``runs``) the gradient-descent runs, as JSON-able data."""
    from . import cache

    sec = cfg.minima
    lo, hi = sec.w1_range
    if not lo < hi:
        raise ConfigError(cfg.path, f"{SECTION}.w1_range", "[low, high] with low < high", list(sec.w1_range))
    data = load(cfg)
    minima = find_minima(data, lo, hi, sec.grid_points)
    return MinimaResult(
        minima=[m.to_dict() for m in minima],
        order="increasing w1",
        rule="o >= 0.5 -> class 1",
        w2=data.w2,
        w1_range=[lo, hi],
        data={"x1": data.x1, "x2": data.x2, "y": data.y.astype(int)},
        runs=cache.cached(
            "minima-runs", cfg, sections=(SECTION,),
            compute=lambda: _runs(cfg, data, minima),
            extra=[data.x1.tolist(), data.x2.tolist(), data.y.tolist()],
        ) if runs else None,
    )
