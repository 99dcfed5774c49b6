"""Every change this project makes to manim's internals, in one place, each for a measured reason.

- :func:`drop_svg_paths`: glyphs forget their parsed SVG path once their points are built.
- :func:`fast_copies`: a mobject's copy and family list without Python's generic deep copy.
- :func:`parsed_texts_kept`: a ``Text`` is parsed from its SVG once per process, as a formula is.
- :func:`lock_caches`: TeX compilation, text rendering (and its clean-up) and SVG parsing of one file under a file lock.
- :func:`preloaded_tex_preamble`: latex starts with the formulas' preamble already loaded.
- :func:`keep_parsed_svgs`: parsed SVGs (TeX, text) kept on disk, not parsed again by the next render.
- :data:`ENCODING` and :func:`short_encoder_lookahead`: a bounded encoder queue, libx264's look-ahead
  (and its AVX2 code on an AVX-512 CPU, whose AVX-512 code gave different bytes for the same frames).
- :func:`no_subcaption_file`: a still or a dry run writes no ``.srt``.
- :func:`sound_in_step`: a scene video's AAC sound keeps its encoder delay, so it is not 21 ms late.

A lecture scene installs the four its pictures and sound need when it is made (:func:`for_scenes`); the
render worker installs the rest. Importing this module, or a scene's, changes nothing in manim.

Each one is tested (tests/render/test_manim_patches.py) against the manim version below only;
installing any of them under another version stops with one line (:class:`UntestedManim`).
It is a scene-layer module (``scenes/base.py`` needs the first), so the pipeline may use it and
it imports nothing from the pipeline.
"""
from __future__ import annotations

import copy
import fcntl
import functools
import hashlib
import pickle
import threading
from contextlib import contextmanager
from pathlib import Path

from mathcore.output import atomic_path

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


#: Held while a patch checks whether it is in and installs itself: a Dask worker may start two renders at once,
#: and a patch installed twice wraps itself (two ``-fmt`` flags, a lock taken twice in one thread).
_installing = threading.RLock()


def _one_at_a_time(install):
    @functools.wraps(install)
    def run(*args, **kwargs):
        with _installing:
            return install(*args, **kwargs)

    return run


def _mark(fn, name: str):
    setattr(fn, name, True)
    return fn


def for_scenes() -> None:
    """What every lecture scene needs, however it is rendered (``manim render`` too): :func:`drop_svg_paths`,
    :func:`fast_copies`, :func:`parsed_texts_kept` and :func:`sound_in_step` (each installs once per process)."""
    drop_svg_paths()
    fast_copies()
    parsed_texts_kept()
    sound_in_step()


# --- The SVG path drop -------------------------------------------------------------------------

@_one_at_a_time
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


# --- Fast copies ---------------------------------------------------------------------------------

@_one_at_a_time
def parsed_texts_kept() -> None:
    """From now on a ``Text`` goes through manim's SVG cache, as MathTex and MarkupText already do: the first
    Text of a text and style is parsed from its SVG, later ones copy that parse.

    manim leaves the cache off for Text only, as a copy cost more than a parse for its long code listings; the
    lecture's texts are short and the same ones recur (a label, a heading, each render and dry run of a scene,
    every scene of a test worker). Parsing them was a third of a dry run's CPU (566 Texts in one dry run of
    the 19 scenes); with :func:`keep_parsed_svgs` the parse is kept on disk for the next render too. The
    cache key is manim's own (the SVG's file, named by the text and all its style, and the parse settings);
    Text's own work after the parse (its chars, closed paths, scale) is done on each copy as before.
    """
    from manim.mobject.text.text_mobject import Text

    check_manim()
    if getattr(Text.__init__, "_cached", False):
        return
    init = Text.__init__

    @functools.wraps(init)
    def cached_init(self, *args, use_svg_cache: bool = True, **kwargs):
        init(self, *args, use_svg_cache=use_svg_cache, **kwargs)

    Text.__init__ = _mark(cached_init, "_cached")


