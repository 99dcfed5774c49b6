"""[manifold]: part 8, data manifolds and decision boundaries (mathcore/manifold.py)."""
from __future__ import annotations

from mathcore.config import (
    Expected,
    choice,
    in_range,
    increasing,
    integer,
    list_of,
    non_negative,
    number,
    number_list,
    positive,
)

NAME = "manifold"


def _ordered(count: int):
    """``count`` numbers in increasing order (class ranges: low0, high0, low1, high1)."""
    return increasing(number_list(count, count), f"{count} numbers in increasing order")


def _unique_seeds(value):
    seeds = list_of(integer(0, 2**31 - 1), 1, what="seeds")(value)  # any number (DataManifold says what it draws)
    if len(set(seeds)) != len(seeds):
        raise Expected("different seeds (one MLP each)", value)
    return seeds


KEYS = {
    "seed": integer(0, 2**31 - 1),
    "hw_count": integer(2, 2000),
    "hw_height_ranges": _ordered(4),
    "hw_weight_slope": number,
    "hw_weight_intercept": number,
    "hw_weight_noise": non_negative,
    "hw_blue_point": number_list(2, 2),
    "hyp_count": integer(2, 2000),
    "hyp_center": number_list(2, 2),
    "hyp_angle": in_range(-180.0, 180.0),
    "hyp_class_ranges": _ordered(4),
    "hyp_noise": non_negative,
    "hyp_blue_point": number_list(2, 2),
    "classifier_seeds": _unique_seeds,
    # no scene draws these networks; widths and depth bound each seed's training (64 layers of 256: 34 MB)
    "mlp_hidden": list_of(integer(1, 256), 1, 64, what="layer widths"),
    "mlp_activation": choice(("relu", "tanh", "sigmoid", "linear")),
    "steps": integer(1, 100_000),
    "learning_rate": positive,
    "grid_size": integer(10, 2000),
    "grid_margin": non_negative,
}
