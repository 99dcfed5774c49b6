"""A 1-D cost curve on axes with a ball on it: the picture of gradient descent.

The axes and the curve are built once from mathcore's arrays (a grid of w and the cost
at each w, drawn as a polyline); the ball follows a ValueTracker holding w and stays on
whatever curve is drawn (also while one curve morphs into another), so a scene moves
the ball by animating the tracker. Tangent lines take their point and slope from
mathcore too (e.g. a ``gd.Run``'s w, cost and grad): nothing is computed here.

``Descent`` draws one run of gradient descent on a curve: each of its methods returns the
animations of one step (the tangent at w_t, the hop to w_(t+1), the rest of the run at once),
which the scene plays at its own pace beside its own readouts.
"""
from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    PI,
    RIGHT,
    UP,
    Animation,
    ArcBetweenPoints,
    Arrow,
    Axes,
    BraceBetweenPoints,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    MoveAlongPath,
    NumberLine,
    ReplacementTransform,
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


class Shortfall(ZoomStrip):
    """Iterates ``ws`` that all but reach ``w_star``, zoomed in: a dot at each (they bunch up as the steps shrink),
    the last as the ball, w*'s tick, and the gap from the last to w* braced and named ``gap`` (TeX) above."""

    def __init__(self, plot: CostCurve, ws, w_star: float, gap: str, length: float, center):
        super().__init__(plot, [*ws, w_star], length, center)
        at = self.line.n2p
        self.dots = VGroup(*[Dot(at(w), radius=0.05, color=theme.HIGHLIGHT).set_opacity(Descent.DOT_OPACITY)
                             for w in ws[:-1]], Dot(at(ws[-1]), radius=BALL_RADIUS * 0.7, color=theme.HIGHLIGHT))
        self.brace = BraceBetweenPoints(at(ws[-1]), at(w_star), direction=UP, color=theme.GRADIENT).shift(UP * 0.28)
        self.gap = MathTex(gap, font_size=NUMBER_SIZE, color=theme.GRADIENT).next_to(self.brace, UP, buff=0.08)
        self.add(self.tick(w_star, theme.VALUE), self.dots, self.brace, self.gap)


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


class AfterPlay(Animation):
    """No motion of its own: what a scene would do right after the play this is part of. ``kept`` join the group
    ``into`` (a run's trail: joined before the play, a trail already on screen as one group would draw them at its
    place before their own animation draws them), then ``front`` come to the front of the scene, in this order (the
    ball over the tangent and dot drawn where it is)."""

    def __init__(self, front=(), into: VGroup | None = None, kept=()):
        super().__init__(None, run_time=0, introducer=True)  # an introducer of nothing: the scene adds no mobject
        self.front, self.into, self.kept = list(front), into, list(kept)

    def _setup_scene(self, scene) -> None:
        pass

    def begin(self) -> None:
        pass

    def finish(self) -> None:
        pass

    def interpolate(self, alpha: float) -> None:
        pass

    def clean_up_from_scene(self, scene) -> None:
        if self.into is not None:
            self.into.add(*self.kept)
        if self.front:
            scene.add(*self.front)


class Hop(MoveAlongPath):
    """The ball along ``arc`` (one update); once there, the arc stays as the trail, dimmed to ``dim``. A ball
    thrown out of the frame (``dim`` None) leaves the scene at its end."""

    def __init__(self, ball, arc, dim: float | None = None, **kwargs):
        self.dim = dim
        super().__init__(ball, arc, remover=dim is None, **kwargs)

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        if self.dim is not None:
            self.path.set_stroke(opacity=self.dim)


