"""Writing results: JSON to stdout, CSV and PNG to files, never half-written."""
from __future__ import annotations

import csv
import io
import json
import math
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path

import click

from .errors import ConfigError


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


class OutputError(ConfigError, OSError):
    """An output that cannot be written where it was asked for: one line, exit 2, like any ConfigError.

    Also an OSError, so code that already handles failed writes still does.
    """

    def __init__(self, path: str | os.PathLike, expected: str, got: object = ..., errno: int | None = None):
        super().__init__(path, "output", expected, got)
        self.errno, self.filename = errno, os.fspath(path)

    def __reduce__(self):  # across process pools (the deck's workers): rebuilt from its fields, not its message
        return type(self), (self.source, self.expected, self.got, self.errno)


#: What an existing output path is when it is not a regular file.
KINDS = {stat.S_IFDIR: "a folder", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
         stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFSOCK: "a socket"}


def file_target(path: str | os.PathLike) -> Path:
    """Where a file written to ``path`` goes: ``path``, or the file a symlink there names.

    Renaming a finished file onto a device, a FIFO or a symlink would replace it (``/dev/full``,
    ``/dev/stdout``): anything that exists and is not a regular file is an OutputError.
    """
    path = Path(path)
    try:
        mode = os.stat(path).st_mode  # follows symlinks
    except FileNotFoundError:
        mode = None
    except OSError as err:  # a parent that is a file, a symlink loop
        raise OutputError(path, "a file that can be written", err.strerror, err.errno) from None
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError(path, "a regular file or a new path", KINDS.get(stat.S_IFMT(mode), "not a regular file"))
    return Path(os.path.realpath(path)) if path.is_symlink() else path


@contextmanager
def writing(path: str | os.PathLike, *temporary: str | os.PathLike):
    """An OSError while ``path`` is written (through its ``temporary`` files or folders) becomes an OutputError
    naming ``path`` (a full disk: "No space left on device"); an error about another file (an input) stays."""
    try:
        yield
    except OutputError:
        raise
    except OSError as err:
        if err.filename is not None and not any(_related(Path(os.fsdecode(err.filename)), Path(p))
                                                for p in (path, *temporary)):
            raise
        raise OutputError(path, "a file that can be written", err.strerror or str(err), err.errno) from err


def _related(file: Path, ours: Path) -> bool:
    """``file`` is ``ours``, inside it, or a folder it goes in."""
    return file == ours or ours in file.parents or file in ours.parents


@contextmanager
def atomic_path(path: str | os.PathLike):
    """Yield a temporary path beside ``path``; on success it is renamed onto ``path``, else removed.

    No partial file ever carries the final name (for writers that need a path, like video muxers).
    A symlink is written through to its file; a path that is not a regular file is refused, and a
    failed write (a full disk) is one OutputError naming ``path``.
    """
    path = Path(path)
    target = file_target(path)
    with writing(path, target.parent):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=target.suffix)
        os.close(fd)
    try:
        with writing(path, tmp):
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
            yield Path(tmp)
            os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def atomic_write(path: str | os.PathLike, write: Callable[[Path], object]) -> Path:
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
