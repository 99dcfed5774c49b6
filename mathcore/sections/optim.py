"""[optim]: part 4, the optimisers' hyperparameters and the race on a 2-D surface (mathcore/optim.py, race.py)."""
from dataclasses import dataclass
from typing import Annotated

from mathcore.config import OPTIMISERS, Floats, Pair, choice, in_range, integer, keys_of, list_of, number_list, positive

NAME = "optim"


@dataclass(frozen=True)
class OptimSection:
    """[optim], as validated: each key's type and its check."""

    # the optimisers (used by `mathcore optim` and both race tracks)
    gd_lr: Annotated[float, positive]
    sgd_lr: Annotated[float, positive]
    minibatch_lr: Annotated[float, positive]
    minibatch_size: Annotated[int, integer(1, 100_000)]
    momentum_lr: Annotated[float, positive]
    momentum: Annotated[float, in_range(0.0, 1.0, open_high=True)]
    adam_lr: Annotated[float, positive]  # α
    beta1: Annotated[float, in_range(0.0, 1.0, open_high=True)]  # "β1, β2 ∈ [0, 1)"
    beta2: Annotated[float, in_range(0.0, 1.0, open_high=True)]
    eps: Annotated[float, positive]
    adam_run_steps: Annotated[int, integer(1, 100_000)]  # Algorithm 1 (α = adam_lr) on the line track, stepped through
    # the race: same start, steps and seed for every entrant
    # any number (EscapingLocalMinima draws 5)
    race: Annotated[tuple[str, ...], list_of(choice(OPTIMISERS), 1, what="optimiser names")]
    steps: Annotated[int, integer(1, 100_000)]
    seed: Annotated[int, integer(0, 2**31 - 1)]
    gradient_noise: Annotated[float, in_range(0.0, 1e6)]
    race_adam_lr: Annotated[float, positive]  # Adam's α in the race (stated on screen beside Algorithm 1's adam_lr)
    # the 2-D surface: bowl/2 |p|² − Σ depth_k exp(−|p − centre_k|² / (2 width_k²))
    start: Annotated[Pair, number_list(2, 2)]
    # any number of wells
    surface_centres: Annotated[tuple[Pair, ...], list_of(number_list(2, 2), 1, what="points [x, y]")]
    surface_depths: Annotated[Floats, number_list(1)]
    surface_widths: Annotated[Floats, list_of(positive, 1, what="widths")]
    surface_bowl: Annotated[float, positive]
    surface_extent: Annotated[float, positive]  # the grid spans [-extent, extent]²
    surface_points: Annotated[int, integer(3, 4001)]


KEYS = keys_of(OptimSection)
