"""Part 8: data manifolds and decision boundaries ("how do you classify the blue point?").

Two generated (seeded) data sets whose points fill only a thin, 1-D part of the 2-D data space:

- ``height_weight``: two populations; weight follows height, so the points lie in a narrow
  band along a line ("what is 'wrong' with this data set?");
- ``hypothetical``: the slides' hypothetical data, two classes along a line with a gap.

Several classifiers (logistic regression and small MLPs with different seeds) are trained in
torch. All of them separate the training data, but away from the data nothing constrains them,
so their decision boundaries differ and they disagree about the blue point far from the data.

A scene calls:

- ``make_data(cfg, name)`` -> ``Dataset`` (points (n, 2), labels (n,) 0/1, blue point, feature names);
- ``classifiers(cfg, name)`` -> list of trained ``Classifier`` (name, kind, seed, train_accuracy,
  ``prob(points)`` -> P(class 1) per point); training is cached by the [manifold] section;
- ``decision_grid(cfg, name, size=None)`` -> ``Grid`` (xs, ys, probs: name -> (size, size) array, rows = ys);
- ``boundaries(grid)`` -> name -> list of (k, 2) polylines where P = 0.5;
- ``band(data, pad)`` -> the 4 corners (4, 2) of a thin rectangle along the data's main direction
  holding every point (the data manifold drawn as a band);
- ``from_config(cfg, with_grid=False)`` -> ManifoldResult, the JSON of ``mathcore manifold --json``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from . import train as train_mod
from .cache import cached
from .progress import track
from .results import Result

DATASETS = ("height_weight", "hypothetical")
SECTION = "manifold"


@dataclass(frozen=True)
class Dataset:
    name: str
    features: tuple[str, str]
    points: np.ndarray  # (n, 2)
    labels: np.ndarray  # (n,) ints 0/1
    blue: np.ndarray  # (2,) the point far from the data


def make_data(cfg, name: str) -> Dataset:
    """The data set ``name`` (one of DATASETS), generated from the [manifold] seed and parameters."""
    s = cfg.manifold
    # One generator per data set, so changing one set's parameters leaves the other alone.
    rng = np.random.default_rng([s.seed, DATASETS.index(name)])
    if name == "height_weight":
        n = s.hw_count
        lo0, hi0, lo1, hi1 = s.hw_height_ranges
        heights = np.concatenate([rng.uniform(lo0, hi0, n), rng.uniform(lo1, hi1, n)])
        weights = s.hw_weight_intercept + s.hw_weight_slope * heights + rng.normal(0, s.hw_weight_noise, 2 * n)
        points = np.stack([heights, weights], axis=1)
        features = ("height_cm", "weight_kg")
        blue = s.hw_blue_point
    elif name == "hypothetical":
        n = s.hyp_count
        lo0, hi0, lo1, hi1 = s.hyp_class_ranges
        t = np.concatenate([rng.uniform(lo0, hi0, n), rng.uniform(lo1, hi1, n)])
        off = rng.normal(0, s.hyp_noise, 2 * n)
        a = math.radians(s.hyp_angle)
        along, across = np.array([math.cos(a), math.sin(a)]), np.array([-math.sin(a), math.cos(a)])
        points = np.asarray(s.hyp_center) + t[:, None] * along + off[:, None] * across
        features = ("x1", "x2")
        blue = s.hyp_blue_point
    else:
        raise ValueError(f"unknown data set {name!r}; one of {', '.join(DATASETS)}")
    labels = np.repeat([0, 1], n)
    return Dataset(name, features, points, labels, np.asarray(blue, dtype=float))


def _net(kind: str, s) -> nn.Sequential:
    if kind == "logistic":
        return train_mod.mlp([2, 1])
    return train_mod.mlp([2, *s.mlp_hidden, 1], s.mlp_activation)


def _fit(kind: str, seed: int, data: Dataset, s) -> dict:
    """Full-batch Adam on the cross-entropy; inputs standardised by the data's mean and spread."""
    mean, std = data.points.mean(axis=0), data.points.std(axis=0)
    with train_mod.seeded(seed):
        net = _net(kind, s)
        x = torch.tensor((data.points - mean) / std)
        y = torch.tensor(data.labels, dtype=torch.float64)[:, None]
        diverged_at, loss_value = train_mod.fit_adam(
            net.parameters(), lambda: train_mod.bce_with_logits(net(x), y), s.learning_rate, s.steps
        )
        params = [p.detach().tolist() for p in net.parameters()]
    return {
        "kind": kind, "seed": seed, "mean": mean.tolist(), "std": std.tolist(), "params": params,
        "final_loss": loss_value if diverged_at is None else None,
        "diverged": diverged_at is not None, "diverged_at": diverged_at,
    }


