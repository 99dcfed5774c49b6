"""A 1-D cost curve on axes with a ball on it: the picture of gradient descent.

The axes and the curve are built once from mathcore's arrays (a grid of w and the cost
at each w, drawn as a polyline); the ball follows a ValueTracker holding w and stays on
whatever curve is drawn (also while one curve morphs into another), so a scene moves
the ball by animating the tracker. Tangent lines take their point and slope from
mathcore too (e.g. a ``gd.Run``'s w, cost and grad): nothing is computed here.
"""
from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    PI,
    RIGHT,
    UP,
    ArcBetweenPoints,
    Axes,
    DashedLine,
    Dot,
    Line,
    MathTex,
    NumberLine,
    ValueTracker,
    VGroup,
    VMobject,
    config,
)

from scenes import theme
from scenes.components import roles

BALL_RADIUS = 0.13
TANGENT_HALF_LENGTH = 1.1  # frame units either side of the touching point
CURVE_WIDTH = 4
MAX_TICKS = 8
Y_TICKS = 4
JUMP_ANGLE = PI / 2.5  # how far a step's arc bulges (radians of arc)
NUMBER_SIZE = theme.MATH_MIN_SIZE  # tick values
NAME_SIZE = theme.MATH_MIN_SIZE  # the axes' names


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9))


def nice_step(span: float, max_ticks: int = MAX_TICKS) -> float:
    """A tick step of 1, 2 or 5 times a power of ten giving at most ``max_ticks`` ticks."""
    raw = span / max_ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def value_axes(x_range, y_range, x_length: float, y_length: float, x_numbers: bool = True) -> Axes:
    """Axes in the lecture's style whose y values (and x values, unless ``x_numbers`` is off) are read."""
    return Axes(
        x_range=x_range, y_range=y_range, x_length=x_length, y_length=y_length, tips=False,
        axis_config={"color": theme.MUTED, "stroke_width": 2},
        x_axis_config={"include_numbers": True, "font_size": NUMBER_SIZE} if x_numbers else {"include_ticks": False},
        y_axis_config={"include_numbers": True, "font_size": NUMBER_SIZE,
                       "decimal_number_config": {"num_decimal_places": _decimals(y_range[2])}},
    )


class ZoomStrip(VGroup):
    """A number line centred at ``center``, zoomed in on ``values`` (those inside ``plot``), tied to the
    plot's w axis by two dashed guides; ``tick()`` marks a value on it."""

    def __init__(self, plot: CostCurve, values, length: float, center):
        inside = [v for v in values if plot.inside(v)]
        lo, hi = min(inside), max(inside)
        step = nice_step(max(hi - lo, 1e-3), max_ticks=5)
        lo, hi = np.floor(lo / step - 0.5) * step, np.ceil(hi / step + 0.5) * step
        self.line = NumberLine(x_range=[lo, hi, step], length=length, color=theme.MUTED, include_numbers=True,
                               font_size=NUMBER_SIZE, decimal_number_config={"num_decimal_places": _decimals(step)})
        self.line.move_to(center)
        guides = VGroup(*[
            roles.context(DashedLine(plot.axes.c2p(w, 0), self.line.n2p(w), color=theme.MUTED, stroke_width=1.5,
                                     dash_length=0.06, stroke_opacity=0.6))
            for w in (max(lo, plot.axes.x_range[0]), min(hi, plot.axes.x_range[1]))
        ])
        super().__init__(guides, self.line)

    def tick(self, w: float, color, dashed: bool = False):
        p = self.line.n2p(w)
        kind = DashedLine if dashed else Line
        return kind(p + DOWN * 0.22, p + UP * 0.32, color=color, stroke_width=3 if dashed else 6)


