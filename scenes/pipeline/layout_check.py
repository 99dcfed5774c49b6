"""A layout linter over what manim has already laid out: no rendering needed.

It looks at every piece of text on screen (Text, MathTex, Tex and their kin) and
reports text outside the frame, text overlapping other text, and text too small
to read at 480p; and at the pictures: the rules of README "Rules every picture keeps"
(curves fill their plots, trajectories can be seen, one colour per named thing,
readable inside the frame, nothing covers what the slide is about, axes can be read,
the frame is used). What the types cannot tell it, ``scenes.components.roles`` tags say.
Tests run it at every pause of every scene.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from manim import (
    Arrow,
    Axes,
    DecimalNumber,
    Dot,
    Group,
    ImageMobject,
    Line,
    MathTex,
    Mobject,
    ParametricFunction,
    SingleStringMathTex,
    SVGMobject,
    Tex,
    Text,
    ThreeDAxes,
    VGroup,
    VMobject,
    config,
)
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.mobject.text.tex_mobject import MathTexPart
from manim.mobject.text.text_mobject import MarkupText, Paragraph
from scipy.spatial import cKDTree

from mathcore import config as lecture_config
from scenes import theme
from scenes.components import roles

TEXT_TYPES = (Text, MarkupText, Paragraph, SingleStringMathTex, MathTex, Tex, MathTexPart)
#: Overlaps thinner than this (manim units) are glyph bounding boxes kissing, not text over text.
TOLERANCE = 0.02  # manim units


@dataclass(frozen=True)
class Problem:
    kind: str  # outside, overlap, small, edge, raw, format, flat, hidden, covered, still, colour, covers,
    # overlay, axis, ticks, scale, bars, frame, spelling
    what: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.what}"


def describe(m: Mobject) -> str:
    text = getattr(m, "text", None) or getattr(m, "tex_string", None) or type(m).__name__
    return repr(text if len(text) < 50 else text[:47] + "...")


def visible(m: Mobject) -> bool:
    family = m.family_members_with_points()
    return any(
        (sub.get_fill_opacity() > 0.05 or sub.get_stroke_opacity() > 0.05) for sub in family
    ) if family else False


def text_mobjects(mobjects) -> list[Mobject]:
    """Every visible text mobject, not descending into a text's own glyphs."""
    found: list[Mobject] = []

    def walk(m: Mobject) -> None:
        if isinstance(m, TEXT_TYPES):
            if visible(m):
                found.append(m)
            return
        for sub in m.submobjects:
            walk(sub)

    for m in mobjects:
        walk(m)
    return found


def _box(m: Mobject) -> tuple[float, float, float, float]:
    """``m``'s lower-left and upper-right corners as manim's ``get_corner`` finds them, from one pass over its
    points (two ``get_corner`` calls walked the family twice: a third of a text-heavy dry run's checks)."""
    points = m.get_points_defining_boundary()
    if len(points) == 0:
        return 0.0, 0.0, 0.0, 0.0
    (x0, y0), (x1, y1) = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
    return float(x0), float(y0), float(x1), float(y1)


def check(mobjects, title: str | None = None) -> list[Problem]:
    """Problems in the current layout of ``mobjects`` (a scene's ``mobjects``): text outside the frame or
    over text, and every picture rule (``check_pictures``). ``title``: the config's, spelled as the lecturer
    wants (default: the current config's)."""
    if title is None:
        title = lecture_config.load().lecture.title
    return check_texts(mobjects) + check_pictures(mobjects, title)


def check_texts(mobjects) -> list[Problem]:
    """Text outside the frame, text over text."""
    texts = text_mobjects(mobjects)
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    problems: list[Problem] = []
    boxes = [_box(m) for m in texts]
    for m, (x0, y0, x1, y1) in zip(texts, boxes):
        if x0 < -half_w - TOLERANCE or x1 > half_w + TOLERANCE or y0 < -half_h - TOLERANCE or y1 > half_h + TOLERANCE:
            problems.append(Problem("outside", f"{describe(m)} spans x {x0:.2f}..{x1:.2f}, y {y0:.2f}..{y1:.2f}"))
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = boxes[i], boxes[j]
            dx = min(a[2], b[2]) - max(a[0], b[0])
            dy = min(a[3], b[3]) - max(a[1], b[1])
            if dx > TOLERANCE and dy > TOLERANCE:
                problems.append(Problem("overlap",
                                        f"{describe(texts[i])} and {describe(texts[j])} ({dx:.2f} x {dy:.2f})"))
    return problems


