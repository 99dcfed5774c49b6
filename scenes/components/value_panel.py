"""Live values (and bars) of named quantities, one row each, stepping through a run's records.

Each row shows ``values[i]`` for an index i (a step of a mathcore run): its name, the number
(written with mathcore.display.fmt) and a bar whose length is |value| on the row's own scale,
coloured by sign. ``reveal(keys, i)`` moves the named rows to index i; ``sweep(i)`` moves every
row together (the numbers roll past); both are animations that land exactly on i even when a
play is skipped. An index tracker (ValueTracker) per row drives the bars between frames.
"""
from __future__ import annotations

from dataclasses import dataclass

from manim import (
    LEFT,
    MathTex,
    Rectangle,
    Text,
    UpdateFromAlphaFunc,
    ValueTracker,
    VGroup,
)

from mathcore.display import cell
from scenes import theme
from scenes.theme import optimisers as otheme

ROW_PITCH = 0.5
NAME_WIDTH = 0.9
NUMBER_WIDTH = 2.0
SWEEP_STOPS = 16  # distinct steps a sweep shows on its way


@dataclass(frozen=True)
class Row:
    key: str
    label: str  # TeX
    values: list  # index -> float or None
    color: object = theme.TEXT
    bar: bool = True


class ValuePanel(VGroup):
    """``rows[key]`` is (name, number, bar); ``trackers[key]`` the index a row shows."""

    def __init__(self, rows: list[Row], bar_width: float = 2.0, font_size: float = otheme.VALUE_SIZE):
        super().__init__()
        self.specs = {r.key: r for r in rows}
        self.bar_width, self.font_size = bar_width, font_size
        self.rows: dict[str, VGroup] = {}
        self.trackers = {r.key: ValueTracker(0) for r in rows}
        self.shown = {r.key: None for r in rows}
        # the scale of each bar: the largest |value| the row will show
        self.bar_scale = {r.key: max((abs(v) for v in r.values if v is not None), default=1.0) or 1.0 for r in rows}
        for k, r in enumerate(rows):
            name = MathTex(r.label, font_size=font_size + 2, color=r.color)
            name.move_to([0, -k * ROW_PITCH, 0], aligned_edge=LEFT)
            number = self._number(r.key, 0)
            bar = Rectangle(width=1e-3, height=otheme.BAR_HEIGHT, stroke_width=0).set_fill(r.color, opacity=0.85)
            row = VGroup(name, number, bar)
            self.rows[r.key] = row
            self.add(row)
            self._place(r.key, 0)

    def _number(self, key: str, i: int) -> Text:
        v = self.specs[key].values[i]
        return Text(cell(v), font=theme.MONO, font_size=self.font_size, color=theme.TEXT)

    def _place(self, key: str, i: int) -> None:
        """Show index i in row ``key``: its number (rebuilt only when i changes) and its bar."""
        row = self.rows[key]
        name, number, bar = row
        y = name.get_y()
        left = name.get_left()[0] + NAME_WIDTH
        if self.shown[key] != i:
            old, number = number, self._number(key, i)
            row.submobjects[1] = number  # a new Text (it knows its string), in the old one's place
            for m in old.get_family():  # as DecimalNumber does: a renderer holding the old one draws nothing
                m.clear_points()
            self.shown[key] = i
        number.move_to([left, y, 0], aligned_edge=LEFT)
        v = self.specs[key].values[i]
        length = max(abs(v) / self.bar_scale[key] * self.bar_width, 1e-3) if v is not None else 1e-3
        bar.stretch_to_fit_width(length).move_to([left + NUMBER_WIDTH, y, 0], aligned_edge=LEFT)
        color = self.specs[key].color if v is None or v >= 0 else theme.NEGATIVE
        bar.set_fill(color, opacity=0.85 if v is not None and self.specs[key].bar else 0)

    def index(self, key: str) -> int:
        return round(self.trackers[key].get_value())

    def reveal(self, keys, i: int, run_time: float = theme.SHORT * 0.5):
        """Rows ``keys`` step to index i."""
        keys = [keys] if isinstance(keys, str) else list(keys)
        starts = {k: self.trackers[k].get_value() for k in keys}

        def update(_, alpha):
            for k in keys:
                self.trackers[k].set_value(starts[k] + (i - starts[k]) * alpha)
                self._place(k, self.index(k))

        # the animated mobject is the panel, so the renderer redraws it every frame
        return UpdateFromAlphaFunc(self, update, run_time=run_time)

    def sweep(self, i: int, run_time: float = otheme.FAST_FORWARD, stops: int = SWEEP_STOPS):
        """Every row steps together to index i, the numbers rolling past ``stops`` evenly spaced steps.

        (Each shown number is a new Text; a few a second are readable and cost little to render.)
        """
        keys = list(self.rows)
        start = self.index(keys[0])
        visits = [round(start + (i - start) * k / stops) for k in range(stops + 1)]

        def update(_, alpha):
            at = visits[min(int(alpha * (len(visits) - 1) + 1e-9), len(visits) - 1)]
            for k in keys:
                self.trackers[k].set_value(at)
                self._place(k, at)

        return UpdateFromAlphaFunc(self, update, run_time=run_time)

    def number(self, key: str) -> Text:
        return self.rows[key][1]

    def label_of(self, key: str) -> MathTex:
        return self.rows[key][0]

    def right_edge(self) -> float:
        return max(r[0].get_left()[0] for r in self.rows.values()) + NAME_WIDTH + NUMBER_WIDTH + self.bar_width