@_one_at_a_time
def fast_copies() -> None:
    """From now on a mobject copies its numbers, arrays and colours directly, lists its family without
    Python's generic de-duplication, and a VMobject finds where its subpaths break in one array operation.

    Every FadeIn, Transform and ``.animate`` copies its mobject, and manim's ``__deepcopy__`` sends each
    attribute through ``copy.deepcopy``: its ManimColors went through pickle's reduce protocol one by one.
    A group of five formulas, axes and a number plane copied in 21 ms before and 8.6 ms now, and listed its
    family in 0.49 ms before and 0.11 ms now. A whole dry run gains less (CPU, the patches undone against on,
    three rounds): BackwardPass 6.7-7.0 s against 5.2-5.6 s with layout_check's one-pass box; ReluTransform
    and HiddenRuleGame within this machine's noise (about 10 %). The copy is the same: arrays are new (an
    object array, or any other type, still goes through ``copy.deepcopy``; arrays come out in C order), an
    array or list two attributes share stays shared, and a plain ManimColor, which manim does not change once
    made (``ManimColor(c)`` already shares ``c``'s values), is shared as a number is (its subclasses, such as
    HSV with its setters, are still copied).
    """
    import enum

    import numpy as np
    from manim.mobject.mobject import Mobject
    from manim.mobject.types.vectorized_mobject import VMobject
    from manim.utils.color.core import ManimColor
    from manim.utils.iterables import remove_list_redundancies

    check_manim()
    if getattr(Mobject.__deepcopy__, "_fast", False):
        return
    atoms = {int, float, bool, str, bytes, complex, type(None), np.float64, np.int64, np.bool_, ManimColor}
    missing = object()

    def is_atom(kind: type) -> bool:
        if kind in atoms or issubclass(kind, enum.Enum):  # enum members copy as themselves too
            atoms.add(kind)
            return True
        return False

    def deepcopy(self, memo: dict):
        result = self.__class__.__new__(self.__class__)
        memo[id(self)] = result
        fields = result.__dict__
        for key, value in self.__dict__.items():
            kind = type(value)
            if is_atom(kind):
                fields[key] = value
            elif (kind is np.ndarray and not value.dtype.hasobject) or (
                    kind is list and all(is_atom(type(x)) for x in value)):
                shared = memo.get(id(value), missing)
                if shared is missing:
                    shared = memo[id(value)] = value.copy()
                fields[key] = shared
            else:
                fields[key] = copy.deepcopy(value, memo)
        result.original_id = str(id(self))
        return result

    def get_family(self, recurse: bool = True) -> list:
        if not self.submobjects:
            return [self]
        family = [self]
        for sub in self.submobjects:
            family.extend(sub.get_family())
        # manim keeps each mobject's last place; a family without repeats (nearly all) is already that
        return family if len(set(family)) == len(family) else remove_list_redundancies(family)

    def get_subpaths_from_points(self, points):
        # manim asks np.allclose about each pair of neighbouring curves' ends, one call each (60 µs), most of a
        # Transform's alignment; its own vectorised split (what its camera uses) is the same test at once
        step = self.n_points_per_cubic_curve
        return [points[a:b] for a, b in self.get_subpath_split_indices_from_points(points) if b - a >= step]

    Mobject.__deepcopy__ = _mark(functools.wraps(Mobject.__deepcopy__)(deepcopy), "_fast")
    Mobject.get_family = functools.wraps(Mobject.get_family)(get_family)
    VMobject.get_subpaths_from_points = functools.wraps(VMobject.get_subpaths_from_points)(get_subpaths_from_points)


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


#: Lock files per cache folder: a formula, text or SVG file takes the one its name hashes to, so two
#: workers typeset different formulas at once (one lock for all made ForwardPass and BackwardPass
#: take turns at every new formula of a ``[chain] x`` edit) and the same one never at once.
STRIPES = 16


def stripe(key: str, folder: Path | str) -> Path:
    """The lock file that guards the cache files of ``key`` (a formula, a text, an SVG file's resolved path)
    in ``folder``, the cache folder those files are in: ``<its parent>/.cache-locks/<its name>.<stripe>``,
    by its resolved path. Named by the cache folder, not the media folder: two media folders that share one
    cache (a link, or a worker reused for another media folder) must take the same lock, or both write one
    text's SVG at once (an empty file, a ParseError). Not inside it: manim's TeX clean-up deletes every file
    there but .svg and .tex when ``no_latex_cleanup`` is off (a plain ``manim render``)."""
    n = int(hashlib.sha256(key.encode()).hexdigest(), 16) % STRIPES
    cache = Path(folder).resolve()
    return cache.parent / ".cache-locks" / f"{cache.name}.{n:x}"


