"""[minima]: the data, the w1 range and the gradient-descent starts of part 2 (local minima of C(w1))."""
from mathcore.config import integer, number, number_list, positive, text

NAME = "minima"

KEYS = {
    "data": text,
    "w2": number,
    "w1_range": number_list(2, 2),
    "grid_points": integer(11, 10_000_000),
    "starts": number_list(1),  # any number: one torch run each (LocalMinima says how many it draws)
    "learning_rate": positive,
    "steps": integer(1, 100_000),
    "tolerance": positive,
}
