"""What the render pipeline tests share."""
from __future__ import annotations

import os
import shutil
import signal
import sys
from pathlib import Path

import av
import numpy as np
from rich.console import Console

from tests.conftest import SUITE_MEDIA

REPO = Path(__file__).resolve().parents[2]
LECTURE = [sys.executable, "-m", "scenes"]
QUIET = Console(file=open(os.devnull, "w"))


def frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(c.streams.video[0])]


def write_config(folder: Path, text: str) -> Path:
    """A config folder: ``lecture.toml`` with ``text`` and the shipped captions beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lecture.toml").write_text(text)
    shutil.copy(REPO / "assets" / "captions.toml", folder / "captions.toml")
    return folder / "lecture.toml"


def default_sigint() -> None:
    """``preexec_fn`` for a child that must stop on Ctrl-C wherever pytest runs: a job started in the
    background inherits SIGINT ignored, and Python then never installs its KeyboardInterrupt handler."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def media_folder(folder: Path) -> Path:
    """A ``--media-dir`` for a test's render that keeps manim's LaTeX, text and parsed-SVG caches in the suite's
    (``SUITE_MEDIA``, where the dry runs keep theirs): a fresh folder compiles every formula again, half of a
    small scene's render. The render's own files (videos, slides, manifests, logs) stay in ``folder``; the
    caches are shared safely as render workers share them (scenes/manim_patches.py: lock_caches)."""
    folder.mkdir(parents=True, exist_ok=True)
    for cache in ("Tex", "texts", "parsed_svg"):
        shared = SUITE_MEDIA / cache
        shared.mkdir(parents=True, exist_ok=True)
        (folder / cache).symlink_to(shared, target_is_directory=True)
    return folder
