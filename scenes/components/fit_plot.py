"""Axes for a 1-D fit, "Actual" versus "Predicted" (mathcore.approximation): built once per x range, with the
range's ends written under the axis, the data's lowest and highest y beside the left line; curves, sample dots
and a shaded x band placed on them."""
from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, Axes, DashedVMobject, Dot, Line, Rectangle, VGroup, VMobject

from mathcore.display import fmt
from scenes import theme
from scenes.components import roles
from scenes.theme import networks as ntheme

PAD = 0.08  # of the y span, above and below
TICK = 0.08  # length of a y tick mark
RUG = 0.18  # height of a training point's mark on the bottom line
DASHES = 90  # of a dashed curve: the curve under it shows between them


class FitAxes(VGroup):
    """``axes`` over [lo, hi] × [y_lo, y_hi] (padded), ``ends`` the x range's ends as text."""

    def __init__(self, x_range, y_range, width: float, height: float, text):
        super().__init__()
        lo, hi = x_range
        y_lo, y_hi = y_range
        pad = PAD * ((y_hi - y_lo) or 1.0)
        self.y_lo, self.y_hi = y_lo - pad, y_hi + pad
        # The axes run from the plot's corner: x - lo and y - y_lo, so their lines are the plot's left and
        # bottom edges (manim draws axis lines through 0, wherever that is); ``c2p`` takes data coordinates.
        self.lo = lo
        self.axes = Axes(
            x_range=[0, hi - lo, hi - lo], y_range=[0, self.y_hi - self.y_lo, (y_hi - y_lo) or 1.0],
            x_length=width, y_length=height, tips=False,
            axis_config={"color": theme.MUTED, "stroke_width": 2, "include_ticks": False},
        )
        self.frame = VGroup(self.axes.x_axis, self.axes.y_axis)
        self.ends = VGroup(*[
            text(fmt(x), size=theme.SMALL_SIZE, color=theme.MUTED).next_to(self.x_point(x), DOWN, buff=0.15)
            for x in (lo, hi)
        ])
        # the y values read off the plot: the data's lowest and highest, with tick marks on the left line
        self.y_ticks = VGroup()
        for y in (y_lo, y_hi):
            at = self.c2p(lo, y)
            self.y_ticks.add(Line(at, at + TICK * RIGHT, color=theme.MUTED, stroke_width=2),
                             text(fmt(y), size=theme.SMALL_SIZE, color=theme.MUTED).next_to(at, LEFT, buff=0.12))
        self.names = VGroup(
            text("x", size=theme.SMALL_SIZE, color=theme.MUTED).next_to(self.c2p(hi, self.y_lo), RIGHT, buff=0.15),
            text("f(x)", size=theme.SMALL_SIZE, color=theme.MUTED)
            .next_to(self.c2p(lo, (self.y_lo + self.y_hi) / 2), LEFT, buff=0.15),
        )
        self.add(self.axes, self.ends, self.y_ticks, self.names)

    def c2p(self, x: float, y: float):
        """A data point (x, y) on screen."""
        return self.axes.c2p(x - self.lo, y - self.y_lo)

    def x_point(self, x: float):
        """Where x sits on the bottom line."""
        return self.c2p(x, self.y_lo)

    def curve(self, xs, ys, color, width: float = 4.0, opacity: float = 1.0) -> VMobject:
        pts = [self.c2p(x, y) for x, y in zip(xs, ys)]
        line = VMobject(stroke_color=color, stroke_width=width, stroke_opacity=opacity).set_points_as_corners(pts)
        return roles.curve(line, self.axes)

    def dashed_curve(self, xs, ys, color, width: float = 4.0) -> DashedVMobject:
        """A curve drawn in dashes, so a curve it lies on stays in sight; the same number of dashes on any data
        (two of them transform into each other dash by dash)."""
        pts = [self.c2p(x, y) for x, y in zip(xs, ys)]
        line = VMobject(stroke_color=color, stroke_width=width).set_points_as_corners(pts)
        return roles.curve(DashedVMobject(line, num_dashes=DASHES, dashed_ratio=0.6), self.axes)

    def rug(self, xs, color) -> VGroup:
        """A short mark on the bottom line at each x: where the training points are, however many."""
        return VGroup(*[Line(self.x_point(x), self.x_point(x) + RUG * UP, color=color, stroke_width=1.5) for x in xs])

    def dots(self, xs, ys, radius: float, color) -> VGroup:
        return VGroup(*[Dot(self.c2p(x, y), radius=radius, color=color) for x, y in zip(xs, ys)])

    def band(self, lo: float, hi: float) -> Rectangle:
        """The x range [lo, hi] as a shaded column the axes' height."""
        left, right = self.c2p(lo, 0)[0], self.c2p(hi, 0)[0]
        top, bottom = self.c2p(lo, self.y_hi)[1], self.c2p(lo, self.y_lo)[1]
        rect = Rectangle(width=right - left, height=top - bottom, stroke_width=0)
        rect.set_fill(ntheme.RANGE_FILL, opacity=1).move_to([(left + right) / 2, (top + bottom) / 2, 0])
        return rect
