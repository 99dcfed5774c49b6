"""Cost surfaces of batches: L(w|x,y) = Σ (y_i − w x_i)² on the slides' 10-point table.

Each batch of rows has its own parabola L(w) = a w² − 2 b w + c with a = Σx², b = Σxy,
c = Σy², so its own minimiser w* = Σxy / Σx² (the slides' "cost surfaces are different
for different data sets"). Training on batches follows a different parabola at every step.

A scene calls:
- ``from_config(cfg)`` -> BatchesResult (cached): ``w`` (the grid), ``full`` (minimiser, curve, quadratic),
  ``random_batches`` (rows, minimiser, curve per random batch of ``random_batch_size`` points),
  ``runs`` (one per batch size: per-step ``steps`` with epoch, rows, the batch's minimiser and
  ``quadratic`` (Σx², Σxy, Σy²: its parabola), w before/after, the gradient, the batch loss, the
  full loss after; ``final_w``, ``diverged``, ``diverged_at``).
- ``loss(w, x, y)`` (vectorised over w), ``minimiser(x, y)``, ``quadratic(x, y)``,
  ``epoch_sizes(n_rows, batch_size)``, ``epoch_batches(n, batch_size, rng)``, ``batch_stream(n, batch_size, seed)``,
  ``train(x, y, batch_size, lr, epochs, w0, seed)``.
Batch size 1 is SGD; the last batch of an epoch is smaller when the size does not divide n
(as torch's DataLoader with drop_last=False): ``epoch_sizes``, and each run's ``last_batch``.
The runs step on the batch's loss summed over its rows or, with [batches] reduction = "mean",
averaged (torch's MSELoss default): then every step has the same scale whatever the batch size,
so a small batch makes more, noisier steps per epoch.
Each run also has ``trace`` ((epoch position, w) from the start, one point per step) and ``late``
(the lowest and highest w of the steps in the last half of the epochs: how far it wanders);
``trace_range`` spans every run's trace (the axis of "w over the epochs"), ``late_range`` every run's
``late`` and the all-data minimiser (the axis of the wander bars). ``scaled_loss``
is a batch's L(w) divided by its largest value on the grid (curves of any height fill a plot).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from . import optim
from .data import data_digest, data_file, load_table
from .errors import ConfigError
from .results import Result

if TYPE_CHECKING:
    from .sections.batches import BatchesSection

SECTION = "batches"


def table(cfg) -> tuple[np.ndarray, np.ndarray]:
    """The (x, y) table named by [batches] data."""
    path = data_file(cfg, SECTION)
    t = load_table(path, ["x", "y"])
    return t["x"], t["y"]


def loss(w, x, y) -> np.ndarray:
    """L(w) = Σ_i (y_i − w x_i)² for every w of an array (one broadcast, no loop over w)."""
    w = np.asarray(w, dtype=float)
    return ((y - w[..., None] * x) ** 2).sum(axis=-1)


def scaled_loss(w, x, y) -> np.ndarray:
    """L(w) over its largest value on the grid ``w``: the curve's shape, at the height of a plot."""
    values = loss(w, x, y)
    top = float(np.max(values))
    return values / top if top > 0 else values


def gradient(w: float, x, y) -> float:
    """dL/dw = −2 Σ x_i (y_i − w x_i)."""
    return float(-2.0 * np.sum(x * (y - w * x)))


def quadratic(x, y) -> tuple[float, float, float]:
    """(Σx², Σxy, Σy²): L(w) = a w² − 2 b w + c, enough to draw the batch's parabola exactly."""
    return float(np.sum(x * x)), float(np.sum(x * y)), float(np.sum(y * y))


def minimiser(x, y) -> float:
    """The w where dL/dw = 0: Σxy / Σx²."""
    a, b, _ = quadratic(x, y)
    if a == 0:
        raise ValueError("all x of the batch are 0: L(w) has no unique minimiser")
    return b / a


def random_batches(n: int, size: int, count: int, seed: int) -> list[list[int]]:
    """``count`` batches of ``size`` distinct rows (each sorted), drawn with numpy's seeded generator."""
    rng = np.random.default_rng(seed)
    return [sorted(int(i) for i in rng.choice(n, size=size, replace=False)) for _ in range(count)]


def epoch_sizes(n_rows: int, batch_size: int) -> list[int]:
    """The rows of each batch of one epoch, in order: full batches, then what is left (torch's DataLoader with
    drop_last=False), so the last is smaller when ``batch_size`` does not divide ``n_rows``."""
    if n_rows < 1 or batch_size < 1:
        raise ValueError(f"rows and batch size must be at least 1, not {n_rows} and {batch_size}")
    full, left = divmod(n_rows, batch_size)
    return [batch_size] * full + ([left] if left else [])


