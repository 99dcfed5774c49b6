"""[batches]: part 3, cost surfaces of batches on the slides' 10-point table (mathcore/batches.py)."""
from mathcore.config import choice, integer, list_of, number, number_list, positive, text

NAME = "batches"

KEYS = {
    "data": text,  # CSV with columns x, y
    "w_range": number_list(2, 2),  # the w axis of the curves
    "w_points": integer(2, 1_000_000),
    "random_batches": integer(1, 100),  # "Repeat the above several times"; each keeps a w_points curve in the JSON
    "random_batch_size": integer(1, 100_000),  # "Randomly choose 3 data points"
    "batch_sizes": list_of(integer(1, 100_000), 1, what="batch sizes"),  # 1 = SGD; any number (one run each)
    "learning_rate": positive,
    "reduction": choice(("sum", "mean")),  # each step's loss over the batch: summed (the slides' L) or averaged
    "epochs": integer(1, 10_000),
    "w0": number,
    "seed": integer(0, 2**31 - 1),
}
