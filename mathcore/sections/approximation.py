"""[approximation]: part 10, universal approximation and its limits (mathcore/approximation.py)."""
from dataclasses import dataclass
from typing import Annotated

from mathcore.config import (
    ACTIVATIONS,
    Pair,
    choice,
    integer,
    interval,
    keys_of,
    list_of,
    non_negative,
    positive,
)

NAME = "approximation"
#: The 1-D functions the fit can be asked for (mathcore/approximation.py defines them).
FUNCTIONS = ("sin", "cos", "sinc", "gaussian", "tanh", "x_sin", "cubic")


@dataclass(frozen=True)
class ApproximationSection:
    """[approximation], as validated: each key's type and its check."""

    function: Annotated[str, choice(FUNCTIONS)]
    frequency: Annotated[float, positive]
    train_range: Annotated[Pair, interval]
    eval_range: Annotated[Pair, interval]
    points: Annotated[int, integer(2, 100_000)]
    few_points: Annotated[int, integer(1, 100_000)]
    noise: Annotated[float, non_negative]
    # no scene draws this network; widths and depth bound the training's memory and time
    # (64 layers of 512 are 17M float64 weights, 134 MB)
    hidden: Annotated[tuple[int, ...], list_of(integer(1, 512), 1, 64, what="layer widths")]
    activation: Annotated[str, choice(ACTIVATIONS)]
    steps: Annotated[int, integer(1, 100_000)]
    learning_rate: Annotated[float, positive]
    seed: Annotated[int, integer(0, 2**31 - 1)]
    grid_points: Annotated[int, integer(2, 100_000)]


KEYS = keys_of(ApproximationSection)
