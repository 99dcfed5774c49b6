"""[vanishing]: part 6, the vanishing gradient problem (mathcore/vanishing.py)."""
from __future__ import annotations

from mathcore.config import choice, in_range, integer, interval, number, number_list, positive

NAME = "vanishing"


KEYS = {
    # the slides' chain v_i = sigmoid(w_i v_(i-1)), v_0 = x
    "x": number,
    "w": number_list(1),  # any depth: the scene says what it can draw
    "sigma_range": interval,
    "sigma_points": integer(3, 100_001),
    # the deep networks
    "depth": integer(2, 50),  # depth × width² float64 weights, trained: 50 × 512² is 100 MB (the scene draws 16)
    "width": integer(1, 512),
    "seed": integer(0, 2**31 - 1),
    "init": choice(("kaiming", "xavier", "torch")),
    "dataset": choice(("xor", "circle", "gaussian", "spiral")),
    "points": integer(2, 5000),
    "noise": in_range(0.0, 0.5),
    "data_seed": integer(0, 2**31 - 1),
    "train_steps": integer(0, 10_000),
    "learning_rate": positive,
}
