"""The layout linter itself: it must see what a viewer would see.

Each rule gets a tiny bad layout on which it fires and a good one on which it stays quiet.
"""
from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Dot, ImageMobject, Line, MathTex, Rectangle, Text, VGroup, VMobject

from scenes import theme
from scenes.components import roles
from scenes.pipeline import layout_check

ROOT = Path(__file__).resolve().parents[2]


def kinds(mobjects, *only):
    found = sorted(p.kind for p in layout_check.check(mobjects, title="The title"))
    return [k for k in found if k in only] if only else found


def filler():
    """A panel outline over most of the frame, so the frame-use rule is quiet where a test is about another rule."""
    return Rectangle(width=12.5, height=6.8, stroke_width=1)


def plot(values, y_range=(0, 1, 0.5), width=5.0, height=3.0, named=True, ticks=True):
    """Axes with a polyline of ``values`` tagged as their curve, named axes and tick values."""
    ax = Axes(x_range=[0, len(values) - 1, 1], y_range=list(y_range), x_length=width, y_length=height, tips=False)
    curve = VMobject(stroke_width=3).set_points_as_corners([ax.c2p(i, v) for i, v in enumerate(values)])
    roles.curve(curve, ax)
    parts = VGroup(ax, curve)
    if named:
        parts.add(Text("step", font_size=22).next_to(ax.x_axis, DOWN, buff=0.45),
                  Text("cost", font_size=22).next_to(ax.y_axis, UP, buff=0.1))
    if ticks:
        parts.add(*[MathTex(f"{v:g}", font_size=30).next_to(ax.c2p(v, y_range[0]), DOWN, buff=0.1)
                    for v in (0, len(values) - 1)])
        parts.add(*[MathTex(f"{v:g}", font_size=30).next_to(ax.c2p(0, v), LEFT, buff=0.1) for v in y_range[:2]])
    return parts


# --- text (the checks that were there before) -------------------------------------------------

def test_clean_layout_has_no_problems():
    a = Text("left", font_size=30).shift(3 * RIGHT)
    b = MathTex("x = 1", font_size=34).shift(3 * DOWN)
    assert kinds([a, b, filler()]) == []


def test_a_texts_box_is_the_one_manims_corners_give():
    formula = MathTex(r"z_1 = w_1 x", font_size=30).rotate(0.3).shift(2 * LEFT + UP)
    for m in (formula, VGroup(Text("a b"), Dot().shift(3 * RIGHT + DOWN)), Line(LEFT, UP)):
        (x0, y0, _), (x1, y1, _) = m.get_corner(DOWN + LEFT), m.get_corner(UP + RIGHT)
        assert layout_check._box(m) == (x0, y0, x1, y1)
    assert layout_check._box(VGroup()) == (0, 0, 0, 0)  # nothing drawn: manim's corner is the origin


def test_text_over_text_is_an_overlap():
    a = Text("hello", font_size=30)
    b = MathTex("x^2", font_size=34).move_to(a)
    assert kinds([VGroup(a), b, filler()]) == ["overlap"]


def test_text_off_the_frame_is_outside():
    assert "outside" in kinds([Text("far away", font_size=30).shift(7.5 * RIGHT), filler()])


def test_invisible_text_is_ignored():
    a = Text("hello", font_size=30)
    b = Text("hello", font_size=30).set_opacity(0)
    assert kinds([a, b, filler()]) == []


def test_parts_of_one_formula_are_one_text():
    assert kinds([MathTex("a", "=", "0.5", font_size=34), filler()]) == []


# --- rule 2: curves fill their plots -----------------------------------------------------------

def test_a_flat_subject_curve_is_flagged():
    assert kinds([plot([0.50, 0.49, 0.48])], "flat") == ["flat"]


def test_a_curve_that_fills_its_axes_passes():
    assert kinds([plot([0.9, 0.4, 0.1])], "flat") == []


def test_a_flat_curve_labelled_so_passes_and_context_is_exempt():
    flat = plot([0.50, 0.49, 0.48])
    label = Text("cost decreases slowly", font_size=24).to_edge(UP)
    roles.flat(flat[1], label)
    assert kinds([flat, label], "flat") == []
    ref = plot([0.50, 0.49, 0.48])
    roles.context(ref[1])
    assert kinds([ref], "flat") == []


