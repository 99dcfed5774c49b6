"""The layout linter itself: it must see what a viewer would see."""
from __future__ import annotations

from manim import DOWN, RIGHT, MathTex, Text, VGroup

from scenes.pipeline import layout_check


def kinds(mobjects):
    return sorted(p.kind for p in layout_check.check(mobjects))


def test_clean_layout_has_no_problems():
    a = Text("left", font_size=30).shift(3 * RIGHT)
    b = MathTex("x = 1", font_size=30).shift(3 * DOWN)
    assert kinds([a, b]) == []


def test_text_over_text_is_an_overlap():
    a = Text("hello", font_size=30)
    b = MathTex("x^2", font_size=30).move_to(a)
    assert kinds([VGroup(a), b]) == ["overlap"]


def test_text_off_the_frame_is_outside():
    assert kinds([Text("far away", font_size=30).shift(7.5 * RIGHT)]) == ["outside"]


def test_tiny_text_is_small():
    assert kinds([Text("tiny", font_size=10)]) == ["small"]


def test_invisible_text_is_ignored():
    a = Text("hello", font_size=30)
    b = Text("hello", font_size=30).set_opacity(0)
    assert kinds([a, b]) == []


def test_parts_of_one_formula_are_one_text():
    assert kinds([MathTex("a", "=", "0.5", font_size=30)]) == []
