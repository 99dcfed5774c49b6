"""[manifold]: part 8, data manifolds and decision boundaries (mathcore/manifold.py)."""
from dataclasses import dataclass
from typing import Annotated

from mathcore.config import (
    ACTIVATIONS,
    Expected,
    Floats,
    Pair,
    choice,
    in_range,
    increasing,
    integer,
    keys_of,
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


@dataclass(frozen=True)
class ManifoldSection:
    """[manifold], as validated: each key's type and its check."""

    seed: Annotated[int, integer(0, 2**31 - 1)]
    hw_count: Annotated[int, integer(2, 2000)]
    hw_height_ranges: Annotated[Floats, _ordered(4)]
    hw_weight_slope: Annotated[float, number]
    hw_weight_intercept: Annotated[float, number]
    hw_weight_noise: Annotated[float, non_negative]
    hw_blue_point: Annotated[Pair, number_list(2, 2)]
    hyp_count: Annotated[int, integer(2, 2000)]
    hyp_center: Annotated[Pair, number_list(2, 2)]
    hyp_angle: Annotated[float, in_range(-180.0, 180.0)]
    hyp_class_ranges: Annotated[Floats, _ordered(4)]
    hyp_noise: Annotated[float, non_negative]
    hyp_blue_point: Annotated[Pair, number_list(2, 2)]
    classifier_seeds: Annotated[tuple[int, ...], _unique_seeds]
    # no scene draws these networks; widths and depth bound each seed's training (64 layers of 256: 34 MB)
    mlp_hidden: Annotated[tuple[int, ...], list_of(integer(1, 256), 1, 64, what="layer widths")]
    mlp_activation: Annotated[str, choice(ACTIVATIONS)]
    steps: Annotated[int, integer(1, 100_000)]
    learning_rate: Annotated[float, positive]
    grid_size: Annotated[int, integer(10, 2000)]
    grid_margin: Annotated[float, non_negative]


KEYS = keys_of(ManifoldSection)
