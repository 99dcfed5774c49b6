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
    NumberLine,
    Rectangle,
    ReplacementTransform,
    Transform,
    VGroup,
    Write,
)

from mathcore import batches
from scenes import theme
from scenes.base import LectureScene
from scenes.components import tex
from scenes.components.cost_curve import CostCurve, nice_step

BATCH_COLORS = [theme.POSITIVE, theme.NEGATIVE, theme.LOCAL, theme.GRADIENT, theme.VALUE]
TABLE_X, TABLE_TOP, ROW_PITCH, COLUMN_GAP = -5.55, 2.1, 0.47, 1.3
AXES_LEFT, AXES_RIGHT, AXES_BOTTOM, AXES_TOP = -3.35, 3.3, -3.3, 1.6
ZOOMED_BOTTOM = -2.2  # the axes' bottom while the zoomed strip of minima is under them
STRIP_Y = -3.35
PANEL_X = 5.2  # centre of the right-hand column
SHOWN_STEPS = 6  # updates animated per batch size: the first epoch and the first of the next, at most this many
STEP_TIME = 0.5


class BatchCostSurfaces(LectureScene):
    TITLE = "Cost surfaces are different for different data sets"

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
        self.shuffle_reminder()
        self.next_slide()
        self.stochastic_descent()

    def setup(self):
        super().setup()
        self.data = batches.compute(self.cfg)
        self.x, self.y = np.asarray(self.data["x"]), np.asarray(self.data["y"])
        self.highlight = VGroup()

    # --- beats ----------------------------------------------------------------------------
    def show_table(self):
        """The data table (x, y), row by row."""
        self.title = self.heading(self.TITLE)
        size = theme.LABEL_SIZE
        header = VGroup(MathTex("x", font_size=size + 2), MathTex("y", font_size=size + 2)).set_color(theme.MUTED)
        self.rows = VGroup(*[
            VGroup(MathTex(tex.num(a), font_size=size), MathTex(tex.num(b), font_size=size))
            for a, b in zip(self.data["x"], self.data["y"])
        ])
        for k, row in enumerate([header, *self.rows]):
            for col, cell in enumerate(row):
                cell.move_to([TABLE_X + (col - 0.5) * COLUMN_GAP, TABLE_TOP - k * self.pitch(), 0])
        rule = Line(LEFT * COLUMN_GAP, RIGHT * COLUMN_GAP, color=theme.MUTED, stroke_width=2)
        rule.move_to([TABLE_X, TABLE_TOP - self.pitch() / 2, 0])
        self.table = VGroup(header, rule, self.rows)
        self.play(FadeIn(self.title), FadeIn(header), Create(rule))
        self.play(FadeIn(self.rows, lag_ratio=0.1), run_time=theme.LONG)

    def loss_function(self):
        """Use the loss function L(w|x,y) = Σ(y_i − w x_i)²; randomly choose 3 points, plot, repeat."""
        intro = self.text("Use the loss function", size=theme.BODY_SIZE).move_to([PANEL_X - 4.2, 2.1, 0])
        self.loss = MathTex(r"L(w|x,y) = \sum_i (y_i - w x_i)^2", font_size=theme.EQUATION_SIZE + 4)
        self.loss.next_to(intro, DOWN, buff=0.4)
        size = self.cfg.section(batches.SECTION)["random_batch_size"]
        self.steps = VGroup(
            self.text(f"• Randomly choose {size} data points {{x, y}}", size=theme.LABEL_SIZE),
            self.text("• Plot L(w|x,y) versus w", size=theme.LABEL_SIZE),
            self.text("• Repeat the above several times", size=theme.LABEL_SIZE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.35).next_to(self.loss, DOWN, buff=0.7)
        self.play(FadeIn(intro), Write(self.loss))
        self.play(FadeIn(self.steps, lag_ratio=0.3), run_time=theme.LONG)
        self.intro = intro

    def random_batch_curves(self):
        """Each random batch: its rows lit in the table, its curve L(w) drawn, its minimum marked."""
        d = self.data
        self.plot = self.cost_plot([b["loss"] for b in d["random_batches"]], "L(w|x,y)", ZOOMED_BOTTOM)
        self.strip = self.minima_strip()
        self.legend = VGroup()
        self.play(FadeOut(self.intro), FadeOut(self.steps),
                  self.loss.animate.scale(0.75).to_edge(RIGHT, buff=theme.EDGE_BUFF).set_y(AXES_TOP + 0.8))
        self.play(Create(self.plot.axes), FadeIn(self.plot.labels), FadeIn(self.strip))
        self.overlay = VGroup()
        for k, batch in enumerate(d["random_batches"]):
            color = BATCH_COLORS[k % len(BATCH_COLORS)]
            curve = self.plot.polyline(d["w"], batch["loss"], color)
            marks = VGroup(curve)
            entry = MathTex(r"w^* = " + tex.num(batch["minimiser"]), font_size=theme.LABEL_SIZE, color=color)
            if batch["minimiser"] is not None and self.plot.inside(batch["minimiser"]):
                marks.add(self.plot.marker(batch["minimiser"], 0, color).move_to(
                    self.plot.on_curve(batch["minimiser"], curve)), self.strip_tick(batch["minimiser"], color))
            self.legend_line(entry, k)
            self.play(self.light_rows(batch["rows"], color), run_time=theme.SHORT)
            self.play(Create(curve), run_time=theme.NORMAL)
            self.play(FadeIn(VGroup(*marks[1:])), FadeIn(entry), run_time=theme.SHORT)
            self.overlay.add(marks)
            self.legend.add(entry)

    def full_data_minimum(self):
        """Overlay your plots: every batch's minimum beside the minimum of all the data."""
        full = self.data["full"]["minimiser"]
        self.full_line = self.plot.vline(full, theme.TEXT)
        full_tick = self.strip_tick(full, theme.TEXT, dashed=True)
        label = VGroup(self.text(f"all {len(self.data['x'])} points", size=theme.SMALL_SIZE),
                       MathTex(r"w^* = " + tex.num(full), font_size=theme.LABEL_SIZE)).arrange(DOWN, buff=0.12)
        self.legend_line(label, len(self.legend) + 0.7)
        note = self.text("Overlay your plots", size=theme.LABEL_SIZE - 2, color=theme.HIGHLIGHT)
        note.move_to([PANEL_X + 0.2, STRIP_Y, 0])
        self.play(FadeOut(self.highlight), Create(self.full_line), FadeIn(full_tick), FadeIn(label), FadeIn(note))
        self.highlight = VGroup()
        self.legend.add(label, note, full_tick, self.full_line)

    def minibatch_descent(self):
        """Minibatch gradient descend: batches of 2, 3, 4; the curve under the ball changes with each batch."""
        runs = [r for r in self.data["runs"] if r["batch_size"] > 1]
        title = self.heading("Minibatch gradient descend")
        old = self.plot
        self.plot = self.batch_plot(runs)
        eta = MathTex(r"\eta = " + tex.num(self.cfg.section(batches.SECTION)["learning_rate"]), font_size=theme.EQUATION_SIZE,
                      color=theme.GRADIENT)
        self.eta = self.panel(eta, 0)
        self.play(FadeOut(old), FadeOut(self.overlay), FadeOut(self.legend), FadeOut(self.loss), FadeOut(self.strip),
                  FadeTransform(self.title, title), run_time=theme.SHORT)
        self.title = title
        key = VGroup(
            VGroup(Line(DOWN * 0.16, UP * 0.16, color=theme.VALUE, stroke_width=6),
                   self.text("batch minimum", size=theme.SMALL_SIZE)).arrange(RIGHT, buff=0.2),
            VGroup(DashedLine(DOWN * 0.2, UP * 0.2, color=theme.TEXT, stroke_width=2.5, dash_length=0.08),
                   self.text("all-data minimum", size=theme.SMALL_SIZE)).arrange(RIGHT, buff=0.2),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        key.move_to([PANEL_X, AXES_BOTTOM + 0.6, 0])
        self.play(FadeIn(self.plot), FadeIn(self.eta), FadeIn(key), run_time=theme.SHORT)
        self.case = VGroup()
        for k, run in enumerate(runs):
            if k:
                self.next_slide()
            self.descend(run, f"batch {run['batch_size']}")

    def shuffle_reminder(self):
        """Always remember to shuffle the data (a new order every epoch)."""
        note = self.text("Always remember to shuffle the data", size=theme.BODY_SIZE, color=theme.HIGHLIGHT)
        note.next_to(self.title, DOWN, buff=0.3).align_to(self.title, LEFT)
        self.play(FadeIn(note, shift=DOWN * 0.2))
        self.reminder = note

    def stochastic_descent(self):
        """Stochastic gradient descend: batch size = 1, one row per step."""
        title = self.heading("Stochastic gradient descend")
        note = self.text("use batch size = 1 for stochastic gradient descend", size=theme.LABEL_SIZE,
                         color=theme.HIGHLIGHT).next_to(title, DOWN, buff=0.3).align_to(title, LEFT)
        self.play(FadeTransform(self.title, title), FadeTransform(self.reminder, note),
                  run_time=theme.SHORT)
        self.title = title
        runs = self.sgd_runs()
        if runs:  # single rows give lower curves: axes of their own height
            old, self.plot = self.plot, self.batch_plot(runs)
            self.play(FadeOut(old), FadeOut(old.ball_dot), FadeOut(self.case), FadeIn(self.plot),
                      run_time=theme.SHORT)
            self.case = VGroup()
        for run in runs:
            self.descend(run, "batch 1 (SGD)")
        self.wait(theme.NORMAL)

    # --- helpers --------------------------------------------------------------------------
    def pitch(self) -> float:
        """Row pitch of the table: ROW_PITCH, tighter when the table is long."""
        return min(ROW_PITCH, (TABLE_TOP + 3.6) / (len(self.data["x"]) + 1))

    def sgd_runs(self) -> list[dict]:
        return [r for r in self.data["runs"] if r["batch_size"] == 1]

    def cost_plot(self, curves, y_label: str, bottom: float = AXES_BOTTOM) -> CostCurve:
        """Empty axes for curves of L(w), tall enough for the highest of ``curves`` (mathcore's arrays)."""
        top = max(float(np.max(c)) for c in curves)
        plot = CostCurve(self.data["w"], curves[0], self.cfg.section(batches.SECTION)["w_range"], y_top=top,
                         width=AXES_RIGHT - AXES_LEFT, height=AXES_TOP - bottom, y_label=y_label)
        plot.remove(plot.curve)
        plot.shift([AXES_LEFT - plot.axes.get_left()[0], bottom - plot.axes.x_axis.get_y(), 0])
        return plot

    def batch_plot(self, runs) -> CostCurve:
        """Axes for the batch curves of the runs' shown steps, with the full data's minimum dashed."""
        curves = [self.batch_curve(s["rows"]) for r in runs for s in [*self.shown_steps(r), *r["steps"][-1:]]]
        plot = self.cost_plot(curves or [self.data["full"]["loss"]], r"L(w|\text{batch})")
        plot.add(plot.vline(self.data["full"]["minimiser"], theme.TEXT))
        return plot

    def minima_strip(self) -> VGroup:
        """A number line under the plot, zoomed in on the minima, tied to the w axis by two guides."""
        d = self.data
        minima = [b["minimiser"] for b in d["random_batches"] if b["minimiser"] is not None]
        minima = [m for m in [*minima, d["full"]["minimiser"]] if self.plot.inside(m)]
        lo, hi = min(minima), max(minima)
        step = nice_step(max(hi - lo, 1e-3), max_ticks=5)
        lo, hi = np.floor(lo / step - 0.5) * step, np.ceil(hi / step + 0.5) * step
        decimals = max(0, -int(np.floor(np.log10(step))))
        self.zoom = NumberLine(x_range=[lo, hi, step], length=AXES_RIGHT - AXES_LEFT, color=theme.MUTED,
                               include_numbers=True, font_size=theme.SMALL_SIZE,
                               decimal_number_config={"num_decimal_places": decimals})
        self.zoom.move_to([(AXES_LEFT + AXES_RIGHT) / 2, STRIP_Y, 0])
        guides = VGroup(*[
            DashedLine(self.plot.axes.c2p(w, 0), self.zoom.n2p(w), color=theme.MUTED, stroke_width=1.5,
                       dash_length=0.06, stroke_opacity=0.6)
            for w in (max(lo, self.plot.axes.x_range[0]), min(hi, self.plot.axes.x_range[1]))
        ])
        return VGroup(guides, self.zoom)

    def strip_tick(self, w: float, color, dashed: bool = False):
        p = self.zoom.n2p(w)
        kind = DashedLine if dashed else Line
        return kind(p + DOWN * 0.22, p + UP * 0.32, color=color, stroke_width=3 if dashed else 6)

    def batch_curve(self, rows):
        """mathcore's L(w) of the batch's rows on the scene's w grid."""
        return batches.loss(self.data["w"], self.x[rows], self.y[rows])

    def shown_steps(self, run: dict) -> list[dict]:
        """The steps of the first epoch and the first of the second (the reshuffle), at most SHOWN_STEPS."""
        steps = run["steps"]
        second = next((i for i, s in enumerate(steps) if s["epoch"] > steps[0]["epoch"]), len(steps) - 1)
        return steps[:min(second + 1, SHOWN_STEPS)]

    def legend_line(self, mob, row: float):
        return mob.move_to([PANEL_X, AXES_TOP - 0.1 - 0.5 * row, 0])

    def panel(self, mob, row: int):
        return mob.move_to([PANEL_X, AXES_TOP - 0.1 - 0.62 * row, 0])

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

    def descend(self, run: dict, name: str) -> None:
        """A run's first steps: per step the batch's rows lit, its curve under the ball, the ball's update."""
        label = self.panel(self.text(name, size=theme.BODY_SIZE, color=theme.HIGHLIGHT), 1)
        steps = self.shown_steps(run)
        self.play(FadeOut(self.case), FadeIn(label), run_time=theme.SHORT)
        self.case = VGroup(label)
        curve = tick = readout = epoch = None
        for s in steps:
            new_curve = self.plot.polyline(self.data["w"], self.batch_curve(s["rows"]), theme.VALUE)
            new_epoch = self.panel(self.text(f"epoch {s['epoch']}", size=theme.LABEL_SIZE, color=theme.MUTED), 2)
            new_readout = self.panel(MathTex(r"w = " + tex.num(s["w_before"]) + r" \to " + tex.num(s["w_after"]),
                                             font_size=theme.LABEL_SIZE, color=theme.TEXT), 3)
            anims = list(self.light_rows(s["rows"], theme.VALUE))
            if curve is None:
                self.plot.curve = new_curve
                ball = self.plot.ball(s["w_before"]) if not hasattr(self.plot, "w") else self.plot.ball_dot
                self.plot.attach(s["w_before"])
                anims += [Create(new_curve), FadeIn(new_epoch), FadeIn(new_readout)]
                if ball not in self.mobjects:
                    anims.append(FadeIn(ball))
            else:
                anims += [Transform(curve, new_curve), FadeOut(readout), FadeIn(new_readout)]
                if epoch.text != new_epoch.text:
                    anims += [FadeOut(epoch), FadeIn(new_epoch)]
                else:
                    new_epoch = epoch
            new_tick = self.plot.tick(s["batch_minimiser"], theme.VALUE) if s["batch_minimiser"] is not None else VGroup()
            anims.append(FadeIn(new_tick) if tick is None else ReplacementTransform(tick, new_tick))
            self.play(*anims, run_time=STEP_TIME)
            if curve is not None:  # keep the drawn curve (Transform morphs it in place) as the ball's track
                self.plot.curve = curve
            curve = curve or new_curve
            tick, readout, epoch = new_tick, new_readout, new_epoch
            self.bring_to_front(self.plot.ball_dot)
            self.play(self.plot.w.animate.set_value(s["w_after"]), run_time=STEP_TIME)
        if run["diverged"]:
            final = self.text(f"diverges at step {run['diverged_at']}", size=theme.LABEL_SIZE, color=theme.NEGATIVE)
        else:
            final = MathTex(r"\text{after } " + f"{run['epochs']}" + r"\text{ epochs: } w = " + tex.num(run["final_w"]),
                            font_size=theme.LABEL_SIZE, color=theme.HIGHLIGHT)
        self.panel(final, 4)
        last = run["steps"][-1] if run["steps"] else None
        if curve is None or last is None or last is steps[-1] or run["diverged"]:
            self.play(FadeIn(final), run_time=theme.SHORT)
        else:  # fast forward to the run's last step: its batch, its curve, the final w
            new_epoch = self.panel(self.text(f"epoch {last['epoch']}", size=theme.LABEL_SIZE, color=theme.MUTED), 2)
            new_tick = self.plot.tick(last["batch_minimiser"], theme.VALUE) if last["batch_minimiser"] is not None else VGroup()
            new_readout = self.panel(MathTex(r"w = " + tex.num(last["w_before"]) + r" \to " + tex.num(last["w_after"]),
                                             font_size=theme.LABEL_SIZE, color=theme.TEXT), 3)
            self.play(*self.light_rows(last["rows"], theme.VALUE), FadeOut(readout), FadeIn(new_readout),
                      Transform(curve, self.plot.polyline(self.data["w"], self.batch_curve(last["rows"]), theme.VALUE)),
                      FadeOut(epoch), FadeIn(new_epoch), ReplacementTransform(tick, new_tick), FadeIn(final),
                      run_time=theme.NORMAL)
            self.plot.curve = curve
            self.play(self.plot.w.animate.set_value(last["w_after"]), run_time=theme.NORMAL)
            tick, epoch, readout = new_tick, new_epoch, new_readout
        self.case.add(*[m for m in (curve, tick, readout, epoch, final) if m is not None])
