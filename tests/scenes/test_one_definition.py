"""What the lecture repeats is defined once: the optimiser list, the sign-to-colour rule, the missing-value cell."""
from __future__ import annotations

import math
import re
from pathlib import Path

from mathcore import config, display
from scenes import theme

REPO = Path(__file__).resolve().parents[2]
SOURCES = [p for folder in ("mathcore", "scenes") for p in (REPO / folder).rglob("*.py")]


def places(pattern: str) -> list[str]:
    found = re.compile(pattern)
    return [f"{p.relative_to(REPO)}:{k}" for p in SOURCES
            for k, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if found.search(line)]


def test_one_optimiser_list():
    assert places(r'\("gd", "sgd", "minibatch", "momentum", "adam"\)') == ["mathcore/config.py:" + str(
        next(k for k, line in enumerate((REPO / "mathcore/config.py").read_text().splitlines(), 1)
             if line.startswith("OPTIMISERS =")))]
    assert config.OPTIMISERS == ("gd", "sgd", "minibatch", "momentum", "adam")


def test_one_sign_rule_with_zero_muted():
    assert theme.sign_color(0.3) == theme.POSITIVE and theme.sign_color(-2.0) == theme.NEGATIVE
    assert theme.sign_color(0.0) == theme.MUTED
    # no other "POSITIVE if x >= 0 else NEGATIVE" (class labels "y == 1" are not a sign)
    assert places(r"POSITIVE if [^=]*[<>]=? ?0(\.0)? else") == [
        f"scenes/theme/__init__.py:{k}" for k, line in
        enumerate((REPO / "scenes/theme/__init__.py").read_text().splitlines(), 1) if "POSITIVE if value > 0" in line]


def test_one_missing_value_cell():
    assert display.cell(None) == display.cell(math.nan) == display.MISSING
    assert display.cell(0.08000000000000002) == "0.08" and display.cell(1.23456, 3) == "1.23"
    assert places(r'"[—–]" if .* is None') == []
    assert places(r"def _(f|num|maybe)\(value") == []
