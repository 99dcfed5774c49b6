"""Live values (and bars) of named quantities, one row each, stepping through a run's records.

Each row shows ``values[i]`` for an index i (a step of a mathcore run): its name, the number
(written with mathcore.display.fmt) and a bar for |value|, coloured by sign. Every bar of the panel
has one scale: log10 |value| from the smallest to the largest decade any row will show (the
quantities of one run span many decades), with the decades marked above the bars (``scale``).
``reveal(keys, i)`` moves the named rows to index i; ``sweep(i)`` moves every
row together (the numbers roll past); both are animations that land exactly on i even when a
play is skipped. An index tracker (ValueTracker) per row drives the bars between frames.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from manim import (
    LEFT,
    RIGHT,
    UP,
    Line,
    MathTex,
    Rectangle,
    Text,
    UpdateFromAlphaFunc,
    ValueTracker,
    VGroup,
)

from mathcore.display import cell, fmt
from scenes import theme
from scenes.components import roles
from scenes.theme import optimisers as otheme

ROW_PITCH = 0.46
NAME_WIDTH = 0.9
NUMBER_WIDTH = 2.2
SWEEP_STOPS = 16  # distinct steps a sweep shows on its way
MIN_BAR = 0.04  # a value below the scale's first decade still shows as a sliver
LABEL_EVERY = 3  # every third decade from the scale's first is labelled (or every 6th, 9th ... when narrow)
LABEL_ROOM = 0.8  # a decade label's width and a gap: as many fit side by side over the bars
TICK = 0.1  # a labelled decade's tick (the others half as long)


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def written(text: str) -> str:
    """A cell's number with its power of ten as ×10ⁿ (1.2e-7 -> 1.2×10⁻⁷): never an e-number on screen."""
    if "e" not in text or not any(c.isdigit() for c in text):
        return text
    mant, _, exp = text.partition("e")
    return f"{fmt(float(mant), 2)}×10{exp.translate(SUPERSCRIPT)}"


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
        # one log scale for every bar: the decades of the smallest and largest |value| any bar will show
        shown = [abs(v) for r in rows if r.bar for v in r.values if v is not None and v != 0]
        self.decades = (math.floor(math.log10(min(shown))), math.ceil(math.log10(max(shown)))) if shown else (0, 1)
        if self.decades[1] == self.decades[0]:
            self.decades = (self.decades[0], self.decades[0] + 1)
        for k, r in enumerate(rows):
            name = MathTex(r.label, font_size=max(font_size + 2, otheme.TEX_SIZE), color=r.color)
            name.move_to([0, -k * ROW_PITCH, 0], aligned_edge=LEFT)
            number = self._number(r.key, 0)
            bar = Rectangle(width=1e-3, height=otheme.BAR_HEIGHT, stroke_width=0).set_fill(r.color, opacity=0.85)
            row = VGroup(name, number, bar)
            self.rows[r.key] = row
            self.add(row)
            self._place(r.key, 0)

    def _number(self, key: str, i: int) -> Text:
        v = self.specs[key].values[i]
        return Text(written(cell(v)), font=theme.MONO, font_size=self.font_size, color=theme.TEXT)

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
        length = self.bar_length(v)
        bar.stretch_to_fit_width(length).move_to([left + NUMBER_WIDTH, y, 0], aligned_edge=LEFT)
        roles.bar(bar, length / self.bar_width * (self.decades[1] - self.decades[0]), self, along="width")
        color = self.specs[key].color if v is None or v >= 0 else theme.NEGATIVE
        bar.set_fill(color, opacity=0.85 if v is not None and self.specs[key].bar else 0)

    def bar_length(self, v) -> float:
        """log10 |v| on the panel's scale (decades[0] at the bar's start, decades[1] at its full width)."""
        if v is None or v == 0:
            return 1e-3
        lo, hi = self.decades
        share = (math.log10(abs(v)) - lo) / (hi - lo)
        return max(min(share, 1.0) * self.bar_width, MIN_BAR)

    def scale(self, size: int = otheme.TEX_SIZE) -> VGroup:
        """The bars' decades: a line over the bars with ticks, labelled 10^k, and "|value|, log scale"."""
        left = min(r[0].get_left()[0] for r in self.rows.values()) + NAME_WIDTH + NUMBER_WIDTH
        top = max(r.get_top()[1] for r in self.rows.values()) + 0.15
        lo, hi = self.decades
        axis = Line([left, top, 0], [left + self.bar_width, top, 0], color=theme.MUTED, stroke_width=1.5)
        marks, labelled = VGroup(), self.labelled_decades()
        for k in range(lo, hi + 1):  # every decade ticked; the labelled ones longer
            x = left + (k - lo) / (hi - lo) * self.bar_width
            tall = TICK if k in labelled else TICK / 2
            marks.add(Line([x, top, 0], [x, top + tall, 0], color=theme.MUTED, stroke_width=1.5))
            if k in labelled:
                text = "1" if k == 0 else f"10^{{{k}}}"
                marks.add(MathTex(text, font_size=size, color=theme.MUTED).next_to([x, top + tall, 0], UP, buff=0.06))
        note = Text("bars: |value| on a log scale", font=theme.FONT, font_size=theme.SMALL_SIZE, color=theme.MUTED)
        note.next_to(VGroup(axis, marks), UP, buff=0.1).align_to(axis, RIGHT)
        return VGroup(axis, marks, note)

    def labelled_decades(self) -> list[int]:
        """The decades labelled over the bars: both ends (the scale's range), and every LABEL_EVERY-th (or 6th,
        9th ...) from the first in between, as many as fit LABEL_ROOM apart (a crowded row of 10^k is unreadable)."""
        lo, hi = self.decades
        room = max(2, int(self.bar_width / LABEL_ROOM) + 1)
        every = LABEL_EVERY * max(1, math.ceil((hi - lo) / (LABEL_EVERY * (room - 1))))
        apart = self.bar_width / (hi - lo)  # between two decades
        return [k for k in range(lo, hi + 1)
                if k == hi or ((k - lo) % every == 0 and (hi - k) * apart > LABEL_ROOM - 1e-6)]

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