# ---------------------------------------------------------------------------------------------
# The pictures (README "Rules every picture keeps"). Each rule is a function of the laid-out
# mobjects that returns problems; ``check`` runs them all.

#: Rendered sizes are judged at 480p: 8 frame units are 480 pixels.
PX_PER_UNIT = 480 / 8
#: Rule 5: the height of a capital or digit, in pixels at 480p.
MIN_GLYPH_PX = 14.0
#: Rule 5: content keeps this far from every edge of the frame (manim units).
EDGE_MARGIN = 0.25
#: Rule 5: a number this large is written in scientific notation or words.
MAX_RAW = 1e6
#: Rule 2: a subject curve spans at least this share of its axes' height.
MIN_CURVE_SPAN = 0.25
#: Rule 3: a path lies under other series if this share of it is within SERIES_TOL of them.
HIDDEN_SHARE = 0.9
SERIES_TOL = 0.05  # manim units: about the width of a plotted line at 480p
STROKE_UNIT = theme.STROKE_UNIT
#: Rule 3: a path shorter than this (units) "barely moves" and must carry a label saying so.
BARELY_MOVES = 0.3
#: Rule 7: a text naming an axis lies within this distance of the axis line (units).
NAME_REACH = 0.9
TICK_REACH = 0.6
#: Rule 8: share of the frame (a 32 x 18 grid of cells) the content's pieces must touch; a half of the
#: frame touched on under EMPTY_HALF of its cells is empty, and then the content must touch HALF_EMPTY_USE.
MIN_FRAME_USE = 0.15
EMPTY_HALF = 0.05
HALF_EMPTY_USE = 0.35
#: On-screen words the lecture spells one way (the config's title is the lecturer's and exempt).
SPELLING = {"gradient descend": "gradient descent", "its a cat": "it's a cat"}

LETTER = re.compile(r"[A-Za-z\u0370-\u03ff]")
SCIENTIFIC_TEX = re.compile(r"\\times\s*10\^|\\cdot\s*10\^")
RAW_E = re.compile(r"\d(?:\.\d+)?e[-+]?\d+", re.IGNORECASE)
FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")
_CAP = {}


def cap_px(m: Mobject) -> float | None:
    """The rendered height of a capital or digit of ``m``, in pixels at 480p (manim's font_size already
    follows any scaling; the cap height per point differs between Pango's DejaVu and LaTeX's fonts)."""
    size = getattr(m, "font_size", None)
    if size is None:
        return None
    key = Text if isinstance(m, (Text, MarkupText, Paragraph)) else MathTex
    if key not in _CAP:  # measured once: a capital H at font size 100
        probe = Text("H", font=theme.FONT, font_size=100) if key is Text else MathTex(r"\mathrm{H}", font_size=100)
        _CAP[key] = probe.height * PX_PER_UNIT / 100
    return size * _CAP[key]


def _plain(m: Mobject) -> str:
    return getattr(m, "tex_string", None) or getattr(m, "original_text", None) or getattr(m, "text", "") or ""


def _opacity(sub: Mobject) -> float:
    if isinstance(sub, ImageMobject):
        return 1.0 if sub.get_family()[0].pixel_array[..., 3].max() > 12 else 0.0
    if not isinstance(sub, VMobject):  # trackers and other invisible helpers
        return 0.0
    stroke = sub.get_stroke_opacity() if sub.get_stroke_width() > 0 else 0.0
    return max(stroke, sub.get_fill_opacity())


def _shown(m: Mobject) -> bool:
    return any(_opacity(s) > 0.05 for s in m.get_family() if s.has_points() or isinstance(s, ImageMobject))


def _ordered(mobjects) -> list[Mobject]:
    """Every family member in drawing order (manim draws families in order, then by z_index)."""
    seen, out = set(), []
    for m in mobjects:
        for sub in m.get_family():
            if id(sub) not in seen:
                seen.add(id(sub))
                out.append(sub)
    return sorted(out, key=lambda s: s.z_index)  # stable


