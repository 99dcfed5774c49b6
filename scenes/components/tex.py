"""LaTeX strings for the chain's equations, built from mathcore's numbers (no arithmetic here)."""
from __future__ import annotations

import re

from mathcore.activations import TEX_NAMES
from mathcore.display import tex


def num(value: float) -> str:
    return tex(value)


def factor(value: float) -> str:
    """A number as a factor in a product: negatives in parentheses."""
    text = tex(value)
    return f"({text})" if text.startswith("-") else text


def plus(value: float) -> str:
    """``+ 0.1`` or ``+ (-0.1)``: the bias as substituted into w h + b, sign kept visible."""
    return f"+ {factor(value)}"


def sigma(activation: str) -> str:
    return TEX_NAMES[activation]


def partial(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def name(identifier: str) -> str:
    """A variable name as TeX: ``x0`` -> ``x_{0}``, ``w_out`` -> ``w_{out}``."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", identifier):
        raise ValueError(f"not a plain identifier: {identifier!r}")
    if m := re.fullmatch(r"([A-Za-z]+)_?([0-9]+)", identifier):
        return f"{m.group(1)}_{{{m.group(2)}}}"
    if "_" in identifier:
        head, _, tail = identifier.partition("_")
        return rf"{head}_{{\mathrm{{{tail.replace('_', ' ')}}}}}"
    return identifier if len(identifier) == 1 else rf"\mathrm{{{identifier}}}"
