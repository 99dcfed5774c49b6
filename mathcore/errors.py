"""Errors a user can cause, and the one-line, exit-2 way both CLIs report them."""
from __future__ import annotations

import math
import os
import sys

import click

#: Exit status for bad input (config, flags, data files), as docs/ARCHITECTURE.md (contracts) states.
BAD_INPUT = 2
#: Exit status after Ctrl-C: 128 + SIGINT, as a shell reports a process that SIGINT ended.
INTERRUPTED = 130


class ConfigError(ValueError):
    """A config value (or a flag that overrides one) is not what the lecture needs.

    Renders as one line: ``<file>: <section.key>: expected <what>[, got <value>]``.
    """

    def __init__(self, source: str | os.PathLike[str], key: str, expected: str, got: object = ...):
        self.source, self.key, self.expected, self.got = str(source), key, expected, got
        super().__init__(str(self))

    def __str__(self) -> str:
        got = "" if self.got is ... else f", got {shortened(self.got)}"
        return f"{self.source}: {self.key}: expected {self.expected}{got}"


#: Characters of a wrong value an error line shows (a 2000-character title made a 2000-character line).
SHOWN = 100


def shortened(value: object) -> str:
    """``repr(value)``, cut to about :data:`SHOWN` characters with how long it was."""
    text = repr(value)
    if len(text) <= SHOWN + 20:
        return text
    size = f"{len(value)} characters" if isinstance(value, str) else f"{len(text)} characters as written"
    return f"{text[:SHOWN]}... ({size})"


class NonFinite(ArithmeticError):
    """An intermediate result overflowed (inf) or is undefined (nan): every number after it is meaningless."""

    def __init__(self, name: str, value: float):
        super().__init__(f"{name} is {value}")
        self.name, self.value = name, value


def check_finite(values: dict[str, list[float]]) -> None:
    """Raise NonFinite naming the first non-finite entry, as ``<name>_<i>`` (i from 1)."""
    for name, row in values.items():
        for i, v in enumerate(row):
            if not math.isfinite(v):
                raise NonFinite(f"{name}_{i + 1}", v)


def run_cli(command: click.Command, prog: str, args: list[str] | None = None) -> None:
    """Run a click command so that every bad input is one line on stderr and exit 2, and Ctrl-C one line
    and exit 130.

    click's own usage errors print several lines of usage; a lecturer wants the one line that says what is
    wrong. The command runs through make_context/invoke rather than ``main``: main answers Ctrl-C with a
    blank line before its "Aborted!", and a traceback where it does not catch.
    """
    args = sys.argv[1:] if args is None else list(args)
    try:
        with command.make_context(prog, args) as ctx:
            rv = command.invoke(ctx)
    except ConfigError as exc:
        _fail(prog, str(exc))
    except (KeyboardInterrupt, click.exceptions.Abort) as exc:
        lead = "\n" if sys.stderr.isatty() else ""  # on a terminal, the line starts after the ^C it echoed
        said = f": {exc}" if str(exc) else ""  # where the command stopped, if it says (KeyboardInterrupt("..."))
        click.echo(f"{lead}{prog}: interrupted{said}", err=True)
        sys.exit(INTERRUPTED)
    except click.UsageError as exc:
        where = f" ({exc.ctx.command_path})" if exc.ctx is not None else ""
        _fail(prog, exc.format_message() + where)
    except click.ClickException as exc:
        _fail(prog, exc.format_message())
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:  # `mathcore tree --json | head`: the reader left; say nothing more to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    sys.exit(rv if isinstance(rv, int) else 0)


def _fail(prog: str, message: str) -> None:
    click.echo(f"{prog}: error: {message}", err=True)
    sys.exit(BAD_INPUT)
