"""Whole files and folders put in place only when complete (files through mathcore.output.atomic_path)."""
from __future__ import annotations

import os
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
