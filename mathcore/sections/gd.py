"""[gd]: the 1-D cost C(w) = a/2 (w − w*)² + b/4 (w − w*)⁴ and the learning rates of part 1."""
from mathcore.config import integer, list_of, non_negative, number, number_list, positive

NAME = "gd"

KEYS = {
    "w_star": number,
    "curvature": positive,
    "quartic": non_negative,
    "w0": number,
    "steps": integer(1, 10_000),
    "learning_rates": list_of(positive, 1, 12, what="learning rates"),
    "tolerance": positive,
    "w_range": number_list(2, 2),
    "curve_points": integer(2, 100_000),
}