def _inside(points: np.ndarray, box, shrink: float = 0.0) -> np.ndarray:
    x0, y0, x1, y1 = box
    return ((points[:, 0] > x0 + shrink) & (points[:, 0] < x1 - shrink)
            & (points[:, 1] > y0 + shrink) & (points[:, 1] < y1 - shrink))


def samples(m: Mobject, step: float = 0.04) -> np.ndarray:
    """Points along every curve of ``m``'s family, about ``step`` apart (Bezier pieces evaluated)."""
    out = []
    for sub in m.family_members_with_points():
        pts = sub.points
        n = len(pts) // 4
        if n == 0:
            continue
        p = pts[: 4 * n].reshape(n, 4, 3)
        length = np.linalg.norm(np.diff(p, axis=1), axis=2).sum(axis=1)
        k = int(min(max(2, np.ceil(length.max() / step) + 1), 64))
        t = np.linspace(0, 1, k)[None, :, None]
        curve = ((1 - t) ** 3 * p[:, None, 0] + 3 * (1 - t) ** 2 * t * p[:, None, 1]
                 + 3 * (1 - t) * t ** 2 * p[:, None, 2] + t ** 3 * p[:, None, 3])
        out.append(curve.reshape(-1, 3))
    return np.concatenate(out) if out else np.zeros((0, 3))


def _near(a: np.ndarray, b: np.ndarray, tol: float) -> np.ndarray:
    """For each point of ``a``: is a point of ``b`` within ``tol``? (A k-d tree of ``b``: every pair's distance
    was a third of a dry run of the race scenes, whose paths have thousands of samples.)"""
    if len(b) == 0 or len(a) == 0:
        return np.zeros(len(a), bool)
    distance, _ = cKDTree(b[:, :2]).query(a[:, :2], distance_upper_bound=tol)
    return distance < tol


@dataclass
class Layout:
    """The pieces of one picture the rules look at, in drawing order."""

    order: dict[int, int]
    texts: list[Mobject]
    text_family: set[int]
    axes: list[Mobject]
    axes_family: set[int]
    curves: list[Mobject]
    paths: list[Mobject]
    dots: list[Mobject]
    overlays: list[Mobject]
    tagged: list[Mobject]
    content: list[Mobject]
    order_members: list[Mobject]

    def later(self, a: Mobject, b: Mobject) -> bool:
        """Is ``b`` drawn after (over) ``a``?"""
        return self.order.get(id(b), -1) > self.order.get(id(a), -1)


def survey(mobjects) -> Layout:
    ordered = [m for m in _ordered(mobjects)]
    order = {id(m): i for i, m in enumerate(ordered)}
    texts = text_mobjects(mobjects)
    text_family = {id(s) for t in texts for s in t.get_family()}
    # axes drawn, and axes kept invisible as a coordinate system under shown curves (their frame is drawn apart)
    under = {id(r["axes"].target) for m in ordered if (r := roles.role(m)).get("axes") and _shown(m)}
    axes = [m for m in ordered if isinstance(m, Axes) and (_shown(m) or id(m) in under)]
    axes_family = {id(s) for a in axes for s in a.get_family()}
    curves, paths, dots, overlays, tagged = [], [], [], [], []
    for m in ordered:
        r = roles.role(m)
        if r:
            tagged.append(m)
        if id(m) in text_family:
            continue
        if not _shown(m):
            continue
        if r.get("path"):
            paths.append(m)
        elif (isinstance(m, ParametricFunction) and id(m) not in axes_family) or r.get("curve"):
            curves.append(m)
        elif isinstance(m, Dot):
            dots.append(m)
        elif isinstance(m, ImageMobject) or (isinstance(m, SVGMobject) and not isinstance(m, TEXT_TYPES)):
            overlays.append(m)
    return Layout(order, texts, text_family, axes, axes_family, curves, paths, dots, overlays, tagged,
                  content_pieces(mobjects), ordered)


