"""Cost-versus-iteration axes, built once, with the cost history as one polyline (mathcore arrays).

No numbered ticks: the first and last cost (left of the y axis, right of the plot, at their
heights) and the last iteration are written like tick labels (mathcore's numbers via mathcore.display.tex). The y range is the
history's own, so a slow drift is visible; the end labels say how large it is.
"""
from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Dot, MathTex, Text, VGroup, VMobject

from mathcore.display import tex
from scenes import theme
from scenes.theme import optimisers as otheme

PAD = 0.12  # of the y range, above and below the curve
LABEL_SIZE = 20


class HistoryPlot(VGroup):
    """``axes``, ``curve`` (the history), ``labels`` (axis names), ``ends`` (first/last cost)."""

    def __init__(self, costs, width: float = 5.5, height: float = 2.6, color=otheme.PLOT_CURVE):
        super().__init__()
        c = np.asarray(costs, dtype=float)
        lo, hi = float(c.min()), float(c.max())
        span = (hi - lo) or max(abs(hi), 1.0)
        self.axes = Axes(
            x_range=[0, len(c) - 1, max(len(c) - 1, 1)], y_range=[lo - PAD * span, hi + PAD * span, span],
            x_length=width, y_length=height, tips=False,
            axis_config={"color": theme.MUTED, "stroke_width": 2, "include_ticks": False},
        )
        self.curve = VMobject(stroke_color=color, stroke_width=3.5)
        self.curve.set_points_as_corners([self.axes.c2p(t, v) for t, v in enumerate(c)])
        xl = Text("iteration", font=theme.FONT, font_size=LABEL_SIZE, color=theme.MUTED)
        xl.next_to(self.axes.x_axis, DOWN, buff=0.12).align_to(self.axes.x_axis, LEFT)
        yl = Text("cost", font=theme.FONT, font_size=LABEL_SIZE, color=theme.MUTED)
        yl.next_to(self.axes.y_axis, UP, buff=0.1).align_to(self.axes.y_axis, LEFT)
        last = Text(str(len(c) - 1), font=theme.FONT, font_size=LABEL_SIZE, color=theme.MUTED)
        last.next_to(self.axes.x_axis, DOWN, buff=0.12).align_to(self.axes.x_axis, RIGHT)
        self.labels = VGroup(xl, yl, last)
        first_dot = Dot(self.axes.c2p(0, c[0]), radius=0.05, color=color)
        last_dot = Dot(self.axes.c2p(len(c) - 1, c[-1]), radius=0.05, color=color)
        first = MathTex(tex(c[0]), font_size=LABEL_SIZE + 2, color=theme.TEXT)
        end = MathTex(tex(c[-1]), font_size=LABEL_SIZE + 2, color=theme.TEXT)
        # like tick labels: the first cost left of the y axis, the last right of the plot
        first.next_to(self.axes.c2p(0, c[0]), LEFT, buff=0.15)
        end.next_to(self.axes.c2p(len(c) - 1, c[-1]), RIGHT, buff=0.15)
        self.ends = VGroup(first_dot, last_dot, first, end)
        self.add(self.axes, self.labels, self.curve, self.ends)
