"""How numbers are written, on screen and in tables: one rule for both.

Three significant digits (a readout a student can hold; a value that needs more asks for them), no
trailing zeros, no "-0": 0.08000000000000002 is written 0.08, as the slides write it.
"""
from __future__ import annotations

import math

DIGITS = 3
#: Written where a value does not exist: a diverged run's loss, no minimum reached, a row before step 1.
MISSING = "–"


def fmt(value: float, digits: int = DIGITS) -> str:
    if not math.isfinite(value):
        return str(value)
    # a whole number keeps its digits (a year, a step count) up to 10^6; a measured one gets three (9.19e4)
    whole = len(str(round(abs(value)))) if abs(value) < 1e6 and value == round(value) else 0
    text = f"{value:.{max(digits, whole)}g}"
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant}e{int(exp)}"
    if text in ("-0", "-0.0"):
        text = "0"
    return text


def tex(value: float, digits: int = DIGITS) -> str:
    """LaTeX for a number: 1.2e-05 becomes 1.2 \\times 10^{-5}."""
    text = fmt(value, digits)
    if "e" in text:
        mant, exp = text.split("e")
        return rf"{mant} \times 10^{{{exp}}}"
    return text


def cell(value: float | None, digits: int = DIGITS) -> str:
    """A number as a table cell or label writes it: ``fmt(value)``, or MISSING for None and nan."""
    return MISSING if value is None or value != value else fmt(float(value), digits)


def step_runs(steps: list[int], dash: str) -> str:
    """Steps as runs: [1, 3, 4, 5] is "1, 3{dash}5" (twenty crossings read as two)."""
    runs: list[list[int]] = []
    for t in steps:
        if runs and t == runs[-1][1] + 1:
            runs[-1][1] = t
        else:
            runs.append([t, t])
    parts = [str(a) if a == b else f"{a}, {b}" if b == a + 1 else f"{a}{dash}{b}" for a, b in runs]
    return ", ".join(parts)
