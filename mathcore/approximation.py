"""Part 10: universal approximation and its limits.

A small MLP fitted in torch to a 1-D function f on a range (the function and range are in
[approximation]) fits well inside it ("this is ok, the problem is the data"), but

- problem #1, insufficient data: fitted to a few points, it is poor between them;
- problem #2, "you define the data space wrongly": evaluated outside the training range
  (the slide's "function only defined in this range": the training data lie only there) it departs from f.

A scene calls:

- ``target(name, frequency, x)`` -> f(x) as a numpy array (the "Actual" curve);
- ``from_config(cfg)`` -> ApproximationResult (cached by the [approximation] section) with ``fits`` (the two
  trained networks: training points, the fit at them, final loss, divergence) and ``cases`` — ``ok``,
  ``insufficient_data``, ``outside_range`` — each with ``x``, ``actual``, ``predicted`` on a grid
  of ``grid_points`` over its range, ``inside`` (x within the training range) and RMS errors.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from . import train as train_mod
from .cache import cached
from .results import Result

if TYPE_CHECKING:
    from .config import LectureConfig

SECTION = "approximation"

_FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin": np.sin,
    "cos": np.cos,
    "sinc": lambda u: np.sinc(u / np.pi),  # sin(u)/u, 1 at u = 0
    "gaussian": lambda u: np.exp(-u * u),
    "tanh": np.tanh,
    "x_sin": lambda u: u * np.sin(u),
    "cubic": lambda u: u**3,
}

# (case name, slide title, which fit, which range)
CASES = (
    ("ok", "This is ok, the problem is the data", "enough", "train_range"),
    ("insufficient_data", "Problem #1: insufficient data", "few", "train_range"),
    ("outside_range", "Problem #2: you define the data space wrongly", "enough", "eval_range"),
)


def target(name: str, frequency: float, x) -> np.ndarray:
    """f(x) = g(frequency * x) for the named g (see sections/approximation.FUNCTIONS)."""
    return _FUNCTIONS[name](frequency * np.asarray(x, dtype=float))


def _samples(s, count: int, stream: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` seeded points drawn uniformly in the training range, with noisy targets."""
    rng = np.random.default_rng([s.seed, stream])
    lo, hi = s.train_range
    x = np.sort(rng.uniform(lo, hi, count))
    y = target(s.function, s.frequency, x) + rng.normal(0.0, s.noise, count)
    return x, y


def fit(s, x: np.ndarray, y: np.ndarray, seed: int):
    """Full-batch Adam on the mean squared error; returns (predict(x) -> array, record dict).

    Inputs are mapped to [-1, 1] over the training range (conditioning only: the map is
    affine, so it does not change what the network can do outside the range).
    """
    lo, hi = s.train_range
    mid, half = (lo + hi) / 2, (hi - lo) / 2
    with train_mod.seeded(seed):
        net = train_mod.mlp([1, *s.hidden, 1], s.activation)
        xt = torch.tensor((x - mid) / half)[:, None]
        yt = torch.tensor(y)[:, None]
        diverged_at, loss_value = train_mod.fit_adam(
            net.parameters(), lambda: torch.mean((net(xt) - yt) ** 2), s.learning_rate, s.steps,
            description=f"fitting {len(x)} points",
        )

    def predict(xs):
        with torch.no_grad():
            return net(torch.tensor((np.asarray(xs, dtype=float) - mid) / half)[:, None])[:, 0].numpy()

    record = {"diverged": diverged_at is not None, "diverged_at": diverged_at,
              "final_loss": loss_value if diverged_at is None else None}
    return predict, record


def _rms(err: np.ndarray) -> float | None:
    return float(np.sqrt(np.mean(err**2))) if err.size else None


def _compute(cfg: LectureConfig) -> dict:
    s = cfg.approximation
    lo, hi = s.train_range
    fits, predictors = {}, {}
    for k, (name, count) in enumerate((("enough", s.points), ("few", s.few_points))):
        x, y = _samples(s, count, k)
        predictors[name], record = fit(s, x, y, s.seed)
        fits[name] = {"name": name, "points": count, "train_x": x.tolist(), "train_y": y.tolist(), **record,
                      "train_predicted": None if record["diverged"] else predictors[name](x).tolist()}
    cases = []
    ranges = {"train_range": s.train_range, "eval_range": s.eval_range}
    for name, title, which, span in CASES:
        xs = np.linspace(*ranges[span], s.grid_points)
        actual = target(s.function, s.frequency, xs)
        inside = (xs >= lo) & (xs <= hi)
        case = {"name": name, "title": title, "fit": which, "range": list(ranges[span]), "x": xs.tolist(),
                "actual": actual.tolist(), "inside": inside.tolist()}
        if fits[which]["diverged"]:
            case.update(predicted=None, rmse_inside=None, rmse_outside=None)
        else:
            predicted = predictors[which](xs)
            err = predicted - actual
            case.update(predicted=predicted.tolist(), rmse_inside=_rms(err[inside]), rmse_outside=_rms(err[~inside]))
        cases.append(case)
    return {"function": s.function, "frequency": s.frequency, "train_range": [lo, hi],
            "eval_range": list(s.eval_range), "fits": [fits["enough"], fits["few"]], "cases": cases}


@dataclass(frozen=True)
class ApproximationResult(Result):
    """``mathcore approximation``: the target, the two fits and the three cases (see the module docstring)."""

    function: str
    frequency: float
    train_range: list[float]
    eval_range: list[float]
    fits: list[dict[str, Any]]  # the network fitted to enough points, then to few
    cases: list[dict[str, Any]]  # ok, insufficient_data, outside_range


def from_config(cfg: LectureConfig) -> ApproximationResult:
    """The fits and the three cases (see the module docstring); cached by the [approximation] section."""
    return ApproximationResult(**cached("approximation", cfg, (SECTION,), lambda: _compute(cfg)))


compute = from_config  # the name scenes/universal_approximation.py still calls
