"""Writing results: JSON to stdout, CSV and PNG to files, never half-written."""
from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path

import click


def clean(value):
    """JSON-safe and stable: numpy scalars/arrays to Python, non-finite floats to None."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


def print_json(data) -> None:
    """One JSON document on stdout; the same data always gives the same bytes."""
    click.echo(json.dumps(clean(data), indent=2, allow_nan=False))


@contextmanager
def atomic_path(path: str | os.PathLike):
    """Yield a temporary path beside ``path``; on success it is renamed onto ``path``, else removed.

    No partial file ever carries the final name (for writers that need a path, like video muxers).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def atomic_write(path: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` then rename onto ``path``: no partial file under the final name."""
    with atomic_path(path) as tmp:
        write(tmp)
    return Path(path)


def write_csv(path, header: Sequence[str], rows: Iterable[Sequence]) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else (repr(float(v)) if isinstance(v, float) else v) for v in row])
    return atomic_write(path, lambda tmp: tmp.write_text(buf.getvalue()))


def save_plot(path, draw: Callable) -> Path:
    """``draw(fig)`` onto a new matplotlib figure, saved as PNG (headless backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(7, 4.5), dpi=120)
    try:
        draw(fig)
        return atomic_write(path, lambda tmp: fig.savefig(tmp, format="png", bbox_inches="tight"))
    finally:
        plt.close(fig)


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """A readable table on stdout (rich), right-aligned, wide enough when piped."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for col in columns:
        table.add_column(col, justify="right")
    for row in rows:
        table.add_row(*[str(c) for c in row])
    console = Console()
    if not console.is_terminal:
        console.width = 140  # piped output defaults to 80 columns: too few for these tables
    console.print(table)