def _parsed_lock(svg) -> Path:
    """The lock of the SVG file an ``SVGMobject`` parses, by its resolved path (a link to the cache and the
    cache itself are one file); an SVG without a file takes one in the media folder."""
    from manim import config

    if not svg.file_name:
        return stripe("", config.media_dir)
    path = svg.get_file_path().resolve()
    return stripe(str(path), path.parent)


@_one_at_a_time
def lock_caches() -> None:
    """Serialise manim's TeX compilation, text rendering and SVG parsing of one file across processes.

    Two processes compiling one formula into one ``media/Tex`` folder race; manim also writes each
    parsed SVG to a fixed ``<hash>_.svg`` beside the cached one and deletes it after parsing, so two
    workers building the same MathTex at once lost the file (seen in the bench: ForwardPass and
    BackwardPass both typesetting the edited x). A text's SVG is written and cleaned up in one hold
    (:func:`text_svg_in_one_go`). The lock is :func:`stripe` of the formula in the TeX folder, or of the SVG
    file's resolved path in its folder.
    """
    from manim.mobject.svg import svg_mobject
    from manim.mobject.text import tex_mobject, text_mobject

    check_manim()
    if getattr(tex_mobject.tex_to_svg_file, "_locked", False):
        return

    from manim import config

    def wrap(fn, lock_of):
        def run_locked(*args, **kwargs):  # none of the three calls another, so the locks never nest
            with locked(lock_of(*args)):
                return fn(*args, **kwargs)

        return _mark(run_locked, "_locked")

    tex_mobject.tex_to_svg_file = wrap(tex_mobject.tex_to_svg_file,
                                       lambda expression, *_: stripe(str(expression), config.get_dir("tex_dir")))
    for cls in (text_mobject.Text, text_mobject.MarkupText):
        cls._text2svg = _mark(text_svg_in_one_go(cls._text2svg), "_locked")
    text_mobject.PangoUtils = CleanedInTheLock
    svg_mobject.SVGMobject.generate_mobject = wrap(svg_mobject.SVGMobject.generate_mobject, _parsed_lock)


def text_svg_in_one_go(text2svg):
    """``Text._text2svg`` that writes the text's SVG and runs manim's clean-up of it (``remove_last_M``)
    under the lock of the file's path (the one its parse takes), the clean-up on a copy that then
    replaces the file.

    manim rewrote the file in place after the lock: another process making the same text read it
    empty or cut (12-15 texts of 30 in tests/render/test_manim_patches.py), and could write that back.
    It also leaves no cache file behind when pango fails: pango creates the SVG file before it fails on
    the text (a control character), and manim takes any existing file as the text's picture, so the
    next render would draw nothing there and succeed.
    """
    import shutil

    from manim import config
    from manimpango import PangoUtils

    @functools.wraps(text2svg)
    def run(self, color, *args, **kwargs):
        svg = (config.get_dir("text_dir") / f"{self._text2hash(color)}.svg").resolve()
        with locked(stripe(str(svg), svg.parent)):  # manim parses it by this path, under this lock
            existed = svg.exists()
            try:
                made = text2svg(self, color, *args, **kwargs)
            except BaseException:
                if not existed:
                    svg.unlink(missing_ok=True)
                raise
            with atomic_path(made) as tmp:  # idempotent, so a file an older run left is fine too
                shutil.copyfile(made, tmp)
                PangoUtils.remove_last_M(str(tmp))
            return made

    return run


class CleanedInTheLock:
    """What ``text_mobject`` calls ``PangoUtils``: its ``remove_last_M`` after ``_text2svg`` does nothing,
    as :func:`text_svg_in_one_go` did it."""

    @staticmethod
    def remove_last_M(file_name: str) -> None:
        return None


# --- The preloaded TeX preamble ------------------------------------------------------------------

#: Where preloaded formats live: beside the TeX cache folder, not in it (manim's clean-up unlinks everything
#: there but .svg and .tex, and would fail on a folder).
FORMATS = ".tex-formats"
#: Preambles whose format could not be built (no mylatexformat, a TeX error): compiled as manim does.
_no_format: set[str] = set()
#: Formats checked in this process (built, or their inputs unchanged): by preamble key.
_ready: dict[str, Path] = {}


