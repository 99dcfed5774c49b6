"""Universal approximation: neural networks approximate functions (under some conditions), and where that
goes wrong: actual versus predicted for a good fit, too little data, and outside the range of the data
(mathcore.approximation)."""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Create,
    DashedVMobject,
    FadeIn,
    FadeOut,
    LaggedStart,
    Line,
    ReplacementTransform,
    Transform,
    VGroup,
    Write,
)

from mathcore import approximation
from mathcore.display import fmt
from scenes import theme
from scenes.base import LectureScene, beat
from scenes.components.fit_plot import FitAxes
from scenes.components.spoken import lit
from scenes.theme import networks as ntheme

PLOT_SIZE = (11.6, 4.3)
PLOT_CENTRE = (0.25, -0.35)
FACTS_Y = -3.45
FEW_DOT = 0.09
DRAW_TIME = 2.0
ACTUAL_WIDTH, ACTUAL_OPACITY = 8.0, 0.5  # wide and faint under the predicted curve
PREDICTED_WIDTH = 3.5
REFERENCE = "neuralnetworksanddeeplearning.com/chap4.html"
THEOREM = ("One hidden layer with enough units can approximate", "any continuous function on a bounded input range",
           "as closely as we like")  # the conditions, said once; three lines fit the frame at the body's size
ANSWER = "No: the network is fine, the data are the problem"
ANSWER_SPLIT = "the data"  # the answer's second part, shown as it is said
# Rooms closer than this (scene units, 3 px at 480p) are a tie: symmetric layouts give rooms that differ only by
# float noise, which would otherwise pick the side (and did, with the CPU's vector code).
ROOM_TIE = 0.05


def extremes(*arrays) -> tuple[float, float]:
    """The lowest and highest value over the arrays shown on one set of axes (None for a diverged fit)."""
    values = np.concatenate([np.asarray(a, dtype=float) for a in arrays if a is not None])
    return float(values.min()), float(values.max())


def legend_side(room_left: float, room_right: float):
    """The side with clearly more room for the legend; on a tie the left, where the legend already is."""
    return RIGHT if room_right > room_left + ROOM_TIE else LEFT


