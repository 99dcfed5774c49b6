"""[autoencoder]: part 11, an auto-encoder on a 1-D manifold in 2-D (mathcore/autoencoder.py)."""
from dataclasses import dataclass
from typing import Annotated

from mathcore.config import (
    ACTIVATIONS,
    Pair,
    choice,
    integer,
    interval,
    keys_of,
    non_negative,
    number,
    positive,
)

NAME = "autoencoder"


@dataclass(frozen=True)
class AutoencoderSection:
    """[autoencoder], as validated: each key's type and its check."""

    curve: Annotated[str, choice(("arc", "spiral"))]
    t_range: Annotated[Pair, interval]
    radius: Annotated[float, positive]
    spiral_growth: Annotated[float, number]
    count: Annotated[int, integer(2, 100_000)]
    noise: Annotated[float, non_negative]
    hidden: Annotated[int, integer(1, 512)]
    activation: Annotated[str, choice(ACTIVATIONS)]
    steps: Annotated[int, integer(1, 100_000)]
    learning_rate: Annotated[float, positive]
    seed: Annotated[int, integer(0, 2**31 - 1)]
    line_points: Annotated[int, integer(2, 100_000)]
    line_margin: Annotated[float, non_negative]


KEYS = keys_of(AutoencoderSection)
