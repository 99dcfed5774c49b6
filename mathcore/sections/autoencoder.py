"""[autoencoder]: part 11, an auto-encoder on a 1-D manifold in 2-D (mathcore/autoencoder.py)."""
from __future__ import annotations

from mathcore.config import choice, integer, interval, non_negative, number, positive

NAME = "autoencoder"


KEYS = {
    "curve": choice(("arc", "spiral")),
    "t_range": interval,
    "radius": positive,
    "spiral_growth": number,
    "count": integer(2, 100_000),
    "noise": non_negative,
    "hidden": integer(1, 512),
    "activation": choice(("relu", "tanh", "sigmoid", "linear")),
    "steps": integer(1, 100_000),
    "learning_rate": positive,
    "seed": integer(0, 2**31 - 1),
    "line_points": integer(2, 100_000),
    "line_margin": non_negative,
}
