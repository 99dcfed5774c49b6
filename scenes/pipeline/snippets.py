"""Snippets that put one clip in an HTML deck (reveal.js, Quarto, Marp) or a LaTeX/Beamer deck.

Each is written beside its clip (``clips/<Scene>/NN-beats.html`` / ``.tex``). Paths in a snippet
are relative to the snippet's folder, or start with ``base`` (the clip folder as the deck sees it).
"""
from __future__ import annotations

import html
import re
from datetime import timedelta
from pathlib import Path

from mathcore.errors import ConfigError
from scenes.pipeline.atomic import write_text
from scenes.pipeline.embed import Clip, ClipIndex, built, cues, poster
from scenes.pipeline.transcript import write_vtt

KINDS = {"html": ".html", "latex": ".tex"}
#: <source> elements, in the browser's order of preference (mov is QuickTime RLE: no browser plays it).
HTML_VIDEO = {"webm": "video/webm", "mp4": "video/mp4"}


def captions_file(clip: Clip, index: ClipIndex) -> Path:
    """The clip's WebVTT captions: the build's ``NN-beats.vtt`` if it wrote one, else ``NN-beats.captions.vtt``."""
    built = clip.files.get("vtt") or index.folder / f"{clip.name}.vtt"
    if built.exists():
        return built
    own = index.folder / f"{clip.name}.captions.vtt"
    write_vtt([(timedelta(seconds=a), timedelta(seconds=b), text) for a, b, text in cues(clip, index)], own)
    return own


def _href(path: Path, index: ClipIndex, base: str | None) -> str:
    return f"{base.rstrip('/')}/{path.relative_to(index.folder).as_posix()}" if base else path.name


def html_snippet(clip: Clip, index: ClipIndex, base: str | None = None) -> str:
    """A ``<video>`` with the clip's poster, its web formats and a captions track."""
    a = lambda p: html.escape(_href(p, index, base), quote=True)  # noqa: E731
    sources = "".join(f'  <source src="{a(clip.files[f])}" type="{t}">\n'
                      for f, t in HTML_VIDEO.items() if f in clip.files)
    if not sources:
        clip.video("mp4")  # a clear error: no web format was built
    return (f'<video controls preload="metadata" poster="{a(poster(clip, "mp4", index.folder / clip.scene))}" '
            f'width="{clip.width}" height="{clip.height}" style="max-width:100%;height:auto" '
            f'title="{html.escape(clip.name, quote=True)}">\n{sources}'
            f'  <track kind="captions" src="{a(captions_file(clip, index))}" srclang="en" label="English" default>\n'
            "</video>\n")


#: What TeX would read as markup in a path of a LaTeX snippet, and a line break (it would end the comment line).
LATEX_MARKUP = re.compile(r"[\\{}%#&^$~\x00-\x1f\x7f]")


def check_latex(text: str, source: str, key: str) -> None:
    """Refuse ``text`` in a LaTeX snippet if TeX would read part of it as markup (paths cannot be escaped there)."""
    if LATEX_MARKUP.search(text):
        raise ConfigError(source, key, "a path LaTeX reads as written: none of \\ { } % # & ^ $ ~ nor a line break",
                          text)


def latex_snippet(clip: Clip, index: ClipIndex, base: str | None = None, fmt: str = "mp4") -> str:
    """The clip's last frame, linked to the clip's file (a click plays it in the PDF viewer's video player)."""
    video = _href(clip.video(fmt), index, base)
    target = video if "://" in video else f"run:{video}"  # a local file: a launch link, opened by the system's player
    picture = _href(poster(clip, fmt, index.folder / clip.scene), index, base)
    return (f"% {clip.name} ({clip.duration:.1f} s): click the picture to play the clip. "
            "Needs graphicx and hyperref (Beamer loads both).\n"
            f"\\href{{{target}}}{{\\includegraphics[width=\\linewidth]{{{picture}}}}}%\n")


def write(index: ClipIndex, kinds: list[str], base: str | None = None,
          fmt: str = "mp4") -> list[tuple[Clip, list[Path]]]:
    """One snippet per clip and kind, beside the clip; returns what was written.

    Every clip's files (and, for LaTeX, ``base`` and the clips' names) are checked first: a missing one
    stops the command before any snippet is written.
    """
    if "latex" in kinds:
        check_latex(base or "", "lecture embed", "--base")
        for clip in index.clips:
            for text in (clip.name, *(p.relative_to(index.folder).as_posix() for p in clip.files.values())):
                check_latex(text, index.path, "a clip's name or file")
    for clip in index.clips:
        web = [clip.files[f] for f in HTML_VIDEO if f in clip.files] or [clip.video("mp4")]
        for path in [*(web if "html" in kinds else []), *([clip.video(fmt)] if "latex" in kinds else [])]:
            built(index, clip, path)
    written = []
    for clip in index.clips:
        files = []
        for kind in kinds:
            text = html_snippet(clip, index, base) if kind == "html" else latex_snippet(clip, index, base, fmt)
            files.append(write_text(index.folder / f"{clip.name}{KINDS[kind]}", text))
        written.append((clip, files))
    return written
