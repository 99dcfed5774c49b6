"""The patches of manim's internals (scenes/manim_patches.py): each does what it is for, and none
installs under a manim version it was not tested with.

Cache lock: manim parses an SVG through a temporary ``<hash>_.svg`` beside the cached file and
deletes it afterwards, so two workers parsing the same MathTex at once lost the file (seen in a
bench run). Encoder: a short libx264 look-ahead (its buffers were most of a worker's memory at -qh).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from manim import Axes, Dot, MathTex, Mobject, Text, VGroup, VMobject, tempconfig
from manim.mobject.svg import svg_mobject
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.mobject.text import tex_mobject, text_mobject
from manim.scene import scene_file_writer
from manim.utils import tex_file_writing

from scenes import manim_patches

from .common import LECTURE, REPO

SQUARE = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="{w}" height="10"/></svg>'


def _keep_manim_unpatched(monkeypatch):
    """Undo the patches a test installs when it ends (other tests in this process use manim)."""
    monkeypatch.setattr(tex_mobject, "tex_to_svg_file", tex_mobject.tex_to_svg_file)
    for cls in (text_mobject.Text, text_mobject.MarkupText):
        monkeypatch.setattr(cls, "_text2svg", cls._text2svg)
    monkeypatch.setattr(text_mobject, "PangoUtils", text_mobject.PangoUtils)
    monkeypatch.setattr(svg_mobject.SVGMobject, "generate_mobject", svg_mobject.SVGMobject.generate_mobject)
    monkeypatch.setattr(svg_mobject.SVGMobject, "init_svg_mobject", svg_mobject.SVGMobject.init_svg_mobject)
    monkeypatch.setattr(manim_patches, "_parsed_svgs", {"on": False})  # parsed, not taken from an earlier run
    monkeypatch.setattr(svg_mobject, "SVG_HASH_TO_MOB_MAP", {})  # nothing parsed earlier in this process
    monkeypatch.setattr(VMobjectFromSVGPath, "__init__", VMobjectFromSVGPath.__init__)
    monkeypatch.setattr(Text, "__init__", getattr(Text.__init__, "__wrapped__", Text.__init__))
    for name in ("__deepcopy__", "get_family"):
        monkeypatch.setattr(Mobject, name, getattr(Mobject, name))
    monkeypatch.setattr(VMobject, "get_subpaths_from_points", VMobject.get_subpaths_from_points)
    for name in ("compile_tex", "make_tex_compilation_command", "print_all_tex_errors"):
        monkeypatch.setattr(tex_file_writing, name, getattr(tex_file_writing, name))
    monkeypatch.setattr(manim_patches, "_no_format", set())
    monkeypatch.setattr(manim_patches, "_ready", {})
    writer = scene_file_writer.SceneFileWriter
    monkeypatch.setattr(writer, "open_partial_movie_stream", writer.open_partial_movie_stream)
    convert = scene_file_writer.convert_audio  # a lecture scene made earlier in this process installed the patch
    monkeypatch.setattr(scene_file_writer, "convert_audio", getattr(convert, "__wrapped__", convert))


# --- the version guard ---------------------------------------------------------------------------

def test_the_pinned_manim_is_the_tested_one():
    pinned = [line for line in (REPO / "pyproject.toml").read_text().splitlines() if '"manim==' in line]
    assert pinned == [f'    "manim=={manim_patches.TESTED_MANIM}",']
    manim_patches.check_manim()  # the installed one passes


@pytest.mark.parametrize("install", [
    manim_patches.drop_svg_paths,
    manim_patches.fast_copies,
    manim_patches.parsed_texts_kept,
    manim_patches.lock_caches,
    manim_patches.preloaded_tex_preamble,
    manim_patches.keep_parsed_svgs,
    manim_patches.short_encoder_lookahead,
    lambda: manim_patches.no_subcaption_file(object()),
    manim_patches.sound_in_step,
], ids=["svg paths", "fast copies", "parsed texts", "cache lock", "tex preamble", "parsed svgs", "encoder",
        "subcaptions", "sound"])
def test_an_untested_manim_is_refused_in_one_line(monkeypatch, install):
    _keep_manim_unpatched(monkeypatch)
    monkeypatch.setattr(manim_patches, "manim_version", lambda: "0.22.1")
    with pytest.raises(manim_patches.UntestedManim) as err:
        install()
    assert str(err.value) == "manim 0.22.1 is not tested with these patches; install manim==0.21.0"


def test_importing_the_scenes_changes_nothing_in_manim_and_a_scene_patches_what_it_needs(tmp_path):
    """Every scene module imported: manim's SVG path class and sound conversion are still manim's own; making a
    lecture scene installs the four patches it needs."""
    code = (
        "from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath as P\n"
        "from manim.scene import scene_file_writer as w\n"
        "from manim import Mobject as M, Text as T\n"
        "patched = lambda: [(P.__init__, '_drops_path'), (w.convert_audio, '_in_step'), (M.__deepcopy__, '_fast'),\n"
        "                   (T.__init__, '_cached')]\n"
        "from manim import tempconfig\n"
        "from scenes import order\n"
        "scenes = [order.load(name) for name in order.names()]\n"
        "print(*(hasattr(f, n) for f, n in patched()))\n"
        f"with tempconfig({{'media_dir': {str(tmp_path)!r}, 'dry_run': True}}):\n"
        "    scenes[0]()\n"
        "print(*(hasattr(f, n) for f, n in patched()))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[-3:-1] == ["False False False False", "True True True True"], done.stdout


def test_the_lecture_cli_refuses_an_untested_manim_with_one_line_and_exit_2(tmp_path):
    code = ("import sys; from scenes import manim_patches; manim_patches.manim_version = lambda: '0.22.1'; "
            "from scenes.pipeline.cli import main; main(sys.argv[1:])")
    done = subprocess.run([LECTURE[0], "-c", code, "keyframes", "TitleCard", "--out", str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "lecture: error: manim 0.22.1 is not tested with these patches; install manim==0.21.0"]


# --- the SVG path drop ---------------------------------------------------------------------------

def _paths_kept(mobject) -> int:
    return sum(getattr(m, "path_obj", None) is not None for m in mobject.get_family())


def test_glyphs_made_after_the_drop_keep_no_svg_path(monkeypatch, tmp_path):
    _keep_manim_unpatched(monkeypatch)
    monkeypatch.setattr(VMobjectFromSVGPath, "__init__", getattr(VMobjectFromSVGPath.__init__, "__wrapped__",
                                                                 VMobjectFromSVGPath.__init__))
    with tempconfig({"disable_caching": True, "media_dir": str(tmp_path)}):  # manim caches text SVGs there
        before = Text("w1 h0")  # manim as it comes (the drop undone if a scene module installed it)
        manim_patches.drop_svg_paths()
        after, formula = Text("w1 h0"), MathTex(r"\sigma(z_1)")
    assert _paths_kept(before) > 0
    assert _paths_kept(after) == 0 and _paths_kept(formula) == 0
    assert len(after.submobjects) == len(before.submobjects) and after.width == pytest.approx(before.width)


# --- fast copies ---------------------------------------------------------------------------------

def _state(mobject) -> list:
    """Everything a copy must carry over, mobject by mobject: its class, and every attribute but manim's note of
    the original's id (mobjects by their place in the family, arrays and lists by value)."""
    family = mobject.get_family()
    place = {id(m): i for i, m in enumerate(family)}

    def value(v):
        if isinstance(v, Mobject):
            return ("mobject", place.get(id(v)))
        if isinstance(v, np.ndarray):
            return ("array", v.dtype.str, v.shape, v.tolist())
        if isinstance(v, (list, tuple)):
            return (type(v).__name__, [value(x) for x in v])
        if callable(v):
            return ("callable", getattr(v, "__qualname__", type(v).__name__))
        if hasattr(v, "__dict__") and not isinstance(v, type):  # a helper object, such as an axis' scaling
            return (type(v).__name__, sorted((k, value(x)) for k, x in vars(v).items()))
        return repr(v)

    return [(type(m).__name__, sorted((k, value(v)) for k, v in vars(m).items() if k != "original_id"))
            for m in family]


