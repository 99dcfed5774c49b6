"""Which mathcore field a shown number is: a scene tags each mobject it builds from a result
(``tagged(label, "z[1]")``), so the scene tests check every number in its place, not as a set
(tests/scenes/harness.py). Copies keep the tag; untagged mobjects are untouched.

Field names are the result's attribute and index, 0-based as in the result: ``z[0]`` is z_1.
"""
from __future__ import annotations

FIELD = "mathcore_field"  # the attribute the harness reads


def tagged(mobject, field: str):
    """``mobject``, noted as showing mathcore's ``field``."""
    setattr(mobject, FIELD, field)
    return mobject


def field_of(mobject) -> str | None:
    return getattr(mobject, FIELD, None)
