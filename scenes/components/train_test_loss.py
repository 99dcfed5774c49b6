"""Training and test loss against epoch: axes built once, both curves drawn up to a ValueTracker's epoch
(mathcore.playground run's ``train_loss`` and ``test_loss``)."""
from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, UP, Axes, Text, VGroup, VMobject, always_redraw

from mathcore.display import fmt
from scenes import theme
from scenes.theme import networks as ntheme

LABEL_SIZE = theme.SMALL_SIZE


class TrainTestLoss(VGroup):
    """``axes`` and ``labels``; ``curves(tracker)`` gives the two curves growing with the tracker's epoch."""

    def __init__(self, train, test, width: float, height: float):
        super().__init__()
        self.train = np.asarray(train, dtype=float)
        self.test = np.asarray(test, dtype=float)
        last = len(self.train) - 1
        top = float(max(self.train.max(), self.test.max())) or 1.0
        self.axes = Axes(
            x_range=[0, max(last, 1), max(last, 1)], y_range=[0, top * 1.05, top], x_length=width, y_length=height,
            tips=False, axis_config={"color": theme.MUTED, "stroke_width": 2, "include_ticks": False},
        )
        xl = Text("epoch", font=theme.FONT, font_size=LABEL_SIZE, color=theme.MUTED)
        xl.next_to(self.axes.x_axis, DOWN, buff=0.12).align_to(self.axes.x_axis, LEFT)
        end = Text(str(last), font=theme.FONT, font_size=LABEL_SIZE, color=theme.MUTED)
        end.next_to(self.axes.x_axis, DOWN, buff=0.12).align_to(self.axes.x_axis, np.array([1, 0, 0]))
        start = Text("0", font=theme.FONT, font_size=LABEL_SIZE, color=theme.MUTED)
        start.next_to(self.axes.c2p(0, 0), DOWN, buff=0.12)
        xl.next_to(self.axes.x_axis, DOWN, buff=0.12)  # between the first and last epoch
        yl = Text("loss", font=theme.FONT, font_size=LABEL_SIZE, color=theme.MUTED)
        yl.next_to(self.axes.y_axis, UP, buff=0.1).align_to(self.axes.y_axis, LEFT)
        # the y values read off the plot: 0 and the largest loss
        y_ticks = VGroup(*[Text(text, font=theme.FONT, font_size=LABEL_SIZE, color=theme.MUTED)
                           .next_to(self.axes.c2p(0, v), LEFT, buff=0.1) for v, text in ((0.0, "0"), (top, fmt(top)))])
        self.labels = VGroup(xl, start, end, yl, y_ticks)
        self.add(self.axes, self.labels)

    def _curve(self, values, upto: float, color) -> VMobject:
        k = int(np.clip(np.floor(upto), 0, len(values) - 1))
        pts = [self.axes.c2p(t, v) for t, v in enumerate(values[:k + 1])]
        if len(pts) < 2:
            pts = pts * 2
        return VMobject(stroke_color=color, stroke_width=3).set_points_as_corners(pts)

    def curves(self, tracker) -> VGroup:
        return VGroup(
            always_redraw(lambda: self._curve(self.test, tracker.get_value(), ntheme.TEST_CURVE)),
            always_redraw(lambda: self._curve(self.train, tracker.get_value(), ntheme.TRAIN_CURVE)),
        )
