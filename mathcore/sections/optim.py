"""[optim]: part 4, the optimisers' hyperparameters and the race on a 2-D surface (mathcore/optim.py, race.py)."""
from mathcore.config import OPTIMISERS, choice, in_range, integer, list_of, number_list, positive

NAME = "optim"

KEYS = {
    # the optimisers (used by `mathcore optim` and both race tracks)
    "gd_lr": positive,
    "sgd_lr": positive,
    "minibatch_lr": positive,
    "minibatch_size": integer(1, 100_000),
    "momentum_lr": positive,
    "momentum": in_range(0.0, 1.0, open_high=True),
    "adam_lr": positive,  # α
    "beta1": in_range(0.0, 1.0, open_high=True),  # "β1, β2 ∈ [0, 1)"
    "beta2": in_range(0.0, 1.0, open_high=True),
    "eps": positive,
    "adam_run_steps": integer(1, 100_000),  # Algorithm 1 (α = adam_lr) on the line track, stepped through
    # the race: same start, steps and seed for every entrant
    "race": list_of(choice(OPTIMISERS), 1, what="optimiser names"),  # any number (EscapingLocalMinima draws 5)
    "steps": integer(1, 100_000),
    "seed": integer(0, 2**31 - 1),
    "gradient_noise": in_range(0.0, 1e6),
    "race_adam_lr": positive,  # Adam's α in the race (stated on screen beside Algorithm 1's adam_lr)
    # the 2-D surface: bowl/2 |p|² − Σ depth_k exp(−|p − centre_k|² / (2 width_k²))
    "start": number_list(2, 2),
    "surface_centres": list_of(number_list(2, 2), 1, what="points [x, y]"),  # any number of wells
    "surface_depths": number_list(1),
    "surface_widths": list_of(positive, 1, what="widths"),
    "surface_bowl": positive,
    "surface_extent": positive,  # the grid spans [-extent, extent]²
    "surface_points": integer(3, 4001),
}