@dataclass
class Classifier:
    name: str
    kind: str  # "logistic" or "mlp"
    seed: int
    final_loss: float | None
    diverged: bool
    diverged_at: int | None
    net: nn.Sequential
    mean: np.ndarray
    std: np.ndarray
    train_accuracy: float | None = None

    def logit(self, points: np.ndarray) -> np.ndarray:
        """The network's output before the sigmoid at each point (n, 2), one vectorised pass."""
        x = torch.as_tensor((np.asarray(points, dtype=float) - self.mean) / self.std)
        with torch.no_grad():
            return self.net(x)[:, 0].numpy()

    def prob(self, points: np.ndarray) -> np.ndarray:
        """P(class 1) at each point."""
        return 1.0 / (1.0 + np.exp(-np.clip(self.logit(points), -500, 500)))


def _specs(s) -> list[tuple[str, str, int]]:
    first = s.classifier_seeds[0]
    return [("logistic", "logistic", first)] + [(f"mlp_seed{seed}", "mlp", seed) for seed in s.classifier_seeds]


def trained(cfg, name: str) -> list[dict]:
    """The JSON-able training results of every classifier on data set ``name`` (cached)."""
    s = cfg.manifold

    def compute():
        data = make_data(cfg, name)
        specs = _specs(s)
        return [
            {"name": label, **_fit(kind, seed, data, s)}
            for label, kind, seed in track(specs, total=len(specs), description=f"training on {name}")
        ]

    return cached(f"manifold-{name}", cfg, (SECTION,), compute)


def classifiers(cfg, name: str) -> list[Classifier]:
    """The trained classifiers on data set ``name``, ready to evaluate anywhere in the plane."""
    s = cfg.manifold
    data = make_data(cfg, name)
    out = []
    for r in trained(cfg, name):
        net = _net(r["kind"], s)
        with torch.no_grad():
            for p, value in zip(net.parameters(), r["params"]):
                p.copy_(torch.tensor(value, dtype=torch.float64))
        c = Classifier(r["name"], r["kind"], r["seed"], r["final_loss"], r["diverged"], r["diverged_at"], net,
                       np.asarray(r["mean"]), np.asarray(r["std"]))
        if not c.diverged:
            c.train_accuracy = float(np.mean((c.logit(data.points) > 0) == (data.labels == 1)))
        out.append(c)
    return out


@dataclass(frozen=True)
class Grid:
    xs: np.ndarray  # (size,)
    ys: np.ndarray  # (size,)
    probs: dict[str, np.ndarray]  # classifier name -> (size, size), probs[name][i, j] at (xs[j], ys[i])


def grid_box(data: Dataset, margin: float) -> tuple[float, float, float, float]:
    """(x_lo, x_hi, y_lo, y_hi): the data and the blue point, widened by ``margin`` of the span."""
    pts = np.vstack([data.points, data.blue])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = margin * (hi - lo)
    return float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1])


