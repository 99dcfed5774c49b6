"""Cost surfaces of batches: L(w|3 random points) overlaid, then minibatch and stochastic gradient descent."""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    FadeTransform,
    Line,
    MathTex,
    Rectangle,
    VGroup,
    Write,
)

from mathcore import batches
from mathcore.errors import ConfigError
from scenes import theme
from scenes.base import LectureScene, beat
from scenes.components import roles, tex
from scenes.components.batch_descent import BatchDescent
from scenes.components.cost_curve import CostCurve, ZoomStrip, nice_step, value_axes
from scenes.components.spoken import lit
from scenes.components.step_readout import StepReadout, rows_text
from scenes.components.wander_bars import WanderBars

BATCH_COLORS = [theme.POSITIVE, theme.NEGATIVE, theme.LOCAL, theme.GRADIENT, theme.VALUE]  # a random batch each: LIMITS
TABLE_X, TABLE_TOP, ROW_PITCH, COLUMN_GAP = -5.6, 2.1, 0.47, 1.1
CELL_SIZE = theme.MATH_MIN_SIZE  # table cells and readouts
AXES_LEFT, AXES_RIGHT, AXES_BOTTOM, AXES_TOP = -3.5, 3.0, -2.0, 1.9
STRIP_Y = -3.25
PANEL_X = 4.85  # centre of the right-hand column
# minibatch and stochastic descent: the batch's curve on top, w over the epochs below
DESCENT_LEFT, DESCENT_RIGHT = -3.75, 1.35
CURVE_BOTTOM, CURVE_TOP = 0.35, 2.3
TRACE_BOTTOM, TRACE_TOP = -3.0, -1.0
BAR_GAP = 0.28  # between the range bars right of the trace (5 bars and their note fit: LIMITS)
BARS_LEFT = 3.2  # the bars' w axis
SHOWN_STEPS = 6  # updates animated per batch size: the first epoch and the first of the next, at most this many
STEP_TIME = 0.5
FAST_STEP = 0.25  # the shortest step (the voiced run's, when the voice has moved on)
SLOW_STEP = 1.0  # the longest (a run paced to a mark still far off)
LATER_STEPS = 3  # the larger batch sizes: a few steps each (the first size showed how a step works)


def uneven(d) -> dict | None:
    """The first run after the first minibatch size whose epoch ends with a smaller batch (mathcore's last_batch)."""
    return next((r for r in [r for r in d.runs if r["batch_size"] > 1][1:] if r["last_batch"] < r["batch_size"]),
                None)