def content_pieces(mobjects) -> list[Mobject]:
    """What the viewer sees as separate pieces: texts, axes, pictures and the leaves of plain groups."""
    pieces: list[Mobject] = []

    def walk(m: Mobject) -> None:
        if not _shown(m):
            return
        if type(m) in (VGroup, Group, VMobject) and m.submobjects and not m.has_points():
            for sub in m.submobjects:
                walk(sub)
            return
        pieces.append(m)

    for m in mobjects:
        walk(m)
    frame = (config.frame_width, config.frame_height)
    return [p for p in pieces if not (p.width >= 0.9 * frame[0] and p.height >= 0.9 * frame[1])]  # backgrounds


def _axes_of(curve: Mobject, layout: Layout) -> Mobject | None:
    tagged = roles.role(curve).get("axes")
    if tagged is not None and tagged.target is not None:
        return tagged.target
    c = curve.get_center()
    holding = [a for a in layout.axes if _inside(c[None], _box(a), -0.05)[0]]
    return min(holding, key=lambda a: a.width * a.height) if holding else None


def _y_length(ax: Mobject) -> float:
    x0, y0 = ax.x_range[0], ax.y_range[0]
    return float(np.linalg.norm(ax.c2p(x0, ax.y_range[1]) - ax.c2p(x0, y0)))


def rule_curves_fill(layout: Layout) -> list[Problem]:
    """Rule 2: a subject curve spans at least a quarter of its axes' height (or is labelled as flat)."""
    out = []
    for c in layout.curves:
        r = roles.role(c)
        if r.get("context") or isinstance(_axes_of(c, layout), ThreeDAxes):
            continue
        ax = _axes_of(c, layout)
        if ax is None:
            continue
        label = r.get("flat")
        if label is not None and label.target is not None and _shown(label.target):
            continue
        span, full = c.height, _y_length(ax)
        if full > 0 and span < MIN_CURVE_SPAN * full:
            out.append(Problem("flat", f"a curve on axes spans {span:.2f} of the axes' {full:.2f} units "
                                       f"({span / full:.0%} < {MIN_CURVE_SPAN:.0%}); rescale, or label it flat"))
    return out


def _width(m: Mobject) -> float:
    return max((s.get_stroke_width() for s in m.family_members_with_points()), default=0.0)


def rule_paths_seen(layout: Layout) -> list[Problem]:
    """Rule 3: no path lies under later series, its end marker is not covered, a tiny path is labelled."""
    out = []
    series = layout.curves + layout.paths
    for p in layout.paths:
        r = roles.role(p)
        pts = samples(p)
        # a narrower line drawn over a wider one leaves the wider one showing on both sides
        over = [s for s in series if s is not p and layout.later(p, s) and _width(s) >= _width(p)]
        if len(pts) and over:
            others = np.concatenate([samples(s) for s in over])
            share = _near(pts, others, SERIES_TOL).mean()
            if share >= HIDDEN_SHARE:
                out.append(Problem("hidden", f"a path lies {share:.0%} under series drawn over it"))
        end = r.get("end")
        end = end.target if end is not None else None
        if end is not None and _shown(end):
            c = end.get_center()
            covers = [m for m in layout.dots + layout.overlays + layout.texts + layout.paths
                      if m is not end and m is not p and layout.later(end, m) and _inside(c[None], _box(m))[0]
                      and m.width * m.height >= 0.5 * end.width * end.height]
            if covers:
                out.append(Problem("covered", f"the end marker of a path at ({c[0]:.2f}, {c[1]:.2f}) is under "
                                              f"{describe(covers[0])}"))
        label = r.get("label")
        label = label.target if label is not None else None
        if max(p.width, p.height) < BARELY_MOVES and not (label is not None and _shown(label)):
            out.append(Problem("still", f"a path moves only {max(p.width, p.height):.2f} units and no label says so"))
    return out


def _colour_of(m: Mobject) -> str:
    for s in m.family_members_with_points() or [m]:
        if s.get_stroke_width() > 0 and s.get_stroke_opacity() > 0:
            return s.get_stroke_color().to_hex().lower()
        if s.get_fill_opacity() > 0:
            return s.get_fill_color().to_hex().lower()
    return ""


