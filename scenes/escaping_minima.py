"""Strategies for overcoming local minima: the cost surface changes with the data set (C(w1) of data
sets with one point left out), then GD, SGD, momentum and Adam race from one start on a surface
with several minima."""
from __future__ import annotations

import math

from manim import (
    DOWN,
    DR,
    LEFT,
    RIGHT,
    UP,
    BackgroundRectangle,
    Create,
    Cross,
    FadeIn,
    FadeOut,
    MathTex,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    VMobject,
    linear,
)

from mathcore import minima, race, surfaces
from mathcore.display import fmt
from scenes import theme
from scenes.base import LectureScene
from scenes.components.data_plane import DataPlane
from scenes.components.minima_curve import MinimaCurve
from scenes.components.surface_contours import SurfaceContours

STRATEGIES = ["1. Stochastic gradient descend", "2. Adam method, momentum"]
EQUATION_SIZE = 28
PLANE_SIZE = (4.8, 3.6)
CURVE_SIZE = (5.8, 3.6)
LEFT_X, RIGHT_X = -4.0, 3.2
BODY_Y = -1.55
SUBSETS_SHOWN = 6  # data sets shown, each the data without one row (rows 1, 2, ...)
SUBSET_TIME = 1.0
SURFACE_SIDE = 5.8
SURFACE_CENTRE = (-3.3, -0.75)
LEGEND_GAP = 0.7  # between legend rows: room for each final cost under its row
TRAIL_POINTS = 120  # drawn points per trajectory (the runs are subsampled to about this)
RACE_TIME = 8.0
NAMES = {"gd": "gradient descent", "sgd": "stochastic GD", "minibatch": "minibatch GD",
         "momentum": "momentum", "adam": "Adam"}
COLOURS = {"gd": theme.TEXT, "sgd": theme.GRADIENT, "minibatch": theme.LOCAL, "momentum": theme.POSITIVE,
           "adam": theme.VALUE}
HYPER_TEX = {"lr": r"\eta", "momentum": r"\mu", "batch_size": "B"}


def model_equations(w2: float) -> list[str]:
    return [
        rf"o_i = \sigma(w_1 x_1 + w_2 x_2) \text{{ with }} w_2 = {fmt(w2)}",
        r"\sigma(z) = \frac{1}{1 + \exp(-z)}",
        r"C(w_1) = \frac{1}{n} \sum_i (y_i - o_i)^2",
    ]


def settings_tex(hyper: dict) -> str:
    """η = 0.05, μ = 0.9, B = 4: the settings the race states for one optimiser (learning rate first)."""
    return r",\ ".join(f"{HYPER_TEX[k]} = {fmt(v)}" for k, v in hyper.items() if k in HYPER_TEX)