class BatchCostSurfaces(LectureScene):
    TITLE = "Cost surfaces are different for different data sets"
    NARRATION = frozenset({"first_size", "larger_sizes", "rows", "uneven_size", "uneven_last"})
    LIMITS = {"batches.random_batches": (5, "random batches"), "batches.batch_sizes": (5, "batch sizes")}

    @classmethod
    def check_config(cls, cfg) -> None:
        """The limits, and a larger batch size whose last batch is smaller (the voice says so as it is shown)."""
        super().check_config(cfg)
        d = batches.compute(cfg)
        if uneven(d) is None:
            sizes = [r["batch_size"] for r in d.runs if r["batch_size"] > 1]
            raise ConfigError(cfg.path, "batches.batch_sizes", "after the first minibatch size, one that does not "
                              f"divide the {len(d.x)} rows (its last batch is smaller)", sizes)

    def construct(self):
        self.show_table()
        self.next_slide()
        self.loss_function()
        self.next_slide()
        self.random_batch_curves()
        self.next_slide()
        self.full_data_minimum()
        self.next_slide()
        self.minibatch_descent()
        self.next_slide()
        self.larger_batches()
        self.next_slide()
        self.shuffle_reminder()
        self.next_slide()
        self.stochastic_descent()

    def setup(self):
        super().setup()
        self.data = batches.compute(self.cfg)
        self.x, self.y = np.asarray(self.data.x), np.asarray(self.data.y)
        self.highlight = VGroup()
        self.column = StepReadout(PANEL_X, CURVE_TOP, 0.62)  # the descents' readouts, right of the plots

    # --- beats ----------------------------------------------------------------------------
    @beat
    def show_table(self):
        """The data table (x, y), row by row."""
        self.title = self.heading(self.TITLE)
        header = VGroup(MathTex("x", font_size=CELL_SIZE + 2), MathTex("y", font_size=CELL_SIZE + 2))
        header.set_color(theme.MUTED)
        self.rows = VGroup(*[
            VGroup(MathTex(tex.num(a), font_size=CELL_SIZE), MathTex(tex.num(b), font_size=CELL_SIZE))
            for a, b in zip(self.data.x, self.data.y)
        ])
        for k, row in enumerate([header, *self.rows]):
            for col, cell in enumerate(row):
                cell.move_to([TABLE_X + (col - 0.5) * COLUMN_GAP, TABLE_TOP - k * self.pitch(), 0])
        rule = Line(LEFT * COLUMN_GAP, RIGHT * COLUMN_GAP, color=theme.MUTED, stroke_width=2)
        rule.move_to([TABLE_X, TABLE_TOP - self.pitch() / 2, 0])
        self.table = VGroup(header, rule, self.rows)
        self.play(FadeIn(self.title), FadeIn(header), Create(rule))
        self.play(FadeIn(self.rows, lag_ratio=0.1), run_time=theme.LONG)

    @beat
    def loss_function(self):
        """Use the loss function L(w|x,y) = Σ(y_i − w x_i)²; randomly choose 3 points, plot, repeat."""
        self.intro = intro = self.text("Use the loss function", size=theme.BODY_SIZE).move_to([0.9, 2.1, 0])
        self.loss = MathTex(r"L(w|x,y) = \sum_i (y_i - w x_i)^2", font_size=theme.EQUATION_SIZE + 10)
        self.loss.next_to(intro, DOWN, buff=0.4)
        size = self.cfg.batches.random_batch_size
        self.steps = VGroup(
            self.text(f"• Randomly choose {size} data points {{x, y}}", size=theme.BODY_SIZE),
            self.text("• Plot L(w|x,y) versus w", size=theme.BODY_SIZE),
            self.text("• Repeat the above several times", size=theme.BODY_SIZE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.4).next_to(self.loss, DOWN, buff=0.7)
        self.play(FadeIn(intro), Write(self.loss))
        self.play(FadeIn(self.steps, lag_ratio=0.3), run_time=theme.LONG)

    @beat
    def random_batch_curves(self):
        """Each random batch: its rows lit in the table, its curve L(w) drawn (scaled), its minimum marked."""
        d = self.data
        self.plot = self.axes_for(AXES_LEFT, AXES_RIGHT, AXES_BOTTOM, AXES_TOP, r"L(w|x,y) / \max L")
        self.strip = self.minima_strip()
        self.legend = VGroup()
        scaled = self.text("each curve scaled\nto its own height", size=theme.SMALL_SIZE, color=theme.MUTED)
        scaled.move_to([PANEL_X, STRIP_Y, 0])
        self.play(FadeOut(self.intro), FadeOut(self.steps),
                  self.loss.animate.scale(0.75).to_edge(RIGHT, buff=theme.EDGE_BUFF).set_y(AXES_TOP + 0.85))
        self.play(Create(self.plot.axes), FadeIn(self.plot.labels), FadeIn(self.strip), FadeIn(scaled))
        self.overlay = VGroup(scaled)
        for k, batch in enumerate(d.random_batches):
            color = BATCH_COLORS[k % len(BATCH_COLORS)]
            curve = self.plot.polyline(d.w, self.scaled_curve(batch["rows"]), color)
            roles.curve(curve, self.plot.axes)
            marks = VGroup(curve)
            entry = MathTex(r"w^* = " + tex.num(batch["minimiser"]), font_size=CELL_SIZE, color=color)
            if batch["minimiser"] is not None and self.plot.inside(batch["minimiser"]):
                marks.add(self.plot.marker(batch["minimiser"], 0, color, radius=0.09).move_to(
                    self.plot.on_curve(batch["minimiser"], curve)), self.zoom.tick(batch["minimiser"], color))
            self.legend_line(entry, k + 1)  # under the legend's heading (row 0)
            if k == 0:  # the first batch step by step as the voice describes it
                self.at("rows")
            self.play(self.light_rows(batch["rows"], color), run_time=theme.SHORT)
            if k == 0:
                self.at("curve")
            self.play(Create(curve), run_time=self.until("minimum", theme.NORMAL) if k == 0 else theme.NORMAL)
            self.play(FadeIn(VGroup(*marks[1:])), FadeIn(entry), run_time=theme.SHORT)
            self.overlay.add(marks)
            self.legend.add(entry)

    @beat
    def full_data_minimum(self):
        """Overlay your plots: every batch's minimum beside the minimum of all the data."""
        full = self.data.full["minimiser"]
        self.full_line = self.plot.vline(full, theme.TEXT)
        roles.context(self.full_line)
        full_tick = self.zoom.tick(full, theme.TEXT, dashed=True)
        label = VGroup(self.text(f"all {len(self.data.x)} points", size=theme.SMALL_SIZE),
                       MathTex(r"w^* = " + tex.num(full), font_size=CELL_SIZE)).arrange(DOWN, buff=0.12)
        self.legend_line(label, len(self.legend) + 1.4)
        note = self.text("Overlay your plots", size=theme.SMALL_SIZE, color=theme.HIGHLIGHT)
        self.legend_line(note, 0).to_edge(RIGHT, buff=theme.EDGE_BUFF)  # heads the legend of the minima, off the curves
        self.play(FadeOut(self.highlight), Create(self.full_line), FadeIn(full_tick), FadeIn(label), FadeIn(note))
        self.at("all")
        self.play(lit(label))
        self.highlight = VGroup()
        self.legend.add(label, note, full_tick, self.full_line)

    @beat
    def minibatch_descent(self):
        """Minibatch gradient descent with the smallest batch size: the curve under the ball changes with each batch."""
        runs = self.minibatch_runs()
        title = self.heading("Minibatch gradient descent")
        old = self.plot
        self.plot = self.axes_for(DESCENT_LEFT, DESCENT_RIGHT, CURVE_BOTTOM, CURVE_TOP, r"L(w|\text{batch})")
        self.plot.add(roles.context(self.plot.vline(self.data.full["minimiser"], theme.TEXT)))
        self.trace_axes = self.make_trace_axes()
        self.bar_axes = self.make_bar_axes()
        b = self.cfg.batches
        eta = VGroup(
            MathTex(r"\eta = " + tex.num(b.learning_rate), font_size=theme.EQUATION_SIZE, color=theme.GRADIENT),
            self.text(f"on the batch's\n{b.reduction} loss", size=theme.SMALL_SIZE, color=theme.GRADIENT),
        ).arrange(DOWN, buff=0.12)
        self.eta = self.column.place(eta, 0.2)
        self.play(FadeOut(old), FadeOut(self.overlay), FadeOut(self.legend), FadeOut(self.loss), FadeOut(self.strip),
                  FadeTransform(self.title, title), run_time=theme.SHORT)
        self.title = title
        self.play(FadeIn(self.plot), FadeIn(self.trace_axes), FadeIn(self.bar_axes), FadeIn(self.eta),
                  run_time=theme.SHORT)
        self.case = VGroup()
        self.bars = VGroup()
        if runs:
            self.descend(runs[0], f"batch size {runs[0]['batch_size']}", said="size")

    @beat
    def larger_batches(self):
        """The larger batch sizes, one after another (their first steps only): steadier steps, shorter range bars."""
        bars_lit = False
        runs = self.minibatch_runs()[1:]
        for k, run in enumerate(runs):  # the runs before the one whose last batch the voice names hurry to it
            self.descend(run, f"batch size {run['batch_size']}", LATER_STEPS,
                         step=FAST_STEP if uneven(self.data) in runs[k + 1:] else STEP_TIME)
            if not bars_lit and len(self.bars) and self.renderer.time >= (self.mark_time("bars") or float("inf")):
                self.play(lit(self.bars))  # the range bars once the voice has named them
                bars_lit = True
        if not bars_lit and len(self.bars):
            self.at("bars")
            self.play(lit(self.bars))

    def narration_values(self) -> dict:
        """The batch sizes the descents use (mathcore's runs), smallest first; the rows, and the first larger size
        whose last batch is smaller, with that batch's rows."""
        sizes = [r["batch_size"] for r in self.minibatch_runs()]
        example = uneven(self.data)
        return {"first_size": sizes[0] if sizes else "none", "larger_sizes": sizes[1:] or "none",
                "rows": len(self.data.x), "uneven_size": example["batch_size"] if example else "none",
                "uneven_last": rows_text(example["last_batch"]) if example else "none"}

    @beat
    def shuffle_reminder(self):
        """Always remember to shuffle the data (a new order every epoch)."""
        note = self.text("Always remember to shuffle the data", size=theme.SMALL_SIZE, color=theme.HIGHLIGHT)
        note.next_to(self.title, RIGHT, buff=0.5).align_to(self.title, DOWN)
        self.play(FadeIn(note, shift=DOWN * 0.2))
        self.reminder = note

    @beat
    def stochastic_descent(self):
        """Stochastic gradient descend: batch size = 1, one row per step."""
        title = self.heading("Stochastic gradient descent")
        note = self.text("batch size = 1", size=theme.BODY_SIZE, color=theme.HIGHLIGHT)
        note.next_to(title, RIGHT, buff=0.5).align_to(title, DOWN)
        self.play(FadeTransform(self.title, title), FadeTransform(self.reminder, note), run_time=theme.SHORT)
        self.title = title
        self.at("one")
        self.play(lit(note))
        for run in self.sgd_runs():
            self.descend(run, "batch size 1 (SGD)")
        self.wait(theme.NORMAL)

    # --- helpers --------------------------------------------------------------------------
    def pitch(self) -> float:
        """Row pitch of the table: ROW_PITCH, tighter when the table is long."""
        return min(ROW_PITCH, (TABLE_TOP + 3.6) / (len(self.data.x) + 1))

    def sgd_runs(self) -> list[dict]:
        return [r for r in self.data.runs if r["batch_size"] == 1]

    def minibatch_runs(self) -> list[dict]:
        return [r for r in self.data.runs if r["batch_size"] > 1]

    def axes_for(self, left: float, right: float, bottom: float, top: float, y_label: str) -> CostCurve:
        """Empty axes for scaled curves of L(w) (height 1) in the given box."""
        plot = CostCurve(self.data.w, self.scaled_curve(list(range(len(self.x)))),
                         self.cfg.batches.w_range, y_top=1.0,
                         width=right - left, height=top - bottom, y_label=y_label)
        plot.remove(plot.curve)
        plot.shift([left - plot.axes.get_left()[0], bottom - plot.axes.x_axis.get_y(), 0])
        return plot

    def make_trace_axes(self) -> VGroup:
        """w (y) over the epochs (x), the all-data minimum dashed across."""
        d, b = self.data, self.cfg.batches
        lo, hi = d.trace_range
        step = nice_step(hi - lo, 4)
        axes = value_axes([0, b.epochs, nice_step(b.epochs, 5)], [lo, hi, step],
                          DESCENT_RIGHT - DESCENT_LEFT, TRACE_TOP - TRACE_BOTTOM)
        axes.shift([DESCENT_LEFT - axes.get_left()[0] + 0.1, TRACE_BOTTOM - axes.x_axis.get_y(), 0])
        axes.shift(RIGHT * (DESCENT_LEFT - axes.x_axis.get_left()[0]))
        full = d.full["minimiser"]
        line = DashedLine(axes.c2p(0, full), axes.c2p(b.epochs, full), color=theme.TEXT, stroke_width=2.5,
                          dash_length=0.1)
        roles.context(line)
        names = VGroup(MathTex("w", font_size=CELL_SIZE + 2, color=theme.TEXT).next_to(axes.y_axis, UP, buff=0.12),
                       self.text("epoch", size=theme.SMALL_SIZE).next_to(axes.x_axis.get_right(), RIGHT, buff=0.15)
                       .shift(DOWN * 0.05))
        self.trace_plot = axes
        return VGroup(axes, line, names)

    def run_color(self, run: dict):
        return theme.NAMED["sgd"] if run["batch_size"] == 1 else theme.NAMED["minibatch"]

    def make_bar_axes(self) -> WanderBars:
        """A w axis zoomed on where the runs wander late (mathcore's late_range), right of the trace; every batch
        size's slot named from the start, in the order the runs come (minibatches, then SGD)."""
        slots = [(str(r["batch_size"]), self.run_color(r)) for r in self.minibatch_runs() + self.sgd_runs()]
        return WanderBars(self.data.late_range, self.data.full["minimiser"], slots, BAR_GAP * (len(slots) + 1),
                          TRACE_TOP - TRACE_BOTTOM, (BARS_LEFT, TRACE_BOTTOM))

    def minima_strip(self) -> VGroup:
        """A number line under the plot, zoomed in on the minima, tied to the w axis by two guides."""
        d = self.data
        minima = [b["minimiser"] for b in d.random_batches if b["minimiser"] is not None]
        self.zoom = ZoomStrip(self.plot, [*minima, d.full["minimiser"]], AXES_RIGHT - AXES_LEFT,
                              [(AXES_LEFT + AXES_RIGHT) / 2, STRIP_Y, 0])
        return self.zoom

    def scaled_curve(self, rows):
        """mathcore's L(w) of the batch's rows on the scene's w grid, over its largest value there."""
        return batches.scaled_loss(self.data.w, self.x[rows], self.y[rows])

    def shown_steps(self, run: dict, most: int = SHOWN_STEPS) -> list[dict]:
        """The steps of the first epoch and the first of the second (the reshuffle), at most ``most``."""
        steps = run["steps"]
        second = next((i for i, s in enumerate(steps) if s["epoch"] > steps[0]["epoch"]), len(steps) - 1)
        return steps[:min(second + 1, most)]

    def legend_line(self, mob, row: float):
        return mob.move_to([PANEL_X, AXES_TOP - 0.1 - 0.5 * row, 0])

    def light_rows(self, rows, color):
        """Animation: the table's highlight moves to ``rows``."""
        boxes = VGroup(*[
            Rectangle(width=2 * COLUMN_GAP, height=self.pitch() * 0.92, stroke_width=0)
            .set_fill(color, opacity=0.3).move_to([TABLE_X, self.rows[r].get_y(), 0])
            for r in rows
        ])
        self.add(boxes)
        self.bring_to_back(boxes)
        old, self.highlight = self.highlight, boxes
        return (FadeIn(boxes), FadeOut(old)) if len(old) else (FadeIn(boxes),)

    def descend(self, run: dict, name: str, shown: int = SHOWN_STEPS, said: str | None = None,
                step: float = STEP_TIME) -> None:
        """A run's first steps: per step the batch's rows lit, its curve under the ball, the update, w's trace
        (``said``: the mark at which the voice names the batch size, which lights up; the run the voice names for
        its smaller last batch paces its steps to end there, and its last batch lights as it is said; ``step``: a
        step's time when no voice paces it)."""
        col = self.column
        label = VGroup(col.name(name, self.run_color(run)))
        if run["batch_size"] > 1:  # a minibatch run says how many rows its epoch's last batch has
            label.add(col.last_batch(run, f"runs[{self.data.runs.index(run)}].last_batch"))
        steps = self.shown_steps(run, shown)
        self.play(FadeOut(self.case), FadeIn(label), run_time=theme.SHORT)
        if said:
            self.at(said)
            self.play(lit(label[0]))
        told = "last" if run is uneven(self.data) else None  # the voice names its last batch at [[last]]
        self.case = VGroup(label)
        col.begin()
        descent = BatchDescent(self.plot, self.trace_plot, self.data.w, run, self.scaled_curve, self.run_color(run))
        for k, s in enumerate(steps):
            if said and k == 0:  # the first step as the voice explains it: its rows, its curve, the ball's step
                self.at("rows")
                self.play(*self.light_rows(s["rows"], theme.VALUE), *col.step(s), run_time=STEP_TIME)
                self.at("curve")
                self.play(*descent.batch(s), run_time=theme.NORMAL)
                self.at("downhill")
                self.play(*descent.update(s, 1), run_time=theme.NORMAL)
                continue
            # a voiced run's other steps share the time until the voice sums up (or names the last batch)
            until = said and "epoch" or told
            pace = max(FAST_STEP, min(SLOW_STEP, self.until(until) / (2 * (len(steps) - k)))) if until else step
            self.play(*self.light_rows(s["rows"], theme.VALUE), *col.step(s), *descent.batch(s), run_time=pace)
            self.play(*descent.update(s, k + 1), run_time=pace)
        last = run["steps"][-1] if run["steps"] else None
        final = col.final(run)
        bar = self.bar_axes.bar(None if run["diverged"] else run["late"], self.run_color(run))
        if said:
            self.at("epoch")
        if told:  # the last batch (its rows lit) as the voice says how many rows it has
            self.at(told)
        if steps and last is not steps[-1] and not run["diverged"]:  # fast forward to the run's last step
            self.play(*self.light_rows(last["rows"], theme.VALUE), *col.step(last, fresh=True),
                      *descent.fast_forward(last), *([lit(label[1])] if told else []), run_time=2 * step)
            self.play(*descent.update(last, len(run["trace"]) - 1), run_time=2 * step)
        elif told:
            self.play(lit(label[1]))
        if said:  # where the run ends, as the voice names the minimum of all the data (dashed)
            self.at("all")
        self.play(FadeIn(final), FadeIn(bar), *([lit(self.trace_axes[1])] if said else []), run_time=theme.SHORT)
        if not run["diverged"]:
            if not len(self.bars):
                self.play(FadeIn(self.bar_axes.title), run_time=theme.SHORT)
            self.bars.add(bar)
        self.case.add(*[m for m in (descent.curve, descent.tick, *col.shown, final, descent.trace) if m is not None])
