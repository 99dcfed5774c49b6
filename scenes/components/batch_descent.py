"""Minibatch (and stochastic) gradient descent drawn step by step: the batch's cost curve under the ball, the batch's
minimiser ticked on the w axis, and w's trace over the epochs.

``BatchDescent(plot, trace_axes, w, run, curve_of, color)`` takes one of mathcore's batch runs (``batches.compute``:
its steps, each with the rows of its batch, w before and after, the batch's minimiser; its trace of (epoch, w)) and
``curve_of(rows)``, the batch's L on the grid ``w`` (mathcore's ``scaled_loss``). Its methods return the
animations of one step, which the scene plays with its own table highlight and readouts: ``batch(s)`` shows step
``s``'s batch (the first time the curve is drawn and the ball put on it; then the last curve morphs into the new
one, the ball riding on it), ``update(s, upto)`` moves the ball to the step's new w and extends the trace,
``fast_forward(last)`` shows the run's last batch at once. ``curve``, ``tick`` and ``trace`` are what it drew.
"""
from __future__ import annotations

from manim import Create, FadeIn, ReplacementTransform, Transform, VGroup, VMobject

from scenes import theme
from scenes.components import roles
from scenes.components.cost_curve import AfterPlay, CostCurve


class BatchDescent:
    def __init__(self, plot: CostCurve, trace_axes, w, run: dict, curve_of, color):
        self.plot, self.trace_axes, self.w = plot, trace_axes, w
        self.run, self.curve_of, self.color = run, curve_of, color
        self.curve: VMobject | None = None
        self.tick = None
        self.trace: VMobject | None = None

    def trace_line(self, upto: int) -> VMobject:
        """The run's w over the epochs from the start to step ``upto`` (mathcore's trace)."""
        pts = [self.trace_axes.c2p(e, w) for e, w in self.run["trace"][:upto + 1]]
        pts += pts[-1:] if len(pts) == 1 else []  # the start as a 0-long line: with no points it grows from the origin
        return roles.path(VMobject(color=self.color, stroke_width=3).set_points_as_corners(pts))

    def tick_at(self, s: dict):
        """The step's batch minimiser on the w axis (none if the batch has no minimum)."""
        return self.plot.tick(s["batch_minimiser"], theme.VALUE) if s["batch_minimiser"] is not None else VGroup()

    def batch(self, s: dict) -> list:
        """Step ``s``'s batch: its curve under the ball (the first: drawn, the ball put on it at w and faded in if
        it is new, the trace begun; later: the last curve morphs into it, the ball riding on it), its minimiser
        ticked; the ball ends on top."""
        new_curve = roles.curve(self.plot.polyline(self.w, self.curve_of(s["rows"]), theme.VALUE), self.plot.axes)
        if self.curve is None:
            self.plot.curve = self.curve = new_curve
            new_ball = not hasattr(self.plot, "w")  # the plot's ball, made once and kept on screen
            ball = self.plot.ball(s["w_before"]) if new_ball else self.plot.ball_dot
            self.plot.attach(s["w_before"])
            self.trace = self.trace_line(0)
            anims = [Create(new_curve), FadeIn(self.trace), *([FadeIn(ball)] if new_ball else [])]
        else:
            anims = [Transform(self.curve, new_curve)]
        return [*anims, self.new_tick(s), AfterPlay(front=[self.plot.ball_dot])]

    def new_tick(self, s: dict):
        tick = self.tick_at(s)
        anim = FadeIn(tick) if self.tick is None else ReplacementTransform(self.tick, tick)
        self.tick = tick
        return anim

    def update(self, s: dict, upto: int) -> list:
        """The update: the ball rolls to the step's new w on the batch's curve; the trace runs on to step ``upto``."""
        return [self.plot.w.animate.set_value(s["w_after"]), Transform(self.trace, self.trace_line(upto))]

    def fast_forward(self, last: dict) -> list:
        """The run's last batch at once: its curve, its minimiser, the trace up to the step before it (then
        ``update(last, ...)`` takes the last step)."""
        return [Transform(self.curve, self.plot.polyline(self.w, self.curve_of(last["rows"]), theme.VALUE)),
                self.new_tick(last), Transform(self.trace, self.trace_line(len(self.run["trace"]) - 2))]
