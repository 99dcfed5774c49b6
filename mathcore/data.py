"""Data tables from ``assets/data/*.csv``, checked: a missing column or a non-number is one clear error."""
from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from .config import REPO_ROOT
from .errors import ConfigError

DATA_DIR = REPO_ROOT / "assets" / "data"
#: Every data file read in this process (a renderer hashes them to know when a scene is out of date).
READ: set[Path] = set()


def resolve(name: str | Path, base: Path | None = None) -> Path:
    """A data file named in the config: absolute, relative to the config file's folder, or in assets/data."""
    path = Path(name)
    if not path.is_absolute():
        path = base / path if base is not None and (base / path).exists() else DATA_DIR / path
    READ.add(path.resolve())
    return path


def load_table(path: str | Path, columns: list[str]) -> dict[str, np.ndarray]:
    """The named numeric columns of a CSV file (header row first) as float arrays."""
    path = Path(path)
    READ.add(path.resolve())
    try:
        with open(path, newline="") as fh:
            rows = list(csv.reader(fh))
    except FileNotFoundError:
        raise ConfigError(path, "(file)", "an existing CSV file") from None
    if not rows:
        raise ConfigError(path, "(header)", "a header row naming the columns " + ", ".join(columns))
    header = [h.strip() for h in rows[0]]
    for col in columns:
        if col not in header:
            raise ConfigError(path, col, f"a column named {col!r} (the header has {', '.join(header)})")
    body = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    if not body:
        raise ConfigError(path, "(rows)", "at least one data row")
    out = {}
    for col in columns:
        k = header.index(col)
        values = []
        for line, row in enumerate(body, start=2):
            cell = row[k].strip() if k < len(row) else ""
            try:
                value = float(cell)
            except ValueError:
                raise ConfigError(path, f"{col} (line {line})", "a number", cell) from None
            if not math.isfinite(value):
                raise ConfigError(path, f"{col} (line {line})", "a finite number", cell)
            values.append(value)
        out[col] = np.array(values)
    return out
