"""[gd]: the 1-D cost C(w) = a/2 u² + k/3 u³ + b/4 u⁴ (u = w − w*) and the learning rates of part 1."""
from dataclasses import dataclass
from typing import Annotated

from mathcore.config import (
    Floats,
    Pair,
    in_range,
    integer,
    keys_of,
    list_of,
    non_negative,
    number,
    number_list,
    positive,
)

NAME = "gd"


@dataclass(frozen=True)
class GdSection:
    """[gd], as validated: each key's type and its check."""

    w_star: Annotated[float, number]
    curvature: Annotated[float, positive]
    quartic: Annotated[float, non_negative]
    cubic: Annotated[float, number]  # k: with k² < 4 a b the cost keeps one minimum (checked in mathcore/gd.py)
    w0: Annotated[float, number]
    steps: Annotated[int, integer(1, 10_000)]
    learning_rates: Annotated[Floats, list_of(positive, 1, what="learning rates")]  # any number: one run each
    tolerance: Annotated[float, positive]
    w_range: Annotated[Pair, number_list(2, 2)]
    curve_points: Annotated[int, integer(2, 100_000)]
    shown_steps: Annotated[int, integer(1, 100)]  # updates a scene animates per learning rate
    # the view a diverging run flies off: w_range this many times wider
    zoom_out: Annotated[float, in_range(1.5, 1000.0)]


KEYS = keys_of(GdSection)
