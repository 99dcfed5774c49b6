"""Input stamps of ``lecture build``'s output steps: a step whose inputs did not change is not redone.

A step (the joined lecture, a scene's video copy, the deck, a scene's clips, the index page)
has a key: the digests of the files it reads, the options that reach it, and its code version
(the source of its module and every project module it imports, plus the libraries that write
the files). ``out/.stamps.json`` keeps, per step, the key it was last made with and the size and
mtime of what it wrote; a step is fresh when its key is the same and its outputs are as it left
them (a deleted or edited output is made again).
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path

from mathcore.closure import file_digest, json_digest
from scenes.pipeline.atomic import write_text

FILE_NAME = ".stamps.json"
#: Libraries whose version changes what a step writes.
LIBRARIES = ("av", "manim-slides", "python-pptx", "srt", "pillow")


def _stat(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def code_version(*modules: str) -> dict[str, str]:
    """Digests of ``modules``' sources and of every project module they import, with the library versions."""
    from scenes.pipeline import deps

    code: dict[str, str] = {}
    for module in modules:
        code |= deps.code_digests(module)
    return code | {lib: _library_version(lib) for lib in LIBRARIES}


def _library_version(name: str) -> str:
    try:
        return version(name)
    except Exception:  # not installed: the step does not use it
        return ""


class Stamps:
    """The stamps of one output folder (read once, written once at the end of a build if they changed)."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.path = self.out / FILE_NAME
        try:
            self.saved = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.saved = {}
        self.steps: dict[str, dict] = dict(self.saved.get("steps", {}))
        self.files: dict[str, list] = dict(self.saved.get("files", {}))  # path -> [size, mtime_ns, digest]
        self.used: set[str] = set()

    def digest(self, path: Path | None) -> str | None:
        """A file's content digest; re-read only if its size or mtime changed since the last build."""
        if path is None:
            return None
        path = Path(path).resolve()
        stat = _stat(path)
        if stat is None:
            return None
        self.used.add(str(path))
        known = self.files.get(str(path))
        if known and known[:2] == stat:
            return known[2]
        value = file_digest(path)
        self.files[str(path)] = [*stat, value]
        return value

    def key(self, files: Iterable[Path | None] = (), options=None, code: dict | None = None) -> str:
        """One digest of the files a step reads (in order), its options and its code version."""
        parts = {"files": [[str(f), self.digest(f)] for f in files], "options": options, "code": code or {}}
        return json_digest(parts)

    def fresh(self, step: str, key: str) -> dict | None:
        """The data recorded with ``step`` if it was made with ``key`` and its outputs are untouched, else None."""
        entry = self.steps.get(step)
        if not entry or entry["key"] != key:
            return None
        if any(_stat(self.out / rel) != stat for rel, stat in entry["outputs"].items()):
            return None
        return entry["data"]

    def record(self, step: str, key: str, outputs: Iterable[Path], **data) -> None:
        """``step`` was made with ``key`` and wrote ``outputs`` (files under the output folder)."""
        written = {}
        for path in outputs:
            rel = os.path.relpath(Path(path), self.out)
            written[rel] = _stat(Path(path))
        self.steps[step] = {"key": key, "outputs": written, "data": data}

    def step(self, name: str, key: str, make: Callable[[], tuple[Iterable[Path], dict]]) -> dict:
        """Step ``name``'s data: as recorded if it is fresh with ``key``, else from ``make()``, then recorded.

        ``make`` writes the step's files and returns them with the data a later build gets back instead of
        making them again; that data goes through JSON on both paths, so a caller sees the same types either way.
        """
        if (kept := self.fresh(name, key)) is not None:
            return kept
        outputs, data = make()
        data = json.loads(json.dumps(data))
        self.record(name, key, outputs, **data)
        return data

    def save(self) -> None:
        """Write the stamps if anything changed (a build that redid nothing rewrites nothing)."""
        now = {"steps": self.steps, "files": {p: v for p, v in self.files.items() if p in self.used}}
        if now != self.saved:
            write_text(self.path, json.dumps(now, indent=1))  # key order kept: steps hand back what they stored
            self.saved = json.loads(json.dumps(now))


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` unless it already holds exactly that; True if it wrote."""
    try:
        if Path(path).read_text(encoding="utf-8") == text:
            return False
    except OSError:
        pass
    write_text(path, text)
    return True
