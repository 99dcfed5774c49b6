"""Text that is cheap to animate: drop each glyph's parsed SVG path once its points are built.

Every glyph of a Text or MathTex keeps the svgelements Path it was drawn from (``path_obj``),
which manim reads only while building the glyph's points (once, in ``__init__``). Every
FadeIn, Transform, Indicate or ``.animate`` deep-copies the mobject, path objects included:
for a line of text that copy is about 9x slower with them (0.06 s against 0.007 s a copy),
and copies were most of a text-heavy scene's render time.

:func:`light` does it for one mobject; ``scenes.manim_patches.drop_svg_paths`` for every SVG
path mobject made afterwards (``LectureScene`` installs it).
"""
from __future__ import annotations

from manim import Mobject


def light(mobject: Mobject) -> Mobject:
    """The same mobject, its glyphs without their SVG path objects; returns it for chaining."""
    for m in mobject.get_family():
        if getattr(m, "path_obj", None) is not None:
            m.path_obj = None
    return mobject

