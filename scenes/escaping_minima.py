"""Strategies for overcoming local minima: the cost surface changes with the data set (C(w1) of data
sets with one point left out), then GD, SGD, momentum and Adam race from one start on a surface
with several minima."""
from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    BackgroundRectangle,
    Circle,
    Create,
    Cross,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    MathTex,
    ReplacementTransform,
    Text,
    VGroup,
    VMobject,
    Wait,
    Write,
    config,
)

from mathcore import minima, optim, race, surfaces
from mathcore.display import fmt
from scenes import theme
from scenes.base import LectureScene, beat
from scenes.components import tex
from scenes.components.data_plane import DataPlane
from scenes.components.fields import tagged
from scenes.components.minima_curve import MinimaCurve
from scenes.components.race_map import Race, ends_at, label_side, leader, legend_row, settings_tex
from scenes.components.spoken import lit
from scenes.components.surface_contours import SurfaceContours
from scenes.theme import optimisers as otheme

STRATEGIES = ["1. Stochastic gradient descent", "2. Adam method, momentum"]
EQUATION_SIZE = theme.MATH_MIN_SIZE
PLANE_SIZE = (4.6, 3.3)
CURVE_SIZE = (5.6, 3.2)
LEFT_X, RIGHT_X = -3.8, 3.2
BODY_Y = -1.4
SUBSETS_SHOWN = 6  # data sets shown, each the data without one row (rows 1, 2, ...)
SUBSET_TIME = 1.0
SURFACE_SIDE = 5.8
SURFACE_CENTRE = (-3.3, -0.75)
LEGEND_GAP = 0.55  # between legend rows: room for each final cost under its row
RUN_TIME = 2.2  # seconds per optimiser's run
SHOWN_SETTINGS = ("lr", "momentum", "batch_size")  # Adam's β1, β2, ε are on the Adam slide
SWATCH_WIDTH = 10  # a legend swatch as wide as its path, up to this


def model_equations(w2: float) -> list[str]:
    return [
        rf"o_i = \sigma(w_1 x_1 + w_2 x_2) \text{{ with }} w_2 = {fmt(w2)}",
        r"\sigma(z) = \frac{1}{1 + \exp(-z)}",
        r"C(w_1) = \frac{1}{n} \sum_i (y_i - o_i)^2",
    ]


