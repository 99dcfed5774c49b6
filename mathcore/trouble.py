"""Part 5: signs of trouble in a cost-versus-iterations plot, from real torch runs, and ``diagnose``.

The slides: "always look at cost versus iterations plots" — "Cost not decreasing: looks like a
local minimum", "Cost decrease over slowly: looks like at very flat region of cost surface",
"Cost actually increasing: please check for a bug in your code!!".

What a scene calls:
- ``diagnose(costs, stuck_drop, slow_drop, rise, window) -> str``: one of "fine", "stuck", "slow",
  "increasing", "diverged" for a cost history (thresholds from [trouble]; see the function).
- ``runs(cfg) -> list[dict]``: the real runs (cached by config), each with ``name``, ``shows`` (the
  sign it demonstrates), ``problem``, ``lr``, ``start``, ``w`` and ``cost`` per step (t = 0..steps),
  ``diverged``/``diverged_at``, and ``diagnosis``:
  * "fine":  gradient descent on the part-2 cost C(w1) from a start in the 2-error basin;
  * "stuck": the same from a start in the 5-error basin (the worst local minimum);
  * "slow":  the same from a start out on the flat tail of C(w1), where dC/dw1 is tiny;
  * "too_large_lr": the part-1 cost C(w) with η C''(w*) > 2, so each step lands further out;
  * "sign_bug": the part-2 cost with w1 ← w1 + η dC/dw1 (gradient ascent), from the 2-error basin.
- ``from_config(cfg) -> dict``: the runs and the thresholds (what ``mathcore trouble --json`` prints).
- ``end_slope(costs)``: the change over the last iteration; ``shared_span(*costs)``: the widest range of
  several histories (plots drawn to one span compare by steepness).
- ``rise_end(costs, share) -> int``: the iteration by which a climbing history has made ``share`` of its
  climb (a plot of a run that climbs, then levels off, shows the climb up to there).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .results import Result

SECTION = "trouble"
DIAGNOSES = ("fine", "stuck", "slow", "increasing", "diverged")
ADVICE = {
    "fine": "cost decreasing",
    "stuck": "cost not decreasing: looks like a local minimum",
    "slow": "cost decreasing slowly: looks like a very flat region of the cost surface",
    "increasing": "cost increasing: check your code for a bug (or the learning rate)!",
    "diverged": "cost stopped being finite: the run diverged",
}


def diagnose(costs, stuck_drop: float = 0.002, slow_drop: float = 0.2, rise: float = 0.05,
             window: float = 0.25) -> str:
    """Name what a cost history shows. Changes are measured relative to |first cost|.

    The end level is the median of the last ``window`` (a fraction) of the history.

    - "diverged": a value is not finite.
    - "increasing": the end level is more than ``rise`` above the first cost, or above the lowest
      cost seen before the last window.
    - "stuck": the end level is less than ``stuck_drop`` below the first cost (not decreasing), or
      less than ``slow_drop`` below it and no longer falling (it levelled off: a local minimum?).
    - "slow": less than ``slow_drop`` below the first cost and still falling at the end: over the last
      two windows the least-squares slope is negative beyond three standard errors (so noise does not
      count) and the last window fell by at least half its share of the total drop (a flat region).
    - "fine": at least ``slow_drop`` below the first cost.
    """
    c = np.asarray(costs, dtype=float).ravel()
    if c.size < 3:
        raise ValueError("diagnose needs a history of at least 3 costs")
    if not np.all(np.isfinite(c)):
        return "diverged"
    n = c.size
    k = min(max(1, int(round(window * n))), n - 1)
    scale = max(abs(c[0]), 1e-12)
    end = float(np.median(c[-k:]))  # the median shrugs off noise and single spikes
    if end - c[0] > rise * scale or end - c[:-k].min() > rise * scale:
        return "increasing"
    drop = (c[0] - end) / scale
    if drop < stuck_drop:
        return "stuck"
    if drop < slow_drop:
        return "slow" if _still_falling(c, k, drop * scale) else "stuck"
    return "fine"


def _still_falling(c: np.ndarray, k: int, drop: float) -> bool:
    tail = c[-2 * k:] if c.size >= 2 * k else c
    t = np.arange(tail.size) - (tail.size - 1) / 2
    slope = float(t @ tail / (t @ t))
    resid = tail - tail.mean() - slope * t
    se = math.sqrt(float(resid @ resid) / max(tail.size - 2, 1) / float(t @ t))
    share = drop * k / c.size  # the last window's share of the drop at an even pace
    return slope < -3 * se and -slope * k >= 0.5 * share


def rise_end(costs, share: float = 0.99) -> int:
    """The first iteration t by which the cost has risen ``share`` of its whole rise (its highest value
    minus its first), at least 2 (a plot needs three points); the last iteration if it never rises."""
    c = np.asarray(costs, dtype=float).ravel()
    rise = float(np.max(c) - c[0])
    if not rise > 0:
        return c.size - 1
    reached = np.nonzero(c - c[0] >= share * rise)[0]
    return int(min(max(reached[0], 2), c.size - 1))


def end_slope(costs) -> float:
    """The cost's change over the last iteration, C(T) − C(T−1): negative while the run is still falling."""
    c = np.asarray(costs, dtype=float).ravel()
    return float(c[-1] - c[-2])


