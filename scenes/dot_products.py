"""Dot products on the board: the slide's table of vector pairs filled row by row, each pair drawn with
its angle and the projection of x on y, x·y = |x||y| cos θ, the sign shown by colour."""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UP,
    FadeIn,
    FadeOut,
    Indicate,
    MathTex,
    ReplacementTransform,
    VGroup,
    Write,
)

from mathcore import geometry
from mathcore.display import fmt
from scenes import theme
from scenes.base import LectureScene, beat
from scenes.components import tex
from scenes.components.fill_table import FillTable
from scenes.components.light_text import light
from scenes.components.projection_plane import ProjectionPlane

QUESTION = "What is the geometric interpretation of vector dot products?"
DRAW = "Draw on the board, these vector dot products"
HEADER = ["x_1", "x_2", "y_1", "y_2", r"x \cdot y"]
TABLE_CORNER = (-6.75, 2.2)
TABLE_HEIGHT = 4.7
COLUMN_WIDTH = 1.4
PLANE_SIZE = 5.1
PLANE_CENTER = (3.6, -0.2)
HEADING_WIDTH = 13.2
BAND_Y = (-2.8, -3.36)  # the two lines of numbers under the table and the plane
BAND_LEFT = (-6.75, 0.9)  # left edges of the band's two halves
BAND_SIZE = theme.MATH_MIN_SIZE
STEP = 1.0  # seconds from one pair to the next
READ = 1.0  # seconds each pair stays still