class EscapingLocalMinima(LectureScene):
    TITLE = "Strategies for overcoming local minimum problem"

    def construct(self):
        self.show_strategies()
        self.next_slide()
        self.surfaces_differ()
        self.next_slide()
        self.race_setup()
        self.next_slide()
        self.run_race()
        self.next_slide()
        self.race_results()

    def setup(self):
        super().setup()
        self.data = minima.load(self.cfg)
        self.result = minima.from_config(self.cfg, runs=False)
        self.race = race.race(self.cfg, "surface")

    def show_strategies(self):
        """The strategies slide: stochastic gradient descent; Adam, momentum."""
        self.title = self.heading(self.TITLE)
        self.items = VGroup(*[self.text(s) for s in STRATEGIES]).arrange(DOWN, aligned_edge=LEFT, buff=0.45)
        self.items.next_to(self.title, DOWN, buff=0.9).align_to(self.title, LEFT).shift(RIGHT * 0.5)
        self.play(FadeIn(self.title))
        for item in self.items:
            self.play(FadeIn(item, shift=RIGHT * 0.2), run_time=theme.SHORT)

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
        lo, hi = self.result["w1_range"]
        subsets = [minima.without_row(self.data, row) for row in range(min(SUBSETS_SHOWN, self.data.n))]
        curve = MinimaCurve(self.data, (lo, hi), *CURVE_SIZE, also=subsets).move_to([RIGHT_X, BODY_Y - 0.15, 0])
        plane.align_to(curve.frame, UP)
        full = curve.curve.copy().set_stroke(theme.MUTED, width=2, opacity=0.6)
        marks = curve.minimum_marks(self.result["minima"])
        caption = self.text("each data set: one point left out", size=theme.SMALL_SIZE,
                            color=theme.MUTED).next_to(plane, UP, buff=0.1)
        self.play(FadeIn(plane), FadeIn(curve.frame), FadeIn(curve.labels), Create(curve.curve), FadeIn(marks))
        self.add(full)
        shown, cross = curve.curve, None
        sec = self.cfg.section("minima")
        for row, subset in enumerate(subsets):
            new_curve = curve.curve_for(subset)
            new_marks = curve.minimum_marks(minima.find_minima(subset, lo, hi, sec["grid_points"]), subset)
            new_cross = Cross(plane.dots[row], stroke_color=theme.HIGHLIGHT, stroke_width=4, scale_factor=1.8)
            undo = [FadeOut(cross), plane.dots[row - 1].animate.set_opacity(1)] if cross else []
            self.play(*undo, FadeIn(new_cross), plane.dots[row].animate.set_opacity(0.25),
                      ReplacementTransform(shown, new_curve), ReplacementTransform(marks, new_marks),
                      *([] if cross else [FadeIn(caption)]), run_time=SUBSET_TIME)
            shown, marks, cross = new_curve, new_marks, new_cross
        self.wait(theme.SHORT)

    def race_setup(self):
        """A cost surface with several minima: contours, its minima and the common start."""
        self.play(*[FadeOut(m) for m in self.mobjects if isinstance(m, VMobject) and m is not self.title],
                  run_time=theme.SHORT)
        o = self.cfg.section("optim")
        grid = surfaces.from_config(self.cfg).grid(o["surface_extent"], o["surface_points"])
        self.surface = SurfaceContours(grid, SURFACE_SIDE).move_to([*SURFACE_CENTRE, 0])
        self.minima_marks = VGroup()
        for m in self.race["minima"]:
            dot = self.surface.mark((m["x"], m["y"]), color=theme.HIGHLIGHT, radius=0.07)
            label = MathTex(rf"C = {fmt(m['cost'])}", font_size=theme.SMALL_SIZE, color=theme.HIGHLIGHT)
            label.next_to(dot, DR, buff=0.08)
            self.minima_marks.add(VGroup(dot, BackgroundRectangle(label, fill_opacity=0.8, buff=0.05), label))
        start = self.surface.mark(self.race["start"], color=theme.TEXT, radius=0.09)
        start_label = self.text("start", size=theme.SMALL_SIZE).next_to(start, UP, buff=0.12)
        sub = self.text("same start, same steps, same seed", size=theme.LABEL_SIZE, color=theme.MUTED)
        sub.next_to(self.title, DOWN, buff=0.2).align_to(self.title, LEFT)
        self.add(self.surface.shading)  # hundreds of flat squares: shown at once, the contours fade in over them
        self.play(FadeIn(VGroup(self.surface.lines, self.surface.axes, self.surface.labels)), FadeIn(sub),
                  run_time=theme.NORMAL)
        self.play(FadeIn(self.minima_marks), FadeIn(start), FadeIn(start_label), run_time=theme.SHORT)
        self.legend = VGroup()
        for e in self.race["entrants"]:
            name = self.text(NAMES.get(e["optimiser"], e["optimiser"]), size=theme.LABEL_SIZE,
                             color=COLOURS.get(e["optimiser"], theme.TEXT))
            hyper = MathTex(settings_tex(e["hyper"]), font_size=theme.LABEL_SIZE, color=theme.TEXT)
            self.legend.add(VGroup(name, hyper))
        for row in self.legend:
            row[1].next_to(row[0], RIGHT, buff=0.3)
        self.legend.arrange(DOWN, aligned_edge=LEFT, buff=LEGEND_GAP)
        self.legend.next_to(self.surface.axes, RIGHT, buff=0.9).align_to(self.surface.axes, UP).shift(DOWN * 0.3)
        steps = self.text(f"{self.race['steps']} steps each", size=theme.SMALL_SIZE, color=theme.MUTED)
        self.steps_note = steps.next_to(self.legend, DOWN, buff=0.75).align_to(self.legend, LEFT)
        self.play(FadeIn(self.legend), FadeIn(self.steps_note), run_time=theme.NORMAL)

    def run_race(self):
        """Every optimiser's trajectory drawn step by step from the same start (subsampled)."""
        step = ValueTracker(0)
        self.trails = VGroup()
        drawn = 0
        for e in self.race["entrants"]:
            every = max(1, math.ceil((len(e["theta"]) - 1) / TRAIL_POINTS))
            self.trails.add(self.surface.trail(e["theta"], step, every, COLOURS.get(e["optimiser"], theme.TEXT)))
            drawn = max(drawn, SurfaceContours.samples(e["theta"], every))
        self.add(self.trails)
        self.bring_to_front(self.minima_marks)
        self.play(step.animate.set_value(drawn - 1), run_time=RACE_TIME, rate_func=linear)

    def race_results(self):
        """Where each optimiser ended: the cost of its last point."""
        finals = VGroup()
        for row, e in zip(self.legend, self.race["entrants"]):
            text = rf"\to C = {fmt(e['final_loss'])}" if e["final_loss"] is not None else r"\to \text{diverged}"
            finals.add(MathTex(text, font_size=theme.SMALL_SIZE, color=COLOURS.get(e["optimiser"], theme.TEXT))
                       .next_to(row, DOWN, buff=0.12).align_to(row, LEFT).shift(RIGHT * 0.3))
        self.play(FadeIn(finals), run_time=theme.NORMAL)
        self.wait(theme.NORMAL)
