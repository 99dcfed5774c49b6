"""Gradient descent: the update rule, then a ball on C(w) stepping by the real iterates for each η."""
from __future__ import annotations

from manim import (
    DOWN,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    MathTex,
    ReplacementTransform,
    VGroup,
    Write,
)

from mathcore import gd
from scenes import theme
from scenes.base import LectureScene
from scenes.components import tex
from scenes.components.cost_curve import CostCurve

SHOWN_STEPS = 8  # updates animated per learning rate (the rest are summarised)
STEP_TIME = 0.45
READOUT_SIZE = theme.EQUATION_SIZE - 4
AXES_LEFT, AXES_RIGHT = -6.5, 1.3
AXES_BOTTOM, AXES_TOP = -3.35, 1.9
PANEL_X = 4.15  # centre of the right-hand column
VERDICT = {  # mathcore's behaviour of a run -> what the slide says about its η
    "slow": ("η too small", "creeps towards the minimum"),
    "converges": ("a good η", "settles at the minimum"),
    "overshoots": ("η too large", "overshoots, swings back"),
    "diverges": ("η far too large", "moves away from the minimum"),
}


class GradientDescentUpdate(LectureScene):
    TITLE = "Gradient descent"

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

    def narration_values(self) -> dict:
        """What the narration says: the start, the minimum and each run's learning rate and end, from mathcore."""
        r = self.result
        runs = {run["behaviour"]: run for run in r["runs"]}
        values = {"w0": r["w0"], "w_star": r["cost"]["w_star"], "steps": r["steps"]}
        for behaviour, run in runs.items():
            values[f"{behaviour}_lr"] = run["lr"]
            values[f"{behaviour}_end"] = run["w"][-1]
            values[f"{behaviour}_steps"] = run["diverged_at"] or len(run["w"]) - 1
        return values

    def show_rule(self):
        """The update rule w_j(t+1) = w_j(t) − η ∂C/∂w_j."""
        self.title = self.heading(self.TITLE)
        self.rule = MathTex(r"w_j(t+1) = w_j(t) -", r"\eta", tex.partial("C", "w_j"),
                            font_size=theme.EQUATION_SIZE + 10, color=theme.TEXT)
        self.rule[1].set_color(theme.GRADIENT)
        self.rule[2].set_color(theme.GRADIENT)
        self.play(FadeIn(self.title), Write(self.rule))

    def show_cost_curve(self):
        """A 1-D cost C(w) with one minimum; the ball starts at w_0."""
        r = self.result
        self.play(self.rule.animate.scale(0.8).to_edge(UP, buff=theme.EDGE_BUFF).to_edge(RIGHT, buff=theme.EDGE_BUFF))
        self.plot = CostCurve(r["curve"]["w"], r["curve"]["cost"], (r["curve"]["w"][0], r["curve"]["w"][-1]),
                              y_top=max(r["curve"]["cost"]), width=AXES_RIGHT - AXES_LEFT,
                              height=AXES_TOP - AXES_BOTTOM)
        self.plot.move_to([(AXES_LEFT + AXES_RIGHT) / 2, (AXES_BOTTOM + AXES_TOP) / 2, 0])
        w_star = r["cost"]["w_star"]
        self.minimum = VGroup(self.plot.tick(w_star, theme.VALUE),
                              MathTex("w^*", font_size=theme.LABEL_SIZE, color=theme.VALUE))
        self.minimum[1].next_to(self.plot.point(w_star, 0), UP, buff=0.25)
        self.ball = self.plot.ball(r["w0"])
        start = MathTex("w_0 = " + tex.num(r["w0"]), font_size=theme.LABEL_SIZE, color=theme.HIGHLIGHT)
        self.start_label = start.move_to([PANEL_X, AXES_TOP - 0.2, 0])
        self.play(Create(self.plot.axes), FadeIn(self.plot.labels))
        self.play(Create(self.plot.curve), FadeIn(self.minimum), run_time=theme.LONG)
        self.play(FadeIn(self.ball, scale=0.5), FadeIn(self.start_label))

    def small_rate(self):
        """A small η: the ball creeps towards the minimum."""
        self.show_runs("slow")

    def good_rate(self):
        """A good η: the ball reaches the minimum in a few steps."""
        self.show_runs("converges")

    def large_rate(self):
        """An η too large: each step overshoots the minimum and swings back."""
        self.show_runs("overshoots")

    def diverging_rate(self):
        """An η far too large: the steps grow and the ball leaves the plot."""
        self.show_runs("diverges")
        self.wait(theme.NORMAL)

    # --- helpers --------------------------------------------------------------------------
    def show_runs(self, behaviour: str) -> None:
        for run in [run for run in self.result["runs"] if run["behaviour"] == behaviour]:
            self.descend(run)

    def panel_line(self, mob, row: int):
        return mob.move_to([PANEL_X, AXES_TOP - 0.2 - 0.62 * row, 0])

    def descend(self, run: dict) -> None:
        """Reset the ball to w_0, state η, then animate the run's first updates with tangents."""
        title, detail = VERDICT[run["behaviour"]]
        eta = MathTex(r"\eta = " + tex.num(run["lr"]), font_size=theme.EQUATION_SIZE + 4, color=theme.GRADIENT)
        head = VGroup(self.panel_line(eta, 0),
                      self.panel_line(self.text(title, size=theme.LABEL_SIZE, color=theme.GRADIENT), 1))
        if self.ball not in self.mobjects:
            self.add(self.ball)
        self.plot.attach(run["w"][0])
        self.play(FadeOut(self.case), FadeOut(self.start_label), FadeIn(head), run_time=theme.SHORT)
        self.start_label = VGroup()
        self.case = VGroup(head)
        readout = VGroup()
        tangent = None
        shown = min(len(run["w"]), SHOWN_STEPS + 1)
        on_plot = True
        for t in range(shown):
            w, c, g = run["w"][t], run["cost"][t], run["grad"][t]
            new_readout = VGroup(
                MathTex(f"t = {t}", font_size=READOUT_SIZE, color=theme.MUTED),
                MathTex(f"w_{{{t}}} = " + tex.num(w), font_size=READOUT_SIZE, color=theme.HIGHLIGHT),
                MathTex(f"C'(w_{{{t}}}) = " + tex.num(g), font_size=READOUT_SIZE, color=theme.GRADIENT),
            )
            for k, line in enumerate(new_readout):
                self.panel_line(line, 3 + k)
            anims = [FadeOut(readout), FadeIn(new_readout)] if len(readout) else [FadeIn(new_readout)]
            if on_plot and self.plot.inside(w):
                self.plot.w.set_value(w)
                new_tangent = self.plot.tangent(w, c, g)
                trail = self.plot.marker(w, c, theme.HIGHLIGHT, radius=0.05).set_opacity(0.6)
                anims += [FadeIn(trail), FadeIn(new_tangent) if tangent is None else ReplacementTransform(tangent, new_tangent)]
                self.case.add(trail)
                tangent = new_tangent
            elif on_plot:  # the update threw the ball off the plot
                on_plot = False
                anims.append(self.plot.release().animate.move_to(self.plot.exit_point(w, c)))
                if tangent is not None:
                    anims.append(FadeOut(tangent))
                    tangent = None
            self.play(*anims, run_time=STEP_TIME)
            readout = new_readout
            if on_plot and t + 1 < len(run["w"]) and self.plot.inside(run["w"][t + 1]):
                self.play(self.plot.w.animate.set_value(run["w"][t + 1]), run_time=STEP_TIME)
        self.case.add(readout)
        if tangent is not None:
            self.case.add(tangent)
        self.play(FadeIn(self.summary(run, detail)), run_time=theme.SHORT)
        if not on_plot:
            self.remove(self.ball)

    def summary(self, run: dict, detail: str) -> VGroup:
        """One or two lines under the readout: what the run did, from mathcore's record."""
        lines = VGroup(self.text(detail, size=theme.SMALL_SIZE, color=theme.TEXT))
        last = len(run["w"]) - 1
        if run["diverged_at"] is not None:
            lines.add(self.text(f"diverges at step {run['diverged_at']}", size=theme.LABEL_SIZE,
                                color=theme.NEGATIVE))
        elif last >= SHOWN_STEPS + 1:
            lines.add(MathTex(f"w_{{{last}}} = " + tex.num(run["w"][last]), font_size=READOUT_SIZE,
                              color=theme.HIGHLIGHT))
        lines.arrange(DOWN, buff=0.22)
        lines.move_to([PANEL_X, AXES_BOTTOM + 0.5, 0])
        self.case.add(lines)
        return lines
