"""[batches]: part 3, cost surfaces of batches on the slides' 10-point table (mathcore/batches.py)."""
from dataclasses import dataclass
from typing import Annotated

from mathcore.config import Pair, choice, integer, keys_of, list_of, number, number_list, positive, text

NAME = "batches"


@dataclass(frozen=True)
class BatchesSection:
    """[batches], as validated: each key's type and its check."""

    data: Annotated[str, text]  # CSV with columns x, y
    w_range: Annotated[Pair, number_list(2, 2)]  # the w axis of the curves
    w_points: Annotated[int, integer(2, 1_000_000)]
    # "Repeat the above several times"; each keeps a w_points curve in the JSON
    random_batches: Annotated[int, integer(1, 100)]
    random_batch_size: Annotated[int, integer(1, 100_000)]  # "Randomly choose 3 data points"
    # 1 = SGD; any number (one run each)
    batch_sizes: Annotated[tuple[int, ...], list_of(integer(1, 100_000), 1, what="batch sizes")]
    learning_rate: Annotated[float, positive]
    # each step's loss over the batch: summed (the slides' L) or averaged
    reduction: Annotated[str, choice(("sum", "mean"))]
    epochs: Annotated[int, integer(1, 10_000)]
    w0: Annotated[float, number]
    seed: Annotated[int, integer(0, 2**31 - 1)]


KEYS = keys_of(BatchesSection)
