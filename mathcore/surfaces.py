"""2-D cost surfaces with several local minima, for the optimiser race.

``Wells``: a wide bowl minus Gaussian wells,

    C(x, y) = bowl/2 · (x² + y²) − Σ_k d_k exp(−|p − c_k|² / (2 s_k²)),

smooth everywhere; its wells (centres c_k, depths d_k, widths s_k from [optim]) make
the local minima and the bowl keeps far-away points rising (so a too-large step diverges).

A scene calls:
- ``from_config(cfg)`` -> ``Wells``; ``surface.value(x, y)`` and ``surface.gradient(x, y)``
  (numpy arrays of any matching shape, vectorised), ``surface.value_grad(theta)`` for one point,
- ``surface.grid(extent, points)`` -> dict with ``x``, ``y`` (1-D axes) and ``z`` (points × points,
  z[i, j] = C(x[j], y[i])),
- ``surface.local_minima(extent, points)`` -> list of {"x", "y", "cost"} ordered by cost.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ConfigError


@dataclass(frozen=True)
class Wells:
    centres: np.ndarray  # (k, 2)
    depths: np.ndarray  # (k,)
    widths: np.ndarray  # (k,)
    bowl: float

    def _terms(self, x, y):
        x, y = np.asarray(x, dtype=float)[..., None], np.asarray(y, dtype=float)[..., None]
        dx, dy = x - self.centres[:, 0], y - self.centres[:, 1]
        e = self.depths * np.exp(-(dx * dx + dy * dy) / (2 * self.widths**2))
        return dx, dy, e

    def value(self, x, y) -> np.ndarray:
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        _, _, e = self._terms(x, y)
        return 0.5 * self.bowl * (x * x + y * y) - e.sum(axis=-1)

    def gradient(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        dx, dy, e = self._terms(x, y)
        k = e / self.widths**2
        return self.bowl * x + (k * dx).sum(axis=-1), self.bowl * y + (k * dy).sum(axis=-1)

    def value_grad(self, theta) -> tuple[float, np.ndarray]:
        x, y = float(theta[0]), float(theta[1])
        gx, gy = self.gradient(x, y)
        return float(self.value(x, y)), np.array([float(gx), float(gy)])

    def grid(self, extent: float, points: int) -> dict:
        axis = np.linspace(-extent, extent, points)
        X, Y = np.meshgrid(axis, axis)
        return {"x": axis, "y": axis, "z": self.value(X, Y)}

    def local_minima(self, extent: float, points: int = 201) -> list[dict]:
        """Grid points below their 8 neighbours, polished by Newton steps on the analytic gradient."""
        g = self.grid(extent, points)
        z = g["z"]
        inner = z[1:-1, 1:-1]
        lower = np.ones_like(inner, dtype=bool)
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                if di or dj:
                    lower &= inner < z[1 + di:z.shape[0] - 1 + di, 1 + dj:z.shape[1] - 1 + dj]
        found: list[np.ndarray] = []
        for i, j in zip(*np.nonzero(lower)):
            p = self._newton(np.array([g["x"][j + 1], g["y"][i + 1]]))
            if all(np.hypot(*(p - q)) > 1e-6 for q in found):
                found.append(p)
        out = [{"x": float(p[0]), "y": float(p[1]), "cost": float(self.value(*p))} for p in found]
        return sorted(out, key=lambda m: m["cost"])

    def _newton(self, p: np.ndarray, iters: int = 50) -> np.ndarray:
        h = 1e-6
        for _ in range(iters):
            g = np.array(self.gradient(*p))
            hess = np.column_stack([(np.array(self.gradient(*(p + h * e))) - np.array(self.gradient(*(p - h * e))))
                                    / (2 * h) for e in np.eye(2)])
            delta = np.linalg.solve(hess, g)
            p = p - delta
            if np.hypot(*delta) < 1e-13:
                break
        return p


def from_config(cfg) -> Wells:
    o = cfg.optim
    k = len(o.surface_centres)
    for key, values in (("surface_depths", o.surface_depths), ("surface_widths", o.surface_widths)):
        if len(values) != k:
            raise ConfigError(str(cfg.path), f"optim.{key}", f"a list of {k} numbers, one per entry of "
                              "optim.surface_centres", list(values))
    return Wells(np.array(o.surface_centres, dtype=float), np.array(o.surface_depths, dtype=float),
                 np.array(o.surface_widths, dtype=float), float(o.surface_bowl))