class Descent:
    """One run of gradient descent (mathcore's iterates ``w``, ``cost`` and ``grad``) drawn on ``view`` with
    ``ball``: a dot at each iterate, the tangent at the current one (its slope is the gradient the step uses), a
    hop along an arc for each update. The methods return the animations of one step, for the scene to play with
    its readouts at its own pace; they keep what the run leaves: ``trail`` (dots, arcs, the arrow of a ball that
    flew off), ``tangent`` (the current one, None once the ball left the view), ``dropped`` (a tangent left
    behind when the ball flew off). ``exits``: where an arrow for a ball thrown out of the frame points, going
    left and going right."""

    DOT_OPACITY, TRAIL_OPACITY = 0.6, 0.45

    def __init__(self, view: CostCurve, ball: Dot, w, cost, grad, exits, color=theme.HIGHLIGHT):
        self.view, self.ball, self.w, self.cost, self.grad = view, ball, w, cost, grad
        self.exits, self.color = exits, color
        self.trail, self.dropped = VGroup(), VGroup()
        self.tangent: Line | None = None
        self.on_view = True  # the ball is in the frame
        self.arrow: Arrow | None = None

    def dot(self, view: CostCurve, t: int) -> Dot:
        return view.marker(self.w[t], self.cost[t], self.color, radius=0.05).set_opacity(self.DOT_OPACITY)

    def touch(self, t: int) -> list:
        """At w_t: its dot and the tangent there (replacing the last one), the ball over them. Once the ball has
        left the frame: the tangent it left behind goes (it is at an earlier w than the readout's)."""
        if not self.on_view:
            gone, self.dropped = self.dropped, VGroup()
            return [FadeOut(gone)] if len(gone) else []
        tangent = self.view.tangent(self.w[t], self.cost[t], self.grad[t])
        dot = self.dot(self.view, t)
        swap = FadeIn(tangent) if self.tangent is None else ReplacementTransform(self.tangent, tangent)
        self.trail.add(dot)
        self.tangent = tangent
        return [FadeIn(dot), swap, AfterPlay(front=[self.ball])]

    def leaves(self, t: int) -> bool:
        """Does the update from w_t land outside the view?"""
        return not self.view.inside(self.w[t + 1])

    def hop(self, t: int) -> list:
        """The update w_t -> w_(t+1): the ball along an arc over the curve, which stays as the trail; or, landing
        outside the view, thrown out of the frame, up and the way w went (its tangent left behind)."""
        w, c, nxt = self.w, self.cost, self.w[t + 1]
        if self.view.inside(nxt):
            arc = self.view.jump(w[t], c[t], nxt, c[t + 1])
            return [Create(arc), Hop(self.ball, arc, dim=self.TRAIL_OPACITY), AfterPlay(into=self.trail, kept=[arc])]
        self.exit = self.exits[1 if nxt > w[t] else 0]
        self.arc = self.view.jump(w[t], c[t], nxt, c[t + 1], end=off_frame(self.ball.get_center(), self.exit))
        self.on_view = False
        if self.tangent is not None:
            self.dropped.add(self.tangent)
            self.tangent = None
        return [Create(self.arc), Hop(self.ball, self.arc)]

    def flown(self) -> list:
        """After a hop out of the frame: its arc turns into an arrow inside the frame from where the ball was
        towards the side w went to (and up: its cost grew)."""
        self.arrow = Arrow(self.arc.get_start(), self.exit, buff=0, color=theme.NEGATIVE, stroke_width=5,
                           max_tip_length_to_length_ratio=0.15)
        return [ReplacementTransform(self.arc, self.arrow), AfterPlay(into=self.trail, kept=[self.arrow])]

    def moved_to(self, view: CostCurve, t: int) -> list:
        """The run so far (w_0..w_t) redrawn on another ``view`` (a zoomed-out plot), the ball with it; the
        tangent goes. Play with the scene's own change of plot."""
        arcs = [view.jump(self.w[k], self.cost[k], self.w[k + 1], self.cost[k + 1]).set_stroke(
            opacity=self.TRAIL_OPACITY) for k in range(t)]
        trail = VGroup(*arcs, *[self.dot(view, k) for k in range(t + 1)])
        anims = [ReplacementTransform(self.trail, trail),
                 self.ball.animate.move_to(view.point(self.w[t], self.cost[t]))]
        if self.tangent is not None:
            anims.append(FadeOut(self.tangent))
        self.view, self.trail, self.tangent = view, trail, None
        return anims

    def rest(self, first: int) -> list:
        """The steps after ``first`` at once: the ball hops on to the last iterate along one path, a dot at each,
        the tangent moves there. None if the ball left the frame or the rest leaves the view (nothing to draw)."""
        w, c, g = self.w, self.cost, self.grad
        last = len(w) - 1
        if not self.on_view or first >= last or not all(self.view.inside(x) for x in w[first:]):
            return []
        path = VMobject()
        for t in range(first, last):
            path.append_points(self.view.jump(w[t], c[t], w[t + 1], c[t + 1]).points)
        path.set_stroke(self.color, width=3, opacity=self.TRAIL_OPACITY)
        dots = [self.dot(self.view, t) for t in range(first + 1, last + 1)]
        tangent = self.view.tangent(w[last], c[last], g[last])
        swap = FadeIn(tangent) if self.tangent is None else ReplacementTransform(self.tangent, tangent)
        self.tangent = tangent
        return [Create(path), MoveAlongPath(self.ball, path), *[FadeIn(d) for d in dots], swap,
                AfterPlay(front=[self.ball], into=self.trail, kept=[path, *dots])]


def over_curve(view: CostCurve, start, x_end: float, y_min: float, margin: float = 0.25) -> float:
    """The end height at ``x_end`` (at least ``y_min``, at most the frame's top less ``margin``) of a straight line
    from ``start`` that passes ``margin`` over every point of ``view``'s curve on its way: an arrow that never
    crosses the curve."""
    sx, sy = float(start[0]), float(start[1])
    need = y_min
    for px, py in view.curve.points[:, :2]:
        share = (px - sx) / (x_end - sx)  # how far along the line the point lies
        if 0.05 < share <= 1:  # the curve right at the ball is where the line starts
            need = max(need, sy + (py + margin - sy) / share)
    return min(need, config.frame_height / 2 - margin)


def off_frame(start, towards):
    """The point past the frame's edge on the straight way from ``start`` through ``towards``."""
    start = [float(v) for v in start]
    way = [towards[0] - start[0], towards[1] - start[1]]
    half = (config.frame_width / 2 + 0.6, config.frame_height / 2 + 0.6)
    reach = min(((half[i] if way[i] > 0 else -half[i]) - start[i]) / way[i] for i in range(2) if abs(way[i]) > 1e-9)
    return [start[0] + reach * way[0], start[1] + reach * way[1], 0]
