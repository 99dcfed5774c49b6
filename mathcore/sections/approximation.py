"""[approximation]: part 10, universal approximation and its limits (mathcore/approximation.py)."""
from __future__ import annotations

from mathcore.config import choice, integer, interval, list_of, non_negative, positive

NAME = "approximation"
#: The 1-D functions the fit can be asked for (mathcore/approximation.py defines them).
FUNCTIONS = ("sin", "cos", "sinc", "gaussian", "tanh", "x_sin", "cubic")


KEYS = {
    "function": choice(FUNCTIONS),
    "frequency": positive,
    "train_range": interval,
    "eval_range": interval,
    "points": integer(2, 100_000),
    "few_points": integer(1, 100_000),
    "noise": non_negative,
    # no scene draws this network; widths and depth bound the training's memory and time
    # (64 layers of 512 are 17M float64 weights, 134 MB)
    "hidden": list_of(integer(1, 512), 1, 64, what="layer widths"),
    "activation": choice(("relu", "tanh", "sigmoid", "linear")),
    "steps": integer(1, 100_000),
    "learning_rate": positive,
    "seed": integer(0, 2**31 - 1),
    "grid_points": integer(2, 100_000),
}
