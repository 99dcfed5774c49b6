"""Whole files and folders put in place only when complete (files through mathcore.output.atomic_path)."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from mathcore.output import atomic_write


def write_text(path: Path, text: str) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def copy(src: Path, dst: Path) -> Path:
    return atomic_write(dst, lambda tmp: shutil.copyfile(src, tmp))


def replace_dir(src_tmp: Path, dst: Path) -> None:
    """Put a finished folder in place of ``dst`` (the old one is removed only once the new one is complete)."""
    old = dst.with_name(f".{dst.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if dst.exists():
        os.replace(dst, old)
    os.replace(src_tmp, dst)
    shutil.rmtree(old, ignore_errors=True)


#: What a writer killed mid-write leaves (never renamed into place): ``mathcore.output.atomic_path``'s temporary
#: files (mkstemp: ``.<stem>-<8 characters><suffix>``; a dotfile's, as ``.source``, starts ``..``), and the folders
#: of ``replace_dir`` and the deck.
TEMPORARY_FILE = re.compile(r"\..+-[a-z0-9_]{8}\.\w+|\.\..+-[a-z0-9_]{8}")
TEMPORARY_DIR = re.compile(r"\..+\.(partial|old)")


def sweep(folders: list[Path]) -> list[Path]:
    """Remove the leftovers of a killed writer from ``folders`` (not below them); only for the holder of
    their lock, as another writer's are live. What it removed."""
    removed = []
    for folder in folders:
        try:
            entries = list(Path(folder).iterdir())
        except OSError:  # not made yet
            continue
        for entry in entries:
            if entry.is_dir() and not entry.is_symlink() and TEMPORARY_DIR.fullmatch(entry.name):
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.is_file() and TEMPORARY_FILE.fullmatch(entry.name):
                entry.unlink(missing_ok=True)
            else:
                continue
            removed.append(entry)
    return removed