def shared_span(*histories) -> float:
    """The widest range (highest − lowest cost) of the histories: a y span plots of them can share, so the
    steepness of their curves compares."""
    return max(float(np.max(h) - np.min(h)) for h in histories)


def thresholds(cfg) -> dict:
    sec = cfg.trouble
    return {"stuck_drop": sec.stuck_drop, "slow_drop": sec.slow_drop, "rise": sec.rise, "window": sec.window}


def _quartic_run(cost, w0: float, lr: float, steps: int) -> dict:
    """Gradient descent on the part-1 cost in torch (autograd, float64); stops at the first non-finite value."""
    import torch

    w = torch.tensor(float(w0), dtype=torch.float64, requires_grad=True)
    ws, cs = [], []
    diverged_at = None
    for t in range(steps + 1):
        u = w - cost.w_star
        c = 0.5 * cost.a * u**2 + 0.25 * cost.b * u**4
        (g,) = torch.autograd.grad(c, w)
        if not all(math.isfinite(v) for v in (w.item(), c.item(), g.item())):
            diverged_at = t
            break
        ws.append(w.item())
        cs.append(c.item())
        if t < steps:
            with torch.no_grad():
                w -= lr * g
    return {"w": ws, "cost": cs, "diverged": diverged_at is not None, "diverged_at": diverged_at}


def _compute(cfg) -> list[dict]:
    from . import gd, minima
    from .train import seeded

    sec = cfg.trouble
    data = minima.load(cfg)
    lr, steps = sec.learning_rate, sec.steps
    plans = [
        ("fine", "fine", sec.fine_start, False, "gradient descent from the 2-error basin"),
        ("stuck", "stuck", sec.stuck_start, False, "gradient descent from the 5-error basin: a local minimum"),
        ("slow", "slow", sec.flat_start, False, "gradient descent from the flat tail of C(w1)"),
        ("sign_bug", "increasing", sec.bug_start, True, "the sign bug w1 <- w1 + lr dC/dw1 (gradient ascent)"),
    ]
    out = []
    with seeded(0):  # nothing random; pins torch to one thread
        for name, shows, start, ascend, what in plans:
            run = minima.descend(data, start, lr, steps, ascend=ascend)
            out.append({
                "name": name, "shows": shows, "what": what, "problem": "minima C(w1) (part 2)",
                "lr": lr, "start": start, "steps": steps, "w": run.w1, "cost": run.cost,
                "diverged": run.diverged, "diverged_at": run.diverged_at,
            })
        cost = gd.cost_from_config(cfg)
        large = _quartic_run(cost, sec.large_w0, sec.large_lr, sec.large_steps)
        out.append({
            "name": "too_large_lr", "shows": "increasing",
            "what": f"learning rate {sec.large_lr:g}: eta C''(w*) = {sec.large_lr * cost.a:g} > 2",
            "problem": "gd C(w) (part 1)", "lr": sec.large_lr, "start": sec.large_w0,
            "steps": sec.large_steps, **large,
        })
    return out


def runs(cfg) -> list[dict]:
    """The real runs (cached by the [trouble], [minima] and [gd] sections), each diagnosed."""
    from . import cache, minima

    data = minima.load(cfg)
    result = cache.cached(
        "trouble-runs", cfg, sections=(SECTION, "minima", "gd"), compute=lambda: _compute(cfg),
        extra=[data.x1.tolist(), data.x2.tolist(), data.y.tolist()],
    )
    th = thresholds(cfg)
    for run in result:
        run["diagnosis"] = diagnose(run["cost"], **th) if not run["diverged"] else "diverged"
    return result


@dataclass(frozen=True)
class TroubleResult(Result):
    """``mathcore trouble``: diagnose()'s thresholds, the runs with their diagnosis, and the advice per diagnosis."""

    thresholds: dict[str, float]
    runs: list[dict[str, Any]]
    advice: dict[str, str]


def from_config(cfg) -> TroubleResult:
    return TroubleResult(thresholds=thresholds(cfg), runs=runs(cfg), advice=ADVICE)
