"""Write a file under a temporary name and rename it, so nothing half-written carries a final name."""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def writing(path: Path):
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on failure it goes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.partial{path.suffix}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> Path:
    with writing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def copy(src: Path, dst: Path) -> Path:
    with writing(dst) as tmp:
        shutil.copyfile(src, tmp)
    return Path(dst)


def replace_dir(src_tmp: Path, dst: Path) -> None:
    """Put a finished folder in place of ``dst`` (the old one is removed only once the new one is complete)."""
    old = dst.with_name(f".{dst.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if dst.exists():
        os.replace(dst, old)
    os.replace(src_tmp, dst)
    shutil.rmtree(old, ignore_errors=True)
