"""C(w1) of part 2 on axes (mathcore.minima.grid), its local minima marked, balls that ride along runs."""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Circle,
    Dot,
    Line,
    MathTex,
    Text,
    ValueTracker,
    VGroup,
    VMobject,
    always_redraw,
)
from matplotlib.ticker import MaxNLocator

from mathcore import minima
from mathcore.display import fmt
from scenes import theme
from scenes.components import roles
from scenes.theme import optimisers as otheme

CURVE_POINTS = 481  # grid points drawn (the curve is smooth; more only costs time)
HEADROOM = 0.18  # share of the cost range added above the curve
FOOTROOM = 0.4  # and below it (room for the minima's labels under their dots)
TICK = 0.08
X_TICKS, Y_TICKS = 7, 3  # at most this many tick values per axis (round numbers inside the range)


class MinimaCurve(VGroup):
    """Axes over [minima] w1_range with C(w1) of ``data``; ``curve_for`` draws C of any other data on them."""

    def __init__(self, data: minima.Data, w1_range, width: float, height: float, also=()):
        super().__init__()
        self.data = data
        self.lo, self.hi = w1_range
        w, c = minima.grid(data, self.lo, self.hi, CURVE_POINTS)
        # The C range fits this curve and those of the data sets in ``also`` (drawn later with curve_for).
        costs = np.concatenate([c, *[minima.grid(d, self.lo, self.hi, CURVE_POINTS)[1] for d in also]])
        span = float(np.ptp(costs))
        c_range = (float(np.min(costs)) - FOOTROOM * span, float(np.max(costs)) + HEADROOM * span)
        self.c_range = c_range
        self.axes = Axes(
            x_range=[self.lo, self.hi, 1e9], y_range=[*c_range, 1e9], x_length=width, y_length=height,
            axis_config={"color": theme.MUTED, "include_ticks": False, "stroke_width": 2}, tips=False,
        )
        # The axes only map coordinates; the box's left and bottom edges are drawn as the axes.
        self.axes.set_stroke(opacity=0)
        corner = self.axes.c2p(self.lo, c_range[0])
        self.frame = VGroup(
            Line(corner, self.axes.c2p(self.hi, c_range[0]), color=theme.MUTED, stroke_width=2),
            Line(corner, self.axes.c2p(self.lo, c_range[1]), color=theme.MUTED, stroke_width=2),
        )
        self.labels = VGroup(
            MathTex("w_1", font_size=otheme.TEX_SIZE, color=theme.MUTED).next_to(self.frame[0], RIGHT, buff=0.1),
            MathTex("C(w_1)", font_size=otheme.TEX_SIZE, color=theme.MUTED)
            .next_to(self.frame[1], UP, buff=0.1).align_to(self.frame[1], LEFT),
        )
        self.ticks = self._ticks()
        self.curve = roles.curve(self.curve_of(w, c), self.axes)
        self.add(self.axes, self.frame, self.labels, self.ticks, self.curve)

    def _ticks(self) -> VGroup:
        """Round tick values on both axes (w1 below, C on the left), so values can be read off the plot."""
        ticks = VGroup()
        c0, c1 = self.c_range
        for v in MaxNLocator(X_TICKS, steps=[1, 2, 5, 10]).tick_values(self.lo, self.hi):
            if self.lo - 1e-9 <= v <= self.hi + 1e-9:
                p = self.axes.c2p(v, c0)
                ticks.add(Line(p, p + DOWN * TICK, color=theme.MUTED, stroke_width=2),
                          MathTex(fmt(v), font_size=otheme.TEX_SIZE, color=theme.MUTED).next_to(p, DOWN, buff=0.12))
        for v in MaxNLocator(Y_TICKS, steps=[1, 2, 5, 10]).tick_values(c0, c1):
            if c0 <= v <= c1:
                p = self.axes.c2p(self.lo, v)
                ticks.add(Line(p, p + LEFT * TICK, color=theme.MUTED, stroke_width=2),
                          MathTex(fmt(v), font_size=otheme.TEX_SIZE, color=theme.MUTED).next_to(p, LEFT, buff=0.12))
        return ticks

    def curve_of(self, w, c, color=theme.VALUE) -> VMobject:
        pts = [self.axes.c2p(a, b) for a, b in zip(w, c)]
        return VMobject(color=color, stroke_width=4).set_points_smoothly(pts)

    def curve_for(self, data: minima.Data, color=theme.VALUE) -> VMobject:
        return self.curve_of(*minima.grid(data, self.lo, self.hi, CURVE_POINTS), color=color)

    def point(self, w1: float, data: minima.Data | None = None):
        d = data or self.data
        return self.axes.c2p(w1, minima.cost(w1, d))

    def minimum_marks(self, found: list, data: minima.Data | None = None, size: int = theme.SMALL_SIZE) -> VGroup:
        """A dot at each minimum and its error count above it (mathcore.minima.find_minima's Minimum or dicts)."""
        marks = VGroup()
        for m in found:
            w1 = m["w1"] if isinstance(m, dict) else m.w1
            count = m["errors"] if isinstance(m, dict) else m.errors
            dot = Dot(self.point(w1, data), radius=0.08, color=theme.HIGHLIGHT)
            label = Text(f"{count} errors" if count != 1 else "1 error", font=theme.FONT, font_size=size,
                         color=theme.HIGHLIGHT).next_to(dot, DOWN, buff=0.15)
            marks.add(VGroup(dot, label))
        return marks

    def ball(self, w1: ValueTracker, color=theme.GRADIENT, radius: float = 0.11) -> Dot:
        """A ball sitting on the curve at the tracker's w1."""
        return always_redraw(lambda: Dot(self.point(w1.get_value()), radius=radius, color=color)
                             .shift(UP * radius))


def run_ball(curve: MinimaCurve, run: dict, step: ValueTracker, color, radius: float = 0.11) -> VGroup:
    """A ball at w1(t) of a recorded run (mathcore.minima.from_config's runs), t = the tracker (interpolated),
    its start marked by a ring and the curve it has rolled over drawn in its colour (the trail)."""
    w = run["w1"]
    start = Circle(radius=radius * 1.15, color=color, stroke_width=3).move_to(curve.point(w[0]) + UP * radius)
    span = np.linspace(w[0], w[-1], 120)  # the curve between start and end, built once; shown up to the ball
    whole = VMobject(stroke_color=color, stroke_width=7, stroke_opacity=0.85)
    whole.set_points_smoothly([curve.point(float(a)) for a in span])
    trail = whole.copy()
    ball = Dot(curve.point(w[0]), radius=radius, color=color).shift(UP * radius)

    def where(_):
        t = min(max(step.get_value(), 0.0), len(w) - 1.0)
        k = min(int(t), len(w) - 2)
        frac = t - k
        w1 = w[k] * (1 - frac) + w[k + 1] * frac
        ball.move_to(curve.point(w1) + UP * radius)
        share = (w1 - w[0]) / (w[-1] - w[0]) if w[-1] != w[0] else 1.0
        trail.pointwise_become_partial(whole, 0, min(max(share, 1e-4), 1.0))

    roles.path(trail, end=ball)
    group = VGroup(trail, start, ball)
    group.trail, group.ball, group.travel = trail, ball, max(whole.width, whole.height)
    group.add_updater(where)
    where(group)
    return group
