"""Part 9, the playground: small MLPs trained in torch on XOR, circle, Gaussian and spiral data.

Like TensorFlow Playground: a 2-D input, hidden layers of a chosen width and
activation (relu, tanh, sigmoid, linear), one sigmoid output trained with
binary cross-entropy by minibatch SGD or Adam. Every run records the train and
test loss per epoch and, at the config's ``snapshot_epochs``, the weights and a
small decision grid (for animation). All knobs are in ``[playground]``.

What a scene calls (runs are cached on disk by config):

    run(cfg, dataset=None, activation=None, hidden=None, seed=None, label=None) -> PlaygroundRun
    single_run(cfg) -> PlaygroundRun               the [playground] dataset/activation/hidden/seed
    xor_runs(cfg) -> [PlaygroundRun]               xor_good_seeds (label "good"), then xor_stalled_seeds ("stalled")
    compare_runs(cfg) -> [PlaygroundRun]           compare_dataset with each of compare_activations
    depth_runs(cfg) -> [PlaygroundRun]             the single run's network with 0..2x its hidden layers
    depth_answer(runs) -> DepthAnswer              "more layers always better?" from the ladder's final losses
    from_config(cfg, which) -> PlaygroundResult    ``runs``: the single, xor, compare or depth runs (``mathcore
                                                   playground``); ``answer``: the depth runs' DepthAnswer
    data(cfg) -> (X_train, y_train, X_test, y_test) numpy arrays
    grid_from_weights(weights, activation, extent, resolution) -> {"x", "y", "p"}   numpy, any resolution
    neuron_grids(weights, activation, extent, resolution) -> [array (neurons, res, res) per hidden layer]
    decision_grid(model, extent, resolution) -> {"x", "y", "p"}                      torch, one forward pass

A PlaygroundRun (read by attribute, ``run.test_loss``): dataset, activation, hidden, layers (all layer sizes, input
first), seed, label, optimizer, learning_rate, batch_size, epochs [0..E], train_loss, test_loss (per epoch, 0 = before
training), snapshots: [{"epoch", "grid": {"extent", "resolution", "x", "y", "p"}, "weights": [{"weight", "bias"} per
layer]}], final_accuracy (train), final_test_accuracy, diverged, diverged_at (epoch or None).
``grid["p"][i][j]`` is P(label 1) at (x[j], y[i]).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from . import activations, cache, datasets, train
from .errors import ConfigError
from .progress import track
from .results import Result, optional

SECTION = "playground"


def settings(cfg):
    """The [playground] section (``cfg.playground``), after the checks that involve more than one key."""
    s = cfg.playground
    n_test = int(round(s.points * s.test_fraction))
    n_train = s.points - n_test
    if not 1 <= n_test <= s.points - 1:
        raise ConfigError(cfg.path, f"{SECTION}.test_fraction", "a fraction leaving points for training and testing",
                          s.test_fraction)
    if s.batch_size > n_train:
        raise ConfigError(cfg.path, f"{SECTION}.batch_size", f"at most the {n_train} training points",
                          s.batch_size)
    return s


def data(cfg, dataset: str | None = None):
    """The seeded train/test split of ``dataset`` (default: [playground] dataset)."""
    s = settings(cfg)
    X, y = datasets.make(dataset or s.dataset, s.points, s.noise, s.data_seed)
    return datasets.split(X, y, s.test_fraction, s.data_seed)


def _grid_points(extent: float, resolution: int):
    axis = np.linspace(-extent, extent, resolution)
    gx, gy = np.meshgrid(axis, axis)  # row i is y = axis[i]
    return axis, np.stack([gx.ravel(), gy.ravel()], axis=1)


def decision_grid(model, extent: float, resolution: int) -> dict:
    """P(label 1) of a torch model on a resolution × resolution grid over [-extent, extent]², in one pass."""
    axis, pts = _grid_points(extent, resolution)
    with torch.no_grad():
        logits = model(torch.from_numpy(pts)).reshape(resolution, resolution)
    return {"x": axis, "y": axis, "p": torch.sigmoid(logits).numpy()}


def forward_numpy(weights: list[dict], activation: str, points) -> np.ndarray:
    """The logits of a recorded network (a snapshot's ``weights``) at ``points`` (m, 2), without torch."""
    h = np.asarray(points, dtype=float)
    for k, layer in enumerate(weights):
        h = h @ np.asarray(layer["weight"], dtype=float).T + np.asarray(layer["bias"], dtype=float)
        if k < len(weights) - 1:
            h = activations.get(activation)[0](h)
    return h[:, 0]


def neuron_grids(weights: list[dict], activation: str, extent: float, resolution: int) -> list[np.ndarray]:
    """Each hidden neuron's output over the input plane (TensorFlow Playground's squares): per hidden layer an
    array (neurons, resolution, resolution), ``[k][i][j]`` neuron k's output at (x[j], y[i]) of ``_grid_points``."""
    _, pts = _grid_points(extent, resolution)
    h, out = pts, []
    for layer in weights[:-1]:
        h = activations.get(activation)[0](h @ np.asarray(layer["weight"], dtype=float).T
                                           + np.asarray(layer["bias"], dtype=float))
        out.append(h.T.reshape(-1, resolution, resolution))
    return out


def grid_from_weights(weights: list[dict], activation: str, extent: float, resolution: int) -> dict:
    """Like decision_grid, from a snapshot's weights (a scene can redraw a snapshot finer than it was stored)."""
    axis, pts = _grid_points(extent, resolution)
    logits = forward_numpy(weights, activation, pts).reshape(resolution, resolution)
    return {"x": axis, "y": axis, "p": 0.5 * (1.0 + np.tanh(0.5 * logits))}


def _weights(model) -> list[dict]:
    return [{"weight": m.weight.detach().numpy().tolist(), "bias": m.bias.detach().numpy().tolist()}
            for m in model if isinstance(m, torch.nn.Linear)]


def _snapshot(model, epoch: int, s) -> dict:
    grid = decision_grid(model, s.grid_extent, s.snapshot_grid)
    digits = s.snapshot_decimals
    return {
        "epoch": epoch,
        "grid": {"extent": s.grid_extent, "resolution": s.snapshot_grid,
                 "x": np.round(grid["x"], 6).tolist(), "y": np.round(grid["y"], 6).tolist(),
                 "p": np.round(grid["p"], digits).tolist()},
        "weights": _weights(model),
    }


@dataclass(frozen=True)
class PlaygroundRun(Result):
    """One training run: its choices, the losses per epoch, the snapshots and the final accuracies."""

    dataset: str
    activation: str
    hidden: list[int]
    layers: list[int]  # all layer sizes, input first
    seed: int
    label: str | None
    optimizer: str
    learning_rate: float
    batch_size: int
    epochs: list[int]  # 0 .. E (0 = before training)
    train_loss: list[float]
    test_loss: list[float]
    snapshots: list[dict[str, Any]]  # at snapshot_epochs: epoch, grid, weights
    final_accuracy: float | None  # None if diverged
    final_test_accuracy: float | None
    diverged: bool
    diverged_at: int | None  # epoch


def train_run(s, split, dataset: str, activation: str, hidden, seed: int, label=None,
              show_progress: bool = True) -> PlaygroundRun:
    """Train one network on ``split`` with the knobs of ``s`` (the settings() section); see the module doc."""
    Xtr, ytr, Xte, yte = (torch.from_numpy(np.asarray(a, dtype=np.float64)) for a in split)
    sizes = [2, *hidden, 1]
    loss_fn = train.bce_with_logits
    snap_at = set(s.snapshot_epochs)
    train_loss, test_loss, snapshots = [], [], []
    diverged_at = None
    with train.seeded(seed) as gen:
        model = train.mlp(sizes, activation)
        optimizer = train.Adam if s.optimizer == "adam" else train.SGD
        opt = optimizer(model.parameters(), lr=s.learning_rate)

        def record(epoch: int) -> bool:
            with torch.no_grad():
                tr = loss_fn(model(Xtr)[:, 0], ytr).item()
                te = loss_fn(model(Xte)[:, 0], yte).item()
            if not (math.isfinite(tr) and math.isfinite(te)):
                return False
            train_loss.append(tr)
            test_loss.append(te)
            if epoch in snap_at:
                snapshots.append(_snapshot(model, epoch, s))
            return True

        record(0)
        n, bs = len(Xtr), s.batch_size
        epochs: Iterable[int] = range(1, s.epochs + 1)
        if show_progress:
            epochs = track(epochs, total=s.epochs, description=f"{dataset} {activation} seed {seed}")
        for epoch in epochs:
            order = torch.randperm(n, generator=gen)  # reshuffled every epoch
            finite = True
            for start in range(0, n, bs):
                idx = order[start:start + bs]
                opt.zero_grad()
                loss = loss_fn(model(Xtr[idx])[:, 0], ytr[idx])
                loss.backward()
                if not math.isfinite(loss.item()):  # blown-up weights show here on the next batch
                    finite = False
                    break
                opt.step()
            if not finite or not record(epoch):
                diverged_at = epoch
                break
        with torch.no_grad():
            acc = ((model(Xtr)[:, 0] > 0).double() == ytr).double().mean().item()
            test_acc = ((model(Xte)[:, 0] > 0).double() == yte).double().mean().item()
    done = len(train_loss)
    return PlaygroundRun(
        dataset=dataset,
        activation=activation,
        hidden=list(hidden),
        layers=sizes,
        seed=seed,
        label=label,
        optimizer=s.optimizer,
        learning_rate=s.learning_rate,
        batch_size=s.batch_size,
        epochs=list(range(done)),
        train_loss=train_loss,
        test_loss=test_loss,
        snapshots=snapshots,
        final_accuracy=None if diverged_at else acc,
        final_test_accuracy=None if diverged_at else test_acc,
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
    )


def run(cfg, dataset=None, activation=None, hidden=None, seed=None, label=None) -> PlaygroundRun:
    """One training run (defaults from [playground]), cached by the section and the run's choices."""
    s = settings(cfg)
    spec = {
        "dataset": dataset or s.dataset,
        "activation": activation or s.activation,
        "hidden": list(s.hidden if hidden is None else hidden),
        "seed": s.seed if seed is None else seed,
        "label": label,
    }

    def compute():
        split = data(cfg, spec["dataset"])
        return train_run(s, split, **spec).to_dict()

    return PlaygroundRun(**cache.cached("playground", cfg, sections=(SECTION,), compute=compute, extra=spec))


def single_run(cfg) -> PlaygroundRun:
    return run(cfg)


def xor_runs(cfg) -> list[PlaygroundRun]:
    """XOR with xor_activation/xor_hidden: the good seeds, then the seeds that stall in a local minimum."""
    s = settings(cfg)
    kw = {"dataset": "xor", "activation": s.xor_activation, "hidden": s.xor_hidden}
    return ([run(cfg, seed=k, label="good", **kw) for k in s.xor_good_seeds]
            + [run(cfg, seed=k, label="stalled", **kw) for k in s.xor_stalled_seeds])


def compare_runs(cfg) -> list[PlaygroundRun]:
    """compare_dataset with the same depth, width and seed, once per activation."""
    s = settings(cfg)
    return [run(cfg, dataset=s.compare_dataset, activation=a, hidden=s.compare_hidden,
                seed=s.compare_seed, label=a) for a in s.compare_activations]


def depth_ladder(hidden) -> list[list[int]]:
    """"More layers always better?": 0, 1, ... up to twice as many hidden layers as ``hidden``
    (at least 2), each as wide as its widest layer (2, the input's width, for [])."""
    width = max(hidden, default=2)
    deepest = max(2 * len(hidden), 2)
    return [[width] * k for k in range(deepest + 1)]


def depth_runs(cfg) -> list[PlaygroundRun]:
    """The [playground] dataset/activation/seed trained with each network of depth_ladder(hidden);
    labels "depth 0", "depth 1", ... (the runs' ``hidden`` say the layers)."""
    s = settings(cfg)
    return [run(cfg, hidden=h, label=f"depth {len(h)}") for h in depth_ladder(s.hidden)]


def search_xor_seeds(cfg, seeds, good_loss: float = 0.05, stalled_loss: float = 0.3) -> dict:
    """Train XOR (xor_activation, xor_hidden) from each seed; sort them into good and stalled.

    Run once to choose the config's xor_good_seeds and xor_stalled_seeds. Uncached.
    """
    s = settings(cfg)
    split = data(cfg, "xor")
    out: dict[str, list] = {"good": [], "stalled": [], "other": []}
    for seed in track(list(seeds), total=len(seeds), description="seed search"):
        r = train_run(s, split, "xor", s.xor_activation, s.xor_hidden, seed, show_progress=False)
        final = r.train_loss[-1] if r.train_loss else math.inf
        kind = "good" if final < good_loss else "stalled" if final > stalled_loss else "other"
        out[kind].append((seed, final, r.final_accuracy))
    return out


@dataclass(frozen=True)
class DepthAnswer(Result):
    """"More layers always better?" answered by a depth ladder's final losses (indices into its runs)."""

    best: int  # the run with the lowest final test loss (of those that did not diverge)
    gap: int  # the run whose train/test gap shows why: the deepest when it is not the best, else the widest gap
    deepest_best: bool  # the deepest run is the best: more layers were better here
    gap_deepest: bool  # the gap is the deepest run's
    fits_closer: bool  # the gap run's training loss is below the best run's: fitting closer did not test better


def depth_answer(runs: Sequence[PlaygroundRun]) -> DepthAnswer:
    """The answer of the ladder ``runs`` (shallowest first). The deepest run, when it is not the best and did not
    diverge, shows why: it fits its training points more closely than the best does new ones; else the run with
    the widest gap between its final test and train loss does. Ties go to the shallower run."""
    done = [k for k, r in enumerate(runs) if not r.diverged]
    if not done:
        raise ValueError("every run of the depth ladder diverged: no test loss to compare")
    best = min(done, key=lambda k: runs[k].test_loss[-1])
    deepest = len(runs) - 1
    if best != deepest and not runs[deepest].diverged:
        gap = deepest
    else:
        gap = max(done, key=lambda k: runs[k].test_loss[-1] - runs[k].train_loss[-1])
    closer = gap != best and runs[gap].train_loss[-1] < runs[best].train_loss[-1]
    return DepthAnswer(best=best, gap=gap, deepest_best=best == deepest, gap_deepest=gap == deepest,
                       fits_closer=closer)


@dataclass(frozen=True)
class PlaygroundResult(Result):
    """``mathcore playground``: the runs asked for; for the depth ladder, its answer too."""

    runs: list[PlaygroundRun]
    answer: DepthAnswer | None = optional()


def from_config(cfg, which: str = "single") -> PlaygroundResult:
    """The single run, the good and stalled XOR runs, the activations compared or the depth ladder with its
    answer (``which``: single, xor, compare or depth, as ``mathcore playground --runs``), each run cached."""
    if which == "depth":
        ladder = depth_runs(cfg)
        return PlaygroundResult(runs=ladder, answer=depth_answer(ladder))
    runs = {"single": lambda: [single_run(cfg)], "xor": lambda: xor_runs(cfg), "compare": lambda: compare_runs(cfg)}
    return PlaygroundResult(runs=runs[which]())