def test_a_plotted_graph_is_found_without_a_tag():
    ax = Axes(x_range=[0, 1, 1], y_range=[0, 1, 1], x_length=4, y_length=3)
    assert kinds([ax, ax.plot(lambda x: 0.5 + 0.01 * x)], "flat") == ["flat"]
    assert kinds([ax, ax.plot(lambda x: x)], "flat") == []


# --- rule 3: every trajectory can be seen ------------------------------------------------------

def path(points, end=True):
    p = VMobject(stroke_width=4).set_points_as_corners([[x, y, 0] for x, y in points])
    dot = Dot(p.get_end(), radius=0.08)
    roles.path(p, end=dot if end else None)
    return p, dot


def test_a_path_under_another_is_hidden():
    a, _ = path([(-3, 0), (0, 1), (3, 0)], end=False)
    b, _ = path([(-3, 0), (0, 1), (3, 0)], end=False)
    assert kinds([a, b], "hidden") == ["hidden"]
    c, _ = path([(-3, -1), (0, -2), (3, -1)], end=False)
    assert kinds([a, c], "hidden") == []


def test_points_near_a_series_are_the_ones_some_pair_distance_puts_within_the_tolerance():
    """The k-d tree's answer is the definition's: some point of the other series closer than the tolerance, in the
    plane (a point above another is near it, however far in z)."""
    rng = np.random.default_rng(3)
    a, b = rng.uniform(-3, 3, (2000, 3)), rng.uniform(-3, 3, (500, 3))
    a[:10] = b[:10] + [0.5 * layout_check.SERIES_TOL, 0, 5]
    by_pairs = (np.linalg.norm(a[:, None, :2] - b[None, :, :2], axis=2) < layout_check.SERIES_TOL).any(axis=1)
    near = layout_check._near(a, b, layout_check.SERIES_TOL)
    assert 50 < by_pairs.sum() < 1990 and by_pairs[:10].all() and (near == by_pairs).all()
    assert not layout_check._near(a, b[:0], 1.0).any() and len(layout_check._near(a[:0], b, 1.0)) == 0


def test_a_narrower_path_drawn_over_a_wider_one_hides_nothing():
    wide, _ = path([(-3, 0), (0, 1), (3, 0)], end=False)
    narrow, _ = path([(-3, 0), (0, 1), (3, 0)], end=False)
    wide.set_stroke(width=12)
    assert kinds([wide, narrow], "hidden") == []  # the wide one shows on both sides of the narrow one
    assert kinds([narrow, wide], "hidden") == ["hidden"]  # but the wide one over the narrow one hides it


def test_a_covered_end_marker_is_flagged():
    a, dot = path([(-3, 0), (3, 0)])
    card = Rectangle(width=1, height=1).set_fill(theme.PANEL, 1)
    img = ImageMobject(np.full((20, 20, 4), 255, np.uint8)).move_to(dot)
    assert kinds([a, dot, img], "covered") == ["covered"]
    assert kinds([a, dot, card.shift(2 * DOWN)], "covered") == []


def test_a_path_that_barely_moves_needs_a_label():
    still, _ = path([(0, 0), (0.05, 0.02)], end=False)
    assert kinds([still], "still") == ["still"]
    label = Text("Adam barely moves", font_size=24).shift(2 * UP)
    roles.path(still, label=label)
    assert kinds([still, label], "still") == []


# --- rule 4: one colour per named thing --------------------------------------------------------

def test_a_named_thing_in_another_colour_is_flagged():
    good = roles.named(Dot(), "adam")
    bad = roles.named(Dot(LEFT), "momentum").set_color(theme.NAMED["adam"])
    assert kinds([good], "colour") == []
    assert kinds([bad], "colour") == ["colour"]


