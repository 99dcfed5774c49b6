"""The base of mathcore's results: a frozen dataclass whose fields are the keys of the JSON a command prints."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

_OPTIONAL = "optional"


def optional() -> Any:
    """A field that may be absent (None): then it is left out of ``to_dict()``, as the CLI leaves it out."""
    return field(default=None, metadata={_OPTIONAL: True})


@dataclass(frozen=True)
class Result:
    def to_dict(self) -> dict[str, Any]:
        """The JSON ``mathcore <command> --json`` prints: the fields in their order (an absent optional one left
        out); values are the same objects, not copies."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if not (f.metadata.get(_OPTIONAL) and getattr(self, f.name) is None)}

    # result["runs"] reads result.runs, while scene modules still index results by key (they move to attributes)
    def __getitem__(self, key: str) -> Any:
        present = self.to_dict()
        if key not in present:
            raise KeyError(key)
        return present[key]

    def __contains__(self, key: object) -> bool:
        return key in self.to_dict()
