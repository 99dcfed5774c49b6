"""What a scene's video depends on in code: its module and every project module it imports, transitively.

Read from the source (``ast``), imports inside functions included, so nothing has to run.
"""
from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("scenes", "mathcore")


def module_file(name: str) -> Path | None:
    """The source file of a project module (a package's ``__init__.py``), or None outside the project."""
    if name.split(".")[0] not in PACKAGES:
        return None
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return Path(spec.origin) if spec and spec.origin and spec.origin.endswith(".py") else None


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


@functools.cache
def imports_of(path: Path, package: str) -> frozenset[str]:
    """Project modules named by the imports in ``path`` (``package``: the module's package, for relative imports)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.update(_parents(alias.name))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.update(_parents(base))
            found.update(f"{base}.{alias.name}" for alias in node.names)  # "from pkg import module"
    return frozenset(m for m in found if m.split(".")[0] in PACKAGES and module_file(m))


def closure(module: str) -> list[str]:
    """``module`` and every project module it imports, directly or not, sorted."""
    seen, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name in seen or (path := module_file(name)) is None:
            continue
        seen.add(name)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        todo.extend(imports_of(path, package))
    return sorted(seen)


def code_digests(module: str) -> dict[str, str]:
    """{file relative to the repo: sha256 of its bytes} for the scene module's closure."""
    out = {}
    for name in closure(module):
        path = module_file(name)
        out[str(path.relative_to(REPO))] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return out