def rule_named_colours(layout: Layout) -> list[Problem]:
    """Rule 4: a mobject tagged with a name wears that name's colour (theme.NAMED)."""
    out = []
    for m in layout.tagged:
        name = roles.role(m).get("name")
        if name is None or not _shown(m):
            continue
        if name not in theme.NAMED:
            out.append(Problem("colour", f"{name!r} is not in theme.NAMED"))
            continue
        want, got = theme.NAMED[name].to_hex().lower(), _colour_of(m)
        if got and got != want:
            out.append(Problem("colour", f"{name!r} drawn in {got}, its colour is {want}"))
    return out


def _format(text: str) -> str:
    if SCIENTIFIC_TEX.search(text) or RAW_E.search(text):
        return "scientific"
    return "fixed" if FIGURE.search(text) else "words"


def rule_readable(layout: Layout) -> list[Problem]:
    """Rule 5: glyphs 14 px high at 480p, content a quarter unit inside the frame, no raw numbers
    beyond 10^6, one number format per kind of quantity on a slide."""
    out = []
    for m in layout.texts:
        px = cap_px(m)
        if px is not None and px < MIN_GLYPH_PX - 0.05:
            out.append(Problem("small", f"{describe(m)} has capitals {px:.1f} px high at 480p < {MIN_GLYPH_PX:g}"))
        plain = _plain(m)
        for token in RAW_E.findall(plain):
            out.append(Problem("raw", f"{describe(m)} shows {token} raw (write a \\times 10^k with few digits)"))
        for token in FIGURE.findall(SCIENTIFIC_TEX.split(plain)[0] if SCIENTIFIC_TEX.search(plain) else plain):
            digits = token.replace(",", "").split(".")[0]
            if len(digits) >= 7:
                out.append(Problem("raw", f"{describe(m)} shows {token} (beyond 10^6: scientific notation or words)"))
    half_w, half_h = config.frame_width / 2 - EDGE_MARGIN, config.frame_height / 2 - EDGE_MARGIN
    for m in layout.content:
        x0, y0, x1, y1 = _box(m)
        if x0 < -half_w - TOLERANCE or x1 > half_w + TOLERANCE or y0 < -half_h - TOLERANCE or y1 > half_h + TOLERANCE:
            out.append(Problem("edge", f"{describe(m)} spans x {x0:.2f}..{x1:.2f}, y {y0:.2f}..{y1:.2f}: "
                                       f"closer than {EDGE_MARGIN} to the frame's edge"))
    kinds: dict[str, set[str]] = {}
    for m in layout.tagged:
        what = roles.role(m).get("kind")
        if what and _shown(m):
            kinds.setdefault(what, set()).add(_format(_plain(m) or " ".join(_plain(t) for t in text_mobjects([m]))))
    for what, formats in kinds.items():
        if len(formats - {"words"}) > 1:
            out.append(Problem("format", f"numbers of kind {what!r} in several formats: {sorted(formats)}"))
    return out


def _spelling(layout: Layout, title: str | None) -> list[Problem]:
    out = []
    for m in layout.texts:
        plain = _plain(m)
        if title is not None and plain.strip() == title.strip():
            continue
        low = plain.lower().replace("’", "'")
        for wrong, right in SPELLING.items():
            if wrong in low:
                out.append(Problem("spelling", f"{describe(m)}: {right!r}, not {wrong!r}"))
    return out


def _reaches(points: np.ndarray, box, reach: float) -> np.ndarray:
    """For each point: is the box (less TOLERANCE) within ``reach`` of it (a stroke's half width, a disc's radius)?"""
    x0, y0, x1, y1 = box
    dx = np.maximum(np.maximum(x0 - points[:, 0], points[:, 0] - x1), 0)
    dy = np.maximum(np.maximum(y0 - points[:, 1], points[:, 1] - y1), 0)
    return _inside(points, box, TOLERANCE) | (np.hypot(dx, dy) < reach - TOLERANCE)


