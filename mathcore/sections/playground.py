"""[playground]: part 9, small MLPs on Playground's toy data (mathcore/playground.py)."""
from dataclasses import dataclass
from typing import Annotated

from mathcore.config import ACTIVATIONS, choice, in_range, increasing, integer, keys_of, list_of, positive

NAME = "playground"

DATASETS = ("xor", "circle", "gaussian", "spiral")
SEED = integer(0, 2**31 - 1)
# any depth; widths up to 512 bound the training (ActivationPlayground says what it draws)
HIDDEN = list_of(integer(1, 512), 0, what="hidden layer widths")


_increasing_epochs = increasing(  # at most 50: each keeps a snapshot_grid² grid and the weights in the cache
    list_of(integer(0, 100_000), 1, 50, what="epochs"), "a list of epochs in increasing order"
)


@dataclass(frozen=True)
class PlaygroundSection:
    """[playground], as validated: each key's type and its check."""

    # the data (Playground's recipes)
    points: Annotated[int, integer(4, 5000)]
    test_fraction: Annotated[float, in_range(0.05, 0.95)]
    noise: Annotated[float, in_range(0.0, 0.5)]
    data_seed: Annotated[int, SEED]
    # training
    optimizer: Annotated[str, choice(("sgd", "adam"))]
    learning_rate: Annotated[float, positive]
    batch_size: Annotated[int, integer(1, 5000)]
    epochs: Annotated[int, integer(1, 5000)]
    # what is recorded for the animation
    snapshot_epochs: Annotated[tuple[int, ...], _increasing_epochs]
    snapshot_grid: Annotated[int, integer(2, 400)]
    snapshot_decimals: Annotated[int, integer(1, 12)]
    grid_extent: Annotated[float, positive]
    # `mathcore playground` (one run)
    dataset: Annotated[str, choice(DATASETS)]
    activation: Annotated[str, choice(ACTIVATIONS)]
    hidden: Annotated[tuple[int, ...], HIDDEN]
    seed: Annotated[int, SEED]
    # the XOR runs: a good solution and a stall in a local minimum
    xor_activation: Annotated[str, choice(ACTIVATIONS)]
    xor_hidden: Annotated[tuple[int, ...], HIDDEN]
    # any number: LocalMinima shows the first ones
    xor_good_seeds: Annotated[tuple[int, ...], list_of(SEED, 0, what="seeds")]
    xor_stalled_seeds: Annotated[tuple[int, ...], list_of(SEED, 0, what="seeds")]
    # the same problem with each activation
    compare_dataset: Annotated[str, choice(DATASETS)]
    compare_hidden: Annotated[tuple[int, ...], HIDDEN]
    compare_seed: Annotated[int, SEED]
    # ActivationPlayground draws 4
    compare_activations: Annotated[tuple[str, ...], list_of(choice(ACTIVATIONS), 1, what="activations")]


KEYS = keys_of(PlaygroundSection)