class CostCurve(VGroup):
    """``axes``, ``curve`` (a polyline of the given points) and ``labels``; ``ball()`` and ``tangent()`` add to it."""

    def __init__(self, w, cost, x_range, y_top: float, width: float, height: float,
                 x_label: str = "w", y_label: str = "C(w)", color=theme.VALUE):
        super().__init__()
        lo, hi = float(x_range[0]), float(x_range[1])
        y_step = nice_step(float(y_top), Y_TICKS)
        self.axes = Axes(
            x_range=[lo, hi, nice_step(hi - lo)], y_range=[0, float(y_top), y_step],
            x_length=width, y_length=height, tips=False,
            axis_config={"color": theme.MUTED, "stroke_width": 2, "include_ticks": True},
            x_axis_config={"include_numbers": True, "font_size": NUMBER_SIZE,
                           "decimal_number_config": {"num_decimal_places": _decimals(nice_step(hi - lo))}},
        )
        # A few y values (every tick would crowd the axis): the heights can be read.
        self.axes.y_axis.add_numbers(self._y_values(y_top, y_step), font_size=NUMBER_SIZE,
                                     num_decimal_places=_decimals(y_step))
        self.x_label = MathTex(x_label, font_size=NAME_SIZE, color=theme.TEXT)
        self.x_label.next_to(self.axes.x_axis.get_right(), RIGHT, buff=0.15)
        self.y_label = MathTex(y_label, font_size=NAME_SIZE, color=theme.TEXT)
        self.y_label.next_to(self.axes.y_axis.get_top(), UP, buff=0.2)
        self.labels = VGroup(self.x_label, self.y_label)
        self.curve = self.polyline(w, cost, color)
        self.add(self.axes, self.labels, self.curve)

    @staticmethod
    def _y_values(y_top: float, step: float) -> list[float]:
        values = [k * step for k in range(1, int(y_top / step + 1e-9) + 1)]
        return values[1::2] if len(values) > 3 else values

    # --- curves ---------------------------------------------------------------------------
    def polyline(self, w, cost, color=theme.VALUE, stroke_width: float = CURVE_WIDTH) -> VMobject:
        """The points (w_i, cost_i) joined by straight segments (mathcore's grid is fine enough)."""
        points = [self.axes.c2p(a, b) for a, b in zip(w, cost)]
        return VMobject(color=color, stroke_width=stroke_width).set_points_as_corners(points)

    def point(self, w: float, cost: float) -> np.ndarray:
        return self.axes.c2p(w, cost)

    def on_curve(self, w: float, curve: VMobject | None = None) -> np.ndarray:
        """The point of the drawn curve above w (read off its polyline, clamped to its ends)."""
        pts = (curve or self.curve).points
        x = self.axes.c2p(w, 0)[0]
        return np.array([x, np.interp(x, pts[:, 0], pts[:, 1]), 0.0])

    def inside(self, w: float) -> bool:
        lo, hi = self.axes.x_range[:2]
        return bool(lo <= w <= hi)

    # --- the ball -------------------------------------------------------------------------
    def ball(self, w0: float, color=theme.HIGHLIGHT) -> Dot:
        """A ball on the curve at ``w0``; ``self.w`` (a ValueTracker) moves it."""
        self.w = ValueTracker(w0)
        dot = Dot(radius=BALL_RADIUS, color=color).set_stroke(theme.BACKGROUND, width=2, background=True)
        dot.add_updater(lambda d: d.move_to(self.on_curve(self.w.get_value())))
        dot.update()
        self.ball_dot = dot
        return dot

    def release(self) -> Dot:
        """Let the ball leave the curve (it keeps its place until moved)."""
        self.ball_dot.clear_updaters()
        return self.ball_dot

    def attach(self, w: float) -> None:
        """Put the ball back on the curve at w."""
        self.w.set_value(w)
        self.ball_dot.clear_updaters()
        self.ball_dot.add_updater(lambda d: d.move_to(self.on_curve(self.w.get_value())))
        self.ball_dot.update()

    def exit_point(self, w: float, cost: float, margin: float = 0.6, start: np.ndarray | None = None) -> np.ndarray:
        """Where a ball heading for (w, cost) from ``start`` (the ball) leaves the frame (for a point off the plot)."""
        start = self.ball_dot.get_center() if start is None else np.asarray(start, dtype=float)
        target = self.axes.c2p(w, cost)
        direction = target - start
        norm = float(np.linalg.norm(direction[:2]))
        if not math.isfinite(norm) or norm == 0:
            return start
        direction = direction / norm
        half = np.array([config.frame_width / 2 + margin, config.frame_height / 2 + margin, 1.0])
        reach = min(abs((np.sign(d) * half[i] - start[i]) / d) for i, d in enumerate(direction[:2]) if d != 0)
        return start + reach * direction

    # --- marks ----------------------------------------------------------------------------
    def tangent(self, w: float, cost: float, slope: float, color=theme.GRADIENT,
                half_length: float = TANGENT_HALF_LENGTH) -> Line:
        """The line through (w, cost) with slope ``slope`` (in the axes' units), of fixed length on screen."""
        p = self.axes.c2p(w, cost)
        direction = self.axes.c2p(w + 1, cost + slope) - p
        direction = direction / np.linalg.norm(direction)
        return Line(p - half_length * direction, p + half_length * direction, color=color, stroke_width=4)

    def jump(self, w0: float, c0: float, w1: float, c1: float, color=theme.HIGHLIGHT,
             end: np.ndarray | None = None) -> ArcBetweenPoints:
        """One update drawn as a hop: an arc over the curve from (w0, c0) to (w1, c1) (or to ``end``)."""
        start = self.axes.c2p(w0, c0)
        stop = self.axes.c2p(w1, c1) if end is None else end
        angle = JUMP_ANGLE if stop[0] < start[0] else -JUMP_ANGLE  # bulge upwards either way
        return ArcBetweenPoints(start, stop, angle=angle, color=color, stroke_width=3, stroke_opacity=0.8)

    def marker(self, w: float, cost: float, color=theme.TEXT, radius: float = 0.07) -> Dot:
        return Dot(self.axes.c2p(w, cost), radius=radius, color=color)

    def vline(self, w: float, color=theme.MUTED, top: float | None = None) -> DashedLine:
        """A dashed vertical line at w from the w axis up to ``top`` (the y range's top by default)."""
        top = self.axes.y_range[1] if top is None else top
        return DashedLine(self.axes.c2p(w, 0), self.axes.c2p(w, top), color=color, stroke_width=2.5,
                          dash_length=0.1)

    def tick(self, w: float, color=theme.TEXT, length: float = 0.32) -> Line:
        """A short coloured mark on the w axis at w."""
        p = self.axes.c2p(w, 0)
        return Line(p + DOWN * length / 2, p - DOWN * length / 2, color=color, stroke_width=6)


def off_frame(start, towards):
    """The point past the frame's edge on the straight way from ``start`` through ``towards``."""
    start = [float(v) for v in start]
    way = [towards[0] - start[0], towards[1] - start[1]]
    half = (config.frame_width / 2 + 0.6, config.frame_height / 2 + 0.6)
    reach = min(((half[i] if way[i] > 0 else -half[i]) - start[i]) / way[i] for i in range(2) if abs(way[i]) > 1e-9)
    return [start[0] + reach * way[0], start[1] + reach * way[1], 0]
