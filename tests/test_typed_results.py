"""mathcore's results are read by attribute (``result.runs``) everywhere: a misspelt field is a type error, found
here, not a KeyError at render time.

mathcore itself is type-checked whole (``test_mathcore_type_checks``, pyproject's [tool.mypy]). The scenes,
components, pipeline and tests are not typed as a whole (manim's own annotations give hundreds of unrelated
complaints), so a second test runs mypy over them with their function bodies checked and fails on any error
that names one of mathcore's result types: a field that does not exist, or a result indexed like a dict.
"""
from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import mathcore
from mathcore.results import Result

from .conftest import REPO, SUITE_CACHE

#: Where the readers are; their mypy cache is kept apart from mathcore's check (other options, other entries).
READERS = ("scenes", "tests")
CACHE = SUITE_CACHE / "mypy-readers"
#: mathcore's own check keeps its cache in the suite's (a clean checkout's .cache/mypy is empty: 10 s more).
MATHCORE_MYPY_CACHE = SUITE_CACHE / "mypy"


def result_types() -> set[str]:
    """The names of every result class mathcore declares (each module imported, its subclasses of Result)."""
    for info in pkgutil.iter_modules(mathcore.__path__):
        if not info.name.startswith("__"):  # __main__ would run the CLI
            importlib.import_module(f"mathcore.{info.name}")
    found, todo = set(), [Result]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub.__name__)
            todo.append(sub)
    return found


def result_errors(args: list[str]) -> list[str]:
    """mypy's errors about a result type for these files (bodies of unannotated functions checked too)."""
    from mypy import api

    out, err, _ = api.run(["--check-untyped-defs", "--cache-dir", str(CACHE), "--no-error-summary",
                           "--hide-error-context", *args])
    assert not err.strip(), err
    names = "|".join(sorted(result_types()))
    about_a_result = re.compile(rf'"(?:[\w.]+\.)?(?:{names})"')
    return [line for line in out.splitlines() if ": error: " in line and about_a_result.search(line)]


def test_mathcore_type_checks(monkeypatch):
    """mypy over every mathcore module with pyproject's settings (what a plain ``mypy`` in the checkout runs)."""
    from mypy import api

    monkeypatch.chdir(REPO)
    out, err, status = api.run(["--cache-dir", str(MATHCORE_MYPY_CACHE)])
    assert status == 0 and not err.strip(), out + err
    checked = re.search(r"Success: no issues found in (\d+) source files", out)
    modules = [p for p in (REPO / "mathcore").rglob("*.py")]
    assert checked and int(checked.group(1)) == len(modules), out  # every module, not an empty file list


@pytest.mark.slow
def test_scenes_and_tests_read_results_by_their_fields(monkeypatch):
    monkeypatch.chdir(REPO)  # pyproject's [tool.mypy]: Python 3.11, torch and friends not followed
    assert result_errors(list(READERS)) == []


@pytest.mark.slow
def test_a_misspelt_field_or_a_key_read_is_reported(monkeypatch, tmp_path):
    """The check above can fail: a typo and a dict-style read of a result, in a scene-like method."""
    monkeypatch.chdir(REPO)
    scene = tmp_path / "misread.py"
    scene.write_text("from mathcore import gd, race\n"
            "class Scene:\n"
            "    def setup(self):\n"
            "        self.result = gd.from_config(None)\n"
            "        self.race = race.race(None)\n"
            "    def beat(self):\n"
            "        return self.result.runz, self.race['entrants']\n")
    errors = result_errors([str(scene)])
    assert any('"GdResult" has no attribute "runz"' in e for e in errors), errors
    assert any('"RaceResult" is not indexable' in e for e in errors), errors
