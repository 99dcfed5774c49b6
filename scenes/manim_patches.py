"""Every change this project makes to manim's internals, in one place, each for a measured reason.

- :func:`drop_svg_paths`: glyphs forget their parsed SVG path once their points are built.
- :func:`lock_caches`: TeX compilation, text rendering and SVG parsing under one file lock.
- :data:`ENCODING` and :func:`short_encoder_lookahead`: a bounded encoder queue, libx264's look-ahead.
- :func:`no_subcaption_file`: a still or a dry run writes no ``.srt``.

Each one is tested (tests/render/test_manim_patches.py) against the manim version below only;
installing any of them under another version stops with one line (:class:`UntestedManim`).
It is a scene-layer module (``scenes/base.py`` needs the first), so the pipeline may use it and
it imports nothing from the pipeline.
"""
from __future__ import annotations

import fcntl
import functools
from contextlib import contextmanager
from pathlib import Path

#: The manim version these patches are written and tested for (pinned in pyproject.toml).
TESTED_MANIM = "0.21.0"


class UntestedManim(RuntimeError):
    """manim is not the version the patches were tested with."""


def manim_version() -> str:
    from importlib.metadata import version

    return version("manim")  # without importing manim (a command that renders nothing need not load it)


def check_manim() -> None:
    """Refuse, in one line, a manim these patches were not tested with."""
    found = manim_version()
    if found != TESTED_MANIM:
        raise UntestedManim(f"manim {found} is not tested with these patches; install manim=={TESTED_MANIM}")


def _mark(fn, name: str):
    setattr(fn, name, True)
    return fn


# --- The SVG path drop -------------------------------------------------------------------------

def drop_svg_paths() -> None:
    """From now on, every SVG path mobject forgets its svgelements path once its points are built.

    manim reads a glyph's ``path_obj`` only while building its points, but every FadeIn,
    Transform or ``.animate`` deep-copies it: a line of text copied 9x slower with it (0.06 s
    against 0.007 s), and copies were most of a text-heavy scene's render time.
    """
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    check_manim()
    if getattr(VMobjectFromSVGPath.__init__, "_drops_path", False):
        return
    build = VMobjectFromSVGPath.__init__

    @functools.wraps(build)
    def init(self, *args, **kwargs):
        build(self, *args, **kwargs)
        self.path_obj = None

    VMobjectFromSVGPath.__init__ = _mark(init, "_drops_path")


# --- The cache lock ------------------------------------------------------------------------------

@contextmanager
def locked(lock_file: Path):
    """Hold an exclusive ``flock`` on ``lock_file`` (shared by every process that opens it)."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


#: The lock file of the media folder this process renders into now (a Dask worker outlives one run).
_cache_lock: dict = {"path": None}


def lock_caches(lock_file: Path) -> None:
    """Serialise manim's TeX compilation, text rendering and SVG parsing across processes on ``lock_file``.

    Two processes compiling into one ``media/Tex`` folder race; manim also writes each parsed SVG
    to a fixed ``<hash>_.svg`` beside the cached one and deletes it after parsing, so two workers
    building the same MathTex at once lost the file (seen in the bench: ForwardPass and
    BackwardPass both typesetting the edited x).
    """
    from manim.mobject.svg import svg_mobject
    from manim.mobject.text import tex_mobject, text_mobject

    check_manim()
    _cache_lock["path"] = Path(lock_file)
    if getattr(tex_mobject.tex_to_svg_file, "_locked", False):
        return

    def wrap(fn):
        def run_locked(*args, **kwargs):  # none of the three calls another, so the lock never nests
            with locked(_cache_lock["path"]):
                return fn(*args, **kwargs)

        return _mark(run_locked, "_locked")

    tex_mobject.tex_to_svg_file = wrap(tex_mobject.tex_to_svg_file)
    for cls in (text_mobject.Text, text_mobject.MarkupText):
        cls._text2svg = wrap(cls._text2svg)
    svg_mobject.SVGMobject.generate_mobject = wrap(svg_mobject.SVGMobject.generate_mobject)


# --- The encoder queue ---------------------------------------------------------------------------

#: manim settings of every render. With one encoder in flight manim queues frames without bound
#: and a worker grew past 1.8 GB at -qh (frames waiting for libx264); two in flight use a bounded
#: queue, overlap encoding with drawing and took AdamOptimizer at -qh from 70.7 s, 1844 MB to
#: 59.2 s, 1229 MB. manim's own per-animation cache is off: the manifests decide per scene, and
#: hashing every play call cost GradientDescentUpdate 6 s of 71.
ENCODING = {"max_inflight_encoders": 2, "disable_caching": True}

#: libx264's look-ahead (40 frames by default) held ~370 MB per 1080p encoder: LocalMinima at -qh
#: peaked at 1320-1637 MB with it and at 945-963 MB with 10 frames, in the same time, its frames
#: 40-47 dB PSNR from the default's (flat colours need little look-ahead).
X264_PARAMS = "rc-lookahead=10"


def short_encoder_lookahead() -> None:
    """Give every libx264 partial movie manim opens ``X264_PARAMS`` (once per process).

    manim has no setting for encoder options; the codec opens at the first frame, so options set
    on the stream right after manim adds it still apply.
    """
    from manim.scene import scene_file_writer

    check_manim()
    opener = scene_file_writer.SceneFileWriter.open_partial_movie_stream
    if getattr(opener, "_short_lookahead", False):
        return

    def open_stream(self, *args, **kwargs):
        opener(self, *args, **kwargs)
        codec = self._current_encode_job.stream.codec_context
        if codec.name == "libx264":
            codec.options = {**codec.options, "x264-params": X264_PARAMS}

    scene_file_writer.SceneFileWriter.open_partial_movie_stream = _mark(open_stream, "_short_lookahead")


# --- The subcaption writer -----------------------------------------------------------------------

def no_subcaption_file(file_writer) -> None:
    """This scene's writer writes no ``.srt``: a still or a dry run has no video, and manim would
    write the captions beside an empty output name."""
    check_manim()
    file_writer.write_subcaption_file = lambda: None
