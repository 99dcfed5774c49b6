"""ReLU(Wx): each component of Wx is a row of W dotted with x; W maps the plane into R^3 and ReLU
folds the image onto the non-negative orthant; a W that sends x to all-negative values gives 0."""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Flash,
    Indicate,
    LaggedStart,
    MathTex,
    Matrix,
    ReplacementTransform,
    SurroundingRectangle,
    Transform,
    TransformFromCopy,
    VGroup,
    Write,
    config,
)

from mathcore import geometry
from mathcore.errors import ConfigError
from scenes import theme
from scenes.base import LectureScene, beat
from scenes.components import tex
from scenes.components.grid_runs import GridRuns, grid_lines, legend
from scenes.components.input_plane import InputPlane
from scenes.components.orthant_view import OrthantView
from scenes.components.spoken import lit
from scenes.theme import relu as rtheme

TOP = 2.95  # below the heading
BOTTOM = -3.55  # content keeps a quarter unit from the frame's edge
BLOCK_GAP = 0.35
WORK_LEFT = 1.2  # left edge of the row-by-row dot products, clear of the results' brackets
DIMMED = 0.3  # the matrices not being worked, so the rows' lines read as the lit one's
WORK_LINE_GAP = 0.16  # between a row's two lines
WORK_GAP = 0.4  # between rows
EQUATION_Y = 2.65
LEGEND_BOTTOM = 0.3
PLANE_SIDE = 2.6  # leaves room above for the note on what is drawn
PLANE_CENTER = (-4.85, -0.15, 0)
VIEW_BOX = (-1.2, 6.8, BOTTOM, TOP)  # left, right, bottom, top of the 3-D view
FOLD_BOX = (-0.4, 6.8, BOTTOM, TOP)  # of the folded view (clear of the legend)
FOLD_TIME = 2.0
ZOOM_TIME = 1.2
FOLD_STUB = 0.15  # the dashed negative half-axes of the folded view, as a share of the positive ones


def column(values, size: float = rtheme.MATRIX_SIZE, colored: bool = False) -> Matrix:
    """A column vector of numbers; ``colored``: by sign (theme.sign_color)."""
    m = matrix([[v] for v in values], size)
    if colored:
        for entry, v in zip(m.get_entries(), values):
            entry.set_color(theme.sign_color(v))
    return m


def matrix(rows, size: float = rtheme.MATRIX_SIZE) -> Matrix:
    return Matrix([[tex.num(v) for v in row] for row in rows], v_buff=0.55, h_buff=0.85,
                  element_to_mobject_config={"font_size": size, "color": theme.TEXT},
                  bracket_config={"color": theme.MUTED})


def tuple_tex(prefix: str, values, size: float = rtheme.MATRIX_SIZE) -> MathTex:
    """``prefix`` (a, b, c) with each number coloured by its sign; parts 1, 3, 5, … are the numbers."""
    parts = [prefix + "("]
    for j, v in enumerate(values):
        parts += [tex.num(v), ", " if j < len(values) - 1 else ")"]
    line = MathTex(*parts, font_size=size, color=theme.TEXT)
    for part, v in zip(line[1::2], values):
        part.set_color(theme.sign_color(v))
    return line


def dot_lines(i: int, row, x, terms, value, size: float = rtheme.WORK_SIZE) -> VGroup:
    """Two lines: r_i · x = r_i1 × x_1 + r_i2 × x_2 (r_i the i-th row), then = t_1 + t_2 = value (its last part:
    the value)."""
    products = " ".join(
        (tex.num(w) if j == 0 else tex.plus(w)) + r" \times " + tex.factor(v) for j, (w, v) in enumerate(zip(row, x))
    )
    summed = " ".join(tex.num(t) if j == 0 else tex.plus(t) for j, t in enumerate(terms))
    # rows are r_i, not w_i: the matrices are W_1, W_2, ... and a row w_1 read as the first of them
    first = MathTex(rf"\mathbf{{r}}_{{{i + 1}}} \cdot x", " = ", products, font_size=size, color=theme.TEXT)
    second = MathTex(" = ", summed, " = ", tex.num(value), font_size=size, color=theme.TEXT)
    second.next_to(first, DOWN, buff=WORK_LINE_GAP).align_to(first[1], LEFT)
    return VGroup(first, second)


