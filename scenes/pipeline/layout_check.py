"""A layout linter over what manim has already laid out: no rendering needed.

It looks at every piece of text on screen (Text, MathTex, Tex and their kin) and
reports text outside the frame, text overlapping other text, and text too small
to read at 480p. Tests run it at every pause of every scene.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import MathTex, Mobject, SingleStringMathTex, Tex, Text, config
from manim.mobject.text.tex_mobject import MathTexPart
from manim.mobject.text.text_mobject import MarkupText, Paragraph

from scenes import theme

TEXT_TYPES = (Text, MarkupText, Paragraph, SingleStringMathTex, MathTex, Tex, MathTexPart)
#: Overlaps thinner than this (manim units) are glyph bounding boxes kissing, not text over text.
TOLERANCE = 0.02  # manim units


@dataclass(frozen=True)
class Problem:
    kind: str  # outside, overlap, small
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
    (x0, y0, _), (x1, y1, _) = m.get_corner(np.array([-1, -1, 0])), m.get_corner(np.array([1, 1, 0]))
    return x0, y0, x1, y1


def check(mobjects, min_font_size: float = theme.MIN_FONT_SIZE) -> list[Problem]:
    """Problems in the current layout of ``mobjects`` (a scene's ``mobjects``)."""
    texts = text_mobjects(mobjects)
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    problems: list[Problem] = []
    boxes = [_box(m) for m in texts]
    for m, (x0, y0, x1, y1) in zip(texts, boxes):
        if x0 < -half_w - TOLERANCE or x1 > half_w + TOLERANCE or y0 < -half_h - TOLERANCE or y1 > half_h + TOLERANCE:
            problems.append(Problem("outside", f"{describe(m)} spans x {x0:.2f}..{x1:.2f}, y {y0:.2f}..{y1:.2f}"))
        size = getattr(m, "font_size", None)
        if size is not None and size < min_font_size:
            problems.append(Problem("small", f"{describe(m)} has font size {size:.1f} < {min_font_size}"))
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = boxes[i], boxes[j]
            dx = min(a[2], b[2]) - max(a[0], b[0])
            dy = min(a[3], b[3]) - max(a[1], b[1])
            if dx > TOLERANCE and dy > TOLERANCE:
                problems.append(Problem("overlap", f"{describe(texts[i])} and {describe(texts[j])} ({dx:.2f} x {dy:.2f})"))
    return problems
