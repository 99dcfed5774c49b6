"""What a scene's video depends on in code: its module and every project module it imports, transitively.

The closure reader is mathcore's (mathcore.closure, which its cache uses too); here it follows both packages.
"""
from __future__ import annotations

from mathcore import closure

PACKAGES = ("scenes", "mathcore")


def code_digests(module: str) -> dict[str, str]:
    """{file relative to the repo: sha256 of its bytes} for the scene module's closure."""
    return closure.code_digests(module, PACKAGES)
