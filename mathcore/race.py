"""A fair race of the optimisers: same start, same number of steps, same seed, learning rates stated.

Two race tracks ("problems"):
- ``surface``: the 2-D wells of ``mathcore.surfaces`` (several local minima). There are no data
  points, so the stochastic methods see the exact gradient plus seeded Gaussian noise: standard
  deviation ``gradient_noise`` for SGD (one sample), ``gradient_noise/√B`` for minibatch GD (B samples).
- ``line``: the lecture's 1-D batch problem L(w) = Σ (y_i − w x_i)² on the 10-point table, where
  SGD and minibatch GD really draw shuffled rows (``mathcore.batches.batch_stream``).
GD, momentum and Adam are fed the full (exact) gradient on both tracks.

Every entrant races with [optim]'s settings, except Adam, whose α in the race is ``race_adam_lr``:
Algorithm 1's α = ``adam_lr`` (0.001) moves at most α per step and barely leaves the start in a race's
steps (``race_spec``).

A scene calls:
- ``trajectory(cfg, name, problem)`` -> Trajectory (``mathcore optim``): ``optim.run``'s fields for one
  optimiser with per-step ``records`` (Adam's t, g, m, v, m̂, v̂, step; momentum's velocity; the batch rows
  on ``line``), and the track's ``problem``, ``start`` and ``seed``,
- ``algorithm_run(cfg)`` -> Algorithm 1 as the slide states it (α = ``adam_lr``) on ``line`` for
  ``adam_run_steps`` steps (long enough to converge),
- ``from_config(cfg, problem)`` -> RaceResult (``mathcore race``, cached): ``problem``, ``steps``, ``seed``,
  ``start``, the surface's ``gradient_noise`` and ``minima`` (or the line's ``minimiser``), and ``entrants``:
  per optimiser its ``hyper`` (lr ...), ``theta`` (θ_0..θ_T), ``loss``, ``final``, ``final_loss``,
  ``diverged``, ``diverged_at`` (and on the surface ``nearest_minimum``).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import batches, optim, surfaces
from .errors import ConfigError
from .results import Result, optional

PROBLEMS = ("surface", "line")


def _oracle(cfg, spec: optim.Spec, problem: str):
    o = cfg.optim
    seed = o.seed
    if problem == "surface":
        surf = surfaces.from_config(cfg)
        rng = np.random.default_rng(seed)
        sigma = {"sgd": o.gradient_noise, "minibatch": o.gradient_noise / np.sqrt(spec.batch_size)}
        sigma = sigma.get(spec.name, 0.0)

        def oracle(theta, t):
            c, g = surf.value_grad(theta)
            noise = rng.normal(0.0, 1.0, size=2) * sigma if sigma else np.zeros(2)
            return c, g + noise, {"noise": noise} if sigma else {}

        return oracle, np.array(o.start, dtype=float)
    if problem == "line":
        x, y = batches.table(cfg)
        b = cfg.batches
        size = {"sgd": 1, "minibatch": spec.batch_size}.get(spec.name, len(x))
        if size > len(x):
            raise ConfigError(str(cfg.path), "optim.minibatch_size", f"at most {len(x)} (the rows of the table)",
                              size)
        stream = batches.batch_stream(len(x), size, seed)

        def oracle(theta, t):
            epoch, rows = next(stream)
            w = float(theta[0])
            info = {"epoch": epoch, "rows": [int(r) for r in rows]} if size < len(x) else {}
            return float(batches.loss(w, x, y)), np.array([batches.gradient(w, x[rows], y[rows])]), info

        return oracle, np.array([b.w0], dtype=float)
    raise ConfigError(str(cfg.path), "problem", "one of " + ", ".join(PROBLEMS), problem)


def race_spec(cfg, name: str) -> optim.Spec:
    """``name``'s settings in the race: [optim]'s, with Adam's α = ``race_adam_lr``."""
    spec = optim.spec_from_config(cfg, name)
    if name == "adam":
        spec = dataclasses.replace(spec, lr=cfg.optim.race_adam_lr)
    return spec


@dataclass(frozen=True)
class Trajectory(optim.OptimRun):
    """``mathcore optim``: ``optim.run``'s fields for one optimiser, then the track it ran on."""

    problem: str
    start: np.ndarray
    seed: int


