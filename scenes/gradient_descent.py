"""Gradient descent: the update rule, then a ball on C(w) stepping by the real iterates for each η."""
from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    MathTex,
    ReplacementTransform,
    VGroup,
    Write,
    config,
)

from mathcore import gd
from mathcore.errors import ConfigError
from scenes import narration, theme
from scenes.base import LectureScene, beat
from scenes.components import tex
from scenes.components.cost_curve import CostCurve, Descent, Shortfall, over_curve
from scenes.components.spoken import FLASH, lit

STEP_TIME = 0.45  # a readout and tangent change
HOP_TIME = 0.55  # one update's arc
FAST_FORWARD = 1.6  # the steps after the animated ones, all at once: the ball ends where the voice says
MIN_PACE = 0.55  # the steps may go this much faster to be over when the voice says how many there were
INSET_LENGTH, INSET_GAP = 2.8, 0.6  # the zoomed-in strip of a slow run's last steps; its room from the axes
ARROW_RISE, ARROW_CLEARANCE = 0.5, 0.35  # a flown ball's arrow rises at least this much, this far over the curve
FRAME_MARGIN = 0.3  # an arrow for a ball that flew off to the left ends this far inside the frame (the linter's edge)
READOUT_SIZE = theme.MATH_MIN_SIZE
RULE_SIZE = 72
AXES_LEFT, AXES_RIGHT = -6.2, 1.2
AXES_BOTTOM, AXES_TOP = -2.95, 2.0
PANEL_X = 4.15  # centre of the right-hand column
LABEL_RISE = 0.45  # the w* label this share of the plot's height above the axis, clear of the ball and tangent
VERDICT = {  # mathcore's behaviour of a run -> what the slide says about its η
    "slow": ("η too small", "creeps towards the minimum"),
    "converges": ("a good η", "settles at the minimum"),
    "overshoots": ("η too large", "overshoots, swings back"),
    "diverges": ("η far too large", "moves away from the minimum"),
}


def row_y(row: int) -> float:
    """The height of the right-hand column's row ``row``."""
    return AXES_TOP - 0.2 - 0.62 * row


