"""Every test folder is collected: pytest skips folders matching ``norecursedirs`` (by default one named
``build``), which once hid tests/build's 149 tests from `make test`."""
from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


INI = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
#: The folders pytest skips: the project's list, or pytest's own default when the project sets none.
SKIPPED = INI.get("norecursedirs", ["*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}"])


@pytest.mark.parametrize("path", sorted(p.relative_to(REPO).as_posix() for p in (REPO / "tests").rglob("test_*.py")
                                          if "control_data" not in p.parts))
def test_no_test_file_is_in_a_folder_pytest_skips(path):
    parts = Path(path).parts[1:-1]  # the folders below tests/ that hold it
    hidden = [(part, pattern) for part in parts for pattern in SKIPPED if fnmatch.fnmatch(part, pattern)]
    assert not hidden, f"{path} is never collected: its folder matches norecursedirs {hidden}"
