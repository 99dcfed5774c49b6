"""Adam optimisation: Algorithm 1 of Kingma & Ba stepping through a real run, then a race on a 2-D cost surface."""
from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    FadeIn,
    FadeOut,
    LaggedStart,
    Line,
    MathTex,
    VGroup,
    Write,
)

from mathcore import optim, race, surfaces
from scenes import theme
from scenes.theme import optimisers as otheme
from scenes.base import LectureScene
from scenes.components import tex
from scenes.components.algorithm_panel import AlgorithmPanel, require
from scenes.components.race_map import RaceMap
from scenes.components.value_panel import Row, ValuePanel

DETAILED_STEPS = 2  # loop passes shown line by line before the run fast-forwards
RACERS = ("gd", "momentum", "adam")  # the slide's comparison
SUBSAMPLE = 5  # race steps per drawn segment
MAP_SIZE = 6.2
TRAIL_WIDTH = 2.5  # the last racer's; each earlier one is this much wider
PROBLEM = "line"


def early_steps_slow(alpha: float) -> float:
    """The race's pace: the racers move most in their first steps, so those take longer on screen."""
    return alpha * alpha  # the Adam run stepped through: the 1-D batch problem


class AdamOptimizer(LectureScene):
    TITLE = "Adam optimisation"

    def construct(self):
        self.show_algorithm()
        self.next_slide()
        self.start_run()
        self.next_slide()
        self.first_steps()
        self.next_slide()
        self.fast_forward()
        self.next_slide()
        self.show_surface()
        self.next_slide()
        self.run_race()

    def setup(self):
        super().setup()
        self.spec = optim.spec_from_config(self.cfg, "adam")
        self.run = race.trajectory(self.cfg, "adam", PROBLEM)
        self.race = race.race(self.cfg, "surface")

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

    def start_run(self):
        """A real run on the batch problem: every quantity of the loop gets a row, at t = 0."""
        recs, thetas = self.run["records"], self.run["theta"]

        def series(key):
            return [None] + [float(r[key][0]) for r in recs]

        rows = [
            Row("t", "t", [0] + [r["t"] for r in recs], bar=False),
            Row("g", "g_t", series("g"), theme.GRADIENT),
            Row("m", "m_t", [0.0] + series("m")[1:], theme.POSITIVE),
            Row("v", "v_t", [0.0] + series("v")[1:], theme.LOCAL),
            Row("m_hat", r"\hat m_t", series("m_hat"), theme.POSITIVE),
            Row("v_hat", r"\hat v_t", series("v_hat"), theme.LOCAL),
            Row("step", r"\Delta\theta", series("step"), theme.VALUE),
            Row("theta", r"\theta_t", [float(t[0]) for t in thetas], theme.TEXT),
        ]
        self.panel = ValuePanel(rows, bar_width=1.6)
        self.panel.next_to(self.algo, RIGHT, buff=0.7).align_to(self.algo, UP).shift(DOWN * 0.9)
        problem = MathTex(r"\text{a real run: } L(w) = \textstyle\sum_i (y_i - w\,x_i)^2,\ \ \theta = w",
                          font_size=theme.SMALL_SIZE + 2, color=theme.MUTED)
        problem.next_to(self.panel, UP, buff=0.35).align_to(self.panel, LEFT)
        self.problem = problem
        self.play(FadeIn(problem), FadeIn(self.panel), self.algo.highlight(4))
        self.rows_of_line = {6: ["t"], 7: ["g"], 8: ["m"], 9: ["v"], 10: ["m_hat"], 11: ["v_hat"], 12: ["step", "theta"]}

    def first_steps(self):
        """The loop, line by line: the highlight moves and each line's value appears beside it."""
        self.captions = VGroup(
            self.caption(r"\hat m_t", "average the gradient direction\nover the past", theme.POSITIVE),
            self.caption(r"\hat m_t / \sqrt{\hat v_t}", "move in the direction\nwith \u201cconstant\u201d step size",
                         theme.VALUE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        self.captions.next_to(self.panel, DOWN, buff=0.45).align_to(self.panel, LEFT)
        for t in range(1, min(DETAILED_STEPS, len(self.run["records"])) + 1):
            self.play(self.algo.highlight(5), run_time=theme.SHORT * 0.5)
            for line, keys in self.rows_of_line.items():
                self.play(self.algo.highlight(line), self.panel.reveal(keys, t))
                if t == 1 and line == 10:
                    self.play(FadeIn(self.captions[0], shift=UP * 0.1), run_time=theme.SHORT)
                if t == 1 and line == 12:
                    self.play(FadeIn(self.captions[1], shift=UP * 0.1), run_time=theme.SHORT)

    def caption(self, symbol: str, words: str, color) -> VGroup:
        return VGroup(
            MathTex(symbol, font_size=theme.SMALL_SIZE + 2, color=color),
            self.text(words, size=theme.SMALL_SIZE, color=color, line_spacing=0.8),
        ).arrange(RIGHT, buff=0.25, aligned_edge=UP)

    def fast_forward(self):
        """The rest of the run: g shrinks, m̂/√v̂ keeps the step near α."""
        last = len(self.run["records"])
        self.play(self.algo.highlight(12, run_time=theme.SHORT), run_time=theme.SHORT)
        self.play(self.panel.sweep(last))

    def show_surface(self):
        """A 2-D cost surface with several minima (contours of mathcore's grid), the racers and their settings."""
        o = self.cfg.section("optim")
        surf = surfaces.from_config(self.cfg)
        self.map = RaceMap(surf.grid(o["surface_extent"], o["surface_points"]), size=MAP_SIZE)
        self.map.to_edge(LEFT, buff=theme.EDGE_BUFF + 0.3).to_edge(DOWN, buff=theme.EDGE_BUFF)
        subtitle = self.text("race: same start, same number of steps", size=theme.LABEL_SIZE, color=theme.MUTED)
        subtitle.next_to(self.title, RIGHT, buff=0.6).align_to(self.title, DOWN)
        self.play(FadeOut(VGroup(self.algo, self.panel, self.captions, self.problem)), FadeIn(subtitle))
        self.play(FadeIn(self.map))
        r = self.race
        self.minima = VGroup()
        for m in r["minima"]:
            dot = self.map.marker(m["x"], m["y"], theme.TEXT, radius=0.06)
            label = MathTex(rf"C = {tex.num(m['cost'])}", font_size=theme.SMALL_SIZE, color=theme.TEXT)
            label.next_to(dot, DOWN, buff=0.08).add_background_rectangle(color=theme.BACKGROUND, opacity=0.75)
            self.minima.add(VGroup(dot, label))
        start = self.map.marker(*r["start"], theme.HIGHLIGHT, radius=0.08)
        start_label = MathTex(rf"\theta_0 = ({tex.num(r['start'][0])}, {tex.num(r['start'][1])})",
                              font_size=theme.SMALL_SIZE, color=theme.HIGHLIGHT).next_to(start, RIGHT, buff=0.12)
        start_label.add_background_rectangle(color=theme.BACKGROUND, opacity=0.75)
        self.labels = VGroup(self.minima, start_label)
        self.play(FadeIn(self.minima), FadeIn(start), FadeIn(start_label))
        self.legend = VGroup(*[self.legend_row(e) for e in self.racers()]).arrange(DOWN, aligned_edge=LEFT, buff=0.75)
        steps = self.text(f"{r['steps']} steps each", size=theme.LABEL_SIZE, color=theme.MUTED)
        self.legend.add(steps.next_to(self.legend, DOWN, buff=0.9).align_to(self.legend, LEFT))
        self.legend.next_to(self.map, RIGHT, buff=0.6).align_to(self.map, UP)
        self.play(LaggedStart(*[FadeIn(row) for row in self.legend], lag_ratio=0.3))

    def racers(self) -> list[dict]:
        return [e for e in self.race["entrants"] if e["optimiser"] in RACERS]

    def legend_row(self, e: dict) -> VGroup:
        name = e["optimiser"]
        color = otheme.OPTIMISER_COLORS[name]
        symbols = {"lr": r"\alpha" if name == "adam" else r"\eta", "momentum": r"\mu", "beta1": r"\beta_1",
                   "beta2": r"\beta_2", "eps": r"\epsilon", "batch_size": "B"}
        settings = r",\ ".join(f"{symbols[k]} = {tex.num(v)}" for k, v in e["hyper"].items())
        swatch = Line(LEFT * 0.25, RIGHT * 0.25, color=color, stroke_width=6)
        head = VGroup(swatch, self.text(otheme.OPTIMISER_NAMES[name], size=theme.LABEL_SIZE, color=color))
        head.arrange(RIGHT, buff=0.2)
        body = MathTex(settings, font_size=theme.SMALL_SIZE + 2, color=theme.TEXT)
        body.next_to(head, DOWN, buff=0.12).align_to(head[1], LEFT)
        return VGroup(head, body)

    def run_race(self):
        """Every racer takes its steps at the same pace; each ends in a minimum, its final cost written."""
        trails, dots = [], []
        racers = self.racers()
        for k, e in enumerate(racers):
            thetas = e["theta"][::SUBSAMPLE]
            if len(e["theta"]) % SUBSAMPLE != 1:
                thetas = [*thetas, e["theta"][-1]]
            color = otheme.OPTIMISER_COLORS[e["optimiser"]]
            # earlier racers drawn wider, so a later one on the same path leaves them visible
            trails.append(self.map.trail(thetas, color).set_stroke(width=TRAIL_WIDTH * (len(racers) - k)))
            dots.append(self.map.marker(*e["theta"][0], color, radius=0.09))
        self.add(*trails, *dots)
        self.add_foreground_mobjects(self.labels)
        self.play(RaceMap.race(trails, dots, rate_func=early_steps_slow))
        finals = VGroup()
        for row, e in zip(self.legend, self.racers()):
            final = MathTex(rf"\text{{ends at }} C = {tex.num(e['final_loss'])}", font_size=theme.SMALL_SIZE + 2,
                            color=otheme.OPTIMISER_COLORS[e["optimiser"]])
            finals.add(final.next_to(row, DOWN, buff=0.1).align_to(row[1], LEFT))
        self.play(LaggedStart(*[Write(f) for f in finals], lag_ratio=0.3))
        self.wait(theme.NORMAL)
