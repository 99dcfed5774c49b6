"""Grouped bars on a log scale: one group per named item (layer), one bar per series (network).

Heights are log10 of mathcore's values above the chart's floor decade; the y axis is labelled
at whole decades (10^k), and says it is a log scale. Series can be added one at a time:
``series(name)`` is that series' bars (built once), placed beside the other series'.
"""
from __future__ import annotations

import math

from manim import DOWN, LEFT, UP, Line, MathTex, Rectangle, Text, VGroup

from scenes import theme

LABEL_SIZE = theme.SMALL_SIZE
GROUP_FILL = 0.75  # share of a group's width the bars take


class LogBarChart(VGroup):
    def __init__(self, names: list[str], data: dict[str, list[float]], colors: dict, width: float = 11.0,
                 height: float = 4.2, origin=(0.0, 0.0, 0.0)):
        """``origin`` is where the axes meet (bottom left of the bars), in frame units."""
        super().__init__()
        values = [v for series in data.values() for v in series if v > 0]
        self.lo = math.floor(math.log10(min(values)))
        self.hi = math.ceil(math.log10(max(values)))
        self.width_, self.height_ = width, height
        self.names, self.series_values, self.colors = names, data, colors
        self.axis = Line([0, 0, 0], [width, 0, 0], color=theme.MUTED, stroke_width=2)
        self.y_axis = Line([0, 0, 0], [0, height, 0], color=theme.MUTED, stroke_width=2)
        self.grid = VGroup()
        self.decades = VGroup()
        step = max(1, math.ceil((self.hi - self.lo) / 5))  # at most about six decade labels
        for k in range(self.lo, self.hi + 1, step):
            y = self.y(10.0**k)
            self.grid.add(Line([0, y, 0], [width, y, 0], color=theme.PANEL, stroke_width=1.5))
            self.decades.add(MathTex(f"10^{{{k}}}", font_size=theme.MATH_MIN_SIZE, color=theme.MUTED)
                             .next_to([0, y, 0], LEFT, buff=0.12))
        self.group_width = width / len(names)
        self.ticks = VGroup(*[
            MathTex(n, font_size=theme.MATH_MIN_SIZE, color=theme.MUTED).next_to([self.x(i), 0, 0], DOWN, buff=0.12)
            for i, n in enumerate(names)
        ])
        self.bars = {name: self._bars(name, k) for k, name in enumerate(data)}
        self.add(self.grid, self.axis, self.y_axis, self.decades, self.ticks)
        self.shift(origin)
        for bars in self.bars.values():
            bars.shift(origin)

    def y(self, value: float) -> float:
        return (math.log10(value) - self.lo) / (self.hi - self.lo) * self.height_

    def x(self, i: int) -> float:
        return (i + 0.5) * self.group_width

    def _bars(self, name: str, k: int) -> VGroup:
        n = len(self.series_values)
        bar_w = self.group_width * GROUP_FILL / n
        bars = VGroup()
        for i, v in enumerate(self.series_values[name]):
            h = max(self.y(v), 1e-3)
            bar = Rectangle(width=bar_w, height=h, stroke_width=0).set_fill(self.colors[name], opacity=0.9)
            left = self.x(i) - self.group_width * GROUP_FILL / 2 + k * bar_w
            bar.move_to([left, 0, 0], aligned_edge=DOWN + LEFT)
            bars.add(bar)
        return bars

    def series(self, name: str) -> VGroup:
        """The bars of one series, in place (not yet added to the chart)."""
        return self.bars[name]

    def caption(self, text: str) -> Text:
        """What the y axis measures, over it."""
        return Text(text, font=theme.FONT, font_size=LABEL_SIZE, color=theme.MUTED).next_to(
            VGroup(self.y_axis, self.decades), UP, buff=0.12).align_to(self.decades, LEFT)

    def x_caption(self, text: str) -> Text:
        """What the groups are, under their names."""
        return Text(text, font=theme.FONT, font_size=LABEL_SIZE, color=theme.MUTED).next_to(
            self.ticks, DOWN, buff=0.1).set_x(self.axis.get_center()[0])
