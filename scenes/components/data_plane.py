"""2-D labelled points on axes (built once), a decision line w1 x1 + w2 x2 = 0 driven by a ValueTracker,
the points it gets wrong ringed and counted live (mathcore.minima.misclassified / errors)."""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    Axes,
    Circle,
    Dot,
    Line,
    MathTex,
    Polygon,
    Text,
    ValueTracker,
    VGroup,
    always_redraw,
)

from mathcore import minima
from scenes import theme
from scenes.components import roles
from scenes.theme import optimisers as otheme

MARGIN = 0.12  # share of the data's span added around it
DOT_RADIUS = 0.09
RING_RADIUS = 0.19


class DataPlane(VGroup):
    """Axes over the data of ``mathcore.minima.load`` with one dot per row (class 1 blue, class 0 red)."""

    def __init__(self, data: minima.Data, width: float, height: float):
        super().__init__()
        self.data = data
        spans = []
        for values in (data.x1, data.x2):
            lo, hi = float(np.min(values)), float(np.max(values))
            pad = MARGIN * (hi - lo)
            spans.append((lo - pad, hi + pad))
        self.spans = spans
        self.axes = Axes(
            x_range=[*spans[0], 1e9], y_range=[*spans[1], 1e9], x_length=width, y_length=height,
            axis_config={"color": theme.MUTED, "include_ticks": False, "stroke_width": 2},
            tips=False,
        )
        self.labels = VGroup(
            MathTex("x_1", font_size=otheme.TEX_SIZE, color=theme.MUTED).next_to(self.axes.x_axis, RIGHT, buff=0.1),
            MathTex("x_2", font_size=otheme.TEX_SIZE, color=theme.MUTED).next_to(self.axes.y_axis.get_top(), RIGHT,
                                                                                 buff=0.12),
        )
        roles.schematic(self.axes)  # the points are read by side of the line, not by value
        self.dots = VGroup(*[
            Dot(self.axes.c2p(a, b), radius=DOT_RADIUS, color=theme.POSITIVE if y == 1 else theme.NEGATIVE)
            for a, b, y in zip(data.x1, data.x2, data.y)
        ])
        self.add(self.axes, self.labels, self.dots)

    def line_for(self, w1: float) -> Line:
        """The decision line σ(w1 x1 + w2 x2) = 0.5, i.e. w1 x1 + w2 x2 = 0, clipped to the axes."""
        (x0, x1), (y0, y1) = self.spans
        w2 = self.data.w2
        # The line runs along (w2, −w1); take the longer parametrisation so it crosses the whole box.
        if abs(w1) * (x1 - x0) <= abs(w2) * (y1 - y0):
            a, b = (x0, -w1 * x0 / w2), (x1, -w1 * x1 / w2)
        else:
            a, b = (-w2 * y0 / w1, y0), (-w2 * y1 / w1, y1)
        line = Line(self.axes.c2p(*a), self.axes.c2p(*b), color=theme.HIGHLIGHT, stroke_width=4)
        return line

    def decision_line(self, w1: ValueTracker) -> Line:
        return always_redraw(lambda: self.line_for(w1.get_value()))

    def rings(self, w1: ValueTracker) -> VGroup:
        """Rings around the points the line of the tracker's w1 misclassifies (mathcore.minima.misclassified)."""
        def draw():
            wrong = minima.misclassified(w1.get_value(), self.data)
            return VGroup(*[Circle(RING_RADIUS, color=theme.HIGHLIGHT, stroke_width=3).move_to(self.dots[i])
                            for i in wrong])
        return always_redraw(draw)

    def counter(self, w1: ValueTracker, anchor, size: int = theme.BODY_SIZE) -> Text:
        """'N errors' for the tracker's w1, placed below ``anchor`` (mathcore.minima.errors)."""
        made: dict[int, Text] = {}  # one Text per count: building text every frame is the slow part

        def draw():
            count = minima.errors(w1.get_value(), self.data)
            if count not in made:
                made[count] = error_text(count, size)
            return made[count].next_to(anchor, DOWN, buff=0.25)
        return always_redraw(draw)

    def half_planes(self, w1: ValueTracker, opacity: float = 0.16) -> VGroup:
        """The two sides of the tracker's decision line, each shaded in the colour of the class it predicts
        (σ(w1 x1 + w2 x2) > 0.5: class 1), clipped to the axes."""
        def draw():
            (x0, x1), (y0, y1) = self.spans
            box = np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
            z = w1.get_value() * box[:, 0] + self.data.w2 * box[:, 1]
            sides = VGroup()
            for sign, colour in ((1, theme.POSITIVE), (-1, theme.NEGATIVE)):
                corners = clip(box, sign * z)
                if len(corners) >= 3:
                    sides.add(Polygon(*[self.axes.c2p(*c) for c in corners], stroke_width=0)
                              .set_fill(colour, opacity=opacity))
            return sides
        return always_redraw(draw)


def error_text(count: int, size: int = theme.BODY_SIZE) -> Text:
    word = "error" if count == 1 else "errors"
    return Text(f"{count} {word}", font=theme.FONT, font_size=size, color=theme.HIGHLIGHT)


def clip(polygon: np.ndarray, values: np.ndarray) -> list:
    """The part of a convex polygon where a linear function (its ``values`` at the corners) is ≥ 0."""
    out = []
    for k in range(len(polygon)):
        a, b, fa, fb = polygon[k], polygon[(k + 1) % len(polygon)], values[k], values[(k + 1) % len(polygon)]
        if fa >= 0:
            out.append(a)
        if (fa >= 0) != (fb >= 0):  # the line crosses this edge
            out.append(a + (b - a) * fa / (fa - fb))
    return out
