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
import json
import os
import sys
import tempfile
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


#: A digest's length in hex digits, one of four: 16 (a file or a config section in a key or a manifest),
#: 20 (a training run's cache file), 24 (a slide picture's or a spoken sentence's cache file), 64 (all of sha256).
DIGEST_LENGTHS = (16, 20, 24, 64)


def _hexdigest(hashed: hashlib._Hash, length: int) -> str:
    if length not in DIGEST_LENGTHS:
        raise ValueError(f"a digest length of {', '.join(map(str, DIGEST_LENGTHS))}, not {length}")
    return hashed.hexdigest()[:length]


def digest(data: bytes | str, length: int = 16) -> str:
    """The project's one hash: sha256 of ``data`` (a string as UTF-8) in ``length`` hex digits."""
    return _hexdigest(hashlib.sha256(data.encode() if isinstance(data, str) else data), length)


def json_digest(value: object, length: int = 16) -> str:
    """``digest`` of ``value`` as JSON with sorted keys (anything not JSON as its str())."""
    return digest(json.dumps(value, sort_keys=True, default=str), length)


def file_digest(path: Path, length: int = 16) -> str:
    """``digest`` of a file's bytes, read a MiB at a time (a video need not fit in memory twice)."""
    hashed = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            hashed.update(block)
    return _hexdigest(hashed, length)


def _type_checking_only(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``): imports a type checker reads and a run never does."""
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _run_time_nodes(tree: ast.AST):
    """``ast.walk`` without the bodies of ``if TYPE_CHECKING:`` blocks (their ``else`` runs, so it is kept)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        if _type_checking_only(node):
            assert isinstance(node, ast.If)
            todo.extend(node.orelse)
        else:
            todo.extend(ast.iter_child_nodes(node))


def _named_imports(path: Path, package: str) -> list[str]:
    """Every module an import in ``path`` names (with its parents), project or not."""
    found: set[str] = set()
    for node in _run_time_nodes(ast.parse(path.read_text(encoding="utf-8"))):
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
    return sorted(found)


#: Parsed imports kept between processes, per file version (size and modification time): parsing the
#: lecture's ~90 modules took 0.47 s of every build, most of a build with nothing to redo.
MEMO_FILE = REPO / ".cache" / "closure-imports.json"
_memo: dict = {"files": None, "changed": False}  # files: "path|package|version" -> [[size, mtime_ns], imports]
PARSE_VERSION = 2  # in each memo key: a change to _named_imports reparses every file (2: TYPE_CHECKING skipped)


def _memo_files() -> dict:
    if _memo["files"] is None:
        try:
            kept = json.loads(MEMO_FILE.read_text())  # an older parser's entries are dropped
            _memo["files"] = {k: v for k, v in kept.items() if k.endswith(f"|{PARSE_VERSION}")}
        except (OSError, ValueError):
            _memo["files"] = {}
    return _memo["files"]


def _save_memo() -> None:
    _memo["changed"] = False
    try:  # a read-only install keeps it in memory
        MEMO_FILE.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=MEMO_FILE.parent, prefix=".closure-")
        with os.fdopen(fd, "w") as fh:
            json.dump(_memo["files"], fh)
        os.replace(tmp, MEMO_FILE)
    except OSError:
        pass


def imports_of(path: Path, package: str, packages: tuple[str, ...]) -> frozenset[str]:
    """Project modules named by the imports in ``path`` (``package``: the module's package, for relative imports).
    Parsed once per version of the file (its size and modification time key the memo)."""
    st = path.stat()
    files, key = _memo_files(), f"{path}|{package}|{PARSE_VERSION}"
    if (kept := files.get(key)) is None or kept[0] != [st.st_size, st.st_mtime_ns]:
        files[key] = kept = [[st.st_size, st.st_mtime_ns], _named_imports(path, package)]
        _memo["changed"] = True
    return frozenset(m for m in kept[1] if module_file(m, packages))  # filtered now: a module may appear later


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
    if _memo["changed"]:
        _save_memo()
    return sorted(seen)


def code_digests(module: str, packages: tuple[str, ...], root: Path = REPO) -> dict[str, str]:
    """{file relative to ``root``: digest of its bytes} for ``module``'s closure."""
    out = {}
    for name in closure(module, packages):
        path = module_file(name, packages)
        assert path is not None  # closure() keeps only modules with a file
        out[path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)] = file_digest(path)
    return out
