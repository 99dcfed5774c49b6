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
from scenes.components.spoken import lit

QUESTION = "What is the geometric interpretation of vector dot products?"
DRAW = "Draw on the board, these vector dot products"
HEADER = ["x_1", "x_2", "y_1", "y_2", r"x \cdot y"]
TABLE_CORNER = (-6.75, 2.2)
TABLE_HEIGHT = 4.7
COLUMN_WIDTH = 1.4
PLANE_SIZE = 4.9
PLANE_CENTER = (3.6, -0.1)  # its grid ends above the band
HEADING_WIDTH = 13.2
BAND_Y = (-2.8, -3.42)  # the two lines of numbers under the table and the plane
BAND_LEFT = (-6.75, 0.9)  # left edges of the band's two halves
BAND_SIZE = theme.MATH_MIN_SIZE
STEP = 1.0  # seconds from one pair to the next
READ = 1.0  # seconds each pair stays still
SHORTEST = 0.9  # seconds per pair at least when the pairs share the voice's time


class DotProductGeometry(LectureScene):
    TITLE = "Vector dot products"
    NARRATION = frozenset({"dot"})

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

    def narration_values(self) -> dict:
        return {"dot": self.rows[self.shown_first()]["dot"]}  # said as the first pair's cell fills

    @beat
    def ask_the_question(self):
        """What is the geometric interpretation of vector dot products?"""
        self.title = self.heading(QUESTION)
        if self.title.width > HEADING_WIDTH:
            self.title.scale_to_fit_width(HEADING_WIDTH).align_to(self.heading(QUESTION), UP + LEFT)
        self.play(Write(light(self.title)), run_time=self.until("look", theme.NORMAL))  # written as it is asked

    @beat
    def show_table(self):
        """Draw on the board these vector dot products: the slide's pairs, the x·y column empty."""
        self.subtitle = self.text(DRAW, size=theme.LABEL_SIZE, color=theme.MUTED)
        self.subtitle.next_to(self.title, DOWN, buff=0.2).align_to(self.title, LEFT)
        cells = [[fmt(r["x"][0]), fmt(r["x"][1]), fmt(r["y"][0]), fmt(r["y"][1]), None] for r in self.rows]
        self.table = FillTable(HEADER, cells, column_width=COLUMN_WIDTH, height=TABLE_HEIGHT, corner=TABLE_CORNER)
        self.play(FadeIn(light(self.subtitle), shift=UP * 0.1))
        self.play(FadeIn(self.table.header), Write(self.table.rule), run_time=theme.SHORT)
        self.play(FadeIn(self.table.given, lag_ratio=0.02), run_time=self.until("column", theme.LONG))
        self.play(lit(self.table.header[-1]))

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
        # x·y / |y| on the line: a stacked fraction would reach up into the line above
        projection = MathTex(r"\text{projection of } x \text{ on } y:\ \ x \cdot y \,/\, |y| = ",
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
        self.play(FadeIn(self.plane), FadeIn(self.box), run_time=self.until("pair", theme.SHORT))
        # each part drawn as the voice names it: x, y, the angle, the projection, the formula, the product
        for mark, parts in (("x", (self.pair[5], self.pair[7])), ("y", (self.pair[4], self.pair[6])),
                            ("angle", (self.pair[2:4], self.facts[0])), ("projected", (self.pair[:2], self.facts[1]))):
            self.at(mark)
            self.play(*[FadeIn(m) for m in parts], run_time=theme.SHORT)
        self.at("formula")
        self.play(Write(self.formula), run_time=theme.NORMAL)
        self.at("cos")  # the angle the cosine is of
        self.play(lit(self.pair[3]), lit(self.facts[0]))
        cell = self.fill(first)
        self.at("this")
        self.play(FadeIn(self.facts[2]), FadeIn(cell), run_time=self.until("dot", theme.NORMAL))
        self.play(lit(cell), lit(self.facts[2][-1]))

    @beat
    def other_pairs(self):
        """The other pairs row by row; then the largest product, a near right angle and each sign, as named."""
        rest = [i for i in range(len(self.rows)) if i != self.shown_first()]
        for n, i in enumerate(rest):
            end = self.mark_time("projection")  # the pairs share the time until the voice explains them
            slot = max(SHORTEST, (end - self.renderer.time) / (len(rest) - n) if end is not None else STEP + READ)
            self.move_to_pair(i, FadeIn(self.fill(i)), run_time=min(STEP, 0.7 * slot))
            self.wait(slot - min(STEP, 0.7 * slot))
        self.at("projection")
        self.play(lit(self.pair[0], self.facts[1]))
        # a right angle approached from below (the signs' beat shows one past it), unless no pair is below one
        below = [i for i, r in enumerate(self.rows) if r["dot"] > 0] or list(range(len(self.rows)))
        for mark, i in (("large", max(range(len(self.rows)), key=lambda i: self.rows[i]["dot"])),
                        ("right", min(below, key=lambda i: abs(self.rows[i]["angle_deg"] - 90)))):
            self.at(mark)
            self.move_to_pair(i)
            self.play(lit(self.cell_of(i)))
        for mark, sign in (("blue", 1), ("red", -1)):
            self.at(mark)
            cells = [self.cell_of(i) for i, r in enumerate(self.rows) if r["dot"] * sign > 0]
            if cells:
                self.play(*[lit(c) for c in cells])

    def move_to_pair(self, i: int, *also, run_time: float = STEP, shown: slice = slice(None)) -> None:
        """The drawing, the numbers (the ``shown`` lines of them) and the row's box move to pair i."""
        pair, facts, box = self.drawing(i), self.numbers(i), self.table.row_box(i)
        self.play(ReplacementTransform(self.pair, pair), ReplacementTransform(self.facts[shown], facts[shown]),
                  self.box.animate.move_to(box), *also, run_time=run_time)
        self.pair, self.facts = pair, facts

    @beat
    def read_the_signs(self):
        """The sign by colour: x·y > 0 when θ is under 90°, x·y < 0 when it is over (x leans against y)."""
        legend = VGroup(
            MathTex(r"x \cdot y > 0:\ \ \theta < 90^\circ,\ \text{projection along } y",
                    font_size=BAND_SIZE, color=theme.POSITIVE),
            MathTex(r"x \cdot y < 0:\ \ \theta > 90^\circ,\ \text{projection against } y",
                    font_size=BAND_SIZE, color=theme.NEGATIVE),
        )
        for line, y in zip(legend, BAND_Y):
            line.move_to([BAND_LEFT[0], y, 0], aligned_edge=LEFT)
        light(legend)
        negative = [i for i, r in enumerate(self.rows) if r["dot"] < 0]
        self.play(FadeOut(self.facts[:2]), run_time=theme.SHORT)
        self.at("under")
        self.play(FadeIn(legend[0], shift=UP * 0.1), run_time=theme.SHORT)
        self.at("positive")
        self.play(*[lit(self.cell_of(i)) for i, r in enumerate(self.rows) if r["dot"] > 0])
        self.at("over")
        if negative:  # the drawing shows a pair with x·y < 0 while the signs are read (the legend keeps its lines)
            self.move_to_pair(negative[0], shown=slice(2, 3))
        self.play(FadeIn(legend[1], shift=UP * 0.1), run_time=theme.SHORT)
        self.at("negative")
        if negative:
            self.play(*[Indicate(self.cell_of(i), color=theme.NEGATIVE, scale_factor=1.3) for i in negative])
