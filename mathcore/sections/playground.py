"""[playground]: part 9, small MLPs on Playground's toy data (mathcore/playground.py)."""
from __future__ import annotations

from mathcore.config import choice, in_range, increasing, integer, list_of, positive

NAME = "playground"

DATASETS = ("xor", "circle", "gaussian", "spiral")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
SEED = integer(0, 2**31 - 1)
# any depth; widths up to 512 bound the training (ActivationPlayground says what it draws)
HIDDEN = list_of(integer(1, 512), 0, what="hidden layer widths")


_increasing_epochs = increasing(  # at most 50: each keeps a snapshot_grid² grid and the weights in the cache
    list_of(integer(0, 100_000), 1, 50, what="epochs"), "a list of epochs in increasing order"
)


KEYS = {
    # the data (Playground's recipes)
    "points": integer(4, 5000),
    "test_fraction": in_range(0.05, 0.95),
    "noise": in_range(0.0, 0.5),
    "data_seed": SEED,
    # training
    "optimizer": choice(("sgd", "adam")),
    "learning_rate": positive,
    "batch_size": integer(1, 5000),
    "epochs": integer(1, 5000),
    # what is recorded for the animation
    "snapshot_epochs": _increasing_epochs,
    "snapshot_grid": integer(2, 400),
    "snapshot_decimals": integer(1, 12),
    "grid_extent": positive,
    # `mathcore playground` (one run)
    "dataset": choice(DATASETS),
    "activation": choice(ACTIVATIONS),
    "hidden": HIDDEN,
    "seed": SEED,
    # the XOR runs: a good solution and a stall in a local minimum
    "xor_activation": choice(ACTIVATIONS),
    "xor_hidden": HIDDEN,
    "xor_good_seeds": list_of(SEED, 0, what="seeds"),  # any number: LocalMinima shows the first ones
    "xor_stalled_seeds": list_of(SEED, 0, what="seeds"),
    # the same problem with each activation
    "compare_dataset": choice(DATASETS),
    "compare_hidden": HIDDEN,
    "compare_seed": SEED,
    "compare_activations": list_of(choice(ACTIVATIONS), 1, what="activations"),  # ActivationPlayground draws 4
}