def decision_grid(cfg, name: str, size: int | None = None, models: list[Classifier] | None = None) -> Grid:
    """P(class 1) of every (non-diverged) classifier on a size x size grid over the data's box."""
    s = cfg.manifold
    size = size or s.grid_size
    data = make_data(cfg, name)
    x0, x1, y0, y1 = grid_box(data, s.grid_margin)
    xs, ys = np.linspace(x0, x1, size), np.linspace(y0, y1, size)
    gx, gy = np.meshgrid(xs, ys)
    flat = np.stack([gx.ravel(), gy.ravel()], axis=1)
    models = models if models is not None else classifiers(cfg, name)
    probs = {c.name: c.prob(flat).reshape(size, size) for c in models if not c.diverged}
    return Grid(xs, ys, probs)


def boundaries(grid: Grid) -> dict[str, list[np.ndarray]]:
    """Each classifier's decision boundary (P = 0.5) as polylines of (k, 2) points."""
    import contourpy

    out = {}
    for name, p in grid.probs.items():
        gen = contourpy.contour_generator(grid.xs, grid.ys, p, line_type=contourpy.LineType.Separate)
        out[name] = [np.asarray(line) for line in gen.lines(0.5)]
    return out


def band(data: Dataset, pad: float = 0.05) -> np.ndarray:
    """The corners (4, 2), in order around it, of the rectangle along the data's main direction (in data
    units) that holds every point, each side moved out by ``pad`` of the rectangle's length."""
    centre = data.points.mean(axis=0)
    centred = data.points - centre
    along = np.linalg.svd(centred, full_matrices=False)[2][0]
    across = np.array([-along[1], along[0]])
    a, c = centred @ along, centred @ across
    margin = pad * float(a.max() - a.min())
    a0, a1 = a.min() - margin, a.max() + margin
    c0, c1 = c.min() - margin, c.max() + margin
    return np.array([centre + u * along + v * across for u, v in ((a0, c0), (a1, c0), (a1, c1), (a0, c1))])


@dataclass(frozen=True)
class ManifoldResult(Result):
    """``mathcore manifold``: per data set its points, thickness, blue point and classifiers."""

    datasets: list[dict[str, Any]]


def from_config(cfg, with_grid: bool = False, grid_size: int | None = None) -> ManifoldResult:
    """Everything ``mathcore manifold --json`` prints: per data set the points, and per classifier
    its training accuracy, decision boundary polylines and verdict on the blue point."""
    out: dict[str, Any] = {"datasets": []}
    for name in DATASETS:
        data = make_data(cfg, name)
        models = classifiers(cfg, name)
        grid = decision_grid(cfg, name, grid_size, models)
        lines = boundaries(grid)
        entries = []
        for c in models:
            entry = {"name": c.name, "kind": c.kind, "seed": c.seed, "diverged": c.diverged,
                     "diverged_at": c.diverged_at, "final_loss": c.final_loss, "train_accuracy": c.train_accuracy}
            if not c.diverged:
                p = float(c.prob(data.blue[None, :])[0])
                entry["blue_prob"] = p
                entry["blue_label"] = int(p > 0.5)
                entry["boundary"] = [np.round(line, 6).tolist() for line in lines[c.name]]
                if with_grid:
                    entry["grid_prob"] = np.round(grid.probs[c.name], 6).tolist()
            entries.append(entry)
        labels = {e["blue_label"] for e in entries if "blue_label" in e}
        # How thin the data is: the spread across the main direction over the spread along it.
        centred = (data.points - data.points.mean(axis=0)) / data.points.std(axis=0)
        sv = np.linalg.svd(centred, compute_uv=False)
        out["datasets"].append({
            "name": name,
            "features": list(data.features),
            "points": data.points.tolist(),
            "labels": data.labels.tolist(),
            "thickness": float(sv[1] / sv[0]),
            "blue_point": data.blue.tolist(),
            "blue_disagreement": len(labels) > 1,
            "grid": {"x": [grid.xs[0], grid.xs[-1]], "y": [grid.ys[0], grid.ys[-1]], "size": len(grid.xs),
                     **({"xs": grid.xs.tolist(), "ys": grid.ys.tolist()} if with_grid else {})},
            "classifiers": entries,
        })
    return ManifoldResult(**out)


compute = from_config  # the name scenes/data_manifold.py still calls