def colour_literals_for_names(source: str) -> list[str]:
    """Dict literals keyed by lecture names (theme.NAMED's keys) whose values are colours: a second registry."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            named = [k for k in keys if k in theme.NAMED]
            colours = [v for v in node.values if isinstance(v, ast.Attribute) and v.attr.isupper()
                       or isinstance(v, ast.Constant) and isinstance(v.value, str) and v.value.startswith("#")]
            if named and colours:
                found.append(f"line {node.lineno}: {', '.join(named)}")
    return found


def test_the_source_scan_sees_a_second_registry():
    assert colour_literals_for_names('C = {"adam": theme.VALUE, "gd": theme.TEXT}') == ["line 1: adam, gd"]
    assert colour_literals_for_names('C = {k: theme.NAMED[k] for k in ("adam",)}') == []
    assert colour_literals_for_names('N = {"adam": "Adam"}') == []


def test_no_scene_colours_a_named_thing_otherwise():
    """Every colour of a named thing comes from theme.NAMED: no scene, component or theme module keeps its own."""
    files = [*ROOT.glob("scenes/*.py"), *ROOT.glob("scenes/components/*.py"), *ROOT.glob("scenes/theme/*.py")]
    found = {f.relative_to(ROOT).as_posix(): colour_literals_for_names(f.read_text())
             for f in files if f.name != "__init__.py" or f.parent.name != "theme"}
    assert not {k: v for k, v in found.items() if v}, found


# --- rule 5: readable, inside the frame --------------------------------------------------------

def test_glyphs_are_measured_after_scaling():
    assert kinds([Text("tiny", font_size=14), filler()], "small") == ["small"]
    assert kinds([Text("shrunk", font_size=30).scale(0.5), filler()], "small") == ["small"]
    assert kinds([MathTex("x = 1", font_size=22), filler()], "small") == ["small"]  # LaTeX glyphs run smaller
    assert kinds([Text("fine", font_size=24), MathTex("x = 1", font_size=33), filler()], "small") == []
    # 14 px capitals: what read 12 px high (Text 22, MathTex 30) is now too small
    assert kinds([Text("was fine", font_size=22), filler()], "small") == ["small"]
    assert kinds([MathTex("x = 1", font_size=30), filler()], "small") == ["small"]


def test_content_keeps_off_the_edges():
    near = Rectangle(width=1, height=1).set_fill(theme.PANEL, 1).to_edge(RIGHT, buff=0.1)
    assert kinds([near, filler()], "edge") == ["edge"]
    assert kinds([near.to_edge(RIGHT, buff=0.4), filler()], "edge") == []


def test_raw_large_numbers_are_flagged():
    assert kinds([MathTex("w_6 = -62000000", font_size=34), filler()], "raw") == ["raw"]
    assert kinds([Text("cost 2.4e+124", font_size=24), filler()], "raw") == ["raw"]
    assert kinds([MathTex(r"w_6 = -6.2 \times 10^{7}", font_size=34), filler()], "raw") == []


def test_one_number_format_per_kind():
    a = roles.kind(MathTex("C = 0.012", font_size=34).shift(UP), "cost")
    b = roles.kind(MathTex(r"C = 1.2 \times 10^{-3}", font_size=34).shift(DOWN), "cost")
    c = roles.kind(MathTex("C = 0.0012", font_size=34).shift(DOWN), "cost")
    assert kinds([a, b, filler()], "format") == ["format"]
    assert kinds([a, c, filler()], "format") == []


def test_the_lecture_is_spelled_one_way():
    assert kinds([Text("Minibatch gradient descend", font_size=30), filler()], "spelling") == ["spelling"]
    assert kinds([Text("The title", font_size=30), Text("its a cat", font_size=30).shift(DOWN), filler()],
                 "spelling") == ["spelling"]
    assert kinds([Text("gradient descent: it's a cat", font_size=30), filler()], "spelling") == []


# --- rule 6: nothing covers what the slide is about ---------------------------------------------

def test_text_on_a_curve_or_marker_is_flagged():
    p = plot([0.1, 0.9, 0.1])
    on_curve = Text("peak", font_size=24).move_to(p[1].get_top() + 0.05 * DOWN)
    assert kinds([p, on_curve], "covers") == ["covers"]
    assert kinds([p, on_curve.shift(0.6 * UP)], "covers") == []
    dot = Dot(2 * LEFT)
    assert kinds([dot, Text("here", font_size=30).move_to(dot), filler()], "covers") == ["covers"]


def test_text_on_a_wide_stroke_or_a_path_s_end_disc_is_flagged():
    """A wide stroke covers half its width either side of its centre line, an end marker its whole disc: a label
    over either sits on the path though no point of the centre line, nor the disc's centre, is in its box."""
    wide, end = path([(-3, 0), (1, 0)])
    wide.set_stroke(width=14)  # 0.14 units wide
    end.set(width=0.3)
    label = Text("C = 0.1", font_size=24)
    over_stroke = label.copy().next_to(wide, UP, buff=0.04).shift(LEFT)  # its centre line 0.04 under the box
    assert kinds([wide, end, over_stroke, filler()], "covers") == ["covers"]
    assert kinds([wide, end, over_stroke.shift(0.1 * UP), filler()], "covers") == []
    over_disc = label.copy().next_to(end, RIGHT, buff=0).shift(0.08 * LEFT + 0.2 * UP)
    assert not layout_check._inside(end.get_center()[None], layout_check._box(over_disc))[0]
    assert kinds([wide, end, over_disc, filler()], "covers") == ["covers"]
    assert kinds([wide, end, over_disc.shift(0.12 * RIGHT), filler()], "covers") == []