class ReluTransform(LectureScene):
    TITLE = "What is the geometric interpretation of matrix vector products?"
    LIMITS = {"geometry.matrices": (4, "matrices")}  # stacked down the left at full size; a 5th shrinks them all
    NARRATION = frozenset({"points", "side", "drawn", "origin_colour"})

    @classmethod
    def check_config(cls, cfg) -> None:
        """The limits, and Wx drawn in R^3: every matrix has 3 rows (mathcore multiplies any)."""
        super().check_config(cfg)
        rows = [len(W) for W in cfg.geometry.matrices]
        if any(n != 3 for n in rows):
            raise ConfigError(cfg.path, "geometry.matrices", f"3 rows in every matrix: {cls.__name__} draws Wx in "
                              "R^3 (mathcore computes any)", f"rows {rows}")

    def construct(self):
        self.pose_products()
        self.next_slide()
        self.first_product_row_by_row()
        self.next_slide()
        self.other_products()
        self.next_slide()
        self.plane_into_space()
        self.next_slide()
        self.colour_by_sign()
        self.next_slide()
        self.relu_folds()
        self.next_slide()
        self.other_matrices()
        self.next_slide()
        self.all_negative_to_zero()

    def setup(self):
        super().setup()
        self.geo = geometry.from_config(self.cfg)
        g = self.geo
        self.names = [rf"W_{{{k + 1}}}" for k in range(len(g.matrices))]
        self.order = self.matrix_order(g)
        self.zero_shown = self.order[-1] if g.products[self.order[-1]]["all_zero"] else None
        self.drawn = len(grid_lines(g.grid_points)) // 2  # grid lines drawn each way

    def narration_values(self) -> dict:
        g = self.geo
        return {"points": len(g.grid), "side": g.grid_points, "drawn": self.drawn,
                "origin_colour": theme.spoken_name(rtheme.ZEROED_COLORS[-1])}

    @staticmethod
    def matrix_order(g: geometry.Geometry) -> list[int]:
        """The order the plane pictures take: config order, the all-negative W x last (they end the scene)."""
        negative = [k for k, p in enumerate(g.products) if p["all_zero"]]
        return [k for k in range(len(g.matrices)) if k not in negative] + negative

    # -- W x, row by row --------------------------------------------------------------

    @beat
    def pose_products(self):
        """The slide's matrices, each times the same x; the results still unknown."""
        g = self.geo
        self.title = self.heading(self.TITLE)
        room = config.frame_width - 2 * theme.EDGE_BUFF - 0.15
        if self.title.width > room:  # the slide's long question, kept whole
            self.title.scale_to_fit_width(room).to_edge(LEFT, buff=theme.EDGE_BUFF + 0.15)
        self.blocks, self.results = [], []
        for k, (W, name) in enumerate(zip(g.matrices, self.names)):
            label = MathTex(name + " x =", font_size=rtheme.MATRIX_SIZE + 2, color=theme.TEXT)
            m, xv = matrix(W), column(g.x)
            eq = MathTex("=", font_size=rtheme.MATRIX_SIZE + 2, color=theme.TEXT)
            result = column(g.products[k]["wx"], colored=True)
            block = VGroup(label, m, xv, eq, result).arrange(RIGHT, buff=0.2)
            self.blocks.append(block)
            self.results.append(result)
        stack = VGroup(*self.blocks).arrange(DOWN, buff=BLOCK_GAP, aligned_edge=LEFT)
        stack.scale_to_fit_height(min(stack.height, TOP - BOTTOM))
        stack.move_to([0, (TOP + BOTTOM) / 2, 0]).to_edge(LEFT, buff=theme.EDGE_BUFF)
        self.play(FadeIn(self.title))
        self.play(*[FadeIn(VGroup(*b[:4]), b[4].get_brackets()) for b in self.blocks], run_time=theme.NORMAL)

    def _work_lines(self, k: int) -> VGroup:
        g, p = self.geo, self.geo.products[k]
        lines = VGroup(*[dot_lines(i, row, g.x, p["terms"][i], p["wx"][i]) for i, row in enumerate(p["rows"])])
        lines.arrange(DOWN, buff=WORK_GAP, aligned_edge=LEFT)
        lines.set_x(WORK_LEFT, direction=LEFT).set_y((TOP + BOTTOM) / 2)
        for line, v in zip(lines, p["wx"]):
            line[-1][-1].set_color(theme.sign_color(v))
        rows = ", ".join(rf"\mathbf{{r}}_{{{i + 1}}}" for i in range(len(p["rows"])))
        self.rows_note = MathTex(rows + r"\text{: the rows of } " + self.names[k], font_size=rtheme.WORK_SIZE,
                                 color=theme.MUTED).next_to(lines, UP, buff=0.3).align_to(lines, LEFT)
        return lines

    @beat
    def first_product_row_by_row(self):
        """Each component of W x is the dot product of a row of W with x: the first matrix, row by row."""
        block = self.blocks[0]
        m, xv, result = block[1], block[2], self.results[0]
        lines = self._work_lines(0)
        x_box = SurroundingRectangle(xv.get_entries(), color=theme.HIGHLIGHT, buff=0.08)
        boxes = [SurroundingRectangle(row, color=theme.HIGHLIGHT, buff=0.08) for row in m.get_rows()]
        row_box = boxes[0].copy()
        self.play(Create(row_box), *[self.shown(b).animate.set_opacity(DIMMED) for b in self.blocks[1:]],
                  run_time=self.until("row", theme.SHORT))  # "a row of W dotted with x"
        self.play(Create(x_box), run_time=self.until("x", theme.SHORT))
        self.at("call")  # the rows' names, the box on each row as its name is said
        self.play(FadeIn(self.rows_note), run_time=theme.SHORT)
        for i in range(1, len(boxes)):
            self.at(f"r{i + 1}")
            self.play(Transform(row_box, boxes[i]), run_time=theme.SHORT)
        self.at("multiply")  # the first row worked as the voice says multiply, add, write
        self.play(Transform(row_box, boxes[0]), run_time=theme.SHORT)
        self.play(Write(lines[0][0]), run_time=self.until("add", theme.NORMAL))
        self.play(Write(lines[0][1]), run_time=self.until("write", theme.NORMAL))
        self.play(TransformFromCopy(lines[0][-1][-1], result.get_entries()[0]), run_time=theme.SHORT)
        for i in range(1, len(lines)):  # the other rows share the time until the voice moves on
            end = self.mark_time("negative")
            slot = max(4 * theme.SHORT, (end - self.renderer.time) / (len(lines) - i) if end is not None else 0.0)
            self.play(Transform(row_box, boxes[i]), run_time=slot / 4)
            self.play(Write(lines[i]), run_time=slot / 2)
            self.play(TransformFromCopy(lines[i][-1][-1], result.get_entries()[i]), run_time=slot / 4)
        self.play(FadeOut(row_box), FadeOut(x_box), run_time=theme.SHORT)
        self.at("negative")
        # the worked values (the column's entries carry a transform's invisible padding a highlight would keep)
        negative = [line[-1][-1] for line, v in zip(lines, self.geo.products[0]["wx"]) if v < 0]
        if negative:
            self.play(*[lit(v) for v in negative])
        self.work = VGroup(*lines, self.rows_note)

    def shown(self, block: VGroup) -> VGroup:
        """A block's parts on screen before its result is worked: all but the result's entries."""
        return VGroup(*block[:4], block[4].get_brackets())

    @beat
    def other_products(self):
        """The other matrices the same way, all rows at once."""
        frame = None
        for k in range(1, len(self.blocks)):
            lines = self._work_lines(k)
            box = SurroundingRectangle(self.blocks[k], color=theme.HIGHLIGHT, buff=0.1, stroke_width=2)
            swap = Create(box) if frame is None else ReplacementTransform(frame, box)
            self.play(FadeOut(self.work), FadeIn(lines), FadeIn(self.rows_note), swap,
                      self.blocks[k - 1].animate.set_opacity(DIMMED), self.shown(self.blocks[k]).animate.set_opacity(1),
                      run_time=theme.SHORT)
            self.play(*[TransformFromCopy(line[-1][-1], e) for line, e in zip(lines, self.results[k].get_entries())],
                      run_time=theme.NORMAL)
            self.work, frame = VGroup(*lines, self.rows_note), box
        self.play(FadeOut(self.work), *([FadeOut(frame)] if frame else []),
                  *[b.animate.set_opacity(1) for b in self.blocks], run_time=theme.SHORT)

    # -- the plane, mapped and folded -----------------------------------------------------

    def _equations(self, k: int) -> tuple[MathTex, MathTex]:
        """z = W_k x = (…) and ReLU(z) = (…), one line each under the heading."""
        p = self.geo.products[k]
        z = tuple_tex("z = " + self.names[k] + " x = ", p["wx"])
        h = tuple_tex(r"\mathrm{ReLU}(z) = ", p["relu"])
        z.to_edge(LEFT, buff=theme.EDGE_BUFF + 0.15).set_y(EQUATION_Y)
        h.next_to(z, DOWN, buff=0.25).align_to(z, LEFT)
        return z, h

    @beat
    def plane_into_space(self):
        """The plane's grid and x, mapped into 3-D by a matrix: z = W x."""
        g = self.geo
        k = self.order[0]
        self.play(FadeOut(VGroup(*self.blocks)), run_time=theme.SHORT)
        self.plane = InputPlane(g.extent, PLANE_SIDE).move_to(PLANE_CENTER)
        self.flat = self.plane.to_screen(g.grid)
        # one scale for every matrix, so the pictures compare
        images = np.concatenate([img["wx"] for img in g.images] + [p["wx"][None, :] for p in g.products])
        self.view = OrthantView.fitting(images, *VIEW_BOX)
        self.wx_view = self.scale_of = self.view.copy()
        # each folded image fills the box too: ReLU's picture zooms in on the orthant
        self.relu_views = [self._folded_view(k) for k in range(len(g.images))]
        self.plane_grid = GridRuns(self.flat, None, grid_lines(g.grid_points), color=theme.MUTED, rare=rtheme.RARE)
        self.x_dot = Dot(self.plane.to_screen(g.x[None, :])[0], radius=rtheme.POINT_RADIUS, color=rtheme.POINT_COLOR)
        self.x_label = MathTex("x", font_size=theme.MATH_MIN_SIZE, color=rtheme.POINT_COLOR)
        self.x_label.next_to(self.x_dot, RIGHT, buff=0.1)
        n = g.grid_points  # what the counts count, and how much of it is drawn
        self.grid_note = self.text(f"{len(g.grid)} = {n} × {n} points; {self.drawn} lines drawn",
                                   size=rtheme.LEGEND_SIZE, color=theme.MUTED)
        self.grid_note.next_to(self.plane, UP, buff=0.12).to_edge(LEFT, buff=theme.EDGE_BUFF + 0.15)
        self.play(FadeIn(self.plane), FadeIn(self.plane_grid), FadeIn(self.view), FadeIn(self.grid_note),
                  run_time=theme.NORMAL)
        self.play(FadeIn(self.x_dot), FadeIn(self.x_label), run_time=theme.SHORT)
        self.z_eq, self.h_eq = self._equations(k)
        self.play(Write(self.z_eq), run_time=theme.NORMAL)
        self.space_grid = self.plane_grid.recoloured(self.flat, None, color=theme.MUTED)
        self.z_dot = self.x_dot.copy()
        self.add(self.space_grid, self.x_dot, self.z_dot)
        self.play(self.space_grid.shift_to(self.scale_of.to_screen(g.images[k]["wx"])),
                  self.z_dot.animate.move_to(self.to_view(g.products[k]["wx"])), run_time=FOLD_TIME)

    def to_view(self, z) -> np.ndarray:
        """One point of R^3 on screen, at the scale shown."""
        return self.scale_of.to_screen(np.asarray(z)[None, :])[0]

    def _legend(self, k: int) -> VGroup:
        counts = geometry.face_counts(self.geo.images[k]["zeroed"])["by_zeros"]
        title = self.text(f"where ReLU sends the {len(self.geo.grid)} grid points", size=rtheme.LEGEND_SIZE,
                          color=theme.MUTED)
        return VGroup(title, legend(counts)).arrange(DOWN, aligned_edge=LEFT, buff=0.14) \
            .to_edge(LEFT, buff=theme.EDGE_BUFF + 0.15).to_edge(DOWN, buff=LEGEND_BOTTOM)

    def _recolour(self, grid: GridRuns, screen: np.ndarray, zeros: np.ndarray) -> tuple[GridRuns, list]:
        """The grid in the colours of ``zeros`` (new runs), cross-faded in; the animations to play."""
        new = grid.recoloured(screen, zeros)
        return new, [FadeOut(grid), FadeIn(new)]

    @beat
    def colour_by_sign(self):
        """Colour every point by how many coordinates of its image are ≤ 0: ReLU will zero them."""
        k = self.order[0]
        img = self.geo.images[k]
        self.legend = self._legend(k)
        plane_grid, fade_plane = self._recolour(self.plane_grid, self.flat, img["zeros"])
        space_grid, fade_space = self._recolour(self.space_grid, self.scale_of.to_screen(img["wx"]), img["zeros"])
        self.play(*fade_plane, *fade_space, FadeIn(self.legend[0]), run_time=self.until("colour", theme.NORMAL))
        self.plane_grid, self.space_grid = plane_grid, space_grid
        self.add(self.x_dot, self.z_dot)
        self.at("negative")  # the legend's rows: none, one, two, all three coordinates ≤ 0
        self.play(LaggedStart(*[FadeIn(row, shift=0.1 * RIGHT) for row in self.legend[1]], lag_ratio=0.4),
                  run_time=self.until("counts", theme.LONG))
        self.play(*[lit(row[1]) for row in self.legend[1]])
        self.at("points")
        self.play(lit(self.grid_note, self.legend[0]))
        self.at("side")
        self.play(lit(self.plane))
        self.at("drawn")
        self.play(lit(self.plane_grid))

    def _fold(self, k: int):
        """ReLU(z): the image folds onto the non-negative orthant, z onto ReLU(z), and the view zooms in on it."""
        img, p = self.geo.images[k], self.geo.products[k]
        self.play(Write(self.h_eq), run_time=theme.NORMAL)
        self.play(self.space_grid.shift_to(self.scale_of.to_screen(img["relu"])),
                  self.z_dot.animate.move_to(self.to_view(p["relu"])), run_time=FOLD_TIME)
        self._zoom(self.relu_views[k], img["relu"], p["relu"])

    def _folded_view(self, k: int) -> OrthantView:
        """A view that W_k's folded image (and ReLU(W_k x)) fills, with short dashed negative half-axes."""
        folded = np.concatenate([self.geo.images[k]["relu"], self.geo.products[k]["relu"][None, :]])
        reach = np.abs(folded).max(axis=0)
        stubs = -FOLD_STUB * np.diag(np.where(reach > 0, reach, max(reach.max(), 1e-3)))
        return OrthantView.fitting(np.concatenate([folded, stubs]), *FOLD_BOX)

    def _zoom(self, view: OrthantView, image: np.ndarray, point: np.ndarray) -> None:
        """The 3-D view changes scale to ``view``; the grid's image and the point keep their coordinates."""
        self.play(Transform(self.view, view.copy()), self.space_grid.shift_to(view.to_screen(image)),
                  self.z_dot.animate.move_to(view.to_screen(np.asarray(point)[None, :])[0]), run_time=ZOOM_TIME)
        self.scale_of = view

    @beat
    def relu_folds(self):
        """ReLU folds the plane onto the non-negative orthant: negative coordinates become 0."""
        self._fold(self.order[0])

    def _map(self, k: int):
        """Switch to W_k: the old image fades, the plane is recoloured, its grid mapped by W_k."""
        g = self.geo
        z_eq, h_eq = self._equations(k)
        zeros = g.images[k]["zeros"]
        legend_k = self._legend(k)
        plane_grid, fade_plane = self._recolour(self.plane_grid, self.flat, zeros)
        self.play(FadeOut(self.space_grid), *fade_plane, Transform(self.view, self.wx_view.copy()), FadeOut(self.h_eq),
                  ReplacementTransform(self.z_eq, z_eq), ReplacementTransform(self.legend, legend_k),
                  self.z_dot.animate.move_to(self.x_dot), run_time=theme.NORMAL)
        self.scale_of = self.wx_view  # Wx at the scale every matrix's Wx shares
        self.plane_grid, self.space_grid = plane_grid, plane_grid.recoloured(self.flat, zeros)
        self.add(self.space_grid, self.x_dot, self.z_dot)
        self.z_eq, self.h_eq, self.legend = z_eq, h_eq, legend_k
        self.play(self.space_grid.shift_to(self.scale_of.to_screen(g.images[k]["wx"])),
                  self.z_dot.animate.move_to(self.to_view(g.products[k]["wx"])), run_time=FOLD_TIME)

    @beat
    def other_matrices(self):
        """The other matrices: each maps the plane to its own plane in 3-D, and ReLU folds it."""
        for n, k in enumerate(k for k in self.order[1:] if k != self.zero_shown):
            if n:
                self.next_slide()
            self._map(k)
            self._fold(k)

    @beat
    def all_negative_to_zero(self):
        """A W that sends x to all-negative values: ReLU(Wx) = 0, x's whole region folds onto 0."""
        k = self.zero_shown
        if k is None:
            note = self.text("No W here sends x to all-negative values", size=theme.LABEL_SIZE, color=theme.MUTED)
            self.play(FadeIn(note.to_edge(DOWN, buff=theme.EDGE_BUFF).to_edge(RIGHT, buff=theme.EDGE_BUFF)))
            return
        self._map(k)
        self.play(Indicate(VGroup(*self.z_eq[1::2]), color=theme.NEGATIVE), run_time=theme.NORMAL)
        self._fold(k)
        box = SurroundingRectangle(self.h_eq, color=theme.NEGATIVE, buff=0.1)
        name = self.names[k]
        note = MathTex(rf"\text{{every component of }} {name} x \le 0 \;\Rightarrow\; \mathrm{{ReLU}}({name} x) = 0",
                       font_size=theme.MATH_MIN_SIZE, color=theme.NEGATIVE)
        note.to_edge(DOWN, buff=theme.EDGE_BUFF).to_edge(RIGHT, buff=theme.EDGE_BUFF)
        self.play(Create(box), Flash(self.z_dot, color=theme.NEGATIVE), FadeIn(note, shift=UP * 0.2),
                  Indicate(self.legend[1][-1], color=theme.NEGATIVE), run_time=theme.NORMAL)
        self.wait(theme.NORMAL)
