"""The first and last picture of each slide video, kept by the video's content.

The deck shows a slide's last picture as the PPTX poster and the PDF page; decoding them from all
of the lecture's slide videos was most of each conversion's time (the PDF's 3.8 of 4.7 s). After an
edit only the changed scenes' slide videos are new, so each picture is kept as
``<folder>/<content digest>-last.png`` (or ``-first``) and decoded once.
"""
from __future__ import annotations

from collections import deque
from pathlib import Path

import av
from PIL import Image

from mathcore.closure import file_digest
from mathcore.output import atomic_path

FIRST, LAST = "first", "last"


def frame(video: Path, which: str) -> av.VideoFrame:
    """The first or last frame of a video (the last one is decoded through: no seeking can be trusted)."""
    with av.open(str(video)) as source:
        frames = source.decode(source.streams.video[0])
        found = next(frames, None) if which == FIRST else next(iter(deque(frames, 1)), None)
    if found is None:
        raise ValueError(f"{video}: no frames")
    return found


def picture(video: Path, which: str, alpha: bool = False) -> Image.Image:
    """The first or last picture of a video, with its alpha channel if asked."""
    found = frame(video, which)
    return Image.fromarray(found.to_ndarray(format="rgba"), "RGBA") if alpha else found.to_image()


class SlideFrames:
    """Pictures of slide videos under ``folder``, made on first use; :meth:`prune` drops the unused ones.
    One per thread or process (the PPTX's and the PDF's each have their own); files appear atomically."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._digests: dict[Path, str] = {}
        self._used: set[str] = set()

    def png(self, video: Path, which: str) -> Path:
        """The PNG of ``video``'s first or last picture."""
        video = Path(video)
        if video not in self._digests:
            self._digests[video] = file_digest(video, 24)
        path = self.folder / f"{self._digests[video]}-{which}.png"
        self._used.add(path.name)
        if not path.exists():
            with atomic_path(path) as tmp:
                picture(video, which).save(tmp, format="PNG")
        return path

    @property
    def used(self) -> set[str]:
        """The pictures asked for since this object was made."""
        return set(self._used)

    def prune(self, also: set[str] = frozenset()) -> None:
        """Remove the pictures neither this object nor ``also`` (another's :attr:`used`) asked for."""
        for old in self.folder.glob("*.png"):
            if old.name not in self._used | also:
                old.unlink(missing_ok=True)
