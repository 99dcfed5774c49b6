"""The base of mathcore's results: a frozen dataclass whose fields are the keys of the JSON a command prints.

Read a result by attribute (``result.runs``): a misspelt field is a type error, not a KeyError at render time.
A result has no ``result["runs"]``; ``to_dict()`` is the JSON, for the CLI and the pages.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

_OPTIONAL = "optional"


def optional() -> Any:
    """A field that may be absent (None): then it is left out of ``to_dict()``, as the CLI leaves it out."""
    return field(default=None, metadata={_OPTIONAL: True})


def _plain(value: Any) -> Any:
    """A field's value for the JSON: a result nested in it (alone, in a list or as a dict's value) as its dict."""
    if isinstance(value, Result):
        return value.to_dict()
    if isinstance(value, list) and any(isinstance(v, Result) for v in value):
        return [_plain(v) for v in value]
    if isinstance(value, dict) and any(isinstance(v, Result) for v in value.values()):
        return {k: _plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Result:
    def to_dict(self) -> dict[str, Any]:
        """The JSON ``mathcore <command> --json`` prints: the fields in their order (an absent optional one left
        out); values are the same objects, not copies, but for a nested result, which becomes its own dict."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)
                if not (f.metadata.get(_OPTIONAL) and getattr(self, f.name) is None)}