def rule_nothing_covers(layout: Layout) -> list[Problem]:
    """Rule 6: no text on a curve, path or marker (a stroke as wide as it is drawn, a path's end marker its
    whole disc); no picture over a highlighted object (paths' end markers: rule 3)."""
    out = []
    marks = [(c, samples(c), _width(c) * STROKE_UNIT / 2) for c in layout.curves + layout.paths
             if not roles.role(c).get("context")]
    ends = {id(e.target): e.target for p in layout.paths if (e := roles.role(p).get("end")) is not None
            and e.target is not None and _shown(e.target)}
    marks += [(d, d.get_center()[None], d.width / 2 if id(d) in ends else 0.0) for d in layout.dots]
    for t in layout.texts:
        box = _box(t)
        for m, pts, reach in marks:
            if len(pts) and _reaches(pts, box, reach).any():
                what = "a marker" if isinstance(m, Dot) else "a path" if m in layout.paths else "a curve"
                out.append(Problem("covers", f"{describe(t)} sits on {what}"))
                break
    highlighted = [m for m in layout.tagged if roles.role(m).get("highlight") and _shown(m)]
    for o in layout.overlays:
        box = _box(o)
        for h in highlighted:
            if h is not o and layout.later(h, o) and _inside(h.get_center()[None], box)[0]:
                out.append(Problem("overlay", f"a picture ({type(o).__name__}) covers a highlighted object"))
                break
    return out


def _distance(box, a, b) -> float:
    """Distance from a box to the segment a-b (sampled)."""
    x0, y0, x1, y1 = box
    pts = np.linspace(a, b, 40)
    dx = np.maximum(np.maximum(x0 - pts[:, 0], pts[:, 0] - x1), 0)
    dy = np.maximum(np.maximum(y0 - pts[:, 1], pts[:, 1] - y1), 0)
    return float(np.hypot(dx, dy).min())


def _axis_words(ax: Mobject, layout: Layout) -> tuple[list[Mobject], list[Mobject], list[Mobject], list[Mobject]]:
    """Texts naming the x and y axes, and tick values along each."""
    x_a, x_b = ax.x_axis.get_start(), ax.x_axis.get_end()
    y_a, y_b = ax.y_axis.get_start(), ax.y_axis.get_end()
    x_names, y_names, x_ticks, y_ticks = [], [], [], []
    for t in _units(layout):
        box = _box(t)
        dx, dy = _distance(box, x_a, x_b), _distance(box, y_a, y_b)
        plain = _plain(t) if isinstance(t, TEXT_TYPES) else "0"
        numeric = not LETTER.search(re.sub(r"\\[A-Za-z]+", "", plain)) and bool(FIGURE.search(plain))
        cx, cy = t.get_center()[:2]
        below_x = box[3] < x_a[1] + 0.05 and x_a[0] - 0.3 < cx  # under the x axis (or right of its end, for names)
        left_y = box[2] < y_a[0] + 0.05 and y_a[1] - 0.3 < cy  # left of the y axis (or above its top, for names)
        at_top = cy > y_b[1] - TOLERANCE  # a name level with the y axis's top counts too (a tie, not float noise)
        if numeric:
            if dx < TICK_REACH and below_x and cx < x_b[0] + 0.3:
                x_ticks.append(t)
            elif dy < TICK_REACH and left_y and cy < y_b[1] + 0.3:
                y_ticks.append(t)
        elif LETTER.search(plain):
            if dx < NAME_REACH and (below_x or cx > x_b[0]) and not (left_y and dy < dx):
                x_names.append(t)
            elif dy < NAME_REACH and (left_y or at_top):
                y_names.append(t)
    return x_names, y_names, x_ticks, y_ticks


def _units(layout: Layout) -> list[Mobject]:
    """Texts as a reader groups them: a DecimalNumber is one number, not one text per character."""
    numbers = [m for m in layout.order_members if isinstance(m, DecimalNumber) and _shown(m)]
    inside = {id(s) for n in numbers for s in n.get_family()}
    return numbers + [t for t in layout.texts if id(t) not in inside]


