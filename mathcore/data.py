"""Every file the lecture reads besides code and config, through one resolver that records it.

Data tables (``assets/data/*.csv``, or beside the config) are checked: a missing column or a
non-number is one clear error that names the columns expected and never echoes the file's content.
Shipped assets (``assets/images/cat.svg``) come from ``asset()``. Both record the file in ``READ``,
so a renderer can hash them and re-render a scene when one changes.
"""
from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path

import numpy as np

from .closure import digest
from .config import REPO_ROOT, SCHEMA, read_file, utf8
from .errors import ConfigError

ASSETS = REPO_ROOT / "assets"
DATA_DIR = ASSETS / "data"
#: Every file read through this module in this process (a renderer hashes them to know when a scene is out of date).
READ: set[Path] = set()


def record(path: Path) -> Path:
    READ.add(Path(path).resolve())
    return Path(path)


def asset(relative: str) -> Path:
    """A file shipped in ``assets/`` (e.g. ``images/cat.svg``), recorded as read."""
    return record(ASSETS / relative)


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def resolve(name: str | Path, base: Path | None = None, source: str | os.PathLike[str] = "", key: str = "data",
            existing: bool = False) -> Path:
    """A data file named in the config: in the config file's folder (``base``) or in assets/data, nowhere else
    (and there, if ``existing``).

    ``source`` and ``key`` (the config file and the key naming the file) go into the one-line error.
    """
    folders = [f for f in (base, DATA_DIR) if f is not None]
    where = " or ".join(f"{f}/" for f in folders)
    if not str(name).strip() or "\x00" in str(name):  # "" names the folder itself; a NUL no file at all
        raise ConfigError(source or base or DATA_DIR, key, f"a file name inside {where}", str(name))
    path = Path(name)
    candidates = [path] if path.is_absolute() else [f / path for f in folders]
    found = next((c for c in candidates if c.exists()), candidates[-1])
    if not any(_inside(found, f) for f in folders) or found.is_dir():
        raise ConfigError(source or base or DATA_DIR, key, f"a file name inside {where}", str(name))
    if existing and not found.exists():
        raise ConfigError(source or base or DATA_DIR, key, f"the name of a file inside {where}", str(name))
    return record(found)


def data_file(cfg, section: str) -> Path:
    """The file named by ``[section] data``, beside the config or in assets/data (a missing one is the key's error)."""
    return resolve(getattr(cfg, section).data, cfg.path.parent, cfg.path, f"{section}.data", existing=True)


def data_digest(cfg, section: str) -> str:
    """sha256 of the table ``[section] data`` names: part of a cache key, so editing the table recomputes
    what was computed from it."""
    return digest(read_file(data_file(cfg, section), "CSV file"), 64)


def check_tables(cfg) -> None:
    """Every table the config names is there and is readable UTF-8 text: a CLI calls this before anything
    renders. Their columns are checked by the part that reads them (load_table)."""
    for section, keys in SCHEMA.items():
        if "data" in keys:
            path = data_file(cfg, section)
            utf8(path, read_file(path, "CSV file"), "CSV text file")


def load_table(path: str | Path, columns: list[str]) -> dict[str, np.ndarray]:
    """The named numeric columns of a CSV file (header row first) as float arrays."""
    path = record(Path(path))
    named = "the columns " + ", ".join(columns)
    text = utf8(path, read_file(path, f"CSV file with {named}"), f"CSV text file with {named}")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise ConfigError(path, "(file)", f"a CSV text file with {named}") from None
    if not rows:
        raise ConfigError(path, "(header)", f"a header row naming {named}")
    header = [h.strip() for h in rows[0]]
    for col in columns:
        if col not in header:
            raise ConfigError(path, col, f"a column named {col!r} (a header row naming {named})")
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
                raise ConfigError(path, f"{col} (line {line})", f"a number ({named} hold numbers)") from None  # no cell
            if not math.isfinite(value):
                raise ConfigError(path, f"{col} (line {line})", f"a finite number ({named} hold numbers)")
            values.append(value)
        out[col] = np.array(values)
    return out
