"""The slides a scene's ``construct()`` lays out, read from its source: the tests' own account of a scene's
beats and pauses, to check what the scene records and declares (``@beat``) against."""
from __future__ import annotations

import ast
import inspect
import textwrap


def slides_in_construct(cls: type) -> list[list[str]]:
    """The beat names of each slide, in order: ``construct()``'s calls split at ``next_slide()``."""
    owner = next(c for c in cls.__mro__ if "construct" in c.__dict__)  # test harnesses subclass scenes
    tree = ast.parse(textwrap.dedent(inspect.getsource(owner.construct)))
    slides: list[list[str]] = [[]]
    for stmt in tree.body[0].body:
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        func = getattr(call, "func", None)
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self"):
            continue
        if func.attr == "next_slide":
            slides.append([])
        else:
            slides[-1].append(func.attr)
    return [s for s in slides if s]
