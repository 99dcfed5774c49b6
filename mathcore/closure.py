"""What a module's results depend on in code: the module and every project module it imports, transitively.

Read from the source (``ast``), imports inside functions included, so nothing has to run.
Parameterised by the packages that count as the project: mathcore's cache follows only
``mathcore``; the renderer (scenes.pipeline.deps) follows ``scenes`` and ``mathcore``.
Standard library only.
"""
from __future__ import annotations

import ast
import functools
import hashlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@functools.cache
def _package_dir(top: str) -> Path | None:
    # The finders find_spec would ask (an editable install's finder too), minus its look in sys.modules,
    # which raises ValueError for a module a test replaced there without a __spec__. Imports nothing.
    for finder in sys.meta_path:
        find = getattr(finder, "find_spec", None)
        spec = find(top, None) if find else None
        if spec is not None:
            break
    return Path(spec.origin).parent if spec and spec.origin and spec.origin.endswith("__init__.py") else None


def module_file(name: str, packages: tuple[str, ...]) -> Path | None:
    """The source file of a project module (a package's ``__init__.py``), or None outside ``packages``.

    Found by path, not by ``find_spec`` of the dotted name, which would import every parent
    package (``scenes.base.LectureScene`` would import ``scenes.base``, so manim)."""
    top, *rest = name.split(".")
    if top not in packages or (base := _package_dir(top)) is None:
        return None
    for candidate in (base.joinpath(*rest).with_suffix(".py") if rest else None, base.joinpath(*rest, "__init__.py")):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def file_digest(path: Path) -> str:
    """sha256 of a source file's bytes (short)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@functools.cache
def _imports_of(path: Path, stamp: int, package: str, packages: tuple[str, ...]) -> frozenset[str]:
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
    return frozenset(m for m in found if module_file(m, packages))


def imports_of(path: Path, package: str, packages: tuple[str, ...]) -> frozenset[str]:
    """Project modules named by the imports in ``path`` (``package``: the module's package, for relative imports).
    Parsed once per version of the file (its modification time is part of the memo's key)."""
    return _imports_of(path, path.stat().st_mtime_ns, package, packages)


def closure(module: str, packages: tuple[str, ...]) -> list[str]:
    """``module`` and every module of ``packages`` it imports, directly or not, sorted."""
    seen, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name in seen or (path := module_file(name, packages)) is None:
            continue
        seen.add(name)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        todo.extend(imports_of(path, package, packages))
    return sorted(seen)


def code_digests(module: str, packages: tuple[str, ...], root: Path = REPO) -> dict[str, str]:
    """{file relative to ``root``: digest of its bytes} for ``module``'s closure."""
    out = {}
    for name in closure(module, packages):
        path = module_file(name, packages)
        out[path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)] = file_digest(path)
    return out