def test_a_picture_over_the_highlighted_point_is_flagged():
    point = roles.highlight(Dot(RIGHT, radius=0.1))
    cat = ImageMobject(np.full((40, 40, 4), 255, np.uint8)).scale(2).move_to(point)
    assert kinds([point, cat, filler()], "overlay") == ["overlay"]
    assert kinds([point, cat.shift(3 * LEFT), filler()], "overlay") == []


# --- rule 7: axes can be read -----------------------------------------------------------------

def test_axes_need_names_and_tick_values():
    assert kinds([plot([0.1, 0.9, 0.3], named=False)], "axis") == ["axis", "axis"]
    assert kinds([plot([0.1, 0.9, 0.3], ticks=False)], "ticks") == ["ticks"]
    assert kinds([plot([0.1, 0.9, 0.3])], "axis", "ticks") == []
    sketch = plot([0.1, 0.9, 0.3], ticks=False)
    roles.schematic(sketch[0])
    assert kinds([sketch], "ticks") == []


def test_panels_of_one_quantity_share_a_scale():
    a = plot([0.9, 0.1, 0.5], width=4.5).shift(3.3 * LEFT)
    b = plot([0.9, 0.1, 0.5], y_range=(0, 2, 1), width=4.5).shift(3.3 * RIGHT)
    assert kinds([a, b], "scale") == ["scale"]
    c = plot([0.9, 0.1, 0.5], width=4.5).shift(3.3 * RIGHT)
    assert kinds([a, c], "scale") == []
    roles.own_scale(a[0])
    roles.own_scale(b[0])
    assert kinds([a, b], "scale") == []


def test_bars_of_one_chart_share_a_scale():
    chart = object()
    bars = [roles.bar(Rectangle(width=0.3, height=h).set_fill(theme.TEXT, 1).shift(i * RIGHT), v, chart)
            for i, (h, v) in enumerate([(2.0, 10.8), (2.0, 116.0)])]
    assert kinds([*bars, filler()], "bars") == ["bars"]
    bars[1].stretch_to_fit_height(2.0 * 116 / 10.8)
    roles.bar(bars[1], 116.0, chart)
    assert kinds([*bars, filler()], "bars") == []


# --- rule 8: the frame is used -------------------------------------------------------------------

def test_small_content_in_a_big_frame_is_flagged():
    small = Rectangle(width=1.5, height=1.5).set_fill(theme.PANEL, 1)
    assert kinds([small], "frame") == ["frame"]
    assert kinds([small.copy().scale(3).to_edge(LEFT)], "frame") == ["frame"]  # the right half empty
    assert kinds([Rectangle(width=9, height=5).set_fill(theme.PANEL, 1)], "frame") == []
    assert kinds([Text("What is a dot product?", font_size=30)], "frame") == []  # a question alone: no picture
    table = VGroup(Text("You win", font_size=30), Line(LEFT, RIGHT), Text("1728", font_size=30)).arrange(DOWN)
    assert kinds([table.to_corner(UP + LEFT)], "frame") == []  # numbers under a rule: text, not a picture
