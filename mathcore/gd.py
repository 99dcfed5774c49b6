"""Part 1: the gradient-descent update w(t+1) = w(t) − η C'(w(t)) on a 1-D cost.

The cost has one minimum, at w*:  C(w) = a/2 u² + k/3 u³ + b/4 u⁴ with u = w − w*  (a > 0,
b >= 0, k² < 4ab or k = 0; all in [gd] of the config). C''(w*) = a, so near w* one step
multiplies w − w* by (1 − η a): η a < 1 creeps in from one side, 1 < η a < 2 overshoots and
comes back, η a > 2 moves away; the quartic term makes a too-large step explode to infinity
within a few steps. The cubic term makes one side steeper: a too-large step from the steep
side lands further away on the shallow side, so |w − w*| grows before it shrinks (a visible
oscillation, not a steady shrink). With k = b = 0 (the parabola) the iterates are exactly
w_t = w* + (1 − η a)^t (w0 − w*).

Plain Python floats; no torch (the tests check C' against torch autograd).

What a scene calls:
- ``Cost(w_star, a, b)``: ``.value(w)`` and ``.slope(w)`` (C and C', floats or numpy arrays),
  ``.tangent(w) -> (C(w), C'(w))`` for drawing the tangent line at an iterate.
- ``descend(cost, w0, lr, steps, tol) -> Run``: iterates w_t, costs C(w_t), gradients C'(w_t)
  (the tangent slopes), ``behaviour`` ("converges", "overshoots", "slow", "diverges") and, if a
  value stopped being finite, ``diverged_at`` (the first step t whose w_t or C(w_t) is not finite;
  the lists hold steps 0 .. diverged_at − 1).
- ``crossings(ws, w_star) -> list[int]``: the steps t whose update jumped over the minimum (w_t on the
  other side of w* from w_(t-1)); ``kept_side(ws, w_star)``: the other steps; ``jumps_shrink(ws)``: whether every
  update moved w less far than the one before; ``settled(ws, w_star, tol)``: whether the last iterate is within tol
  of w*.
- ``from_config(cfg) -> dict``: the cost, one run per learning rate in [gd] learning_rates, the
  curve C(w) on [gd] w_range and, for runs that leave it, the zoomed-out ``zoom`` view ([gd]
  zoom_out times as wide); per run ``left_plot_at`` / ``left_zoom_at`` (the first t whose w_t is
  outside the plot / the zoomed view) and ``shown`` (the last t a scene animates: [gd] shown_steps,
  or the step that leaves the zoomed view). What ``mathcore gd --json`` prints.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .results import Result

SECTION = "gd"
BEHAVIOURS = ("converges", "overshoots", "slow", "diverges")


@dataclass(frozen=True)
class Cost:
    w_star: float
    a: float  # curvature at the minimum
    b: float = 0.0  # quartic coefficient
    k: float = 0.0  # cubic coefficient: one side steeper than the other

    def value(self, w):
        u = np.asarray(w, dtype=float) - self.w_star
        with np.errstate(over="ignore", invalid="ignore"):
            c = 0.5 * self.a * u * u + self.k / 3 * u * u * u + 0.25 * self.b * (u * u) * (u * u)
        return float(c) if np.ndim(c) == 0 else c

    def slope(self, w):
        u = np.asarray(w, dtype=float) - self.w_star
        with np.errstate(over="ignore", invalid="ignore"):
            g = self.a * u + self.k * u * u + self.b * u * u * u
        return float(g) if np.ndim(g) == 0 else g

    def tangent(self, w: float) -> tuple[float, float]:
        """(C(w), C'(w)): the tangent line at w is c + s (v − w)."""
        return self.value(w), self.slope(w)

    def formula(self) -> str:
        def term(c: float, n: int) -> str:  # "+ 0.1/4 u^4", "- 0.5/3 u^3": a sign, never "+ -"
            return f" {'-' if c < 0 else '+'} {abs(c):g}/{n} {u}^{n}"

        u = f"(w {'+' if self.w_star < 0 else '-'} {abs(self.w_star):g})"
        return f"C(w) = {self.a:g}/2 {u}^2" + (term(self.k, 3) if self.k else "") + term(self.b, 4)


@dataclass
class Run:
    lr: float
    w: list[float] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    grad: list[float] = field(default_factory=list)
    behaviour: str = "converges"
    diverged: bool = False
    diverged_at: int | None = None
    eta_a: float = 0.0  # η C''(w*): < 1 one-sided, 1..2 overshoots, > 2 unstable near the minimum
    left_plot_at: int | None = None  # first t whose w_t is outside [gd] w_range (from_config fills these)
    left_zoom_at: int | None = None  # first t whose w_t is outside the zoomed-out view
    shown: int = 0  # the last t a scene animates

    def to_dict(self) -> dict:
        return asdict(self)


def descend(cost: Cost, w0: float, lr: float, steps: int, tol: float = 1e-3) -> Run:
    """``steps`` updates w ← w − η C'(w) from ``w0``; the run's values at t = 0 .. steps."""
    run = Run(lr=float(lr), eta_a=float(lr) * cost.a)
    w = float(w0)
    for t in range(steps + 1):
        c, g = cost.tangent(w)
        if not (math.isfinite(w) and math.isfinite(c) and math.isfinite(g)):
            run.diverged, run.diverged_at = True, t
            break
        run.w.append(w)
        run.cost.append(c)
        run.grad.append(g)
        if t < steps:
            w = w - lr * g
    run.behaviour = classify(run.w, cost.w_star, tol, run.diverged)
    return run


def classify(ws: list[float], w_star: float, tol: float, diverged: bool = False) -> str:
    """What a sequence of iterates did, judged from the iterates themselves."""
    d0, dT = abs(ws[0] - w_star), abs(ws[-1] - w_star)
    if diverged or dT > d0:
        return "diverges"
    sides = np.sign(np.asarray(ws) - w_star)
    sides = sides[sides != 0]
    if len(sides) > 1 and np.any(sides[1:] != sides[:-1]):
        return "overshoots"
    return "converges" if dT <= tol else "slow"


def crossings(ws: list[float], w_star: float) -> list[int]:
    """The steps t >= 1 that jumped over the minimum: w_(t-1) and w_t strictly on opposite sides of w*."""
    sides = np.sign(np.asarray(ws, dtype=float) - w_star)
    return [t for t in range(1, len(sides)) if sides[t] * sides[t - 1] < 0]


def kept_side(ws: list[float], w_star: float) -> list[int]:
    """The steps t >= 1 that did not jump over the minimum (those ``crossings`` leaves out)."""
    crossed = set(crossings(ws, w_star))
    return [t for t in range(1, len(ws)) if t not in crossed]


def jumps_shrink(ws: list[float]) -> bool:
    """Whether each update moved w strictly less far than the one before it: |w_(t+1) − w_t| < |w_t − w_(t−1)|."""
    hops = np.abs(np.diff(np.asarray(ws, dtype=float)))
    return bool(len(hops) > 1 and np.all(hops[1:] < hops[:-1]))


def settled(ws: list[float], w_star: float, tol: float) -> bool:
    """Whether the last iterate is within ``tol`` of the minimum (the run converged in its steps)."""
    return bool(abs(ws[-1] - w_star) <= tol)


def shortfall(ws: list[float], w_star: float) -> float:
    """How far the last iterate still is from the minimum, |w* − w_T|: what a run that never crossed w* (a slow
    one) still has to go."""
    return float(abs(w_star - ws[-1]))


def closed_form(cost: Cost, w0: float, lr: float, steps: int) -> list[float]:
    """w_t = w* + (1 − η a)^t (w0 − w*), exact for the parabola (b = 0)."""
    return [cost.w_star + (1.0 - lr * cost.a) ** t * (w0 - cost.w_star) for t in range(steps + 1)]


def cost_from_config(cfg) -> Cost:
    sec = cfg.gd
    cost = Cost(sec.w_star, sec.curvature, sec.quartic, sec.cubic)
    if cost.k and not cost.k * cost.k < 4 * cost.a * cost.b:
        from .errors import ConfigError

        raise ConfigError(cfg.path, f"{SECTION}.cubic", "cubic² < 4 · curvature · quartic (one minimum)", cost.k)
    return cost


def first_outside(ws: list[float], lo: float, hi: float) -> int | None:
    """The first t whose w_t is outside [lo, hi] (None if all are inside)."""
    return next((t for t, w in enumerate(ws) if not lo <= w <= hi), None)


def zoom_range(lo: float, hi: float, factor: float) -> tuple[float, float]:
    """[lo, hi] widened ``factor`` times about its centre."""
    mid, half = (lo + hi) / 2, (hi - lo) / 2 * factor
    return mid - half, mid + half


@dataclass(frozen=True)
class GdResult(Result):
    """``mathcore gd``: the cost, one run per learning rate of [gd], the cost on the plot's and the zoom's grids."""

    cost: dict[str, Any]  # formula, w_star, curvature, quartic, cubic
    w0: float
    steps: int
    runs: list[dict[str, Any]]  # Run.to_dict() per learning rate
    curve: dict[str, np.ndarray]  # w, cost over w_range
    zoom: dict[str, Any]  # w_range, w, cost over the zoomed-out range


def from_config(cfg) -> GdResult:
    sec = cfg.gd
    cost = cost_from_config(cfg)
    lo, hi = sec.w_range
    if not lo < hi:
        from .errors import ConfigError

        raise ConfigError(cfg.path, f"{SECTION}.w_range", "[low, high] with low < high", list(sec.w_range))
    curve_w = np.linspace(lo, hi, sec.curve_points)
    zlo, zhi = zoom_range(lo, hi, sec.zoom_out)
    zoom_w = np.linspace(zlo, zhi, sec.curve_points)
    runs = []
    for lr in sec.learning_rates:
        run = descend(cost, sec.w0, lr, sec.steps, sec.tolerance)
        run.left_plot_at = first_outside(run.w, lo, hi)
        run.left_zoom_at = first_outside(run.w, zlo, zhi)
        last = len(run.w) - 1
        run.shown = min(sec.shown_steps, last, run.left_zoom_at if run.left_zoom_at is not None else last)
        runs.append(run.to_dict())
    return GdResult(
        cost={"formula": cost.formula(), "w_star": cost.w_star, "curvature": cost.a, "quartic": cost.b,
              "cubic": cost.k},
        w0=sec.w0,
        steps=sec.steps,
        runs=runs,
        curve={"w": curve_w, "cost": cost.value(curve_w)},
        zoom={"w_range": [zlo, zhi], "w": zoom_w, "cost": cost.value(zoom_w)},
    )