@functools.cache
def _tex_build() -> str:
    """Which TeX typesets the formulas: the ``latex`` binary (a format loads only in the TeX that dumped it)."""
    import shutil

    found = shutil.which("latex")
    binary = Path(found).resolve().stat() if found else None
    return f"{binary.st_size}:{binary.st_mtime_ns}" if binary else ""


def _preamble(tex_file: Path) -> tuple[str, str] | None:
    """``tex_file``'s preamble and the key of its format, or None for a file with no document."""
    head, begins, _ = Path(tex_file).read_text(encoding="utf-8").partition("\\begin{document}")
    return (head, hashlib.sha256(f"{_tex_build()}\0{head}".encode()).hexdigest()[:16]) if begins else None


def _unchanged(inputs: Path) -> bool:
    """Whether every file a format was built from (latex.fmt, the classes and packages: TeX's ``-recorder``
    list) is as it was then; a TeX update since changes one of them."""
    import json
    import os

    try:
        recorded = json.loads(inputs.read_text(encoding="utf-8"))
        return bool(recorded) and all(
            (stat.st_size, stat.st_mtime_ns) == (size, mtime)
            for path, size, mtime in recorded for stat in [os.stat(path)])
    except (OSError, ValueError, TypeError):
        return False


def _build_format(head: str, key: str, fmt: Path) -> bool:
    """Dump ``head`` into ``fmt`` (mylatexformat), with the list of the files it read beside it."""
    import json
    import os
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(dir=fmt.parent) as tmp:
        (Path(tmp) / "preamble.tex").write_text(head + "\\begin{document}\\end{document}\n", encoding="utf-8")
        built = subprocess.run(["etex", "-ini", "-recorder", "-interaction=batchmode", f"-jobname={key}", "&latex",
                                "mylatexformat.ltx", "preamble.tex"], cwd=tmp, capture_output=True, check=False,
                               timeout=120)
        made, record = Path(tmp) / f"{key}.fmt", Path(tmp) / f"{key}.fls"
        if built.returncode != 0 or not made.exists() or not record.exists():
            return False
        read = sorted({line[6:] for line in record.read_text(encoding="utf-8", errors="replace").splitlines()
                       if line.startswith("INPUT ") and line[6:].startswith("/")})
        files = [[path, (st := os.stat(path)).st_size, st.st_mtime_ns] for path in read]
        with atomic_path(fmt.with_suffix(".inputs")) as listed:
            listed.write_text(json.dumps(files), encoding="utf-8")
        os.replace(made, fmt)  # whole, or not there
    return True


def _preamble_format(tex_file: Path) -> Path | None:
    """The ``latex`` format with ``tex_file``'s preamble already loaded (``-fmt`` takes it without its
    ``.fmt``): built once per preamble and TeX under a lock, built again when a file it was built from has
    changed, or None where it cannot be built (then the formula is typeset as manim does)."""
    import subprocess

    found = _preamble(tex_file)
    if found is None or found[1] in _no_format or not _tex_build():
        return None
    head, key = found
    fmt = tex_file.resolve().parent.parent / FORMATS / f"{key}.fmt"
    if _ready.get(key) == fmt:
        return fmt.with_suffix("")
    try:
        with locked(fmt.parent / f"{key}.lock"):
            if not (fmt.exists() and _unchanged(fmt.with_suffix(".inputs"))) and not _build_format(head, key, fmt):
                _no_format.add(key)
                return None
    except (OSError, ValueError, subprocess.SubprocessError):  # a read-only or full disk, a hung build
        _no_format.add(key)
        return None
    _ready[key] = fmt
    return fmt.with_suffix("")


def _give_up_format(tex_file: Path) -> None:
    """The format failed where TeX alone did not: not again in this process, and built anew by the next."""
    found = _preamble(tex_file)
    if found is None:
        return
    _no_format.add(found[1])
    if (fmt := _ready.pop(found[1], None)) is not None:
        with locked(fmt.parent / f"{found[1]}.lock"):
            fmt.with_suffix(".inputs").unlink(missing_ok=True)


