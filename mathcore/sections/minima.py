"""[minima]: the data, the w1 range and the gradient-descent starts of part 2 (local minima of C(w1))."""
from dataclasses import dataclass
from typing import Annotated

from mathcore.config import Floats, Pair, integer, keys_of, number, number_list, positive, text

NAME = "minima"


@dataclass(frozen=True)
class MinimaSection:
    """[minima], as validated: each key's type and its check."""

    data: Annotated[str, text]
    w2: Annotated[float, number]
    w1_range: Annotated[Pair, number_list(2, 2)]
    grid_points: Annotated[int, integer(11, 10_000_000)]
    starts: Annotated[Floats, number_list(1)]  # any number: one torch run each (LocalMinima says how many it draws)
    learning_rate: Annotated[float, positive]
    steps: Annotated[int, integer(1, 100_000)]
    tolerance: Annotated[float, positive]


KEYS = keys_of(MinimaSection)