class GradientDescentUpdate(LectureScene):
    TITLE = "Gradient descent"
    NARRATION = frozenset({"w0", "w_star", "steps", "output", "overshoots_crossings", "overshoots_outcome", "slow_gap",
                           *(f"{b}_{v}" for b in VERDICT for v in ("lr", "end", "steps"))})

    @classmethod
    def check_config(cls, cfg) -> None:
        """The limits, and a run of each of the four cases the slide teaches (a beat with no run of its case
        would say a learning rate it cannot show)."""
        super().check_config(cfg)
        found = [run["behaviour"] for run in gd.from_config(cfg).runs]
        if missing := [b for b in VERDICT if b not in found]:
            rates = ", ".join(f"{run['lr']:g} ({run['behaviour']})" for run in gd.from_config(cfg).runs)
            raise ConfigError(cfg.path, "gd.learning_rates", "rates that give each case the slide shows: "
                              f"{', '.join(VERDICT)} (none {' or '.join(missing)})", rates)

    def construct(self):
        self.show_rule()
        self.next_slide()
        self.show_cost_curve()
        self.next_slide()
        self.small_rate()
        self.next_slide()
        self.good_rate()
        self.next_slide()
        self.large_rate()
        self.next_slide()
        self.diverging_rate()

    def setup(self):
        super().setup()
        self.result = gd.from_config(self.cfg)
        self.case = VGroup()  # what one η's run leaves on screen
        self.zoomed, self.zoomed_in_view = None, False
        self.output = f"h{len(self.cfg.chain.w)}"  # the network's output, whose cost C is

    def narration_values(self) -> dict:
        """What the narration says: the start, the minimum and each run's learning rate and end, from mathcore."""
        r = self.result
        runs = {run["behaviour"]: run for run in r.runs}
        values = {"w0": r.w0, "w_star": r.cost["w_star"], "steps": r.steps, "output": self.output}
        for behaviour, run in runs.items():
            values[f"{behaviour}_lr"] = run["lr"]
            values[f"{behaviour}_end"] = run["w"][-1]
            values[f"{behaviour}_steps"] = run["diverged_at"] or len(run["w"]) - 1
            if run["left_zoom_at"] is not None:  # the step the screen shows it flying off
                values[f"{behaviour}_steps"] = run["left_zoom_at"]
        values["slow_gap"] = gd.shortfall(runs["slow"]["w"], r.cost["w_star"])
        told = self.overshoot(runs["overshoots"])
        values["overshoots_crossings"] = f"{told['who']} {told['verb']} past w* to the other side"
        values["overshoots_outcome"] = told["outcome"]
        return values

    def overshoot(self, run: dict) -> dict:
        """The too-large run in words, from mathcore's record: which steps jumped past w* (``who`` ``verb`` past
        w*), whether each jump was shorter than the last and whether it settled (``outcome``, said; ``lines``,
        shown)."""
        w, w_star = run["w"], self.result.cost["w_star"]
        crossed, kept = gd.crossings(w, w_star), gd.kept_side(w, w_star)
        if not kept:
            who, verb = "every step", "jumps"
        elif len(kept) <= 2:
            who, verb = f"every step but step{'s' if len(kept) > 1 else ''} {narration.shown(kept)}", "jumps"
        elif len(crossed) <= 3:
            who = f"step{'s' if len(crossed) > 1 else ''} {narration.shown(crossed)}" if crossed else "no step"
            verb = "jump" if len(crossed) > 1 else "jumps"
        else:
            who, verb = f"{len(crossed)} of the {len(w) - 1} steps", "jump"
        shrink, settles = gd.jumps_shrink(w), self.settles(run)
        first = ("each jump is shorter than the last", "each jump is shorter") if shrink else \
            ("the jumps do not all shrink", "the jumps do not all shrink")
        if settles:
            said = f"{'Yet ' if shrink else ''}{first[0]}, {'so' if shrink else 'yet'} it still converges"
            last = f"{'so' if shrink else 'yet'} it still converges"
        else:
            said = f"{first[0]}, {'but' if shrink else 'and'} it has not settled yet"
            last = "not settled yet"
        return {"who": who, "verb": verb, "outcome": said[0].upper() + said[1:], "lines": (first[1] + ",", last),
                "settles": settles}

    def settles(self, run: dict) -> bool:
        return gd.settled(run["w"], self.result.cost["w_star"], self.cfg.gd.tolerance)

    @beat
    def show_rule(self):
        """The update rule w_j(t+1) = w_j(t) − η ∂C/∂w_j."""
        self.title = self.heading(self.TITLE)
        self.rule = MathTex(r"w_j(t+1) = w_j(t) -", r"\eta", tex.partial("C", "w_j"),
                            font_size=RULE_SIZE, color=theme.TEXT)
        self.rule[1].set_color(theme.GRADIENT)
        self.rule[2].set_color(theme.GRADIENT)
        self.rule.shift(UP * 1.55)
        out = f"h_{{{len(self.cfg.chain.w)}}}"
        self.terms = VGroup(
            VGroup(MathTex(r"\eta", font_size=READOUT_SIZE + 6, color=theme.GRADIENT),
                   self.text("the learning rate: how far each step goes", size=theme.BODY_SIZE)),
            VGroup(MathTex(tex.partial("C", "w_j"), font_size=READOUT_SIZE + 6, color=theme.GRADIENT),
                   self.text("the slope of the cost at the current weight", size=theme.BODY_SIZE)),
            # the cost is of the network's output: back propagation's gradients enter through the chain rule
            VGroup(MathTex(tex.partial("C", "w_j"), "=", tex.partial("C", out), tex.partial(out, "w_j"),
                           font_size=READOUT_SIZE + 6, color=theme.GRADIENT),
                   self.text(f"C is the cost of the output {self.output}", size=theme.BODY_SIZE)),
        )
        for term in self.terms:
            term.arrange(RIGHT, buff=0.4)
        self.terms.arrange(DOWN, aligned_edge=LEFT, buff=0.35).next_to(self.rule, DOWN, buff=0.6)
        self.play(FadeIn(self.title), Write(self.rule), run_time=self.until("eta"))
        self.play(lit(self.rule[1]))
        self.at("grad")
        self.play(lit(self.rule[2]))
        self.at("rate")  # each term's meaning as the voice gives it
        self.play(FadeIn(self.terms[0]), run_time=theme.SHORT)
        self.play(lit(self.terms[0][0]))  # after its fade: a flash begun with it would restore it faded
        self.play(FadeIn(self.terms[1]), run_time=theme.SHORT)
        self.at("cost")
        self.play(FadeIn(self.terms[2][1]), run_time=theme.SHORT)
        self.at("rule")
        self.play(FadeIn(self.terms[2][0]), run_time=theme.SHORT)
        self.at("chain")
        self.play(lit(self.terms[2][0][2]))  # the chain rule's two factors, each as it is said
        self.at("back")
        self.play(lit(self.terms[2][0][3]))

    @beat
    def show_cost_curve(self):
        """A 1-D cost C(w) with one minimum; the ball starts at w_0."""
        r = self.result
        self.play(FadeOut(self.terms), self.rule.animate.scale(0.55).to_edge(UP, buff=theme.EDGE_BUFF)
                  .to_edge(RIGHT, buff=theme.EDGE_BUFF))
        self.plot = CostCurve(r.curve["w"], r.curve["cost"], (r.curve["w"][0], r.curve["w"][-1]),
                              y_top=max(r.curve["cost"]), width=AXES_RIGHT - AXES_LEFT,
                              height=AXES_TOP - AXES_BOTTOM)
        self.plot.move_to([(AXES_LEFT + AXES_RIGHT) / 2, (AXES_BOTTOM + AXES_TOP) / 2, 0])
        self.minimum = self.minimum_marks(self.plot)
        self.ball = self.plot.ball(r.w0)
        self.plot.release()  # the ball hops along arcs, off the curve
        start = MathTex("w_0 = " + tex.num(r.w0), font_size=READOUT_SIZE, color=theme.HIGHLIGHT)
        self.start_label = start.move_to([PANEL_X, AXES_TOP - 0.2, 0])
        self.play(Create(self.plot.axes), FadeIn(self.plot.labels))
        self.play(Create(self.plot.curve), run_time=self.until("w_star", theme.LONG))
        self.play(FadeIn(self.minimum), run_time=FLASH)
        self.play(lit(self.minimum[1]))
        self.at("w0")
        self.play(FadeIn(self.ball, scale=0.5), FadeIn(self.start_label))
        self.play(lit(self.start_label))

    @beat
    def small_rate(self):
        """A small η: the ball creeps towards the minimum."""
        self.show_runs("slow")

    @beat
    def good_rate(self):
        """A good η: the ball reaches the minimum in a few steps."""
        self.show_runs("converges")

    @beat
    def large_rate(self):
        """An η too large: each hop overshoots the minimum and lands on the other side."""
        self.show_runs("overshoots")

    @beat
    def diverging_rate(self):
        """An η far too large: the hops grow, the view zooms out and the ball flies off."""
        self.show_runs("diverges")
        self.wait(theme.NORMAL)

    # --- helpers --------------------------------------------------------------------------
    def show_runs(self, behaviour: str) -> None:
        for run in [run for run in self.result.runs if run["behaviour"] == behaviour]:
            self.descend(run)

    def panel_line(self, mob, row: int):
        return mob.move_to([PANEL_X, row_y(row), 0])

    def view_of(self, zoomed: bool) -> CostCurve:
        """The plot, or the zoomed-out plot a diverging run flies off (mathcore's wider curve)."""
        if not zoomed:
            return self.plot
        if self.zoomed is None:
            z = self.result.zoom
            self.zoomed = CostCurve(z["w"], z["cost"], z["w_range"], y_top=max(z["cost"]),
                                    width=AXES_RIGHT - AXES_LEFT, height=AXES_TOP - AXES_BOTTOM)
            self.zoomed.move_to(self.plot.get_center())
        return self.zoomed

    def minimum_marks(self, view: CostCurve) -> VGroup:
        """The tick at w*, its label up a dashed guide: clear of a ball resting on the tick and of its tangent."""
        w_star = self.result.cost["w_star"]
        foot = view.point(w_star, 0)
        label = MathTex("w^*", font_size=READOUT_SIZE, color=theme.VALUE)
        label.move_to(foot + UP * LABEL_RISE * (AXES_TOP - AXES_BOTTOM), aligned_edge=DOWN)
        guide = DashedLine(foot, label.get_bottom() + DOWN * 0.08, color=theme.VALUE, stroke_width=2,
                           dash_length=0.08)
        return VGroup(view.tick(w_star, theme.VALUE), label, guide)

    def zoom_out(self, t: int) -> None:
        """Swap the plot for the zoomed-out one; the run so far is redrawn on it."""
        view = self.view_of(True)
        marks = self.minimum_marks(view)
        note = self.panel_line(self.text("zoomed out", size=theme.SMALL_SIZE, color=theme.MUTED), 2)
        self.play(*self.swap(self.plot, view), ReplacementTransform(self.minimum, marks),
                  *self.descent.moved_to(view, t), FadeIn(note), run_time=theme.NORMAL)
        self.minimum, self.zoomed_in_view = marks, True
        self.case.add(note)

    def swap(self, old: CostCurve, new: CostCurve) -> list:
        """Animations morphing one plot's axes, labels and curve into another's (copies morph: both stay usable)."""
        anims = []
        for a, b in ((old.axes, new.axes), (old.labels, new.labels), (old.curve, new.curve)):
            stand_in = a.copy()
            self.remove(a)
            self.add(stand_in)
            anims.append(ReplacementTransform(stand_in, b))
        return anims

    def zoom_in(self) -> None:
        """Back to the plot after a zoomed-out run."""
        z = self.zoomed
        marks = self.minimum_marks(self.plot)
        self.play(*self.swap(z, self.plot), ReplacementTransform(self.minimum, marks), run_time=theme.SHORT)
        self.minimum, self.zoomed_in_view = marks, False

    def descend(self, run: dict) -> None:
        """Reset the ball to w_0, state η, then hop from w_t to w_(t+1) for mathcore's shown steps."""
        title, detail = VERDICT[run["behaviour"]]
        eta = MathTex(r"\eta = " + tex.num(run["lr"]), font_size=theme.EQUATION_SIZE + 4, color=theme.GRADIENT)
        head = VGroup(self.panel_line(eta, 0),
                      self.panel_line(self.text(title, size=theme.LABEL_SIZE, color=theme.GRADIENT), 1))
        if self.zoomed_in_view:
            self.play(FadeOut(self.case), run_time=theme.SHORT)
            self.case = VGroup()
            self.zoom_in()
        self.ball.move_to(self.plot.point(run["w"][0], run["cost"][0]))
        if self.ball not in self.mobjects:
            self.add(self.ball)
        self.play(FadeOut(self.case), FadeOut(self.start_label), FadeIn(head), run_time=self.until("eta", theme.SHORT))
        self.play(lit(eta))  # the ball starts as its η is said
        pace, summary, self.readout = self.pace(run), None, VGroup()
        self.start_label, self.case = VGroup(), VGroup(head)
        self.descent = descent = Descent(self.plot, self.ball, run["w"], run["cost"], run["grad"], ())
        for t in range(run["shown"] + 1):
            anims = [*self.readout_at(run, t), *descent.touch(t)]
            if summary is None and self.renderer.time >= (self.mark_time("what") or float("inf")):
                summary = self.summary(run, detail)  # what the run does, as the voice says it
                anims.append(FadeIn(summary))
            self.play(*anims, run_time=STEP_TIME * pace)
            if t == run["shown"]:
                break
            if descent.view is self.plot and descent.leaves(t) and run["left_zoom_at"] != t + 1:
                self.zoom_out(t)  # the next hop lands off the plot but inside the wider view
            if run["left_zoom_at"] == t + 1:  # this hop throws the ball out: its arrow is aimed from where it is
                descent.exits = self.exits(descent.view, self.ball.get_center())
            self.play(*descent.hop(t), run_time=HOP_TIME * pace)
            if not descent.on_view:
                self.play(*descent.flown(), run_time=theme.SHORT)
        if summary is None:
            self.at("what")
            self.play(FadeIn(self.summary(run, detail)), run_time=theme.SHORT)
        if rest := descent.rest(run["shown"]):  # the steps after the animated ones in one stretch, the readout
            self.play(*rest, *self.readout_at(run, len(run["w"]) - 1),  # at the last t: where the voice says
                      run_time=max(FAST_FORWARD * pace, self.until("steps", FAST_FORWARD)))
        self.case.add(*descent.dropped, self.readout, descent.trail)
        if descent.tangent is not None:
            self.case.add(descent.tangent)
        self.at("steps")
        self.play(lit(self.readout[0]))
        if run["behaviour"] != "diverges":  # a diverged run's caption names no end
            self.at("end")
            self.play(lit(self.readout[1]))
        if run["behaviour"] == "slow":  # at the plot's scale the ball looks at w*: its last steps, zoomed in
            self.at("gap")
            self.play(FadeIn(self.shortfall(run)), run_time=theme.SHORT)
            self.play(lit(self.case[-1].gap))

    def shortfall(self, run: dict) -> Shortfall:
        """The run's second half on a strip zoomed in over the plot, stopping short of w* by mathcore's gap."""
        w_star = self.result.cost["w_star"]
        gap = tex.num(gd.shortfall(run["w"], w_star)) + r"\text{ short of } w^* = " + tex.num(w_star)
        # high in the plot, right of the C axis and its numbers
        left = max(AXES_LEFT, self.plot.axes.c2p(0, 0)[0] if self.plot.inside(0) else AXES_LEFT) + INSET_GAP
        x = min(left + INSET_LENGTH / 2, AXES_RIGHT - INSET_GAP - INSET_LENGTH / 2)
        inset = Shortfall(self.plot, run["w"][len(run["w"]) // 2:], w_star, gap, INSET_LENGTH,
                          [x, AXES_TOP - 1.1, 0])
        self.case.add(inset)
        return inset

    def pace(self, run: dict) -> float:
        """How much faster than usual the steps go so that they are over as the voice says how many there were."""
        at = self.mark_time("steps")
        if at is None:
            return 1.0
        need = run["shown"] * (STEP_TIME + HOP_TIME) + STEP_TIME + FAST_FORWARD
        return min(1.0, max(MIN_PACE, (at - self.renderer.time) / need))

    def exits(self, view: CostCurve, start) -> tuple:
        """Where the arrow for a ball thrown out of the frame from ``start`` ends, w going left or right: at the
        frame's left edge or just right of the plot, as low as passing over the curve allows (steeper, it would run
        through the w* label and into the heading), and up: the cost grew."""
        return tuple([x, over_curve(view, start, x, start[1] + ARROW_RISE, margin=ARROW_CLEARANCE), 0]
                     for x in (-config.frame_width / 2 + FRAME_MARGIN, AXES_RIGHT + 0.4))

    def readout_at(self, run: dict, t: int) -> list:
        """Animations: the right-hand column's t, w_t and C'(w_t) move on to step ``t``."""
        lines = self.readout_lines(run, t)
        anims = [FadeOut(self.readout), FadeIn(lines)] if len(self.readout) else [FadeIn(lines)]
        self.readout = lines
        return anims

    def readout_lines(self, run: dict, t: int) -> VGroup:
        """The right-hand column's t, w_t and C'(w_t) at step ``t``, in place."""
        lines = VGroup(
            MathTex(f"t = {t}", font_size=READOUT_SIZE, color=theme.MUTED),
            MathTex(f"w_{{{t}}} = " + tex.num(run["w"][t]), font_size=READOUT_SIZE, color=theme.HIGHLIGHT),
            MathTex(f"C'(w_{{{t}}}) = " + tex.num(run["grad"][t]), font_size=READOUT_SIZE, color=theme.GRADIENT),
        )
        for k, line in enumerate(lines):
            self.panel_line(line, 3 + k)
        return lines

    def summary(self, run: dict, detail: str) -> VGroup:
        """One or two lines under the readout: what the run did, from mathcore's record."""
        lines = VGroup(self.text(detail, size=theme.SMALL_SIZE, color=theme.TEXT))
        if run["left_zoom_at"] is not None and run["left_zoom_at"] == run["shown"]:
            lines.add(self.text("diverged", size=theme.LABEL_SIZE, color=theme.NEGATIVE),
                      self.text(f"off the view at t = {run['shown']}", size=theme.SMALL_SIZE, color=theme.NEGATIVE))
        elif run["behaviour"] == "overshoots":  # which steps jumped over w*, and why it settles anyway
            told = self.overshoot(run)
            past = VGroup(self.text(f"{told['verb']} past", size=theme.SMALL_SIZE, color=theme.TEXT),
                          MathTex("w^*,", font_size=READOUT_SIZE, color=theme.VALUE)).arrange(RIGHT, buff=0.15)
            lines = VGroup(self.text(told["who"], size=theme.SMALL_SIZE, color=theme.TEXT), past,
                           self.text(told["lines"][0], size=theme.SMALL_SIZE, color=theme.TEXT),
                           self.text(told["lines"][1], size=theme.LABEL_SIZE,
                                     color=theme.VALUE if told["settles"] else theme.GRADIENT))
        lines.arrange(DOWN, buff=0.18)
        lines.move_to([PANEL_X, AXES_BOTTOM + 0.6, 0])
        if len(lines) > 3:  # the longer account starts under the readout instead
            lines.move_to([PANEL_X, row_y(5) - 0.35, 0], aligned_edge=UP)
        self.case.add(lines)
        return lines

