"""Local minimum problem: the decision line of σ(w1 x1 + x2) turning over the data, C(w1) with its three
minima and gradient-descent balls rolling into them, then the playground's XOR: good and stalled runs."""
from __future__ import annotations

from manim import (
    DOWN,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    MathTex,
    ValueTracker,
    VectorizedPoint,
    VGroup,
    VMobject,
    rate_functions,
)

from mathcore import minima, playground
from mathcore.display import fmt
from scenes import narration, theme
from scenes.base import LectureScene, beat
from scenes.components import roles
from scenes.components.data_plane import DataPlane, error_text
from scenes.components.decision_grid import DecisionPanel, loss_curve
from scenes.components.minima_curve import MinimaCurve, run_ball
from scenes.components.spoken import lit
from scenes.theme import optimisers as otheme

EQUATION_SIZE = theme.MATH_MIN_SIZE
PLANE_SIZE = (5.4, 4.6)
CURVE_SIZE = (5.4, 2.4)
LEFT_X, RIGHT_X = -3.7, 3.6
BODY_Y = -1.1  # under the line's label, which rides above the plane
RULE_Y = 1.75  # the error counter's anchor, under the formulas
LINE_LABEL_GAP = 0.25  # between the plane's top edge and the label of the line
CURVE_Y = -2.05
STOP_GAP = 0.12
ROLL_TIME = 1.6  # per ball: one at a time
BALL_IN, BALL_OUT = 0.4, 0.4
BALL_RADIUS = 0.13
BALL_SHRINK = 0.68
BARELY_MOVES = 0.3  # a ball's trail shorter than this (units) gets a label saying it barely moved
GOOD_SHOWN, STALLED_SHOWN = 1, 2
PANEL_SIDE = 3.3
PANEL_X = (-4.6, 0.55, 4.55)
PANEL_Y = 0.45
LOSS_BOX = (3.3, 1.75)  # each run's loss under its panel: tall enough to read its shape
SNAPSHOT_TIME = 0.5


def model_equations(w2: float) -> list[str]:
    """The slide's three formulas, with w2 as mathcore loaded it."""
    return [
        rf"o_i = \sigma(w_1 x_1 + w_2 x_2) \text{{ with }} w_2 = {fmt(w2)}",
        r"\sigma(z) = \frac{1}{1 + \exp(-z)}",
        r"C(w_1) = \frac{1}{n} \sum_i (y_i - o_i)^2",
    ]


