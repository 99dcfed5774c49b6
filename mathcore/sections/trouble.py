"""[trouble]: the runs that show the signs of trouble (part 5) and the thresholds of diagnose()."""
from mathcore.config import in_range, integer, number, positive

NAME = "trouble"

KEYS = {
    # runs on the part-2 data (C(w1) of [minima])
    "learning_rate": positive,
    "steps": integer(3, 100_000),
    "fine_start": number,
    "stuck_start": number,
    "flat_start": number,
    "bug_start": number,
    # the too-large learning rate, on the part-1 cost of [gd]
    "large_lr": positive,
    "large_w0": number,
    "large_steps": integer(3, 10_000),
    # diagnose(costs): changes relative to the first cost
    "stuck_drop": positive,
    "slow_drop": positive,
    "rise": positive,
    "window": in_range(0.05, 0.5),
}
