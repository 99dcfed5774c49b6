"""[gd]: the 1-D cost C(w) = a/2 u² + k/3 u³ + b/4 u⁴ (u = w − w*) and the learning rates of part 1."""
from mathcore.config import in_range, integer, list_of, non_negative, number, number_list, positive

NAME = "gd"

KEYS = {
    "w_star": number,
    "curvature": positive,
    "quartic": non_negative,
    "cubic": number,  # k: with k² < 4 a b the cost keeps one minimum (checked in mathcore/gd.py)
    "w0": number,
    "steps": integer(1, 10_000),
    "learning_rates": list_of(positive, 1, what="learning rates"),  # any number: one run each
    "tolerance": positive,
    "w_range": number_list(2, 2),
    "curve_points": integer(2, 100_000),
    "shown_steps": integer(1, 100),  # updates a scene animates per learning rate
    "zoom_out": in_range(1.5, 1000.0),  # the view a diverging run flies off: w_range this many times wider
}