class LocalMinima(LectureScene):
    TITLE = "Local minimum problem"
    LIMITS = {"minima.starts": (len(otheme.RUN_COLORS), "starts")}  # one ball colour each (a 6th repeats the 1st)
    NARRATION = frozenset({"first_errors", "other_errors"})

    def construct(self):
        self.show_model()
        self.next_slide()
        self.turn_the_line()
        self.stop_at_minima()
        self.other_minima()
        self.plot_cost()
        self.next_slide()
        self.roll_balls()
        self.next_slide()
        self.playground_xor()
        self.next_slide()
        self.xor_losses()

    def setup(self):
        super().setup()
        self.result = minima.from_config(self.cfg, runs=True)
        self.data = minima.load(self.cfg)
        self.found = self.result.minima
        self.lo, self.hi = self.result.w1_range

    def narration_values(self) -> dict:
        """The error counts at the minima of C(w1), in increasing w1 (mathcore's minima): the first, the others."""
        return {"first_errors": self.found[0]["errors"],  # each count after its mark: it shows as it is said
                "other_errors": narration.marked("errors", [m["errors"] for m in self.found[1:]]) or "none"}

    @beat
    def show_model(self):
        """The model o_i = σ(w1 x1 + w2 x2), σ and the cost C(w1), over the 2-D data."""
        self.title = self.heading(self.TITLE)
        self.equations = VGroup(*[MathTex(t, font_size=EQUATION_SIZE, color=theme.TEXT)
                                  for t in model_equations(self.data.w2)])
        self.equations.arrange(RIGHT, buff=0.7).next_to(self.title, DOWN, buff=0.3).set_x(0)
        self.plane = DataPlane(self.data, *PLANE_SIZE).move_to([LEFT_X, BODY_Y, 0])
        self.play(FadeIn(self.title), FadeIn(self.equations[0]))
        self.play(FadeIn(self.plane), run_time=theme.NORMAL)
        self.at("neuron")  # the neuron's formula, then its cost as a function of w1, as the voice names them
        self.play(lit(self.equations[0]))
        self.at("w1")
        self.play(FadeIn(self.equations[1:]), run_time=theme.NORMAL)
        self.play(lit(self.equations[2]))

    @beat
    def turn_the_line(self):
        """The line σ(w1 x1 + x2) = 0.5 turns with w1, wrong points counted, a cursor riding C(w1) in step."""
        self.w1 = ValueTracker(self.lo)
        self.line = self.plane.decision_line(self.w1)
        self.rings = self.plane.rings(self.w1)
        self.rule = MathTex(r"\sigma(w_1 x_1 + w_2 x_2) = 0.5", font_size=EQUATION_SIZE, color=theme.HIGHLIGHT)
        # the line's name rides above where the line leaves the plane
        self.rule.add_updater(lambda m, line=self.line, plane=self.plane: ride_above(m, line, plane)).update()
        self.counter = self.plane.counter(self.w1, VectorizedPoint([RIGHT_X, RULE_Y, 0]))
        self.curve = MinimaCurve(self.data, (self.lo, self.hi), *CURVE_SIZE)
        self.curve.move_to([RIGHT_X, CURVE_Y, 0])
        self.cursor = self.curve.ball(self.w1, color=theme.HIGHLIGHT, radius=0.09)
        self.sides = self.plane.half_planes(self.w1)
        self.play(Create(self.line), FadeIn(self.rule), run_time=max(theme.NORMAL, self.until("line")))
        self.at("half")  # its equation, as the voice says what the line is
        self.play(lit(self.rule))
        self.at("shaded")  # each step as the voice names it: the shaded sides, then the ringed points
        self.play(FadeIn(self.sides), run_time=theme.NORMAL)
        self.bring_to_back(self.sides)  # under the axes and the points
        self.at("wrong")
        self.play(FadeIn(self.rings), FadeIn(self.counter), run_time=theme.SHORT)
        self.light_wrong()
        # the cost curve and its cursor, ready for the line to turn (the next beat names the cost)
        self.play(FadeIn(self.curve.frame), FadeIn(self.curve.labels), FadeIn(self.curve.ticks),
                  Create(self.curve.curve), FadeIn(self.cursor), run_time=theme.NORMAL)

    def light_wrong(self) -> None:
        """The ringed points (mathcore's misclassified at the line's w1) light up as the voice names them."""
        wrong = minima.misclassified(self.w1.get_value(), self.data)
        if wrong:
            self.play(lit(*[self.plane.dots[i] for i in wrong]))

    @beat
    def stop_at_minima(self):
        """The line stops at the first minimum of C(w1) (the cursor in the dip), with its error count."""
        self.stops = VGroup()
        self.marks = self.curve.minimum_marks(self.found)
        self.stop_at(0)
        self.next_slide()

    @beat
    def other_minima(self):
        """The line stops at each further minimum of C(w1) in increasing w1, with its error count."""
        for k in range(1, len(self.found)):  # one slide: the voice names every count in one sentence
            self.stop_at(k)
        self.next_slide()

    def stop_at(self, k: int) -> None:
        """The line turns to minimum ``k`` and stops there as the voice says its error count; its w1 and count
        join the list under the counter."""
        m, mark = self.found[k], self.marks[k]
        if k == 0:  # it turns while the voice says so, stops on "the cost", and the rings are counted as said
            self.play(self.w1.animate.set_value(m["w1"]), run_time=max(theme.LONG, self.until("cost", theme.LONG)),
                      rate_func=rate_functions.smooth)
            self.play(lit(self.cursor))
            self.at("count")
            self.light_wrong()
            self.at("errors")
        else:  # it stops as the voice says its count
            self.play(self.w1.animate.set_value(m["w1"]), run_time=max(theme.LONG, self.until(f"errors{k}", 0.0)),
                      rate_func=rate_functions.smooth)
        stop = MathTex(rf"w_1 = {fmt(m['w1'])}:", font_size=otheme.TEX_SIZE, color=theme.TEXT)
        stop = VGroup(stop, error_text(m["errors"], theme.LABEL_SIZE)).arrange(RIGHT, buff=0.2)
        target = self.stops[-1] if len(self.stops) else self.counter
        stop.next_to(target, DOWN, buff=STOP_GAP).set_x(RIGHT_X)
        self.stops.add(stop)
        self.play(FadeIn(stop), FadeIn(mark), Indicate(self.counter, color=theme.HIGHLIGHT), run_time=theme.SHORT)

    @beat
    def plot_cost(self):
        """C(w1) beside the data, its three minima marked with their error counts; the line back at the first."""
        self.play(*[Indicate(mark[0], color=theme.HIGHLIGHT, scale_factor=1.6) for mark in self.marks],
                  run_time=theme.NORMAL)
        self.play(self.w1.animate.set_value(self.found[0]["w1"]), run_time=theme.LONG)

    @beat
    def roll_balls(self):
        """One ball at a time rolls a torch GD run into a minimum, the line turning with it; a dot stays."""
        runs = [r for r in self.result.runs if r["w1"]]
        colours = otheme.RUN_COLORS
        rate = MathTex(rf"\eta = {fmt(runs[0]['lr'])}", font_size=otheme.TEX_SIZE,
                       color=theme.TEXT).next_to(self.curve.labels[1], RIGHT, buff=0.6)
        self.play(FadeOut(self.cursor), FadeIn(rate), run_time=theme.SHORT)
        top = self.curve.axes.c2p(self.lo, self.curve.c_range[1])[1]  # the free band above the curve
        self.ends = VGroup()
        for k, r in enumerate(runs):
            step = ValueTracker(0)
            # a ball ending where an earlier one ended is drawn smaller, so both stay visible
            shrink = BALL_SHRINK ** sum(q.get("minimum") == r.get("minimum") for q in runs[:k])
            ball = run_ball(self.curve, r, step, colours[k % len(colours)], radius=BALL_RADIUS * shrink)
            self.w1.set_value(r["w1"][0])
            self.play(FadeIn(ball), run_time=BALL_IN)
            follow = ball_w1(r, step)
            self.w1.add_updater(lambda m, f=follow: m.set_value(f()))  # the line on the data turns with the ball
            self.add(self.w1)
            self.play(step.animate.set_value(len(r["w1"]) - 1), run_time=ROLL_TIME,
                      rate_func=rate_functions.ease_out_cubic)
            self.w1.clear_updaters()
            ball.clear_updaters()
            still = None
            if ball.travel < BARELY_MOVES:  # a run that starts in its minimum barely moves: said beside its ball
                still = self.text("starts in a minimum", size=theme.SMALL_SIZE, color=ball.ball.get_color())
                still.move_to([ball.ball.get_x(), top, 0], aligned_edge=UP)
                still.shift(RIGHT * max(self.curve.frame.get_left()[0] + 0.1 - still.get_left()[0], 0))
                roles.path(ball.trail, end=ball.ball, label=still)
                self.play(FadeIn(still), run_time=theme.SHORT)
                self.wait(theme.SHORT)
            # the ball leaves a dot at its end; its ring, trail (and label) go before the next one rolls
            end = ball.ball.copy()
            self.ends.add(end)
            self.play(FadeOut(VGroup(*ball[:2], *([still] if still else []))), FadeIn(end), run_time=BALL_OUT)
            self.remove(ball)
        self.rate = rate

    @beat
    def playground_xor(self):
        """Playground XOR: a good solution next to local-minimum solutions, through their recorded epochs."""
        runs = playground.xor_runs(self.cfg)
        shown = ([r for r in runs if r.label == "good"][:GOOD_SHOWN]
                 + [r for r in runs if r.label == "stalled"][:STALLED_SHOWN])
        heading = self.heading("Playground XOR example")
        self.play(*[FadeOut(m) for m in self.mobjects if isinstance(m, VMobject)], run_time=theme.SHORT)
        X, y, _, _ = playground.data(self.cfg, "xor")
        extent = shown[0].snapshots[0]["grid"]["extent"]
        self.panels = [DecisionPanel(extent, PANEL_SIDE, X, y).move_to([x, PANEL_Y, 0])
                       for x, _ in zip(PANEL_X, shown)]
        good = self.text("Good solution example", size=theme.LABEL_SIZE, color=theme.VALUE)
        good.next_to(self.panels[0], UP, buff=0.2)
        stalled = self.text("Local minimum examples", size=theme.LABEL_SIZE, color=theme.NEGATIVE)
        stalled.next_to(VGroup(*self.panels[1:]), UP, buff=0.2)
        self.play(FadeIn(heading), FadeIn(good), FadeIn(stalled), *[FadeIn(p) for p in self.panels])
        shading, epoch = None, None
        for k in range(len(shown[0].snapshots)):
            new = [p.shading(r.snapshots[k]["grid"]) for p, r in zip(self.panels, shown)]
            label = self.text(f"epoch {r_epoch(shown[0], k)}", size=theme.SMALL_SIZE, color=theme.MUTED)
            label.next_to(heading, RIGHT, buff=0.6).align_to(heading, DOWN)
            if shading:  # the regions swap at once (fading thousands of squares costs more than it shows)
                self.remove(*shading)
            self.add(*new)
            for p in self.panels:  # points stay above the shading
                self.bring_to_front(p)
            self.play(*([FadeOut(epoch)] if epoch else []), FadeIn(label), run_time=SNAPSHOT_TIME)
            shading, epoch = new, label
        self.shown = shown

    @beat
    def xor_losses(self):
        """Each run's training loss over the epochs, and where it ended."""
        top = max(max(r.train_loss) for r in self.shown)
        items = VGroup()
        for p, r in zip(self.panels, self.shown):
            curve = loss_curve(r.train_loss, top, *LOSS_BOX, anchor=p)
            final = self.text(f"final loss {fmt(r.train_loss[-1])}", size=theme.LABEL_SIZE, color=theme.GRADIENT)
            items.add(VGroup(curve, final.next_to(curve, DOWN, buff=0.15)))
        self.play(*[Create(i[0][1]) for i in items], *[FadeIn(i[0][0]) for i in items], run_time=theme.LONG)
        self.play(*[FadeIn(i[1]) for i in items], run_time=theme.SHORT)
        self.wait(theme.NORMAL)


def ride_above(label: MathTex, line, plane: DataPlane) -> None:
    """``label`` above the plane's top edge, over the line's upper end (kept within the plane's width)."""
    top = max((line.get_start(), line.get_end()), key=lambda p: p[1])
    (x0, x1), (_, y1) = plane.spans
    left, right = plane.axes.c2p(x0, y1)[0], plane.axes.c2p(x1, y1)[0]
    half = label.width / 2
    x = min(max(top[0], left + half), right - half)
    label.move_to([x, plane.axes.c2p(x0, y1)[1] + LINE_LABEL_GAP + label.height / 2, 0])


def ball_w1(run: dict, step: ValueTracker):
    """w1 of a recorded run at the (fractional) step the tracker is at: where its ball is."""
    w = run["w1"]

    def at() -> float:
        t = min(max(step.get_value(), 0.0), len(w) - 1.0)
        k = min(int(t), len(w) - 2) if len(w) > 1 else 0
        return w[k] if len(w) == 1 else w[k] + (w[k + 1] - w[k]) * (t - k)
    return at


def r_epoch(run: playground.PlaygroundRun, k: int) -> int:
    return run.snapshots[k]["epoch"]
