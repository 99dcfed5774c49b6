"""[trouble]: the runs that show the signs of trouble (part 5) and the thresholds of diagnose()."""
from dataclasses import dataclass
from typing import Annotated

from mathcore.config import in_range, integer, keys_of, number, positive

NAME = "trouble"


@dataclass(frozen=True)
class TroubleSection:
    """[trouble], as validated: each key's type and its check."""

    # runs on the part-2 data (C(w1) of [minima])
    learning_rate: Annotated[float, positive]
    steps: Annotated[int, integer(3, 100_000)]
    fine_start: Annotated[float, number]
    stuck_start: Annotated[float, number]
    flat_start: Annotated[float, number]
    bug_start: Annotated[float, number]
    # the too-large learning rate, on the part-1 cost of [gd]
    large_lr: Annotated[float, positive]
    large_w0: Annotated[float, number]
    large_steps: Annotated[int, integer(3, 10_000)]
    # diagnose(costs): changes relative to the first cost
    stuck_drop: Annotated[float, positive]
    slow_drop: Annotated[float, positive]
    rise: Annotated[float, positive]
    window: Annotated[float, in_range(0.05, 0.5)]


KEYS = keys_of(TroubleSection)