@_one_at_a_time
def preloaded_tex_preamble() -> None:
    """Compile each formula with ``latex`` started from a format that has its preamble (document class,
    babel, amsmath) loaded already, as TeX's mylatexformat makes it, instead of reading the preamble again.

    A test run or a first render typesets about 1300 formulas; latex took 0.22 s of CPU for one and takes
    0.11 s now (dvisvgm's 0.14 s is unchanged), and manim draws the same glyphs from the SVG. A formula whose
    compilation fails with the format is compiled again as manim does, so a TeX error reads as manim's.
    """
    from manim.utils import tex_file_writing as tex

    check_manim()
    if getattr(tex.compile_tex, "_preloaded", False):
        return
    command, compile_tex, report = tex.make_tex_compilation_command, tex.compile_tex, tex.print_all_tex_errors
    attempt = threading.local()  # per thread: a Dask worker may render two scenes at once

    @functools.wraps(command)
    def with_format(tex_compiler, output_format, tex_file, tex_dir):
        cmd = command(tex_compiler, output_format, tex_file, tex_dir)
        preloaded = getattr(attempt, "preloaded", False) and tex_compiler == "latex"
        try:
            fmt = _preamble_format(Path(tex_file)) if preloaded else None
        except (OSError, ValueError):  # the .tex unreadable: manim's own compile says why
            fmt = None
        return cmd[:1] + [f"-fmt={fmt}"] + cmd[1:] if fmt else cmd

    @functools.wraps(report)
    def report_plain_errors(*args):
        if not getattr(attempt, "preloaded", False):
            report(*args)

    @functools.wraps(compile_tex)
    def compile_preloaded(tex_file, tex_compiler, output_format):
        attempt.preloaded = True
        try:
            return compile_tex(tex_file, tex_compiler, output_format)
        except ValueError:  # again as manim does, which reports the error
            Path(tex_file).with_suffix(output_format).unlink(missing_ok=True)
        finally:
            attempt.preloaded = False
        result = compile_tex(tex_file, tex_compiler, output_format)
        _give_up_format(Path(tex_file))
        return result

    tex.make_tex_compilation_command, tex.print_all_tex_errors = with_format, report_plain_errors
    tex.compile_tex = _mark(compile_preloaded, "_preloaded")


# --- The parsed-SVG cache ------------------------------------------------------------------------

#: The parsed SVGs' folder in a media folder (beside manim's ``Tex`` and ``texts``).
PARSED_SVGS = "parsed_svg"
#: Whether parsed SVGs are kept (in the media folder manim writes its caches to at the time).
_parsed_svgs: dict = {"on": False}


@_one_at_a_time
def keep_parsed_svgs() -> None:
    """Keep every parsed SVG (the mobject manim builds from a TeX or text SVG) in ``<media>/parsed_svg``.

    manim keeps parsed SVGs in memory only, so each render parsed every formula and text again,
    about 50 ms each, under the cache lock (BackwardPass: 46 of them, 2.4 s of an 11.8 s render,
    while a ``[chain] x`` edit changes 6). A kept one is keyed by the SVG file's content and
    manim's own cache key without the file's name, so an edited SVG file is parsed again.
    """
    from manim import config
    from manim.mobject.svg import svg_mobject

    check_manim()
    _parsed_svgs["on"] = True
    if getattr(svg_mobject.SVGMobject.init_svg_mobject, "_kept", False):
        return
    init = svg_mobject.SVGMobject.init_svg_mobject

    @functools.wraps(init)
    def init_svg_mobject(self, use_svg_cache: bool):
        if not use_svg_cache or not _parsed_svgs["on"]:
            return init(self, use_svg_cache)
        memory_key = svg_mobject.hash_obj(self.hash_seed)  # per process (Python's string hashes are salted)
        if memory_key in svg_mobject.SVG_HASH_TO_MOB_MAP:
            return init(self, use_svg_cache)
        try:
            kept = Path(config.media_dir).resolve() / PARSED_SVGS / f"{_svg_key(self)}.pickle"
        except (OSError, ValueError):  # no file to key by
            return init(self, use_svg_cache)
        try:
            svg_mobject.SVG_HASH_TO_MOB_MAP[memory_key] = pickle.loads(kept.read_bytes())
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):  # not kept, or unreadable
            result = init(self, use_svg_cache)
            with atomic_path(kept) as tmp:  # another worker may write the same one
                tmp.write_bytes(pickle.dumps(svg_mobject.SVG_HASH_TO_MOB_MAP[memory_key]))
            return result
        return init(self, use_svg_cache)  # manim takes it from its memory cache

    svg_mobject.SVGMobject.init_svg_mobject = _mark(init_svg_mobject, "_kept")


