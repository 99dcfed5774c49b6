"""Options shared by every mathcore subcommand (kept apart from cli.py so command modules import it freely)."""
from __future__ import annotations

import click

from .errors import ConfigError


def config_option(fn):
    return click.option(
        "--config", "config_file", type=click.Path(dir_okay=False), default=None,
        help="Lecture config (default: $LECTURE_CONFIG, else assets/lecture.toml).",
    )(fn)


def json_option(fn):
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")(fn)


def float_list(flag: str):
    """A click callback turning "0.1,-0.2" into floats; a bad list is a one-line error."""
    def convert(ctx, param, value):
        if value is None:
            return None
        try:
            return [float(v) for v in value.split(",")]
        except ValueError:
            raise ConfigError(flag, "value", "comma-separated numbers such as 0.1,-0.2,-0.1", value) from None

    return convert