def _unpatched(monkeypatch):
    _keep_manim_unpatched(monkeypatch)
    for cls, name in ((Mobject, "__deepcopy__"), (Mobject, "get_family"), (VMobject, "get_subpaths_from_points")):
        original = getattr(cls, name)
        monkeypatch.setattr(cls, name, getattr(original, "__wrapped__", original))


def test_a_fast_copy_is_the_copy_manim_makes_and_shares_nothing_it_should_not(monkeypatch, tmp_path):
    _unpatched(monkeypatch)
    with tempconfig({"disable_caching": True, "media_dir": str(tmp_path)}):
        dot = Dot()
        group = VGroup(MathTex(r"z_1 = w_1 x"), Axes(x_range=[0, 3], y_range=[0, 2]), dot, dot.copy())
        group.add(VGroup(dot))  # one mobject twice in the family: manim keeps its last place
        group.shared = group[0].points  # an array two attributes hold
        manims_family, manims_copy = group.get_family(), group.copy()
        manim_patches.fast_copies()
        fast_family, fast_copy = group.get_family(), group.copy()
    assert fast_family == manims_family
    assert _state(fast_copy) == _state(manims_copy) == _state(group)
    assert fast_copy.shared is fast_copy[0].points  # still one array
    originals = {id(a) for m in group.get_family() for a in vars(m).values() if isinstance(a, (np.ndarray, list))}
    copied = [a for m in fast_copy.get_family() for a in vars(m).values() if isinstance(a, (np.ndarray, list))]
    assert copied and not [a for a in copied if id(a) in originals]  # no array or list is the original's
    fast_copy[0].shift([1, 0, 0]).set_color("#FF0000")
    assert _state(group) == _state(manims_copy)  # changing the copy left the original as it was


