"""The README's worked example ('Adding a scene') runs as written: its truth test passes, and its scene runs
dry under another config with mathcore's number in its place and no layout or caption problem.

Its files are read from the README's code blocks (each names its path in its first line) and loaded as the
modules they would be; its captions go in a captions.toml beside the test's config, which replaces the shipped one.
"""
from __future__ import annotations

import importlib
import re
import sys
import types
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"

pytestmark = pytest.mark.slow  # a scene's dry run


def example() -> tuple[dict[str, str], str]:
    """The example's Python files by path, and its captions."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Adding a scene"):]
    section = section[:section.index("\n## ")]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, re.S)
    files = {code.split("\n", 1)[0].lstrip("# ").split(":")[0]: code for lang, code in blocks if lang == "python"}
    captions = [code for lang, code in blocks if lang == "toml"]
    assert len(captions) == 1, "the example has one captions table"
    return files, captions[0]


def load(path: str, code: str, monkeypatch) -> types.ModuleType:
    """``code`` as the module ``path`` names (scenes/components/tangent.py: scenes.components.tangent)."""
    name = path.removesuffix(".py").replace("/", ".")
    package, _, leaf = name.rpartition(".")
    module = types.ModuleType(name)
    module.__package__ = package
    monkeypatch.setitem(sys.modules, name, module)
    exec(compile(code, path, "exec"), module.__dict__)
    monkeypatch.setattr(importlib.import_module(package), leaf, module, raising=False)
    return module


def test_the_readme_example_scene_runs_and_passes_its_own_tests(use_config, tmp_path, monkeypatch):
    files, captions = example()
    order = ["mathcore/slope.py", "scenes/components/tangent.py", "scenes/sigmoid_slope.py",
             "tests/mathcore/test_slope.py", "tests/scenes/test_slope_scene.py"]
    assert sorted(files) == sorted(order)
    modules = {path: load(path, files[path], monkeypatch) for path in order}
    modules["tests/mathcore/test_slope.py"].test_the_slope_is_torchs()
    (tmp_path / "captions.toml").write_text(captions)
    modules["tests/scenes/test_slope_scene.py"].test_shows_mathcore_slope_under_another_config(use_config)
