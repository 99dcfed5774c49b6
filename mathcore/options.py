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


def comma_list(flag: str, convert=float, example: str = "0.1,-0.2,-0.1"):
    """A click callback turning "a,b,c" into a list (``convert`` each item); a bad item is a one-line error."""
    kind = "whole numbers" if convert is int else "numbers" if convert is float else "values"

    def callback(ctx, param, value):
        if value is None:
            return None
        if value.strip() == "":
            return []
        try:
            return [convert(v.strip()) for v in value.split(",")]
        except ValueError:
            raise ConfigError(flag, "value", f"comma-separated {kind} such as {example}", value) from None

    return callback


def float_list(flag: str):
    return comma_list(flag, float)