def test_subpaths_break_where_manims_own_test_breaks_them(monkeypatch):
    _unpatched(monkeypatch)
    rng = np.random.default_rng(7)
    curves = rng.normal(size=(40, 4, 3))
    for i in range(1, 40):  # most curves start where the last ended, some a hair away, some far
        gap = (0, 1e-7, 1e-3, 5.0)[i % 4] if i % 3 else 0.0
        curves[i, 0] = curves[i - 1, 3] + gap
    points = curves.reshape(-1, 3)
    points[17] = np.nan  # a NaN end never joins, as in np.allclose
    mobject, cases = VMobject(), (points, points[:5], points[:3], points[:0])
    expected = [mobject.get_subpaths_from_points(p) for p in cases]
    manim_patches.fast_copies()
    found = [mobject.get_subpaths_from_points(p) for p in cases]
    assert 3 < len(expected[0]) < 40 and [len(f) for f in found] == [len(e) for e in expected]
    assert all(np.array_equal(a, b, equal_nan=True) for f, e in zip(found, expected) for a, b in zip(f, e))


# --- parsed texts kept --------------------------------------------------------------------------

TEXTS = [("η = 0.1", {}), ("Cost not decreasing", {"t2c": {"not": "#E69F00"}}), ("w*", {"font_size": 30}),
         ("two\nlines", {"color": "#56B4E9", "weight": "BOLD"})]


