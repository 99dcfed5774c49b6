"""The checks every mathcore part's tests share: config errors, CLI exit codes, and the files the CLI writes.

Each part's test file keeps its own data (bad TOML tables, argv, CSV headers) and calls these, so the
contract (docs/ARCHITECTURE.md: one-line errors naming file and key, exit 2 on bad input) is stated once.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from mathcore import config
from mathcore.cli import main
from mathcore.errors import ConfigError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def assert_config_error(path: Path, key: str, expected: str, load: Callable = config.load) -> str:
    """`load(path)` raises a one-line ConfigError "<path>: <key>: expected ..." containing `expected`.

    `load` is the call that validates the part (config.load, or the part's from_config on top of it).
    Returns the message for any extra check a test needs.
    """
    with pytest.raises(ConfigError) as info:
        load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {key}: expected "), message
    assert expected in message, message
    assert "\n" not in message, message
    return message


def run_cli(capsys, args: list[str]) -> tuple[int, str, str]:
    """Run `mathcore args`; the CLI always ends in SystemExit. Returns (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return info.value.code, out, err


def run_json(capsys, args: list[str]):
    """Run `mathcore args` (with --json); exit 0 and stdout parses as JSON. Returns the parsed document."""
    code, out, err = run_cli(capsys, args)
    assert code == 0, err
    return json.loads(out)


def assert_one_line_exit_2(capsys, args: list[str], needle: str) -> str:
    """Bad input: exit 2, nothing on stdout, exactly one line on stderr and it names `needle`."""
    code, out, err = run_cli(capsys, args)
    assert code == 2, (code, out, err)
    assert out == "", out
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert needle in err, err
    return err


def assert_png(path: Path) -> None:
    assert path.read_bytes()[:8] == PNG_MAGIC, path


def run_to_files(capsys, tmp_path: Path, args: list[str], *, csv: bool = True, plot: bool = True):
    """Run `args` plus --csv/--plot into tmp_path: exit 0 and a real PNG.

    Returns (stdout, CSV lines or None); the test checks stdout and the CSV header/rows itself.
    """
    csv_file, png = tmp_path / "out.csv", tmp_path / "out.png"
    extra = (["--csv", str(csv_file)] if csv else []) + (["--plot", str(png)] if plot else [])
    code, out, err = run_cli(capsys, [*args, *extra])
    assert code == 0, err
    if plot:
        assert_png(png)
    return out, (csv_file.read_text().splitlines() if csv else None)
