"""Part 11: an auto-encoder finds the 1-D manifold that 2-D data lie on.

Points near a curve (an arc or a spiral segment with parameter t, seeded noise; all in
[autoencoder]) go through 2 -> hidden -> 1 -> hidden -> 2, trained in torch on the
reconstruction error. The single latent number per point is a coordinate along the
manifold (it orders the points as t does), and the decoder maps the latent line onto a
curve through the data.

A scene calls:

- ``make_data(cfg)`` -> (t (n,), points (n, 2)) sorted by t;
- ``curve(cfg, t)`` -> the noise-free curve at parameters t, (len(t), 2);
- ``from_config(cfg)`` -> AutoencoderResult (cached by the [autoencoder] section): ``t``, ``points``, ``latent``
  (one number per point), ``reconstruction`` (n, 2), ``reconstruction_mse`` (mean squared
  distance), ``data_variance`` (total variance), ``spearman_rho`` (latent vs t),
  ``latent_line`` and ``decoded_line`` (the learned 1-D curve), ``true_curve``, and the
  training record (``final_loss``, ``diverged``, ``diverged_at``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import torch

from . import train as train_mod
from .cache import cached
from .results import Result, optional

if TYPE_CHECKING:
    from .config import LectureConfig

SECTION = "autoencoder"


def curve(cfg: LectureConfig, t) -> np.ndarray:
    """The noise-free curve at parameters ``t``: radius*(cos t, sin t), or a spiral whose radius grows with t."""
    s = cfg.autoencoder
    t = np.asarray(t, dtype=float)
    r = s.radius + (s.spiral_growth * t if s.curve == "spiral" else 0.0)
    return np.stack([r * np.cos(t), r * np.sin(t)], axis=1)


def make_data(cfg: LectureConfig) -> tuple[np.ndarray, np.ndarray]:
    """(t, points): ``count`` seeded parameters in t_range (sorted) and the noisy points on the curve."""
    s = cfg.autoencoder
    rng = np.random.default_rng(s.seed)
    t = np.sort(rng.uniform(*s.t_range, s.count))
    return t, curve(cfg, t) + rng.normal(0.0, s.noise, (s.count, 2))


def _ranks(values: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    return ranks


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation (no ties expected: continuous data)."""
    ra, rb = _ranks(np.asarray(a)), _ranks(np.asarray(b))
    ra, rb = ra - ra.mean(), rb - rb.mean()
    return float((ra @ rb) / math.sqrt((ra @ ra) * (rb @ rb)))


def _compute(cfg: LectureConfig) -> dict:
    s = cfg.autoencoder
    t, points = make_data(cfg)
    # One centre and one scale for both axes: standardising keeps the curve's shape.
    centre, scale = points.mean(axis=0), float(points.std())
    h, act = s.hidden, s.activation
    with train_mod.seeded(s.seed):
        encoder = train_mod.mlp([2, h, 1], act)
        decoder = train_mod.mlp([1, h, 2], act)
        x = torch.tensor((points - centre) / scale)
        diverged_at, loss_value = train_mod.fit_adam(
            [*encoder.parameters(), *decoder.parameters()], lambda: torch.mean((decoder(encoder(x)) - x) ** 2),
            s.learning_rate, s.steps, description="training the auto-encoder",
        )
        true_curve = curve(cfg, np.linspace(*s.t_range, s.line_points))
        out = {
            "curve": s.curve, "t": t.tolist(), "points": points.tolist(), "true_curve": true_curve.tolist(),
            "data_variance": float(points.var(axis=0).sum()),
            "diverged": diverged_at is not None, "diverged_at": diverged_at,
            "final_loss": loss_value if diverged_at is None else None,
        }
        if out["diverged"]:
            return out
        with torch.no_grad():
            z = encoder(x)
            recon = decoder(z).numpy() * scale + centre
            z = z[:, 0].numpy()
            lo, hi = float(z.min()), float(z.max())
            pad = s.line_margin * (hi - lo)
            line = np.linspace(lo - pad, hi + pad, s.line_points)
            decoded = decoder(torch.tensor(line)[:, None]).numpy() * scale + centre
    out.update(
        latent=z.tolist(),
        reconstruction=recon.tolist(),
        reconstruction_mse=float(np.mean(np.sum((recon - points) ** 2, axis=1))),
        spearman_rho=spearman(z, t),
        latent_line=line.tolist(),
        decoded_line=decoded.tolist(),
    )
    return out


@dataclass(frozen=True)
class AutoencoderResult(Result):
    """``mathcore autoencoder`` (see the module docstring); a diverged training has none of the optional fields."""

    curve: str
    t: list[float]
    points: list[list[float]]
    true_curve: list[list[float]]
    data_variance: float
    diverged: bool
    diverged_at: int | None
    final_loss: float | None
    latent: list[float] | None = optional()
    reconstruction: list[list[float]] | None = optional()
    reconstruction_mse: float | None = optional()
    spearman_rho: float | None = optional()
    latent_line: list[float] | None = optional()
    decoded_line: list[list[float]] | None = optional()


def from_config(cfg: LectureConfig) -> AutoencoderResult:
    """The trained auto-encoder's latent coordinates, reconstructions and decoded line (see the module docstring)."""
    return AutoencoderResult(**cached("autoencoder", cfg, (SECTION,), lambda: _compute(cfg)))


compute = from_config  # the name scenes/autoencoder.py still calls