def test_a_text_is_parsed_once_and_each_copy_draws_as_manims_own_text(tmp_path, monkeypatch):
    _keep_manim_unpatched(monkeypatch)
    parses = []
    parse = svg_mobject.SVGMobject.generate_mobject

    def counted(self):
        parses.append(self.original_text)
        return parse(self)

    monkeypatch.setattr(svg_mobject.SVGMobject, "generate_mobject", counted)
    with tempconfig({"media_dir": str(tmp_path)}):
        manims = [Text(text, **style) for text, style in TEXTS]
        manim_patches.parsed_texts_kept()
        parses.clear()
        first = [Text(text, **style) for text, style in TEXTS]
        again = [Text(text, **style) for text, style in TEXTS]
        assert parses == [text for text, _ in TEXTS]  # the second round copied the first's parse
        for ours in (first, again):
            assert [_drawn(t) for t in ours] == [_drawn(t) for t in manims]
            assert [(t.text, len(t.chars), t.height) for t in ours] == [(t.text, len(t.chars), t.height)
                                                                        for t in manims]
        other = Text("η = 0.1", color="#D55E00")  # another colour is another SVG: parsed, not the first's
        assert parses[-1] == "η = 0.1" and {d[1] for d in _drawn(other)} == {"#D55E00"}
        again[0].shift([1, 0, 0]).set_color("#FF0000")  # a copy shares no points or colours with the cached parse
        assert _drawn(Text(TEXTS[0][0])) == _drawn(manims[0]) != _drawn(again[0])


# --- the preloaded TeX preamble --------------------------------------------------------------------

FORMULAS = (r"\sigma(z_1) = \frac{1}{1 + e^{-z_1}}", r"\frac{\partial h_3}{\partial w_1} = 0.02")


def _typeset(media: Path) -> list[list]:
    """Each formula's glyphs as manim draws them from the SVG (dvisvgm may list the glyph shapes in another
    order when the fonts were loaded in another order; the picture is what must not change)."""
    with tempconfig({"media_dir": str(media), "no_latex_cleanup": True}):
        svgs = [tex_file_writing.tex_to_svg_file(f, environment="align*") for f in FORMULAS]
        return [[m.points.tolist() for m in svg_mobject.SVGMobject(str(svg), use_svg_cache=False).get_family()]
                for svg in svgs]


def _tex_unpatched(monkeypatch, report=None):
    """manim's own TeX functions (the test session installed the preloaded preamble); ``report``: in place of
    manim's error report."""
    _keep_manim_unpatched(monkeypatch)
    for name in ("compile_tex", "make_tex_compilation_command", "print_all_tex_errors"):
        now = getattr(tex_file_writing, name)
        monkeypatch.setattr(tex_file_writing, name, getattr(now, "__wrapped__", now))
    if report is not None:
        monkeypatch.setattr(tex_file_writing, "print_all_tex_errors", report)


def test_a_formula_typeset_from_the_preloaded_preamble_is_the_same_svg(tmp_path, monkeypatch):
    _tex_unpatched(monkeypatch)
    manims = _typeset(tmp_path / "manim")
    assert not (tmp_path / "manim" / manim_patches.FORMATS).exists()
    manim_patches.preloaded_tex_preamble()
    preloaded = _typeset(tmp_path / "preloaded")
    assert preloaded == manims and all(len(glyphs) > 5 for glyphs in manims)
    formats = list((tmp_path / "preloaded" / manim_patches.FORMATS).glob("*.fmt"))
    assert len(formats) == 1  # one preamble, one format, built once
    logs = list((tmp_path / "preloaded" / "Tex").glob("*.log"))
    assert len(logs) == 2 and all(f"preloaded format={formats[0].stem}" in log.read_text() for log in logs)


def test_a_broken_format_or_a_tex_error_is_typeset_or_reported_as_manim_does(tmp_path, monkeypatch):
    """A format this TeX cannot load (a cut file): the formula is typeset as manim does, that format is not
    tried again in this process and the next one builds it again. A formula TeX cannot typeset: manim's
    error, reported once."""
    reports: list = []
    _tex_unpatched(monkeypatch, report=lambda *args: reports.append(args))
    manims = _typeset(tmp_path / "manim")
    manim_patches.preloaded_tex_preamble()
    _typeset(tmp_path / "media")
    fmt = next((tmp_path / "media" / manim_patches.FORMATS).glob("*.fmt"))
    whole = fmt.read_bytes()
    fmt.write_bytes(whole[:1000])  # cut
    shutil.rmtree(tmp_path / "media" / "Tex")  # typeset again, with the cut format
    assert _typeset(tmp_path / "media") == manims
    assert fmt.stem in manim_patches._no_format and reports == []
    monkeypatch.setattr(manim_patches, "_no_format", set())  # the next process
    monkeypatch.setattr(manim_patches, "_ready", {})
    shutil.rmtree(tmp_path / "media" / "Tex")
    assert _typeset(tmp_path / "media") == manims
    assert fmt.read_bytes() != whole[:1000] and len(fmt.read_bytes()) > 100_000  # built again
    with tempconfig({"media_dir": str(tmp_path / "bad")}), pytest.raises(ValueError, match="latex error"):
        tex_file_writing.tex_to_svg_file(r"\frac{1}{", environment="align*")
    assert len(reports) == 1