class DotProductGeometry(LectureScene):
    TITLE = "Vector dot products"

    def construct(self):
        self.ask_the_question()
        self.next_slide()
        self.show_table()
        self.next_slide()
        self.first_pair()
        self.next_slide()
        self.other_pairs()
        self.next_slide()
        self.read_the_signs()

    def setup(self):
        super().setup()
        self.geo = geometry.from_config(self.cfg)
        self.rows = self.geo.dot_rows()

    @beat
    def ask_the_question(self):
        """What is the geometric interpretation of vector dot products?"""
        self.title = self.heading(QUESTION)
        if self.title.width > HEADING_WIDTH:
            self.title.scale_to_fit_width(HEADING_WIDTH).align_to(self.heading(QUESTION), UP + LEFT)
        self.play(FadeIn(light(self.title)))

    @beat
    def show_table(self):
        """Draw on the board these vector dot products: the slide's pairs, the x·y column empty."""
        self.subtitle = self.text(DRAW, size=theme.LABEL_SIZE, color=theme.MUTED)
        self.subtitle.next_to(self.title, DOWN, buff=0.2).align_to(self.title, LEFT)
        cells = [[fmt(r["x"][0]), fmt(r["x"][1]), fmt(r["y"][0]), fmt(r["y"][1]), None] for r in self.rows]
        self.table = FillTable(HEADER, cells, column_width=COLUMN_WIDTH, height=TABLE_HEIGHT, corner=TABLE_CORNER)
        self.play(FadeIn(light(self.subtitle), shift=UP * 0.1))
        self.play(FadeIn(self.table.header), Write(self.table.rule), run_time=theme.SHORT)
        self.play(FadeIn(self.table.given, lag_ratio=0.02), run_time=theme.LONG)

    def drawing(self, i: int) -> VGroup:
        r = self.rows[i]
        return self.plane.pair(r["x"], r["y"], r["vector_projection"], r["dot"])

    def numbers(self, i: int) -> VGroup:
        """Pair i's |x|, |y|, θ and projection (left) and x·y = |x||y| cos θ with its numbers (right)."""
        r = self.rows[i]
        color = theme.sign_color(r["dot"])
        facts = MathTex(rf"|x| = {tex.num(r['norm_x'])},\ \ |y| = {tex.num(r['norm_y'])},\ \ "
                        rf"\theta = {tex.num(r['angle_deg'])}^\circ,\ \ \cos\theta = {tex.num(r['cos'])}",
                        font_size=BAND_SIZE, color=theme.TEXT)
        projection = MathTex(r"\text{projection of } x \text{ on } y:\ \ \frac{x \cdot y}{|y|} = ",
                             tex.num(r["scalar_projection"]), font_size=BAND_SIZE, color=theme.TEXT)
        projection[1].set_color(color)
        product = MathTex(r"=", tex.num(r["norm_x"]), r"\times", tex.factor(r["norm_y"]), r"\times",
                          tex.factor(r["cos"]), "=", tex.num(r["dot"]), font_size=BAND_SIZE, color=theme.TEXT)
        product[-1].set_color(color)
        facts.move_to([BAND_LEFT[0], BAND_Y[0], 0], aligned_edge=LEFT)
        projection.move_to([BAND_LEFT[0], BAND_Y[1], 0], aligned_edge=LEFT)
        product.move_to([0, BAND_Y[1], 0]).shift([self.formula[1].get_x() - product[0].get_x(), 0, 0])
        return light(VGroup(facts, projection, product))

    def cell_of(self, i: int):
        """The x·y cell filled for pair i."""
        return self.filled[self.order.index(i)]

    def fill(self, i: int):
        """Pair i's x·y into its cell, in the sign's colour."""
        r = self.rows[i]
        cell = self.table.cell(i, len(HEADER) - 1, fmt(r["dot"]), color=theme.sign_color(r["dot"]))
        self.filled.add(cell)
        self.order.append(i)
        return cell

    def shown_first(self) -> int:
        """The pair drawn first, in detail: the one whose angle is nearest 45° (a 6° angle and its projection
        cannot be seen at 480p)."""
        return min(range(len(self.rows)), key=lambda i: abs(self.rows[i]["angle_deg"] - 45.0))

    @beat
    def first_pair(self):
        """A pair whose angle shows: both arrows, the angle, the projection of x on y, and x·y = |x||y| cos θ."""
        points = np.vstack([[r["x"], r["y"], r["vector_projection"]] for r in self.rows])
        self.plane = ProjectionPlane(points, size=PLANE_SIZE).move_to([*PLANE_CENTER, 0])
        self.formula = MathTex(r"x \cdot y", "=", r"|x|\,|y| \cos\theta", font_size=BAND_SIZE + 4, color=theme.TEXT)
        light(self.formula).move_to([BAND_LEFT[1], BAND_Y[0], 0], aligned_edge=LEFT)
        self.filled, self.order = VGroup(), []  # filled cells, and the pair of each
        first = self.shown_first()
        self.box = self.table.row_box(first)
        self.pair = self.drawing(first)
        self.facts = self.numbers(first)
        self.play(FadeIn(self.plane), FadeIn(self.box), run_time=theme.SHORT)
        self.play(FadeIn(self.pair[4:]), run_time=theme.NORMAL)  # the arrows and their labels
        self.play(FadeIn(self.pair[2:4]), Write(self.formula), FadeIn(self.facts[0]), run_time=theme.NORMAL)
        self.play(FadeIn(self.pair[:2]), FadeIn(self.facts[1]), run_time=theme.NORMAL)
        self.play(FadeIn(self.facts[2]), FadeIn(self.fill(first)), run_time=theme.NORMAL)

    @beat
    def other_pairs(self):
        """The other pairs, row by row: the drawing moves to the next pair and its x·y fills its cell."""
        for i in range(len(self.rows)):
            if i != self.shown_first():
                self.move_to_pair(i, FadeIn(self.fill(i)))
                self.wait(READ)

    def move_to_pair(self, i: int, *also) -> None:
        """The drawing, the numbers and the row's box move to pair i."""
        pair, facts, box = self.drawing(i), self.numbers(i), self.table.row_box(i)
        self.play(ReplacementTransform(self.pair, pair), ReplacementTransform(self.facts, facts),
                  self.box.animate.move_to(box), *also, run_time=STEP)
        self.pair, self.facts = pair, facts

    @beat
    def read_the_signs(self):
        """The sign by colour: x·y > 0 when θ is under 90°, x·y < 0 when it is over (x leans against y)."""
        legend = VGroup(
            MathTex(r"x \cdot y > 0:\ \ \theta < 90^\circ,\ \text{the projection points along } y",
                    font_size=BAND_SIZE, color=theme.POSITIVE),
            MathTex(r"x \cdot y < 0:\ \ \theta > 90^\circ,\ \text{the projection points against } y",
                    font_size=BAND_SIZE, color=theme.NEGATIVE),
        )
        for line, y in zip(legend, BAND_Y):
            line.move_to([BAND_LEFT[0], y, 0], aligned_edge=LEFT)
        light(legend)
        negative = [i for i, r in enumerate(self.rows) if r["dot"] < 0]
        if negative:  # the drawing shows a pair with x·y < 0 while the signs are read
            self.move_to_pair(negative[0])
        self.play(FadeOut(self.facts[:2]), FadeIn(legend, shift=UP * 0.1))
        if negative:
            self.play(*[Indicate(self.cell_of(i), color=theme.NEGATIVE, scale_factor=1.3) for i in negative])
        self.wait(theme.NORMAL)
