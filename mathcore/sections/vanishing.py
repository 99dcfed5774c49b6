"""[vanishing]: part 6, the vanishing gradient problem (mathcore/vanishing.py)."""
from dataclasses import dataclass
from typing import Annotated

from mathcore.config import Floats, Pair, choice, in_range, integer, interval, keys_of, number, number_list, positive

NAME = "vanishing"


@dataclass(frozen=True)
class VanishingSection:
    """[vanishing], as validated: each key's type and its check."""

    # the slides' chain v_i = sigmoid(w_i v_(i-1)), v_0 = x
    x: Annotated[float, number]
    w: Annotated[Floats, number_list(1)]  # any depth: the scene says what it can draw
    sigma_range: Annotated[Pair, interval]
    sigma_points: Annotated[int, integer(3, 100_001)]
    # the deep networks
    # depth × width² float64 weights, trained: 50 × 512² is 100 MB (the scene draws 16)
    depth: Annotated[int, integer(2, 50)]
    width: Annotated[int, integer(1, 512)]
    seed: Annotated[int, integer(0, 2**31 - 1)]
    init: Annotated[str, choice(("kaiming", "xavier", "torch"))]
    dataset: Annotated[str, choice(("xor", "circle", "gaussian", "spiral"))]
    points: Annotated[int, integer(2, 5000)]
    noise: Annotated[float, in_range(0.0, 0.5)]
    data_seed: Annotated[int, integer(0, 2**31 - 1)]
    train_steps: Annotated[int, integer(0, 10_000)]
    learning_rate: Annotated[float, positive]


KEYS = keys_of(VanishingSection)