def test_a_format_is_built_again_when_a_file_it_was_built_from_changed(tmp_path, monkeypatch):
    """A TeX update changes latex.fmt or a package the preamble loads: the format built before is not used."""
    _tex_unpatched(monkeypatch)
    manim_patches.preloaded_tex_preamble()
    _typeset(tmp_path / "media")
    fmt = next((tmp_path / "media" / manim_patches.FORMATS).glob("*.fmt"))
    inputs = json.loads(fmt.with_suffix(".inputs").read_text())
    assert any(path.endswith("latex.fmt") for path, *_ in inputs) and any(path.endswith("amsmath.sty")
                                                                          for path, *_ in inputs)
    inputs[0][2] += 1  # as if that file were newer
    fmt.with_suffix(".inputs").write_text(json.dumps(inputs))
    os.utime(fmt, ns=(0, 0))
    monkeypatch.setattr(manim_patches, "_ready", {})  # the next process
    shutil.rmtree(tmp_path / "media" / "Tex")
    _typeset(tmp_path / "media")
    assert fmt.stat().st_mtime_ns > 0  # built again
    assert json.loads(fmt.with_suffix(".inputs").read_text())[0][2] == inputs[0][2] - 1


# --- the cache lock ------------------------------------------------------------------------------

@pytest.mark.parametrize("earlier_runs", [0, 1], ids=["first run", "worker reused for a second media folder"])
def test_svg_parsing_waits_for_the_lock_another_worker_holds(tmp_path, monkeypatch, earlier_runs):
    _keep_manim_unpatched(monkeypatch)
    manim_patches.lock_caches()
    media = tmp_path / "media"
    for run in range(earlier_runs):  # a Dask worker outlives one run: the lock follows the file, not the run
        with tempconfig({"media_dir": str(tmp_path / f"earlier-{run}")}):
            manim_patches.stripe("anything", tmp_path / f"earlier-{run}")
    svg = tmp_path / "square.svg"
    svg.write_text(SQUARE.format(w=3 + earlier_runs))  # manim caches parsed SVGs by content and name
    finished: dict = {}

    def parse():
        try:
            finished["mobject"] = svg_mobject.SVGMobject(str(svg))
        finally:
            finished["at"] = time.monotonic()

    with tempconfig({"media_dir": str(media)}):  # the media folder this run writes its caches to
        held = manim_patches.stripe(str(svg.resolve()), svg.parent)
        assert held.parent == tmp_path.resolve().parent / ".cache-locks"
        with manim_patches.locked(held):  # another descriptor, as another process holds it
            worker = threading.Thread(target=parse)
            worker.start()
            worker.join(timeout=1.0)
            released_at = time.monotonic()
        worker.join(timeout=30)
    assert "at" in finished, "parsing never finished after the lock was released"
    assert finished["at"] >= released_at, "the SVG was parsed while another worker held the cache lock"
    assert len(finished["mobject"].submobjects) == 1


