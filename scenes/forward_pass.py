"""Forward pass: the chain's equations, then the same chain with the config's numbers."""
from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    MathTex,
    SurroundingRectangle,
    TransformFromCopy,
    VGroup,
    Write,
    config,
)

from mathcore import chain
from mathcore.activations import NAMES
from scenes import narration, theme
from scenes.base import LectureScene, beat
from scenes.components import tex
from scenes.components.chain_diagram import ChainDiagram
from scenes.components.fields import tagged
from scenes.components.spoken import lit

MIN_SIZE = theme.MATH_MIN_SIZE  # equations stay readable however many layers share the rows
NUMBERS_LEFT = -1.2  # the left edge of the lines with numbers (and of the exercise before them)


def symbolic_equations(layers: int, activation: str) -> list[str]:
    """z_1 = w_1 x + b_1, h_1 = σ(z_1), ... as on the slides."""
    lines = []
    for i in range(1, layers + 1):
        prev = "x" if i == 1 else f"h_{{{i - 1}}}"
        lines.append(rf"z_{{{i}}} = w_{{{i}}} {prev} + b_{{{i}}}")
        lines.append(rf"h_{{{i}}} = \sigma(z_{{{i}}})")
    return lines


class ForwardPass(LectureScene):
    TITLE = "Forward pass"
    NARRATION = frozenset({"x", "w", "b", "z", "h", "output", "layers", "activation", "minutes",
                           "w1", "b1", "z1", "h1"})
    LIMITS = {"chain.w": (4, "layers")}  # rows of equations under the diagram

    def construct(self):
        self.show_equations()
        self.next_slide()
        self.ask_the_class()
        self.next_slide()
        self.put_in_numbers()
        self.next_slide()
        self.show_output()

    def setup(self):
        super().setup()
        self.result = chain.from_config(self.cfg)

    def narration_values(self) -> dict:
        """What the narration says: the chain's numbers as mathcore computed them."""
        r = self.result
        return {"x": r.x, "w": r.w, "b": r.b, "z": r.z, "output": r.output, "layers": r.layers,
                "activation": NAMES[r.activation], "minutes": self.cfg.chain.exercise_minutes,
                "w1": r.w[0], "b1": r.b[0], "z1": r.z[0], "h1": r.h[0],
                "h": narration.marked("layer", r.h)}  # each h lands on the chain as it is said

    @beat
    def show_equations(self):
        """The six equations of the chain and its diagram."""
        r = self.result
        self.title = self.heading(self.TITLE)
        self.diagram = ChainDiagram(r, width=min(9.0, 3.0 * r.layers)).next_to(self.title, DOWN, buff=0.7)
        self.diagram.set_x(0)
        # Rows share the space between the diagram and the prompt line: more layers, tighter rows.
        top = self.diagram.get_bottom()[1] - 0.4
        bottom = -config.frame_height / 2 + theme.PROMPT_BAND
        self.pitch = min(theme.ROW_PITCH, (top - bottom) / (2 * r.layers))
        self.size = max(MIN_SIZE, theme.EQUATION_SIZE * self.pitch / theme.ROW_PITCH)
        self.symbolic = VGroup(*[
            MathTex(line, font_size=self.size, color=theme.TEXT)
            .move_to([0, top - self.pitch * (k + 0.5), 0]).to_edge(LEFT, buff=0.9)
            for k, line in enumerate(symbolic_equations(r.layers, r.activation))
        ])
        self.play(FadeIn(self.title), FadeIn(self.diagram.nodes), FadeIn(self.diagram.edges))
        # the input's value under x: with the weights and biases, all the exercise needs is on the chain
        self.x_value = tagged(self.diagram.value_label(0, tex.num(r.x)), "x")
        self.play(FadeIn(self.diagram.weight_labels), FadeIn(self.diagram.bias_labels), FadeIn(self.x_value),
                  run_time=theme.SHORT)
        # the z rows are written as the voice reads z = w h + b, the h rows as it reads h = σ(z)
        for mark, rows in (("z", self.symbolic[0::2]), ("h", self.symbolic[1::2])):
            self.play(LaggedStart(*[Write(row) for row in rows], lag_ratio=0.3),
                      run_time=self.until(mark, theme.SHORT * len(rows)))
            self.play(lit(*rows))
        # σ in the equations is the config's activation: said once, and kept in sight for the ReLU(...) lines later
        self.activation = VGroup(
            self.text("activation", size=theme.LABEL_SIZE, color=theme.MUTED),
            MathTex(rf"\sigma = {tex.sigma(r.activation)}", font_size=MIN_SIZE, color=theme.HIGHLIGHT),
        ).arrange(RIGHT, buff=0.25)
        self.activation.to_edge(RIGHT, buff=theme.EDGE_BUFF).match_y(self.title)
        self.at("act")
        self.play(FadeIn(self.activation), run_time=theme.SHORT)
        self.play(lit(self.activation[1], *self.symbolic[1::2]))
        self.at("next")
        self.play(lit(self.diagram.edges))  # each edge carries one layer's h into the next

    @beat
    def ask_the_class(self):
        """The slide's exercise: compute h_1..h_L with this activation, from x and the chain's numbers."""
        r = self.result
        hs = ", ".join(f"h{i + 1}" for i in range(r.layers))
        minutes = self.cfg.chain.exercise_minutes
        self.prompt = self.text(
            f"Compute {hs} using {NAMES[r.activation]}:\nplease spend {minutes} minutes on this.\n"
            "Pause the video now;\nthe answer follows.",
            size=theme.BODY_SIZE, color=theme.HIGHLIGHT, line_spacing=1.1,
        )
        # where the answer's lines will come, beside the equations
        self.prompt.set_x(NUMBERS_LEFT, direction=LEFT).match_y(self.symbolic)
        self.play(FadeIn(self.prompt, shift=UP * 0.2))
        self.at("x")
        self.play(lit(self.x_value))
        self.at("chain")
        self.play(lit(self.diagram.weight_labels, self.diagram.bias_labels))
        for mark in ("pause", "minutes"):  # the slide's request, lit as the voice makes it
            self.at(mark)
            self.play(lit(self.prompt))

    @beat
    def put_in_numbers(self):
        """Now we put in real numbers, one equation at a time; values land on the diagram."""
        r = self.result
        subtitle = self.text("Now we put in real numbers", size=theme.LABEL_SIZE, color=theme.MUTED)
        subtitle.next_to(self.title, RIGHT, buff=0.6).align_to(self.title, DOWN)
        self.play(FadeOut(self.prompt), FadeIn(subtitle))
        for mark, named in (("x", self.x_value), ("w", self.diagram.weight_labels), ("b", self.diagram.bias_labels)):
            self.at(mark)  # the numbers the voice reads out, where they are on the chain
            self.play(lit(named))
        self.numeric = VGroup()
        sig = tex.sigma(r.activation)
        inputs = r.inputs
        for i in range(r.layers):
            z_line = MathTex(
                rf"z_{{{i + 1}}} = ", tex.num(r.w[i]), r" \times ", tex.factor(inputs[i]), " ",
                tex.plus(r.b[i]), " = ", tex.num(r.z[i]),
                font_size=self.size,
            )
            h_line = MathTex(
                rf"h_{{{i + 1}}} = {sig}(", tex.num(r.z[i]), ") = ", tex.num(r.h[i]),
                font_size=self.size,
            )
            # which mathcore field each number is (the scene tests check each in its place)
            for part, field in ((z_line[1], f"w[{i}]"), (z_line[3], "x" if i == 0 else f"h[{i - 1}]"),
                                (z_line[5], f"b[{i}]"), (z_line[-1], f"z[{i}]"), (h_line[1], f"z[{i}]"),
                                (h_line[-1], "output" if i == r.layers - 1 else f"h[{i}]")):
                tagged(part, field)
            for line, row in ((z_line, 2 * i), (h_line, 2 * i + 1)):
                line.set_x(NUMBERS_LEFT, direction=LEFT).match_y(self.symbolic[row])
                line[-1].set_color(theme.VALUE)
            value = tagged(self.diagram.value_label(i + 1, tex.num(r.h[i])), f"h[{i}]")
            if i == 0:
                self.first_layer(z_line, h_line, value)
            else:  # written while the voice lists the h values: each lands on the chain as it is said
                self.next_layer(i, z_line, h_line, value)
            self.numeric.add(z_line, h_line, value)
        self.subtitle = subtitle

    def first_layer(self, z_line: MathTex, h_line: MathTex, value: MathTex) -> None:
        """z_1 = w_1 x + b_1 written number by number, each landing as the voice says it and lit while the next
        comes; then h_1, and its move onto the chain."""
        hi = theme.HIGHLIGHT
        self.play(Indicate(self.symbolic[0], color=hi), FadeIn(z_line[0]),
                  TransformFromCopy(self.diagram.weight_labels[0], z_line[1]), run_time=self.until("w1"))
        self.play(Indicate(z_line[1], color=hi), FadeIn(z_line[2]), TransformFromCopy(self.x_value, z_line[3]),
                  run_time=self.until("x1"))
        self.play(Indicate(z_line[3], color=hi), FadeIn(z_line[4]),
                  TransformFromCopy(self.diagram.bias_labels[0], z_line[5]), run_time=self.until("b1"))
        self.play(Indicate(z_line[5], color=hi), FadeIn(z_line[6:]), run_time=self.until("z1"))
        self.play(Indicate(z_line[-1], color=hi), Indicate(self.symbolic[1], color=hi),
                  TransformFromCopy(z_line[-1], h_line[1]), FadeIn(VGroup(h_line[0], *h_line[2:])),
                  run_time=self.until("h1"))
        self.play(lit(h_line[-1]))
        self.at("moves")
        self.play(TransformFromCopy(h_line[-1], value), run_time=theme.NORMAL)
        self.at("layer1")
        self.play(lit(value))

    def next_layer(self, i: int, z_line: MathTex, h_line: MathTex, value: MathTex) -> None:
        """Layer i+1's two lines and its value on the chain, spread over the time until its h is said."""
        steps = [theme.SHORT, theme.NORMAL, theme.SHORT, theme.NORMAL, theme.NORMAL]
        if (said := self.mark_time(f"layer{i + 1}")) is not None:  # as long as the voice takes to reach it
            left = max(said - self.renderer.time, len(steps) * 3 / config.frame_rate)
            steps = [left * s / sum(steps) for s in steps]
        self.play(Indicate(self.symbolic[2 * i], color=theme.HIGHLIGHT), run_time=steps[0])
        self.play(TransformFromCopy(self.diagram.weight_labels[i], z_line[1]),
                  FadeIn(VGroup(z_line[0], *z_line[2:])), run_time=steps[1])
        self.play(Indicate(self.symbolic[2 * i + 1], color=theme.HIGHLIGHT), run_time=steps[2])
        self.play(TransformFromCopy(z_line[-1], h_line[1]), FadeIn(VGroup(h_line[0], *h_line[2:])), run_time=steps[3])
        self.play(TransformFromCopy(h_line[-1], value), run_time=steps[4])
        self.play(lit(value, h_line[-1]))

    @beat
    def show_output(self):
        """The network's output h_L, boxed."""
        last = self.numeric[-2]
        box = SurroundingRectangle(last, color=theme.VALUE, buff=0.1)
        note = self.text("output", size=theme.LABEL_SIZE, color=theme.VALUE).next_to(box, RIGHT, buff=0.25)
        self.play(FadeIn(box), FadeIn(note), run_time=self.until("output"))
        self.play(lit(last[-1]))
        self.wait(theme.NORMAL)
