"""Cost-versus-iteration axes, built once, with the cost history as one polyline (mathcore arrays).

The y axis spans the history's own lowest to highest cost (a little margin either side), so a
drift of 1 % fills the plot as a plunge does and each run's shape can be seen; those two costs, and
the first and last iteration, are the tick values, so the scale is always read off the axis. The first
and last cost are written under the plot (``values``), in one number format (mathcore.display.tex).
"""
from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Dot, Line, MathTex, Text, VGroup, VMobject

from mathcore.display import tex
from scenes import theme
from scenes.components import roles
from scenes.theme import optimisers as otheme

LABEL_SIZE = theme.SMALL_SIZE  # axis names (Text)
TICK_SIZE = theme.MATH_MIN_SIZE + 1  # tick values (MathTex runs smaller than Text at one size)
TICK = 0.08  # half length of a tick mark
MARGIN = 0.08  # of the y span, below the lowest and above the highest cost
TICK_GAP = 0.05  # between two cost values on the y axis


class HistoryPlot(VGroup):
    """``axes``, ``curve`` (the history), ``labels`` (axis names and tick values), ``ends`` (first and last
    point), ``values`` (first -> last cost, under the plot; ``end_value(k)``: an end and its cost there).
    ``upto``: draw iterations 0..upto only (the part where something happens); ``values`` then also gives
    the history's last cost and iteration. ``span``: the y axis spans this much cost up from the history's lowest
    (at least its own range): plots given one span compare by steepness, each from its own lowest cost."""

    def __init__(self, costs, y_name: str = "cost", width: float = 5.5, height: float = 2.6,
                 color=otheme.PLOT_CURVE, upto: int | None = None, span: float | None = None):
        super().__init__()
        end = len(costs) - 1
        last_t = end if upto is None else upto
        c = np.asarray(costs, dtype=float)[:last_t + 1]
        low, high = float(np.min(c)), float(np.max(c))
        # the axes run in units of the span from the lowest cost: manim's axes fail at 10^30
        scale = high - low if high > low else max(abs(high), 1.0)
        if span is not None:
            scale = max(scale, span)
        c = (c - low) / scale + MARGIN  # the x axis runs a margin below the lowest cost
        self.axes = Axes(
            x_range=[0, last_t, max(last_t, 1)], y_range=[0, 1 + 2 * MARGIN, 1 + 2 * MARGIN],
            x_length=width, y_length=height, tips=False,
            axis_config={"color": theme.MUTED, "stroke_width": 2, "include_ticks": False},
        )
        roles.own_scale(self.axes)  # on purpose: each history its own range, read off its tick values
        self.curve = VMobject(stroke_color=color, stroke_width=3.5)
        self.curve.set_points_as_corners([self.axes.c2p(t, v) for t, v in enumerate(c)])
        roles.curve(self.curve, self.axes)
        xl = Text("iteration", font=theme.FONT, font_size=LABEL_SIZE, color=theme.MUTED)
        xl.next_to(self.axes.x_axis, DOWN, buff=0.15)
        yl = Text(y_name, font=theme.FONT, font_size=LABEL_SIZE, color=theme.MUTED)
        yl.next_to(self.axes.y_axis, UP, buff=0.12).align_to(self.axes.y_axis, LEFT)
        ticks = VGroup()
        for t in (0, last_t):
            at = self.axes.c2p(t, 0)
            ticks.add(Line(at + TICK * DOWN, at + TICK * UP, color=theme.MUTED, stroke_width=2))
            ticks.add(MathTex(str(t), font_size=TICK_SIZE, color=theme.MUTED).next_to(at, DOWN, buff=0.15))
        below = None  # the lowest cost's value: the highest's is left out if it would touch it (a wide ``span``)
        for v in sorted({low, high}):
            at = self.axes.c2p(0, (v - low) / scale + MARGIN)
            value = MathTex(tex(v), font_size=TICK_SIZE, color=theme.MUTED).next_to(at, LEFT, buff=0.15)
            if below is not None and value.get_bottom()[1] < below.get_top()[1] + TICK_GAP:
                continue
            ticks.add(Line(at + TICK * LEFT, at + TICK * RIGHT, color=theme.MUTED, stroke_width=2), value)
            below = value
        self.labels = VGroup(xl, yl, ticks)
        self.ends = VGroup(Dot(self.axes.c2p(0, c[0]), radius=0.06, color=color),
                           Dot(self.axes.c2p(last_t, c[-1]), radius=0.06, color=color))
        values = [r"\text{cost: }", tex(costs[0]), r"\;\to\;", tex(costs[last_t])]
        if last_t < end:
            values.append(rf"\;\;(t = {end}\text{{: }} {tex(costs[end])})")
        self.values = MathTex(*values, font_size=TICK_SIZE, color=theme.TEXT)
        self.values.next_to(xl, DOWN, buff=0.15).align_to(self.axes, LEFT)
        self.add(self.axes, self.labels, self.curve, self.ends, self.values)

    def end_value(self, k: int) -> VGroup:
        """The first (k = 0) or last drawn (k = 1) point with its cost under the plot: what to light as it is said."""
        return VGroup(self.ends[k], self.values[1 + 2 * k])