def test_a_linked_cache_and_the_cache_itself_take_one_lock_and_manims_clean_up_keeps_it(tmp_path):
    """A render whose media folder links to the suite's cache names a TeX SVG through the link; another process
    names it by its real path: both must take one lock. And manim's TeX clean-up (on outside the pipeline)
    deletes every file of the TeX folder but .svg and .tex: a lock file there would vanish while held."""
    from manim.utils.tex_file_writing import delete_nonsvg_files

    (tmp_path / "cache").mkdir()
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "Tex").symlink_to(tmp_path / "cache", target_is_directory=True)
    (tmp_path / "cache" / "f.svg").write_text(SQUARE.format(w=2))

    def named(path: Path):
        return type("Svg", (), {"file_name": path, "get_file_path": lambda self: path})()

    through_link = manim_patches._parsed_lock(named(tmp_path / "media" / "Tex" / "f.svg"))
    assert through_link == manim_patches._parsed_lock(named(tmp_path / "cache" / "f.svg"))
    with tempconfig({"media_dir": str(tmp_path / "media")}):
        lock = manim_patches.stripe("x^2", tmp_path / "media" / "Tex")
        with manim_patches.locked(lock):
            delete_nonsvg_files()
            assert lock.exists(), "manim's clean-up deleted a held lock file"


def test_another_formula_is_typeset_while_a_worker_holds_one_formulas_lock(tmp_path, monkeypatch):
    """The lock is per file (striped): a worker typesetting one formula does not hold up another's."""
    _keep_manim_unpatched(monkeypatch)
    manim_patches.lock_caches()
    held = tmp_path / "held.svg"
    other = next(tmp_path / f"other{i}.svg" for i in range(100)
                 if manim_patches.stripe(str(tmp_path / f"other{i}.svg"), tmp_path)
                 != manim_patches.stripe(str(held), tmp_path))
    other.write_text(SQUARE.format(w=4))
    finished: dict = {}
    with manim_patches.locked(manim_patches.stripe(str(held), tmp_path)):
        worker = threading.Thread(target=lambda: finished.setdefault("mobject", svg_mobject.SVGMobject(str(other))))
        worker.start()
        worker.join(timeout=30)
        assert "mobject" in finished, "another file's parse waited for a lock it does not need"


# --- the parsed-SVG cache ------------------------------------------------------------------------

def _drawn(mobject) -> list:
    """What a mobject draws: each part's points, fill and stroke."""
    return [(m.points.round(6).tolist(), m.get_fill_color().to_hex(), m.get_fill_opacity(), m.get_stroke_width())
            for m in mobject.family_members_with_points()]


def _forget_parsed(monkeypatch) -> None:
    monkeypatch.setattr(svg_mobject, "SVG_HASH_TO_MOB_MAP", {})  # as in a new process


def test_a_kept_parse_draws_as_a_fresh_one_without_parsing(tmp_path, monkeypatch):
    _keep_manim_unpatched(monkeypatch)
    parts = (r"\frac{\partial h_3}{\partial z_1}", "=", "(0.25)(-0.1)")
    with tempconfig({"media_dir": str(tmp_path)}):
        fresh = MathTex(*parts, font_size=40)  # manim as it comes
        manim_patches.keep_parsed_svgs()
        _forget_parsed(monkeypatch)
        MathTex(*parts, font_size=40)  # parsed and kept
        assert len(list((tmp_path / manim_patches.PARSED_SVGS).glob("*.pickle"))) == 1
        _forget_parsed(monkeypatch)
        monkeypatch.setattr(svg_mobject.SVGMobject, "generate_mobject",
                            lambda self: pytest.fail("parsed again though it was kept"))
        kept = MathTex(*parts, font_size=40)
    assert _drawn(kept) == _drawn(fresh)
    assert [len(p) for p in kept] == [len(p) for p in fresh]  # the same parts (the = is kept[1])


def test_an_edited_svg_file_is_parsed_again(tmp_path, monkeypatch):
    _keep_manim_unpatched(monkeypatch)
    manim_patches.keep_parsed_svgs()
    svg = tmp_path / "card.svg"
    svg.write_text(SQUARE.format(w=3))
    narrow = svg_mobject.SVGMobject(str(svg))
    _forget_parsed(monkeypatch)
    svg.write_text(SQUARE.format(w=7))  # same name, new picture
    wide = svg_mobject.SVGMobject(str(svg))
    assert wide.width == pytest.approx(narrow.width * 7 / 3)


# --- the encoder ---------------------------------------------------------------------------------

