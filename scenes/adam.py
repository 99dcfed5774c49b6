"""Adam optimisation: Algorithm 1 of Kingma & Ba stepping through a real run (its α, until it converges), then a
race on a 2-D cost surface: gradient descent, momentum and Adam one at a time, then overlaid."""
from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    MathTex,
    VGroup,
)

from mathcore import display, optim, race, surfaces
from mathcore.display import fmt
from scenes import theme
from scenes.base import LectureScene, beat
from scenes.components import tex
from scenes.components.algorithm_panel import AlgorithmPanel, require
from scenes.components.race_map import Race, ends_at, label_side, leader, legend_row, settings_tex
from scenes.components.spoken import lit
from scenes.components.surface_contours import SurfaceContours
from scenes.components.value_panel import Row, ValuePanel
from scenes.theme import optimisers as otheme

DETAILED_STEPS = 2  # loop passes shown line by line before the run fast-forwards
RACERS = ("gd", "momentum", "adam")  # the slide's comparison
MAP_SIZE = 6.2
RUN_TIME = 3.0  # seconds per racer
SWATCH_WIDTH = 10  # a legend swatch as wide as its path, up to this
MARK_OF_LINE = {6: "t", 7: "g", 8: "m", 9: "v", 10: "m_hat", 11: "v_hat", 12: "theta"}  # the caption's word for it