def epoch_batches(n: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """One epoch: a fresh shuffle of the n rows cut into batches of ``epoch_sizes`` (the last may be smaller)."""
    order = rng.permutation(n)
    ends = np.cumsum(epoch_sizes(n, batch_size))
    return [order[end - size:end] for size, end in zip(epoch_sizes(n, batch_size), ends)]


def batch_stream(n: int, batch_size: int, seed: int) -> Iterator[tuple[int, np.ndarray]]:
    """(epoch, rows) for ever, reshuffling at every epoch ("always remember to shuffle the data")."""
    rng = np.random.default_rng(seed)
    epoch = 0
    while True:
        epoch += 1
        for rows in epoch_batches(n, batch_size, rng):
            yield epoch, rows


def train(x, y, batch_size: int, lr: float, epochs: int, w0: float, seed: int, reduction: str = "sum") -> dict:
    """Minibatch gradient descent on L(w|batch) (summed, or averaged with ``reduction="mean"``),
    ``epochs`` passes over shuffled data.

    Uses ``optim.gd_step``; the per-step record is what the batch-curve slides animate.
    """
    n = len(x)
    sizes = epoch_sizes(n, batch_size)
    steps_per_epoch = len(sizes)
    stream = batch_stream(n, batch_size, seed)

    def oracle(w, t):
        epoch, rows = next(stream)
        xb, yb = x[rows], y[rows]
        scale = 1.0 / len(rows) if reduction == "mean" else 1.0
        info = {"epoch": epoch, "rows": [int(r) for r in rows], "batch_minimiser": _safe_minimiser(xb, yb),
                "quadratic": quadratic(xb, yb), "batch_loss": scale * float(loss(w[0], xb, yb))}
        return info["batch_loss"], np.array([scale * gradient(w[0], xb, yb)]), info

    result = optim.run(optim.Spec("minibatch", lr, batch_size=batch_size), [w0], oracle,
                       epochs * steps_per_epoch)
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run's full loss may overflow
        steps = [_step_record(r, x, y) for r in result.records]
    trace = [[0.0, float(w0)]] + [[(k + 1) / steps_per_epoch, s["w_after"]] for k, s in enumerate(steps)]
    late = [s["w_after"] for s in steps if s["epoch"] > epochs / 2] or [trace[-1][1]]
    return {
        "reduction": reduction,
        "steps_per_epoch": steps_per_epoch,
        "last_batch": sizes[-1],
        "trace": trace,
        "late": [min(late), max(late)],
        "batch_size": batch_size,
        "kind": "SGD" if batch_size == 1 else ("GD" if batch_size >= n else "minibatch"),
        "lr": lr,
        "epochs": epochs,
        "seed": seed,
        "w0": w0,
        "steps": steps,
        "final_w": steps[-1]["w_after"] if steps else w0,
        "diverged": result.diverged,
        "diverged_at": result.diverged_at,
    }


def _step_record(r, x, y) -> dict:
    return {"step": r["t"], "epoch": r["epoch"], "rows": r["rows"], "batch_minimiser": r["batch_minimiser"],
            "quadratic": r["quadratic"],
            "w_before": float(r["theta_before"][0]), "w_after": float(r["theta_after"][0]),
            "gradient": float(r["g"][0]), "batch_loss": r["batch_loss"],
            "full_loss_after": float(loss(r["theta_after"][0], x, y))}


def _safe_minimiser(x, y):
    return None if not np.any(x) else minimiser(x, y)


def check(cfg, n: int) -> BatchesSection:
    """The [batches] values, with the checks that need the table's size (ConfigError otherwise)."""
    b = cfg.batches
    src = str(cfg.path)
    if b.random_batch_size > n:
        raise ConfigError(src, f"{SECTION}.random_batch_size", f"at most {n} (the rows of the table)",
                          b.random_batch_size)
    for size in b.batch_sizes:
        if size > n:
            raise ConfigError(src, f"{SECTION}.batch_sizes", f"batch sizes of at most {n} (the rows of the table)",
                              list(b.batch_sizes))
    if b.w_range[0] >= b.w_range[1]:
        raise ConfigError(src, f"{SECTION}.w_range", "[low, high] with low < high", list(b.w_range))
    return b


def _compute(cfg) -> dict:
    x, y = table(cfg)
    b = check(cfg, len(x))
    w = np.linspace(*b.w_range, b.w_points)
    batches = random_batches(len(x), b.random_batch_size, b.random_batches, b.seed)
    rand = [{"rows": rows, "minimiser": _safe_minimiser(x[rows], y[rows]), "quadratic": quadratic(x[rows], y[rows]),
             "loss": loss(w, x[rows], y[rows])} for rows in batches]
    runs = [train(x, y, size, b.learning_rate, b.epochs, b.w0, b.seed, b.reduction)
            for size in b.batch_sizes]
    with np.errstate(over="ignore", invalid="ignore"):
        ws = [w for r in runs for _, w in r["trace"] if np.isfinite(w)] + [minimiser(x, y)]
    pad = 0.05 * (max(ws) - min(ws) or 1.0)
    return _jsonable({
        "x": x, "y": y,
        "w": w,
        "full": {"minimiser": minimiser(x, y), "quadratic": quadratic(x, y), "loss": loss(w, x, y)},
        "random_batches": rand,
        "runs": runs,
        "trace_range": [min(ws) - pad, max(ws) + pad],
        "late_range": _padded([v for r in runs for v in r["late"] if np.isfinite(v)] + [minimiser(x, y)]),
    })


def _padded(values: list[float], share: float = 0.1) -> list[float]:
    lo, hi = min(values), max(values)
    pad = share * (hi - lo or 1.0)
    return [lo - pad, hi + pad]


def _jsonable(value):
    from .output import clean

    return clean(value)


@dataclass(frozen=True)
class BatchesResult(Result):
    """``mathcore batches``: the table, the w grid, the full table's and random batches' curves, and the runs."""

    x: list[float]
    y: list[float]
    w: list[float]
    full: dict[str, Any]  # minimiser, quadratic, loss over w
    random_batches: list[dict[str, Any]]  # rows, minimiser, quadratic, loss over w
    runs: list[dict[str, Any]]  # one train() per batch size
    trace_range: list[float]
    late_range: list[float]


def from_config(cfg) -> BatchesResult:
    """Everything of part 3 for a config, cached by the [batches] section, this code and the table's bytes."""
    from . import cache

    return BatchesResult(**cache.cached("batches", cfg, sections=(SECTION,), compute=lambda: _compute(cfg),
                                        extra=data_digest(cfg, SECTION)))


compute = from_config  # the name scenes/batch_surfaces.py still calls