class UniversalApproximation(LectureScene):
    TITLE = "Neural networks are universal approximators"
    NARRATION = frozenset({"train_lo", "train_hi", "eval_lo", "eval_hi"})

    def construct(self):
        self.state_theorem()
        self.next_slide()
        self.ask_contradiction()
        self.next_slide()
        self.good_fit()
        self.next_slide()
        self.insufficient_data()
        self.next_slide()
        self.outside_range()

    def setup(self):
        super().setup()
        self.result = approximation.compute(self.cfg)
        self.cases = {c["name"]: c for c in self.result.cases}
        self.fits = {f["name"]: f for f in self.result.fits}

    @beat
    def state_theorem(self):
        """Neural networks are universal approximators (under some conditions): the theorem; a good reference."""
        self.title = self.heading(self.TITLE)
        theorem = VGroup(*[self.text(t, size=theme.BODY_SIZE, color=theme.HIGHLIGHT) for t in THEOREM])
        lines = VGroup(
            self.text("(under some conditions)", size=theme.BODY_SIZE, color=theme.MUTED),
            theorem.arrange(DOWN, buff=0.2),
            self.text("A good reference, read and ask", size=theme.BODY_SIZE),
            self.text("if you don't understand anything", size=theme.BODY_SIZE),
            # the body's size and font, readable at 480p; "http://" would not fit the frame's width at that size
            self.text(REFERENCE, size=theme.BODY_SIZE, color=theme.POSITIVE),
        )
        # the theorem a paragraph of its own, under the conditions it names and apart from the reference
        lines[2:].arrange(DOWN, buff=0.3)
        for line, above, gap in ((lines[0], self.title, 0.35), (lines[1], lines[0], 0.4), (lines[2:], lines[1], 0.6)):
            line.next_to(above, DOWN, buff=gap).set_x(0)
        self.play(Write(self.title), run_time=self.until("conditions", theme.NORMAL))  # written as it is said
        self.play(FadeIn(lines[0], shift=UP * 0.15), run_time=theme.SHORT)
        for line, mark in zip(theorem, ("theorem", "any", "closely")):  # each line of it as it is said
            self.at(mark)
            self.play(FadeIn(line, shift=UP * 0.15), run_time=theme.SHORT)
        self.at("reference")
        self.play(LaggedStart(*[FadeIn(x, shift=UP * 0.15) for x in lines[2:]], lag_ratio=0.3), run_time=theme.LONG)
        self.intro = lines

    @beat
    def ask_contradiction(self):
        """Is there a contradiction between the theorem and the problems of neural networks? No: the data are."""
        lines = VGroup(*[self.text(t, size=theme.BODY_SIZE) for t in (
            "Is there a contradiction between", "universal approximation theorem", "and",
            "problems with neural network?")]).arrange(DOWN, buff=0.3)
        lines[1].set_color(theme.HIGHLIGHT)
        lines[3].set_color(theme.NEGATIVE)
        lines.move_to([0, -0.2, 0])
        self.play(FadeOut(self.intro), LaggedStart(*[FadeIn(x) for x in lines[:2]], lag_ratio=0.3),
                  run_time=self.until("contradiction", theme.NORMAL))
        self.play(lit(lines[1]))
        self.at("problems")
        self.play(LaggedStart(*[FadeIn(x) for x in lines[2:]], lag_ratio=0.3), run_time=theme.NORMAL)
        answer = self.text(ANSWER, size=theme.BODY_SIZE, color=theme.POSITIVE).next_to(lines, DOWN, buff=0.6)
        # one text on one baseline, shown in two parts as they are said (a Text has no glyph for a space)
        cut = len("".join(ANSWER[:ANSWER.index(ANSWER_SPLIT)].split()))
        parts = answer[:cut], answer[cut:]
        for mark, part in zip(("answer", "data"), parts):
            self.at(mark)
            self.play(FadeIn(part, shift=UP * 0.15), run_time=theme.SHORT)
        self.remove(*parts)
        self.add(answer)  # whole again, as shown
        self.question = VGroup(lines, answer)

    def narration_values(self) -> dict:
        """The training range and the wider range problem #2 draws the same function on (mathcore's)."""
        (train_lo, train_hi), (eval_lo, eval_hi) = self.result.train_range, self.result.eval_range
        return {"train_lo": train_lo, "train_hi": train_hi, "eval_lo": eval_lo, "eval_hi": eval_hi}

    def facts(self, fit: dict, rmse: float | None) -> VGroup:
        """The fit's number of training points (in the colour of their marks on the bottom line) and its RMS
        error (on the plotted range, or inside it)."""
        return VGroup(
            self.text(f"{fit['points']} training points", size=theme.LABEL_SIZE, color=theme.HIGHLIGHT),
            self.error_text(rmse),
        ).arrange(RIGHT, buff=0.8).move_to([0, FACTS_Y, 0])

    def error_text(self, rmse: float | None, where: str = "", color=ntheme.PREDICTED):
        error = "training diverged" if rmse is None else f"RMS error{where} {fmt(rmse)}"
        return self.text(error, size=theme.LABEL_SIZE, color=color)

    def case_heading(self, case: dict):
        return self.heading(case["title"])

    @beat
    def good_fit(self):
        """Actual and predicted on the range of the data: this is ok, the problem is the data."""
        ok, few = self.cases["ok"], self.cases["insufficient_data"]
        enough = self.fits["enough"]
        y_range = extremes(ok["actual"], ok["predicted"], few["predicted"], enough["train_y"],
                           self.fits["few"]["train_y"])
        self.plot = FitAxes(ok["range"], y_range, *PLOT_SIZE, self.text).move_to([*PLOT_CENTRE, 0])
        self.actual = self.plot.curve(ok["x"], ok["actual"], ntheme.ACTUAL, ACTUAL_WIDTH, ACTUAL_OPACITY)
        # the 200 points lie on the curve (no noise): their x's marked on the bottom line show how they cover it
        self.points = self.plot.rug(enough["train_x"], theme.HIGHLIGHT)
        self.predicted = self.plot.dashed_curve(ok["x"], ok["predicted"] or ok["actual"], ntheme.PREDICTED,
                                                PREDICTED_WIDTH)
        self.legend = self.make_legend()
        heading = self.case_heading(ok)
        self.facts_now = self.facts(enough, ok["rmse_inside"])
        self.play(FadeOut(self.question), ReplacementTransform(self.title, heading), FadeIn(self.plot),
                  run_time=theme.NORMAL)
        self.title = heading
        self.play(Create(self.actual), FadeIn(self.legend[0]), run_time=self.until("data", theme.NORMAL))
        self.play(FadeIn(self.points, lag_ratio=0.01), FadeIn(self.facts_now[0]), run_time=theme.SHORT)
        self.play(lit(self.facts_now[0]))
        self.at("prediction")  # the prediction drawn, and its error shown by the time the network is called fine
        drawn = [Create(self.predicted), FadeIn(self.legend[1])] if ok["predicted"] is not None else []
        self.play(*drawn, FadeIn(self.facts_now[1]), run_time=self.until("fine", DRAW_TIME))
        self.play(lit(self.facts_now[1]))

    def make_legend(self) -> VGroup:
        rows = VGroup()
        for name, colour, width, opacity in (("Actual", ntheme.ACTUAL, ACTUAL_WIDTH, ACTUAL_OPACITY),
                                             ("Predicted", ntheme.PREDICTED, PREDICTED_WIDTH, 1.0)):
            line = Line(ORIGIN, RIGHT * 0.5, color=colour, stroke_width=width, stroke_opacity=opacity)
            line = line if name == "Actual" else DashedVMobject(line, num_dashes=3, dashed_ratio=0.6)
            rows.add(VGroup(line, self.text(name, size=theme.LABEL_SIZE, color=colour).next_to(line, RIGHT, buff=0.15)))
        rows.arrange(DOWN, buff=0.12, aligned_edge=LEFT)
        return rows.next_to(self.plot.frame, UP, buff=0.15).align_to(self.plot.frame, LEFT)

    @beat
    def insufficient_data(self):
        """Problem #1: insufficient data. The same network fitted to a few points is poor between them."""
        case, fit = self.cases["insufficient_data"], self.fits["few"]
        heading = self.case_heading(case)
        dots = VGroup(self.plot.dots(fit["train_x"], fit["train_y"], FEW_DOT, theme.HIGHLIGHT),
                      self.plot.rug(fit["train_x"], theme.HIGHLIGHT))
        predicted = self.plot.dashed_curve(case["x"], case["predicted"] or case["actual"], ntheme.PREDICTED,
                                           PREDICTED_WIDTH)
        facts = self.facts(fit, case["rmse_inside"])
        self.play(ReplacementTransform(self.title, heading), FadeOut(self.points), FadeOut(self.facts_now),
                  run_time=self.until("few", theme.NORMAL))
        self.title = heading
        self.play(FadeIn(dots), FadeIn(facts[0]), run_time=theme.SHORT)
        self.play(Transform(self.predicted, predicted), run_time=self.until("strays", DRAW_TIME))
        self.play(FadeIn(facts[1]), run_time=theme.SHORT)
        self.play(lit(facts[1]))
        self.points, self.facts_now = dots, facts

    @beat
    def outside_range(self):
        """Problem #2: you define the data space wrongly; the training data lie only in this range."""
        case = self.cases["outside_range"]
        lo, hi = self.result.train_range
        wide = FitAxes(case["range"], extremes(case["actual"], case["predicted"]), *PLOT_SIZE, self.text)
        wide.move_to([*PLOT_CENTRE, 0])
        band = wide.band(lo, hi)
        heading = self.case_heading(case)
        inside = VGroup(*[self.text(fmt(x), size=theme.SMALL_SIZE, color=theme.TEXT)
                          .next_to(wide.x_point(x), DOWN, buff=0.15) for x in (lo, hi)])
        note = self.text("training data\nonly in this range", size=theme.LABEL_SIZE, color=theme.HIGHLIGHT)
        # the fit's training x's marked on the bottom line, as on the first plot: all inside the band
        points = wide.rug(self.fits[case["fit"]]["train_x"], theme.HIGHLIGHT)
        note.next_to(band, UP, buff=0.15)
        actual = wide.curve(case["x"], case["actual"], ntheme.ACTUAL, ACTUAL_WIDTH, ACTUAL_OPACITY)
        predicted = wide.dashed_curve(case["x"], case["predicted"] or case["actual"], ntheme.PREDICTED,
                                      PREDICTED_WIDTH)
        self.play(ReplacementTransform(self.title, heading), FadeOut(self.points), FadeOut(self.facts_now),
                  FadeOut(self.predicted), run_time=theme.SHORT)
        self.title = heading
        # the legend moves to the side with more room beside the range's note
        side = legend_side(note.get_left()[0] - wide.frame.get_left()[0],
                           wide.frame.get_right()[0] - note.get_right()[0])
        legend = self.legend.copy().next_to(wide.frame, UP, buff=0.15).align_to(wide.frame, side)
        self.play(ReplacementTransform(self.plot, wide), Transform(self.actual, actual),
                  Transform(self.legend, legend), run_time=self.until("wrongly", theme.NORMAL))
        self.plot = wide
        self.bring_to_back(band)
        self.at("range")
        self.play(FadeIn(band), FadeIn(inside), FadeIn(note), FadeIn(points, lag_ratio=0.01), run_time=theme.NORMAL)
        self.points = points
        self.at("same")  # the same f as on the narrower axes, said so: only the range drawn is wider
        self.play(lit(self.actual))
        facts = VGroup(
            self.error_text(case["rmse_inside"], " inside"),
            self.error_text(case["rmse_outside"], " outside", theme.NEGATIVE),
        ).arrange(RIGHT, buff=0.8).move_to([0, FACTS_Y, 0])
        self.predicted = predicted
        self.play(Create(predicted), FadeIn(facts[0]), run_time=self.until("outside", DRAW_TIME))
        self.play(FadeIn(facts[1]), run_time=theme.SHORT)
        self.at("guess")
        self.play(lit(facts[1]))