class EscapingLocalMinima(LectureScene):
    TITLE = "Strategies for overcoming local minimum problem"
    LIMITS = {"optim.race": (len(otheme.OPTIMISER_COLORS), "entrants")}  # one colour and legend row each
    NARRATION = frozenset({"deeper", "gd_cost", "momentum", "adam_alpha", "algorithm_alpha"})

    def construct(self):
        self.show_strategies()
        self.next_slide()
        self.surfaces_differ()
        self.next_slide()
        self.race_setup()
        self.adam_step_size()
        self.define_momentum()
        self.next_slide()
        self.run_race()
        self.next_slide()
        self.race_results()
        self.deeper_answer()

    def setup(self):
        super().setup()
        self.data = minima.load(self.cfg)
        self.result = minima.from_config(self.cfg, runs=False)
        self.race = race.race(self.cfg, "surface")

    @beat
    def show_strategies(self):
        """The strategies slide: stochastic gradient descent; Adam, momentum."""
        self.title = self.heading(self.TITLE)
        self.items = VGroup(*[self.text(s) for s in STRATEGIES]).arrange(DOWN, aligned_edge=LEFT, buff=0.45)
        self.items.next_to(self.title, DOWN, buff=0.9).align_to(self.title, LEFT).shift(RIGHT * 0.5)
        self.play(FadeIn(self.title))
        for item in self.items:
            self.play(FadeIn(item, shift=RIGHT * 0.2), run_time=theme.SHORT)

    @beat
    def surfaces_differ(self):
        """Cost surfaces are different for different data sets: C(w1) with one point left out at a time."""
        items = self.items.copy().scale(0.75).arrange(RIGHT, buff=0.8).next_to(self.title, DOWN, buff=0.25)
        items.set_x(0)
        eqs = VGroup(*[MathTex(t, font_size=EQUATION_SIZE, color=theme.TEXT) for t in model_equations(self.data.w2)])
        eqs.arrange(RIGHT, buff=0.7).next_to(items, DOWN, buff=0.3).set_x(0)
        note = self.text("cost surfaces are different for different data sets", size=theme.LABEL_SIZE,
                         color=theme.HIGHLIGHT).next_to(eqs, DOWN, buff=0.3)
        self.play(ReplacementTransform(self.items, items), FadeIn(eqs), run_time=theme.NORMAL)
        self.play(FadeIn(note), run_time=theme.SHORT)
        plane = DataPlane(self.data, *PLANE_SIZE).move_to([LEFT_X, BODY_Y, 0])
        lo, hi = self.result.w1_range
        subsets = [minima.without_row(self.data, row) for row in range(min(SUBSETS_SHOWN, self.data.n))]
        curve = MinimaCurve(self.data, (lo, hi), *CURVE_SIZE, also=subsets).move_to([RIGHT_X, BODY_Y - 0.15, 0])
        plane.align_to(curve.frame, UP)
        full = curve.curve.copy().set_stroke(theme.MUTED, width=2, opacity=0.6)
        marks = curve.minimum_marks(self.result.minima)
        caption = self.text("each data set: one point left out", size=theme.SMALL_SIZE,
                            color=theme.MUTED).next_to(plane, UP, buff=0.1)
        self.play(FadeIn(plane), FadeIn(curve.frame), FadeIn(curve.labels), FadeIn(curve.ticks), Create(curve.curve),
                  FadeIn(marks))
        self.add(full)
        shown, cross = curve.curve, None
        sec = self.cfg.minima
        for row, subset in enumerate(subsets):
            new_curve = curve.curve_for(subset)
            new_marks = curve.minimum_marks(minima.find_minima(subset, lo, hi, sec.grid_points), subset)
            new_cross = Cross(plane.dots[row], stroke_color=theme.HIGHLIGHT, stroke_width=4, scale_factor=1.8)
            undo = [FadeOut(cross), plane.dots[row - 1].animate.set_opacity(1)] if cross else []
            self.play(*undo, FadeIn(new_cross), plane.dots[row].animate.set_opacity(0.25),
                      ReplacementTransform(shown, new_curve), ReplacementTransform(marks, new_marks),
                      *([] if cross else [FadeIn(caption)]), run_time=SUBSET_TIME)
            shown, marks, cross = new_curve, new_marks, new_cross
        self.wait(theme.SHORT)

    @beat
    def race_setup(self):
        """A cost surface with several minima: contours, its minima and the common start, each racer's settings."""
        self.play(*[FadeOut(m) for m in self.mobjects if isinstance(m, VMobject) and m is not self.title],
                  run_time=theme.SHORT)
        o = self.cfg.optim
        grid = surfaces.from_config(self.cfg).grid(o.surface_extent, o.surface_points)
        self.surface = SurfaceContours(grid, SURFACE_SIDE).move_to([*SURFACE_CENTRE, 0])
        entrants = self.race.entrants
        self.racing = Race(self.surface, entrants)
        (every_point, reach), widths = self.racing.obstacles(), self.racing.widths
        start = Circle(radius=0.11, color=otheme.START, stroke_width=3).move_to(
            self.surface.axes.c2p(*self.race.start)
        )
        dots = [self.surface.mark((m["x"], m["y"]), color=otheme.MINIMUM, radius=0.07).set_stroke(theme.BACKGROUND,
                                                                                                   width=2)
                for m in self.race.minima]
        self.minima_marks, placed = VGroup(), []
        for m, dot in zip(self.race.minima, dots):
            label = MathTex(rf"C = {tex.num(m['cost'])}", font_size=otheme.TEX_SIZE, color=otheme.MINIMUM)
            label_side(label, dot, every_point, buff=0.15, rivals=[d for d in dots if d is not dot] + [start],
                       placed=placed, reach=reach)  # clear of every stroke, by its own dot
            placed.append(label)
            self.minima_marks.add(VGroup(dot, leader(label, dot), BackgroundRectangle(label, fill_opacity=0.8,
                                                                                       buff=0.05), label))
        start_label = label_side(self.text("start", size=theme.SMALL_SIZE, color=otheme.START), start, every_point,
                                 rivals=dots, placed=placed, reach=reach)
        self.start = VGroup(start, leader(start_label, start), start_label)
        self.racing.marks = (self.minima_marks, self.start)
        sub = self.text(f"same start, {self.race.steps} steps each, same seed", size=theme.LABEL_SIZE,
                        color=theme.MUTED)
        sub.next_to(self.title, DOWN, buff=0.2).align_to(self.title, LEFT)
        self.add(self.surface.shading)  # hundreds of flat squares: shown at once, the contours fade in over them
        self.play(FadeIn(VGroup(self.surface.lines, self.surface.axes, self.surface.labels)), FadeIn(sub),
                  run_time=theme.NORMAL)
        self.play(FadeIn(self.minima_marks), FadeIn(self.start), run_time=theme.SHORT)
        self.at("start")  # every racer's start, as the voice names it
        self.play(lit(self.start))
        self.legend = VGroup()
        for e in entrants:
            row = legend_row(e["optimiser"], settings_tex(e["optimiser"], e["hyper"], SHOWN_SETTINGS),
                             width=min(widths[e["optimiser"]], SWATCH_WIDTH))
            row[1].next_to(row[0], RIGHT, buff=0.3)
            self.legend.add(row)
        self.legend.arrange(DOWN, aligned_edge=LEFT, buff=LEGEND_GAP)
        self.legend.next_to(self.surface.axes, RIGHT, buff=0.6).align_to(self.surface.axes, UP)
        notes = []
        adam = next((e for e in entrants if e["optimiser"] == "adam"), None)
        algorithm_alpha = optim.spec_from_config(self.cfg, "adam").lr
        if adam and adam["hyper"]["lr"] != algorithm_alpha:  # the race says so when Adam's α is not Algorithm 1's
            notes.append(f"Adam's α here: {fmt(adam['hyper']['lr'])} (Algorithm 1: {fmt(algorithm_alpha)})")
        self.steps_note = VGroup(*[self.text(n, size=theme.SMALL_SIZE, color=theme.MUTED) for n in notes])
        self.steps_note.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        self.steps_note.next_to(self.legend, DOWN, buff=0.55).align_to(self.legend, LEFT)
        self.play(FadeIn(self.legend), run_time=theme.NORMAL)

    @beat
    def adam_step_size(self):
        """Adam's α in this race beside Algorithm 1's (said and written under the legend)."""
        rows = [row for row, e in zip(self.legend, self.race.entrants) if e["optimiser"] == "adam"]
        self.play(FadeIn(self.steps_note, shift=UP * 0.1), run_time=self.until("adam_alpha", theme.SHORT))
        if rows:  # Adam's legend row (its α) as the voice says the race's α, the note as it says Algorithm 1's
            self.play(lit(*rows))
        if len(self.steps_note):
            self.at("algorithm_alpha")
            self.play(lit(self.steps_note))

    @beat
    def define_momentum(self):
        """Momentum's rule, before it races: a velocity v that keeps μ of the last step (Adam's is the next scene's)."""
        if "momentum" not in self.racing.paths:
            return
        self.momentum_rule = momentum_rule().next_to(self.steps_note, DOWN, buff=0.35).align_to(self.legend, LEFT)
        row = self.legend[[e["optimiser"] for e in self.race.entrants].index("momentum")]
        # the velocity's line until the voice says μ (lit in the legend), then θ's line as it says it
        self.play(Write(self.momentum_rule[:2]), run_time=self.until("mu", theme.LONG))
        self.play(lit(row), run_time=theme.LONG)
        self.at("theta")
        self.play(Write(self.momentum_rule[2]), run_time=theme.NORMAL)

    @beat
    def run_race(self):
        """One optimiser at a time: a dot takes every step from the start, its last steps bright; its final cost."""
        self.finals = VGroup()
        for k, e in enumerate(self.race.entrants):
            self.play(self.racing.run(e["optimiser"], RUN_TIME))
            self.finals.add(ends_at(e).next_to(self.legend[k], DOWN, buff=0.1).align_to(self.legend[k][0][1], LEFT))
            self.play(FadeIn(self.finals[-1]), run_time=theme.SHORT)

    @beat
    def race_results(self):
        """All paths overlaid (the widest underneath); which went deeper than gradient descent? (its end marked)"""
        self.play(*self.racing.overlay(), run_time=theme.NORMAL)
        self.at("cost")
        self.play(LaggedStart(*[Indicate(f, color=theme.HIGHLIGHT) for f in self.finals], lag_ratio=0.5),
                  run_time=theme.LONG * 2)  # each with the cost where it ended
        if "gd" in self.racing.paths:  # the question's yardstick: where gradient descent stopped
            self.at("gd_cost")
            self.play(Indicate(self.racing.paths["gd"].end, color=theme.HIGHLIGHT, scale_factor=1.6),
                      run_time=theme.LONG)

    @beat
    def deeper_answer(self):
        """The answer, on screen as said: the racers that ended in a deeper minimum than gradient descent's."""
        deeper = race.went_deeper(self.race)
        if "gd" not in self.racing.paths:
            return
        head = self.text("deeper than gradient descent:", size=theme.SMALL_SIZE, color=theme.TEXT)  # yellow is Adam's
        names = [tagged(self.text(otheme.OPTIMISER_NAMES[e["optimiser"]], size=theme.SMALL_SIZE,
                                  color=otheme.OPTIMISER_COLORS[e["optimiser"]]), f"deeper[{k}]")
                 for k, e in enumerate(deeper)]
        answer = VGroup(head, *(names or [self.text("none", size=theme.SMALL_SIZE, color=theme.TEXT)]))
        answer.arrange(RIGHT, buff=0.2)
        if answer.width > config.frame_width / 2:  # the names under the question, two rows at most
            VGroup(*answer[1:]).arrange(RIGHT, buff=0.2).next_to(head, DOWN, buff=0.1, aligned_edge=LEFT)
        answer.next_to(self.steps_note, DOWN, buff=0.35).align_to(self.legend, LEFT)
        rings = VGroup(*[Circle(radius=0.22, color=theme.TEXT, stroke_width=3)
                         .move_to(self.minima_marks[i][0]) for i in {e["nearest_minimum"] for e in deeper}])
        self.play(FadeOut(self.momentum_rule) if hasattr(self, "momentum_rule") else Wait(0),
                  FadeIn(answer, shift=UP * 0.1), Create(rings), run_time=theme.NORMAL)
        self.wait(theme.NORMAL)

    def narration_values(self) -> dict:
        """The race's answer: who went deeper than gradient descent (mathcore's race), its α and μ."""
        hyper = {e["optimiser"]: e["hyper"] for e in self.race.entrants}
        gd = next((e for e in self.race.entrants if e["optimiser"] == "gd"), None)
        names = [otheme.OPTIMISER_NAMES[e["optimiser"]] for e in race.went_deeper(self.race)]
        return {"deeper": names or "none of them", "gd_cost": gd["final_loss"] if gd else "not run",
                "momentum": hyper.get("momentum", {}).get("momentum", "not run"),
                "adam_alpha": hyper.get("adam", {}).get("lr", "not run"),
                "algorithm_alpha": optim.spec_from_config(self.cfg, "adam").lr}


def momentum_rule() -> VGroup:
    """Momentum's update (torch's SGD convention, as mathcore steps it): a velocity that remembers past steps."""
    name = Text("momentum:", font=theme.FONT, font_size=theme.SMALL_SIZE, color=otheme.OPTIMISER_COLORS["momentum"])
    first = MathTex(r"v_t = \mu\, v_{t-1} + \nabla C(\theta_{t-1})", font_size=otheme.TEX_SIZE, color=theme.TEXT)
    second = MathTex(r"\theta_t = \theta_{t-1} - \eta\, v_t", font_size=otheme.TEX_SIZE, color=theme.TEXT)
    VGroup(name, first).arrange(RIGHT, buff=0.2)
    return VGroup(name, first, second.next_to(first, DOWN, buff=0.15, aligned_edge=LEFT))
