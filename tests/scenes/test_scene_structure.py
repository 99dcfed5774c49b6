"""House rules for scene code: construct() reads as a table of contents, scenes stay thin."""
from __future__ import annotations

import ast
import inspect
import textwrap

import pytest

from scenes import captions, order
from scenes.base import LectureScene


@pytest.mark.parametrize("name", order.names())
def test_construct_is_a_list_of_beats(name):
    cls = order.load(name)
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls.construct)))
    body = tree.body[0].body
    beats = []
    for stmt in body:
        assert isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call), ast.unparse(stmt)
        func = stmt.value.func
        is_own = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self"
        assert is_own, ast.unparse(stmt)
        assert not stmt.value.args and not stmt.value.keywords, ast.unparse(stmt)
        if func.attr != "next_slide":
            beats.append(func.attr)
    assert beats, "construct() calls no beat"
    # construct() calls exactly the beats the scene declares (@beat), each once
    assert sorted(beats) == sorted(captions.beats_of(cls)), "construct() must call each @beat method, and only those"
    for beat in beats:
        doc = inspect.getdoc(getattr(cls, beat))
        assert doc and "\n" not in doc.strip(), f"{name}.{beat} needs a one-line docstring"


@pytest.mark.parametrize("name", order.names())
def test_scenes_inherit_only_from_lecture_scene(name):
    cls = order.load(name)
    assert cls.__bases__ == (LectureScene,)


@pytest.mark.parametrize("module", sorted({m for m, _ in order.LECTURE}))
def test_scene_modules_stay_short_and_never_import_torch(module):
    import importlib

    source = inspect.getsource(importlib.import_module(module))
    # 400 lines of code; a beat's @beat line declares it and is not counted
    assert len([line for line in source.splitlines() if line.strip() != "@beat"]) <= 400
    assert "import torch" not in source