class AdamOptimizer(LectureScene):
    TITLE = "Adam optimisation"
    NARRATION = frozenset({"first_step", "last_step", "last_t", "alpha", "race_alpha"})

    def construct(self):
        self.show_algorithm()
        self.next_slide()
        self.start_run()
        self.next_slide()
        self.first_steps()
        self.next_slide()
        self.fast_forward()
        self.why_step_shrinks()
        self.next_slide()
        self.show_surface()
        self.next_slide()
        self.run_race()

    def setup(self):
        super().setup()
        self.spec = optim.spec_from_config(self.cfg, "adam")
        self.run = race.algorithm_run(self.cfg)
        self.race = race.race(self.cfg, "surface")

    @beat
    def show_algorithm(self):
        """Algorithm 1, line by line, with the config's α, β1, β2, ε in the Require lines."""
        s = self.spec
        rows = [
            (0, require(rf"\alpha = {tex.num(s.lr)}", "stepsize")),
            (0, require(rf"\beta_1 = {tex.num(s.beta1)},\ \beta_2 = {tex.num(s.beta2)} \in [0, 1)", "decay rates")),
            (0, require(r"f(\theta)", "objective")),
            (0, require(rf"\theta_0,\ \epsilon = {tex.num(s.eps)}", "start, tiny constant")),
            (0, r"m_0 \leftarrow 0,\ v_0 \leftarrow 0,\ t \leftarrow 0"),
            (0, r"\textbf{while}\ \theta_t\ \text{not converged}\ \textbf{do}"),
            (1, r"t \leftarrow t + 1"),
            (1, r"g_t \leftarrow \nabla_\theta f_t(\theta_{t-1})"),
            (1, r"m_t \leftarrow \beta_1 \cdot m_{t-1} + (1 - \beta_1) \cdot g_t"),
            (1, r"v_t \leftarrow \beta_2 \cdot v_{t-1} + (1 - \beta_2) \cdot g_t^2"),
            (1, r"\hat m_t \leftarrow m_t / (1 - \beta_1^t)"),
            (1, r"\hat v_t \leftarrow v_t / (1 - \beta_2^t)"),
            (1, r"\theta_t \leftarrow \theta_{t-1} - \alpha \cdot \hat m_t / (\sqrt{\hat v_t} + \epsilon)"),
            (0, r"\textbf{end while}"),
            (0, r"\textbf{return}\ \theta_t"),
        ]
        self.title = self.heading(self.TITLE)
        self.algo = AlgorithmPanel(rows)
        self.algo.next_to(self.title, DOWN, buff=0.35).to_edge(LEFT, buff=theme.EDGE_BUFF + 0.25)
        self.play(FadeIn(self.title))
        self.play(LaggedStart(*[FadeIn(line, shift=RIGHT * 0.2) for line in self.algo.lines], lag_ratio=0.15),
                  run_time=theme.LONG * 1.5)
        self.remove(*self.algo.lines)
        self.add(self.algo)  # the panel as one mobject: its highlight stays behind its lines

    @beat
    def start_run(self):
        """A real run on the batch problem: every quantity of the loop gets a row, at t = 0."""
        recs, thetas = self.run.records, self.run.theta

        def series(key):
            return [None] + [float(r[key][0]) for r in recs]

        rows = [
            Row("t", "t", [0] + [r["t"] for r in recs], bar=False),
            Row("g", "g_t", series("g"), theme.NAMED["g"]),
            Row("m", "m_t", [0.0] + series("m")[1:], theme.NAMED["m"]),
            Row("v", "v_t", [0.0] + series("v")[1:], theme.NAMED["v"]),
            Row("m_hat", r"\hat m_t", series("m_hat"), theme.NAMED["m_hat"]),
            Row("v_hat", r"\hat v_t", series("v_hat"), theme.NAMED["v_hat"]),
            Row("step", r"\Delta\theta", series("step"), theme.NAMED["step"]),
            Row("theta", r"\theta_t", [float(t[0]) for t in thetas], theme.TEXT, bar=False),
        ]
        self.panel = ValuePanel(rows, bar_width=1.3)
        self.panel.next_to(self.algo, RIGHT, buff=0.7).align_to(self.algo, UP).shift(DOWN * 0.7)
        problem = MathTex(r"\text{a real run: } L(w) = \textstyle\sum_i (y_i - w\,x_i)^2,\ \ \theta = w",
                          font_size=otheme.TEX_SIZE, color=theme.MUTED)
        self.scale = self.panel.scale()
        problem.next_to(VGroup(self.panel, self.scale), UP, buff=0.2).to_edge(RIGHT, buff=theme.EDGE_BUFF)
        self.problem = problem
        self.play(FadeIn(problem), FadeIn(self.panel), FadeIn(self.scale), self.algo.highlight(4))
        self.rows_of_line = {
            6: ["t"],
            7: ["g"],
            8: ["m"],
            9: ["v"],
            10: ["m_hat"],
            11: ["v_hat"],
            12: ["step", "theta"],
        }

    @beat
    def first_steps(self):
        """The loop, line by line: the highlight moves and each line's value appears beside it."""
        self.captions = VGroup(
            self.caption(r"\hat m_t", "average the gradient\ndirection over the past", theme.POSITIVE),
            self.caption(r"\frac{\hat m_t}{\sqrt{\hat v_t}}",
                         "move in the direction\nwith \u201cconstant\u201d\nstep size", theme.VALUE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        self.captions.next_to(self.panel, DOWN, buff=0.12).align_to(self.panel, LEFT)
        for t in range(1, min(DETAILED_STEPS, len(self.run.records)) + 1):
            self.play(self.algo.highlight(5), run_time=theme.SHORT * 0.5)
            for line, keys in self.rows_of_line.items():
                if t == 1:  # the first pass: each line as the voice names its quantity
                    self.at(MARK_OF_LINE[line])
                self.play(self.algo.highlight(line), self.panel.reveal(keys, t))
                if t == 1 and line == 10:
                    self.play(FadeIn(self.captions[0], shift=UP * 0.1), run_time=theme.SHORT)
                if t == 1 and line == 12:
                    self.play(FadeIn(self.captions[1], shift=UP * 0.1), run_time=theme.SHORT)
        self.at("alpha")  # the step about α long: Δθ beside α's Require line, then g's far larger size
        self.play(lit(self.panel.number("step"), self.algo.lines[0]))
        self.at("gradient")
        self.play(lit(self.row("g")))

    def row(self, key: str) -> VGroup:
        """A value row's name and number (the number shown now)."""
        return VGroup(self.panel.label_of(key), self.panel.number(key))

    def caption(self, symbol: str, words: str, color) -> VGroup:
        return VGroup(
            MathTex(symbol, font_size=otheme.TEX_SIZE, color=color),
            self.text(words, size=theme.SMALL_SIZE, color=color, line_spacing=0.8),
        ).arrange(RIGHT, buff=0.25, aligned_edge=UP)

    @beat
    def fast_forward(self):
        """The rest of the run: the step shrinks (mathcore's first and last Δθ), as g does while v̂ remembers."""
        recs = self.run.records
        self.play(self.algo.highlight(12, run_time=theme.SHORT), run_time=theme.SHORT)
        self.play(self.panel.sweep(len(recs), run_time=max(theme.NORMAL, self.until("first") - theme.SHORT)))
        first, last = recs[0], recs[-1]
        shrink = VGroup(
            MathTex(r"\Delta\theta:\ ", display.tex(float(first['step'][0]), 2), r"\to",
                    display.tex(float(last['step'][0]), 2), font_size=otheme.TEX_SIZE, color=theme.NAMED["step"]),
            self.text(f"step shrinks, t = {first['t']} to {last['t']}", size=theme.SMALL_SIZE,
                      color=theme.NAMED["step"]),
        ).arrange(DOWN, buff=0.12, aligned_edge=LEFT).move_to(self.captions[1], aligned_edge=LEFT)
        self.play(FadeOut(self.captions[1]), FadeIn(shrink, shift=UP * 0.1), run_time=theme.SHORT)
        self.captions.add(shrink)
        self.play(lit(shrink[0][1]))
        self.at("last")
        self.play(lit(shrink[0][3], self.panel.number("step")))  # each in its place
        self.at("t")
        self.play(lit(self.row("t")))


    @beat
    def why_step_shrinks(self):
        """Why: the gradient (and m̂) shrinks near the minimum while v̂ keeps the past's large gradients; θ settles."""
        for mark, keys in (("g", ("g", "m_hat")), ("v_hat", ("v_hat",)), ("step", ("step", "theta"))):
            rows = VGroup(*[self.row(k) for k in keys])
            self.at(mark)
            self.play(Indicate(rows, color=theme.HIGHLIGHT, scale_factor=1.1), run_time=theme.NORMAL)

    def narration_values(self) -> dict:
        """The stepped run's first and last step (mathcore's records) and the race's α beside Algorithm 1's."""
        recs = self.run.records
        adam = next((e for e in self.racers() if e["optimiser"] == "adam"), None)
        return {"first_step": fmt(float(recs[0]["step"][0]), 2), "last_step": fmt(float(recs[-1]["step"][0]), 2),
                "last_t": recs[-1]["t"], "alpha": self.spec.lr,
                "race_alpha": adam["hyper"]["lr"] if adam else "not raced"}

    @beat
    def show_surface(self):
        """A 2-D cost surface with several minima (contours of mathcore's grid), the racers and their settings."""
        o = self.cfg.optim
        self.map = SurfaceContours(surfaces.from_config(self.cfg).grid(o.surface_extent, o.surface_points),
                                   MAP_SIZE)
        self.map.to_edge(LEFT, buff=theme.EDGE_BUFF + 0.3).to_edge(DOWN, buff=theme.EDGE_BUFF)
        subtitle = self.text("race: same start, same number of steps", size=theme.LABEL_SIZE, color=theme.MUTED)
        subtitle.next_to(self.title, RIGHT, buff=0.6).align_to(self.title, DOWN)
        self.play(FadeOut(VGroup(self.algo, self.panel, self.scale, self.captions, self.problem)), FadeIn(subtitle))
        self.add(self.map.shading)  # hundreds of flat squares: shown at once, the contours fade in over them
        self.play(FadeIn(VGroup(self.map.lines, self.map.axes, self.map.labels)))
        r = self.race
        self.racing = Race(self.map, self.racers())
        (every_point, reach), widths = self.racing.obstacles(), self.racing.widths
        start = Circle(radius=0.11, color=otheme.START, stroke_width=3).move_to(self.map.axes.c2p(*r.start))
        dots = [self.map.mark((m["x"], m["y"]), otheme.MINIMUM, radius=0.07).set_stroke(theme.BACKGROUND, width=2)
                for m in r.minima]
        self.minima, placed = VGroup(), []
        for m, dot in zip(r.minima, dots):  # each label by its own dot, none on another's
            label = MathTex(rf"C = {tex.num(m['cost'])}", font_size=otheme.TEX_SIZE, color=otheme.MINIMUM)
            label_side(label, dot, every_point, buff=0.15, rivals=[d for d in dots if d is not dot] + [start],
                       placed=placed, within=self.map, reach=reach).add_background_rectangle(color=theme.BACKGROUND,
                                                                                              opacity=0.75)
            placed.append(label)
            self.minima.add(VGroup(dot, leader(label, dot), label))
        start_label = MathTex(rf"\theta_0 = ({tex.num(r.start[0])}, {tex.num(r.start[1])})",
                              font_size=otheme.TEX_SIZE, color=otheme.START)
        label_side(start_label, start, every_point, buff=0.12, rivals=dots, placed=placed, within=self.map,
                   reach=reach).add_background_rectangle(color=theme.BACKGROUND, opacity=0.75)
        self.labels = VGroup(self.minima, start, leader(start_label, start), start_label)
        self.racing.marks = (self.labels,)
        self.play(FadeIn(self.labels))
        self.at("start")
        self.start_marks = VGroup(start, start_label)
        self.play(lit(self.start_marks))
        self.legend = VGroup(*[legend_row(e["optimiser"], settings_tex(e["optimiser"], e["hyper"], ("lr", "momentum")),
                                          width=min(widths[e["optimiser"]], SWATCH_WIDTH))
                               for e in self.racers()]).arrange(DOWN, aligned_edge=LEFT, buff=0.6)
        notes = [f"{r.steps} steps each"]
        adam = next((e for e in self.racers() if e["optimiser"] == "adam"), None)
        if adam and adam["hyper"]["lr"] != self.spec.lr:  # said on screen: the race's α is not Algorithm 1's
            notes.append(f"Adam's step size here: {fmt(adam['hyper']['lr'])}\n(Algorithm 1: {fmt(self.spec.lr)})")
        steps = VGroup(*[self.text(n, size=theme.SMALL_SIZE, color=theme.MUTED) for n in notes])
        self.steps_note = steps[0]
        self.legend.add(steps.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
                        .next_to(self.legend, DOWN, buff=0.6).align_to(self.legend, LEFT))
        self.legend.next_to(self.map, RIGHT, buff=0.6).align_to(self.map, UP)
        self.play(LaggedStart(*[FadeIn(row) for row in self.legend], lag_ratio=0.3))
        if len(notes) > 1:  # the race's own α, as the voice says it
            self.at("alpha")
            self.play(lit(steps[1]))

    def racers(self) -> list[dict]:
        return [e for e in self.race.entrants if e["optimiser"] in RACERS]

    @beat
    def run_race(self):
        """One racer at a time takes its steps (a dot, its last steps bright) and shows its final cost; then all."""
        finals = VGroup()
        racers = self.racers()
        self.at("point")  # the race's rules, as said: one start, one number of steps
        self.play(lit(self.start_marks))
        self.at("count")
        self.play(lit(self.steps_note))
        for k, e in enumerate(racers):
            self.add(*self.racing.enter(e["optimiser"]))  # on the start while the voice comes to its name
            self.at(e["optimiser"])  # each racer starts as the voice names it, and runs until the next is named
            after = racers[k + 1]["optimiser"] if k + 1 < len(racers) else "final"
            until = self.until(after, RUN_TIME + theme.SHORT) - theme.SHORT  # its final cost shows before the next
            self.play(self.racing.run(e["optimiser"], min(RUN_TIME, max(RUN_TIME / 2, until))))
            final = ends_at(e, arrow=False).next_to(self.legend[k], DOWN, buff=0.1)
            finals.add(final.align_to(self.legend[k][1], LEFT))
            self.play(FadeIn(finals[-1]), run_time=theme.SHORT)
        self.at("final")
        self.play(lit(finals))
        self.play(*self.racing.overlay(), run_time=theme.NORMAL)
        self.wait(theme.NORMAL)
