"""One build at a time per output folder: a lock file in it, held (``fcntl.flock``) for the whole build.

Two builds into one folder would rename each other's temporary files away. The kernel names the
holder's process id in ``/proc/locks``, so the one that waits can say who it waits for without
the holder writing anything (a build that changes nothing leaves the folder untouched); the
kernel drops the lock when the holder exits, however it exits.
"""
from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

FILE_NAME = ".build.lock"


class FolderBusy(Exception):
    """Another build holds the folder (and we were asked not to wait)."""


def holder(lock_file: Path) -> str:
    """The process id holding a flock on ``lock_file``, from ``/proc/locks`` ("unknown" if it cannot tell)."""
    try:
        inode = os.stat(lock_file).st_ino
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return "unknown"
    for line in lines:  # "1: FLOCK  ADVISORY  WRITE 4242 08:01:123456 0 EOF"
        fields = line.split()
        if "FLOCK" in fields and len(fields) > 5 and fields[5].rsplit(":", 1)[-1] == str(inode):
            return fields[4]
    return "unknown"


@contextmanager
def hold(folder: Path, wait: bool = True, say: Callable[[str], None] = print, name: str = FILE_NAME,
         doing: str = "writing to") -> Iterator[None]:
    """Hold ``folder``'s lock ``name``; if another build has it, ``say`` one line, then wait (or raise FolderBusy).
    Each use has its own lock file (the output folder's, a media folder's), so one build may hold both even
    when they are one folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lock_file = folder / name
    with open(lock_file, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            line = f"another build (process {holder(lock_file)}) is {doing} {folder}"
            if not wait:
                raise FolderBusy(line) from None
            say(line + "; waiting for it to finish")
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