def trajectory(cfg, name: str, problem: str = "surface", steps: int | None = None,
               spec: optim.Spec | None = None) -> Trajectory:
    """One optimiser's run on a track, with every step's state ([optim]'s settings unless ``spec``)."""
    spec = spec or optim.spec_from_config(cfg, name)
    oracle, start = _oracle(cfg, spec, problem)
    run = optim.run(spec, start, oracle, steps if steps is not None else cfg.optim.steps)
    return Trajectory(**run.to_dict(), problem=problem, start=start, seed=cfg.optim.seed)


def algorithm_run(cfg) -> Trajectory:
    """Algorithm 1 with the slide's α (``adam_lr``) on the line track, ``adam_run_steps`` steps."""
    return trajectory(cfg, "adam", "line", steps=cfg.optim.adam_run_steps)


def _compute(cfg, problem: str) -> dict:
    from .output import clean
    from .progress import track

    o = cfg.optim
    entrants = []
    for name in track(o.race, total=len(o.race), description=f"race on {problem}"):
        r = trajectory(cfg, name, problem, spec=race_spec(cfg, name))
        entrants.append({
            "optimiser": name, "hyper": r.hyper, "lr": r.hyper["lr"], "theta": r.theta, "loss": r.loss,
            "final": r.theta[-1] if r.theta else None, "final_loss": r.loss[-1] if r.loss else None,
            "diverged": r.diverged, "diverged_at": r.diverged_at,
        })
    out = {"problem": problem, "steps": o.steps, "seed": o.seed, "entrants": entrants}
    if problem == "surface":
        surf = surfaces.from_config(cfg)
        out["start"] = list(o.start)
        out["gradient_noise"] = o.gradient_noise
        out["minima"] = surf.local_minima(o.surface_extent, o.surface_points)
        for e in entrants:
            e["nearest_minimum"] = _nearest(e["final"], out["minima"])
    else:
        x, y = batches.table(cfg)
        out["start"] = [cfg.batches.w0]
        out["minimiser"] = batches.minimiser(x, y)
    return clean(out)


def _nearest(point, minima):
    if point is None or not minima:
        return None
    d = [np.hypot(point[0] - m["x"], point[1] - m["y"]) for m in minima]
    return int(np.argmin(d))


@dataclass(frozen=True)
class RaceResult(Result):
    """``mathcore race``: the track, its settings and every entrant's run; the surface's local minima, or the
    line's minimiser of all data."""

    problem: str
    steps: int
    seed: int
    entrants: list[dict[str, Any]]  # per optimiser, in [optim] race's order (see the module docstring)
    start: list[float]
    gradient_noise: float | None = optional()  # surface only
    minima: list[dict[str, Any]] | None = optional()  # surface only: x, y, cost of each local minimum
    minimiser: float | None = optional()  # line only


def went_deeper(result: RaceResult, than: str = "gd") -> list[dict]:
    """The entrants of a surface race that ended in a deeper minimum than ``than`` did (the minimum nearest each
    one's last point, so noise around one minimum does not count), deepest first; [] if none or ``than`` ran not."""
    cost = {k: m["cost"] for k, m in enumerate(result.minima or [])}
    ends: dict[str, Any] = {e["optimiser"]: e.get("nearest_minimum") for e in result.entrants if not e["diverged"]}
    if ends.get(than) is None:
        return []
    below = [e for e in result.entrants if e["optimiser"] != than and ends.get(e["optimiser"]) is not None
             and cost[ends[e["optimiser"]]] < cost[ends[than]]]
    return sorted(below, key=lambda e: cost[ends[e["optimiser"]]])


def from_config(cfg, problem: str = "surface") -> RaceResult:
    """Every optimiser of [optim] race on ``problem``, cached by [optim] (and [batches] for ``line``)."""
    from . import cache

    if problem not in PROBLEMS:
        raise ConfigError(str(cfg.path), "problem", "one of " + ", ".join(PROBLEMS), problem)
    sections = ("optim",) if problem == "surface" else ("optim", batches.SECTION)
    extra = None
    if problem == "line":
        from .data import data_digest

        extra = data_digest(cfg, batches.SECTION)
    return RaceResult(**cache.cached(f"race-{problem}", cfg, sections=sections, compute=lambda: _compute(cfg, problem),
                                     extra=extra))


race = from_config  # the name scenes/adam.py and scenes/escaping_minima.py call
