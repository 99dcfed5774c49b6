"""How far w wanders late in each descent run: a bar per run on a w axis zoomed on where the runs end up.

``WanderBars(late_range, full_w, slots, width, height, corner)``: ``late_range`` is the axis's (low, high) w
(mathcore.batches' ``late_range``), ``full_w`` the all-data minimiser (dashed across), ``slots`` the (label, colour)
of each run in the order they come, named under the axis from the start; ``corner`` is (x of the w axis, y of the
bottom axis). ``bar(late, colour)`` is the next run's bar from its ``late`` (lowest, highest w); ``title`` the
note that says what the bars are (the caller fades it in with the first bar).
"""
from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, DashedLine, Line, MathTex, Text, VGroup

from scenes import theme
from scenes.components import roles
from scenes.components.cost_curve import nice_step, value_axes

NAME_SIZE = theme.MATH_MIN_SIZE + 2


class WanderBars(VGroup):
    def __init__(self, late_range, full_w: float, slots: list[tuple[str, str]], width: float, height: float,
                 corner: tuple[float, float]):
        super().__init__()
        lo, hi = late_range
        n = len(slots)
        self.axes = axes = value_axes([0, n + 1, 1], [lo, hi, nice_step(hi - lo, 3)], width, height, x_numbers=False)
        axes.shift([corner[0] - axes.y_axis.get_x(), corner[1] - axes.x_axis.get_y(), 0])
        line = roles.context(DashedLine(axes.c2p(0, full_w), axes.c2p(n + 1, full_w), color=theme.TEXT,
                                        stroke_width=2.5, dash_length=0.1))
        name = MathTex("w", font_size=NAME_SIZE, color=theme.TEXT).next_to(axes.y_axis, UP, buff=0.12)
        size = Text("batch size", font=theme.FONT, font_size=theme.SMALL_SIZE, color=theme.TEXT)
        size.next_to(axes.x_axis.get_right(), RIGHT, buff=0.15)
        names = VGroup(*[
            Text(label, font=theme.FONT, font_size=theme.SMALL_SIZE, color=color)
            .next_to(axes.x_axis, DOWN, buff=0.2).set_x(axes.c2p(k + 1, lo)[0])
            for k, (label, color) in enumerate(slots)
        ])
        self.add(axes, line, name, size, names)
        self.title = Text("how far w\nwanders,\nlast half\nof epochs", font=theme.FONT, font_size=theme.SMALL_SIZE,
                          color=theme.MUTED)
        self.title.move_to([0, corner[1] + height / 2 + 0.35, 0]).set_x(axes.x_axis.get_right()[0] + 0.2,
                                                                          direction=LEFT)
        self.count = 0

    def bar(self, late, color) -> VGroup:
        """The next slot's bar, from the run's lowest to its highest late w (None: a diverged run, its slot empty)."""
        self.count += 1
        if late is None:
            return VGroup()
        lo, hi = late
        return VGroup(Line(self.axes.c2p(self.count, lo), self.axes.c2p(self.count, hi), color=color, stroke_width=9))