def test_every_render_gets_the_bounded_encoder_queue():
    from scenes.pipeline import render

    source = (REPO / "scenes" / "pipeline" / "render.py").read_text()
    assert "**manim_patches.ENCODING" in source and render.manim_patches is manim_patches
    assert manim_patches.ENCODING["max_inflight_encoders"] == 2


@pytest.mark.slow
def test_rendered_video_was_encoded_with_the_short_lookahead(tmp_path):
    media = tmp_path / "media"
    done = subprocess.run([*LECTURE, "render", "TitleCard", "-q", "l", "--jobs", "1", "--media-dir", str(media)],
                          cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    (video,) = media.rglob("TitleCard.mp4")
    # libx264 writes its settings into the stream (an SEI message), and the join copies packets.
    stream = video.read_bytes()
    wanted = manim_patches.X264_PARAMS.replace("rc-lookahead", "rc_lookahead").encode()
    is_x264, has_lookahead = b"x264 - core" in stream, wanted in stream
    assert is_x264, "not a libx264 stream"
    assert has_lookahead, "the video was encoded with libx264's default look-ahead"
    # veryfast's motion search, as x264 records it (medium: subme=7 ref=3)
    assert b" subme=2 " in stream and b" ref=1 " in stream, "the video was encoded with libx264's default preset"


# --- the sound track ----------------------------------------------------------------------------

def _click(path, rate: int, at: float) -> None:
    """A 16-bit mono WAV of one second: silence with a 2 ms click at ``at`` seconds."""
    import wave

    import numpy as np

    samples = np.zeros(rate, np.int16)
    samples[int(at * rate):int(at * rate) + rate // 500] = 20000
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate)
        w.writeframes(samples.tobytes())


def _onset(video, rate: int) -> float:
    """Seconds from the video's start to the first loud sample of its sound, as a player decodes it."""
    import numpy as np

    from .test_voice import audio_of

    return float(np.argmax(np.abs(audio_of(video, rate)) > 0.1) / rate)


@pytest.mark.parametrize("patched", [True, False], ids=["patched", "unpatched (21 ms late)"])
def test_a_sound_plays_in_the_video_when_the_scene_put_it(tmp_path, monkeypatch, patched):
    """A click added at 0.5 s is heard at 0.5 s (to a sample at 48 kHz), not after the AAC encoder's
    1024 samples of priming."""
    from manim import Scene, Square

    _keep_manim_unpatched(monkeypatch)
    if patched:
        manim_patches.sound_in_step()
    rate = 48000
    _click(tmp_path / "click.wav", rate, 0.5)

    class Click(Scene):
        def construct(self):
            self.add(Square())
            self.add_sound(str(tmp_path / "click.wav"))
            self.wait(1.0)

    with tempconfig({"media_dir": str(tmp_path / "media"), "quality": "low_quality", "disable_caching": True,
                     "progress_bar": "none", "verbosity": "WARNING"}):
        scene = Click()
        scene.render()
    late = _onset(scene.renderer.file_writer.movie_file_path, rate) - 0.5
    if patched:
        assert abs(late) <= 1 / rate, late
    else:
        assert late == pytest.approx(1024 / rate, abs=1 / rate)


# --- the subcaption writer -----------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("patched", [True, False], ids=["patched", "unpatched (manim fails)"])
def test_a_still_of_a_captioned_scene_renders_without_a_captions_file(tmp_path, monkeypatch, patched):
    """A still has no video: manim would write the captions beside an empty output name, and fails."""
    from scenes.title import TitleCard

    if not patched:
        monkeypatch.setattr(manim_patches, "no_subcaption_file", lambda writer: None)
    with tempconfig({"media_dir": str(tmp_path), "save_last_frame": True, "quality": "low_quality",
                     "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING"}):
        if patched:
            TitleCard().render()
        else:
            with pytest.raises(ValueError, match="empty name"):
                TitleCard().render()
    assert bool(sorted(tmp_path.rglob("*.png"))) is patched, "the still is written only when the render finishes"
    assert not sorted(tmp_path.rglob("*.srt"))


def test_a_text_pango_fails_on_leaves_no_cache_file_to_draw_nothing_from(tmp_path, monkeypatch):
    """Pango creates the text's SVG, then fails on a control character; manim took the file left behind as
    the text's picture, so a second render of the same text drew nothing and succeeded."""
    _keep_manim_unpatched(monkeypatch)
    manim_patches.lock_caches()
    with tempconfig({"media_dir": str(tmp_path)}):
        for _ in range(2):
            with pytest.raises(ValueError):
                Text("Lee\x00Hwee")
            assert not list(tmp_path.rglob("texts/*.svg")), "a failed text left a cache file"
        assert len(Text("Lee Hwee").submobjects) == 7  # a good text is still cached and drawn
        assert list(tmp_path.rglob("texts/*.svg"))


#: Processes and rounds of the text race: each round every process makes the same new Text at once.
RACERS, ROUNDS = 3, 10


def _make_texts(media: str, start, rounds: int, bad) -> None:
    """One racer: make each round's new Text and count the ones whose parsed SVG lacks glyphs or failed."""
    with tempconfig({"media_dir": media}):
        for n in range(rounds):
            start.wait()
            words = f"race {n} glyphs"
            try:
                glyphs = Text(words).submobjects
                whole = len(glyphs) == len(words.replace(" ", "")) and all(len(g.points) for g in glyphs)
            except Exception:  # an empty or cut SVG fails to parse
                whole = False
            if not whole:
                with bad.get_lock():
                    bad.value += 1


@pytest.mark.parametrize("shared", ["one media folder", "media folders linked to one cache"])
def test_processes_making_the_same_new_text_each_parse_its_whole_svg(tmp_path, monkeypatch, shared):
    """manim writes a text's SVG, then rewrites it in place (``remove_last_M``): another process making the
    same text read it half written, an empty or cut SVG (seen with three test workers). Media folders whose
    ``texts`` link to one folder raced too while the lock files were kept per media folder."""
    _keep_manim_unpatched(monkeypatch)
    manim_patches.lock_caches()
    ctx = multiprocessing.get_context("fork")  # the racers inherit the installed patches
    start, bad = ctx.Barrier(RACERS), ctx.Value("i", 0)
    medias = [tmp_path] * RACERS
    if shared != "one media folder":
        (tmp_path / "cache").mkdir()
        medias = [tmp_path / f"media{k}" for k in range(RACERS)]
        for media in medias:
            media.mkdir()
            (media / "texts").symlink_to(tmp_path / "cache", target_is_directory=True)
    racers = [ctx.Process(target=_make_texts, args=(str(media), start, ROUNDS, bad)) for media in medias]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=120)
    assert [racer.exitcode for racer in racers] == [0] * RACERS
    assert bad.value == 0, f"{bad.value} of {RACERS * ROUNDS} texts parsed from a broken SVG"


def test_the_lock_beside_a_source_image_is_not_left_for_git_to_show():
    """Parsing assets/images/cat.svg takes a lock beside its folder (manim writes a modified copy there), so a
    render or a test run leaves assets/.cache-locks/ in the checkout: git must ignore it, not list it as new."""
    if shutil.which("git") is None or subprocess.run(["git", "-C", str(REPO), "rev-parse", "--is-inside-work-tree"],
                                                     capture_output=True).returncode:
        pytest.skip("not a git checkout: git status has nothing to show")
    images = sorted((REPO / "assets" / "images").glob("*.svg"))
    assert images, "the lecture's assets have no SVG picture to check"
    for svg in images:
        lock = manim_patches.stripe(str(svg.resolve()), svg.resolve().parent)
        assert lock.parent == (REPO / "assets" / ".cache-locks").resolve()
        # the project's .gitignore alone: not a user's global excludes
        ignored = subprocess.run(["git", "-C", str(REPO), "-c", "core.excludesFile=/dev/null", "check-ignore", "-q",
                                  str(lock)], capture_output=True, text=True)
        assert ignored.returncode != 128, ignored.stderr
        assert ignored.returncode == 0, f"{lock.relative_to(REPO.resolve())} would show in git status"