def _svg_key(mob) -> str:
    """A parsed SVG's disk key: its file's content, how manim parses it, and manim's version."""
    from manim import config

    content = Path(mob.get_file_path()).read_bytes()
    how = repr((type(mob).__name__, mob.svg_default, mob.path_string_config, config.renderer, TESTED_MANIM))
    return hashlib.sha256(how.encode() + b"\0" + content).hexdigest()[:32]


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
#: On a CPU with AVX-512, libx264's AVX-512 macroblock-tree code reads uninitialised memory on
#: 854-pixel-wide frames (-ql): the same frames gave different bytes in each process, so a build
#: re-exported clips of scenes nothing changed in (tests/render/test_encoder_determinism.py). Its
#: AVX2 code gives the same bytes every time, in the same time and size. Only where AVX-512 is there:
#: libx264 trusts this list and would run AVX2 code on a CPU without it.
NO_AVX512 = "asm=AVX2"
#: manim encodes with libx264's default preset (medium). On the lecture's flat colours veryfast gives
#: the same size and quality (BackwardPass at -ql: 479 vs 481 kB, 48.2 vs 48.9 dB PSNR) for 57 % of
#: the encoding time (1.9 vs 3.4 s of CPU, a third of the scene's render on two busy cores).
X264_PRESET = "veryfast"


def x264_params() -> str:
    """``X264_PARAMS``, plus ``NO_AVX512`` on a CPU that has AVX-512."""
    try:
        avx512 = " avx512f" in Path("/proc/cpuinfo").read_text()
    except OSError:
        avx512 = False
    return f"{X264_PARAMS}:{NO_AVX512}" if avx512 else X264_PARAMS


@_one_at_a_time
def short_encoder_lookahead() -> None:
    """Give every libx264 partial movie manim opens ``X264_PRESET`` and ``x264_params()`` (once per process).

    manim has no setting for encoder options; the codec opens at the first frame, so options set
    on the stream right after manim adds it still apply.
    """
    from manim.scene import scene_file_writer

    check_manim()
    opener = scene_file_writer.SceneFileWriter.open_partial_movie_stream
    if getattr(opener, "_short_lookahead", False):
        return

    params = x264_params()

    def open_stream(self, *args, **kwargs):
        opener(self, *args, **kwargs)
        codec = self._current_encode_job.stream.codec_context
        if codec.name == "libx264":
            codec.options = {**codec.options, "preset": X264_PRESET, "x264-params": params}

    scene_file_writer.SceneFileWriter.open_partial_movie_stream = _mark(open_stream, "_short_lookahead")


# --- The sound track ------------------------------------------------------------------------------

@_one_at_a_time
def sound_in_step() -> None:
    """Convert a scene's sound to AAC inside an MP4 container rather than a bare ADTS stream (once per process).

    The AAC encoder puts 1024 samples of priming before the sound. An MP4 records them (its first packet
    is at -1024, an edit list), and players skip them; manim's bare ``.aac`` file drops that, so its
    packets were muxed from 0 and every word in a scene video played 21 ms late (at 48 kHz; measured
    in tests/render/test_manim_patches.py). manim reads the file back by its content, not its name.
    """
    from manim.scene import scene_file_writer

    check_manim()
    convert = scene_file_writer.convert_audio
    if getattr(convert, "_in_step", False):
        return

    def convert_audio(input_path, output_path, codec_name):
        if codec_name != "aac":
            return convert(input_path, output_path, codec_name)
        import av

        with av.open(input_path) as source, av.open(output_path, "w", format="mp4") as target:
            stream = target.add_stream(codec_name)
            for frame in source.decode(source.streams.audio[0]):
                target.mux(stream.encode(frame))
            target.mux(stream.encode(None))

    convert_audio.__wrapped__ = convert  # manim's own (its tests compare the two)
    scene_file_writer.convert_audio = _mark(convert_audio, "_in_step")


# --- The subcaption writer -----------------------------------------------------------------------

def no_subcaption_file(file_writer) -> None:
    """This scene's writer writes no ``.srt``: a still or a dry run has no video, and manim would
    write the captions beside an empty output name."""
    check_manim()
    file_writer.write_subcaption_file = lambda: None