def rule_axes_read(layout: Layout) -> list[Problem]:
    """Rule 7: both axes named, two tick values where values are read, comparison panels share a scale,
    bars of one chart share one scale."""
    out = []
    names = {}
    for ax in layout.axes:
        if isinstance(ax, ThreeDAxes):
            continue
        x_names, y_names, x_ticks, y_ticks = _axis_words(ax, layout)
        where = f"({ax.get_center()[0]:.1f}, {ax.get_center()[1]:.1f})"
        if not x_names:
            out.append(Problem("axis", f"axes at {where}: x axis not named"))
        if not y_names:
            out.append(Problem("axis", f"axes at {where}: y axis not named"))
        if not roles.role(ax).get("schematic") and (len(x_ticks) < 2 or len(y_ticks) < 2):
            out.append(Problem("ticks", f"axes at {where}: {len(x_ticks)} x and {len(y_ticks)} y tick values "
                                        "(2 each where values are read)"))
        if y_names and not roles.role(ax).get("own_scale"):
            names.setdefault((round(ax.width, 1), round(ax.height, 1), _plain(y_names[0])), []).append(ax)
    for (_, _, name), group in names.items():
        ranges = {tuple(round(float(v), 9) for v in ax.y_range[:2]) for ax in group}
        if len(group) > 1 and len(ranges) > 1:
            out.append(Problem("scale", f"{len(group)} panels of {name!r} with different y ranges {sorted(ranges)}"))
    charts: dict[int, list[float]] = {}
    for m in layout.tagged:
        r = roles.role(m)
        if r.get("bar") and _shown(m) and abs(r["measure"]) > 1e-12:
            length = m.height if r["along"] == "height" else m.width
            charts.setdefault(r["chart"], []).append(length / abs(r["measure"]))
    for scales in charts.values():
        if max(scales) > 1.02 * min(scales) + 1e-9:
            out.append(Problem("bars", f"bars of one chart on scales from {min(scales):.3g} to {max(scales):.3g} "
                                       "units per unit"))
    return out


def rule_frame_used(layout: Layout) -> list[Problem]:
    """Rule 8: the content's pieces touch a fair share of the frame (a slide of text alone, a title, a
    question put to the class or a table of numbers with its rules, is exempt: it has no picture to make larger)."""
    if not layout.content or all(_text_like(p, layout) for p in layout.content):
        return []
    w, h = config.frame_width, config.frame_height
    xs = (np.arange(32) + 0.5) / 32 * w - w / 2
    ys = (np.arange(18) + 0.5) / 18 * h - h / 2
    grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    cell = w / 32
    hit = np.zeros(len(grid), bool)
    for m in layout.content:
        x0, y0, x1, y1 = _box(m)
        hit |= ((grid[:, 0] > x0 - cell / 2) & (grid[:, 0] < x1 + cell / 2)
                & (grid[:, 1] > y0 - cell / 2) & (grid[:, 1] < y1 + cell / 2))
    share = hit.mean()
    cells = hit.reshape(18, 32)
    halves = {"left": cells[:, :16], "right": cells[:, 16:], "bottom": cells[:9], "top": cells[9:]}  # rows upward
    empty = [name for name, half in halves.items() if half.mean() < EMPTY_HALF]
    if share < MIN_FRAME_USE or (empty and share < HALF_EMPTY_USE):
        where = f", the {' and '.join(empty)} half empty" if empty else ""
        return [Problem("frame", f"the content touches {share:.0%} of the frame{where} (needs {MIN_FRAME_USE:.0%}, "
                                 f"or {HALF_EMPTY_USE:.0%} with a half of the frame empty)")]
    return []


def _text_like(m: Mobject, layout: Layout) -> bool:
    """Text, with straight lines at most (a table's rules, underlines, strike-throughs): typography, not a picture.
    Loose glyphs (a text's letters animated apart) count as text; a picture (SVG) does not."""
    if isinstance(m, (SVGMobject, ImageMobject)) and not isinstance(m, TEXT_TYPES):
        return False
    return all(id(x) in layout.text_family or isinstance(x, VMobjectFromSVGPath)
               or (isinstance(x, Line) and not isinstance(x, Arrow))
               for x in m.family_members_with_points() if _shown(x))


RULES = (rule_curves_fill, rule_paths_seen, rule_named_colours, rule_readable, rule_nothing_covers,
         rule_axes_read, rule_frame_used)


def check_pictures(mobjects, title: str | None = None) -> list[Problem]:
    """The picture rules over the current layout of ``mobjects``."""
    layout = survey(mobjects)
    return [p for rule in RULES for p in rule(layout)] + _spelling(layout, title)
