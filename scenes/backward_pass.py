"""Backward pass: the chain rule, factor by factor, reusing each result for the next layer."""
from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    MoveAlongPath,
    ReplacementTransform,
    SurroundingRectangle,
    TransformFromCopy,
    VGroup,
    Write,
)

from mathcore import chain
from mathcore.activations import NAMES, slope_case
from mathcore.display import fmt
from scenes import narration, theme
from scenes.base import LectureScene, beat
from scenes.components import tex
from scenes.components.chain_diagram import ChainDiagram
from scenes.components.fields import tagged
from scenes.components.spoken import lit, one_by_one
from scenes.components.tex import partial as d

SIZE = theme.EQUATION_SIZE + 6
DIAGRAM_WIDTH = 10.0
DIAGRAM_X = 0.6  # right of centre: the rows' names sit left of the chain
ROW = 0.45  # between the rows under the chain: forward values, then the gradients for z, then for w
CHIP_ROOM = 1.45  # under the chain's nodes, for the three rows
BOTTOM = -3.7  # the lowest a line may reach
#: per slope case (mathcore.activations.slope_case), the mark of slope_reason() that brings each piece of the note
NOTE_MARKS = {"positive": ("why", "sign", "slope"), "negative": ("why", "sign", "slope"),
              "zero": ("why", "why", "slope"), "formula": ("why", "where"), "constant": ("why", "every")}


def reordered_equations(layers: int) -> list[str]:
    """The slide's reordering: all z_i first, then all h_i."""
    zs = [rf"z_{{{i}}} = w_{{{i}}} {'x' if i == 1 else f'h_{{{i - 1}}}'} + b_{{{i}}}" for i in range(1, layers + 1)]
    hs = [rf"h_{{{i}}} = \sigma(z_{{{i}}})" for i in range(1, layers + 1)]
    return zs + hs


class BackwardPass(LectureScene):
    TITLE = "Backward pass, compute all the gradients"
    NARRATION = frozenset({"layers", "output", "last_derivative", "first_grad_z", "grad_z", "grad_w", "grad_b",
                           "x", "minutes", "slope_reason"})
    LIMITS = {"chain.w": (4, "layers")}  # the reordered equations in one column

    def construct(self):
        self.show_equations()
        self.next_slide()
        self.last_layer()
        self.next_slide()
        self.earlier_layers()
        self.next_slide()
        self.weight_gradients()
        self.next_slide()
        self.bias_exercise()
        self.next_slide()
        self.bias_answers()

    def setup(self):
        super().setup()
        self.r = chain.from_config(self.cfg)
        self.out = f"h_{{{self.r.layers}}}"

    def narration_values(self) -> dict:
        """What the narration says: the gradients mathcore computed, output layer first where the scene goes down."""
        r = self.r
        return {"layers": r.layers, "output": r.output, "last_derivative": r.grad_z[-1], "first_grad_z": r.grad_z[0],
                # each gradient lights up on the chain as the voice lists it
                "grad_z": narration.marked("gz", r.grad_z), "grad_w": narration.marked("gw", r.grad_w),
                "grad_b": narration.marked("gb", r.grad_b), "x": r.x,
                "minutes": self.cfg.chain.bias_exercise_minutes, "slope_reason": self.slope_reason()}

    def slope_reason(self) -> str:
        """Why σ'(z_L) is what it is: for ReLU the sign of z_L (mathcore's case), else the activation's own slope;
        its marks are where each piece of slope_note() comes in (the first with [[why]], just before it)."""
        r, L = self.r, self.r.layers
        name, z, slope = NAMES[r.activation], f"z{L} is {fmt(r.z[-1])}", fmt(r.dh_dz[-1])
        return {
            "positive": f"{z}, [[sign]]a positive number, and [[slope]]{name}'s slope is {slope} "
                        "[[every]]for every positive z",
            "negative": f"{z}, [[sign]]a negative number, and [[slope]]{name}'s slope is {slope} "
                        "[[every]]for every negative z",
            "zero": f"z{L} is exactly 0, [[slope]]where {name}'s slope is taken as {slope}",
            "formula": f"{name}'s slope changes with z, and this is its value [[where]]where {z}",
            "constant": f"a {name} activation's slope is {slope} [[every]]for every z",
        }[slope_case(r.activation, r.z[-1])]

    def slope_note(self) -> MathTex:
        """The same reason beside the line, in symbols, in pieces as the voice gives them (NOTE_MARKS)."""
        r, L = self.r, self.r.layers
        sig, z = tex.sigma(r.activation), f"z_{{{L}}}"
        case = slope_case(r.activation, r.z[-1])
        if case in ("positive", "negative", "zero"):
            sign = {"positive": ">", "negative": "<", "zero": "="}[case]
            parts = [rf"{z} = {tex.num(r.z[-1])}", rf"{sign} 0",
                     rf"\;\Rightarrow\; {sig}'({z}) = {tex.num(r.dh_dz[-1])}"]
        elif case == "constant":
            parts = [rf"{sig}'(z) = {tex.num(r.dh_dz[-1])}", r"\text{ for every } z"]
        else:
            parts = [rf"{sig}'(z)", rf"\text{{ at }} {z} = {tex.num(r.z[-1])}"]
        return MathTex(*parts, font_size=theme.EQUATION_SIZE, color=theme.HIGHLIGHT)

    @beat
    def show_equations(self):
        """The chain's equations, z's first, as a reference column."""
        self.title = self.heading(self.TITLE)
        # The forward pass's chain with its numbers, across the frame: the weights and the values x, h_i
        # stay in sight (each factor of the chain rule is one of them), and the gradients travel back along it.
        r = self.r
        self.diagram = ChainDiagram(r, width=min(DIAGRAM_WIDTH, 3.2 * r.layers))
        self.diagram.next_to(self.title, DOWN, buff=0.35).set_x(DIAGRAM_X)
        self.values = VGroup(*[
            tagged(self.diagram.value_label(k, tex.num(v)), "x" if k == 0 else f"h[{k - 1}]")
            for k, v in enumerate([r.x, *r.h])
        ])
        self.chips: dict[int, MathTex] = {}  # node k (0 is x) -> ∂h_L/∂z shown under it
        # the two rows of gradients on the chain, under the values, named at their left
        self.row_names = VGroup(*[
            MathTex(rf"\partial {self.out} / \partial {name}:", font_size=theme.MATH_MIN_SIZE, color=theme.GRADIENT)
            .next_to(self.diagram.nodes[0], LEFT, buff=0.35).set_y(self.chip(0, 0.0).get_y() - row * ROW)
            for row, name in enumerate(("z", "w"))
        ])
        self.eqs = VGroup(*[
            MathTex(line, font_size=theme.EQUATION_SIZE, color=theme.MUTED)
            for line in reordered_equations(self.r.layers)
        ]).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        self.eqs.next_to(self.diagram, DOWN, buff=CHIP_ROOM + 0.2).to_edge(LEFT, buff=0.5)
        if self.eqs.get_bottom()[1] < BOTTOM:  # more layers: tighter lines, same size
            top, n = self.eqs.get_top()[1], len(self.eqs)
            gap = (top - BOTTOM - sum(e.height for e in self.eqs)) / (n - 1)
            self.eqs.arrange(DOWN, aligned_edge=LEFT, buff=gap).next_to(self.diagram, DOWN, buff=CHIP_ROOM + 0.2)
            self.eqs.to_edge(LEFT, buff=0.5)
        self.play(FadeIn(self.title), FadeIn(self.diagram), FadeIn(self.values), FadeIn(self.eqs, lag_ratio=theme.LAG))
        self.work_left = self.eqs.get_right()[0] + 0.6
        for mark, named in (("zs", [self.eqs[:r.layers]]), ("weights", [self.diagram.weight_labels]),
                            ("values", [self.values]), ("every", [self.diagram.weight_labels, self.values])):
            self.at(mark)
            self.play(lit(*named))

    def _place(self, line: MathTex, row: int) -> MathTex:
        first = self.diagram.get_bottom()[1] - CHIP_ROOM - 0.6
        pitch = min(theme.CHAIN_RULE_PITCH, (first - BOTTOM - 0.5) / max(self.r.layers - 1, 1))
        line.move_to([0, first - row * pitch, 0]).set_x(self.work_left, direction=LEFT)
        return line

    def chip(self, k: int, value: float) -> MathTex:
        """A gradient written under node k of the chain (0 is x), a row under its forward value."""
        return self.diagram.value_label(k, tex.num(value), color=theme.GRADIENT).shift(DOWN * ROW)

    def edge_chip(self, i: int, value: float) -> MathTex:
        """A gradient written under edge i of the chain (the weight w_(i+1)), a row under the node chips."""
        chip = self.chip(i + 1, value)
        return chip.set_x(self.diagram.edges[i].get_center()[0]).shift(DOWN * ROW)

    def travel(self, source: MathTex, target: MathTex, *also, run_time: float = theme.NORMAL) -> None:
        """A copy of ``source`` runs right to left along the chain to ``target``'s place and becomes it."""
        runner = source.copy()
        path = Line(source.get_center(), target.get_center())
        self.play(MoveAlongPath(runner, path), *also, run_time=run_time)
        self.play(ReplacementTransform(runner, target), run_time=theme.SHORT)

    @beat
    def last_layer(self):
        """∂h_L/∂z_L = σ'(z_L)."""
        r, L = self.r, self.r.layers
        line = MathTex(
            d(self.out, f"z_{{{L}}}"), "=", rf"\sigma'(z_{{{L}}})", "=", tex.num(r.grad_z[-1]), font_size=SIZE
        )
        line[-1].set_color(theme.GRADIENT)
        self._place(line, 0)
        self.play(Write(line[0]), run_time=self.until("lastz"))
        self.play(lit(self.eqs[L - 1]), Write(line[1:3]), run_time=self.until("sigma"))
        self.play(lit(line[2]))
        self.chips[L] = self.chip(L, r.grad_z[-1])
        self.play(FadeIn(line[3:], shift=RIGHT * 0.2), FadeIn(self.chips[L], scale=1.4), FadeIn(self.row_names[0]),
                  run_time=self.until("value"))
        self.play(lit(line[-1], self.chips[L]))
        self.note = self.slope_note().next_to(line, RIGHT, buff=0.6)
        case = slope_case(r.activation, r.z[-1])
        signed = case in ("positive", "negative", "zero")  # the reason starts from z_L: its equation lights up
        for k, (part, mark) in enumerate(zip(self.note, NOTE_MARKS[case])):  # piece by piece, as the voice says it
            self.at(mark)
            self.play(FadeIn(part, shift=RIGHT * 0.2), *([lit(self.eqs[L - 1])] if k == 0 and signed else []),
                      run_time=theme.SHORT)
        if case in ("positive", "negative"):
            self.at("every")  # "for every positive z": the sign that says which z
            self.play(lit(self.note[1]))
        self.z_lines = {L - 1: line}

    @beat
    def earlier_layers(self):
        """∂h_L/∂z_i = ∂h_L/∂z_(i+1) · ∂z_(i+1)/∂h_i · ∂h_i/∂z_i, reusing the line above."""
        r, L = self.r, self.r.layers
        for row, i in enumerate(reversed(range(L - 1)), start=1):
            above = self.z_lines[i + 1]
            n = i + 1  # 1-based layer of this line
            factors = [d(self.out, f"z_{{{n + 1}}}"), d(f"z_{{{n + 1}}}", f"h_{{{n}}}"), d(f"h_{{{n}}}", f"z_{{{n}}}")]
            if n + 1 < L:  # the long form first: the whole chain back from the output
                long_factors = []
                for k in range(L, n, -1):
                    long_factors += [d(f"h_{{{k}}}", f"z_{{{k}}}"), d(f"z_{{{k}}}", f"h_{{{k - 1}}}")]
                long_factors = [d(self.out, f"z_{{{L}}}")] + long_factors[1:] + [d(f"h_{{{n}}}", f"z_{{{n}}}")]
                long = self._place(MathTex(d(self.out, f"z_{{{n}}}"), "=", *long_factors, font_size=SIZE), row)
                self.at("reuse")  # the voice says each line reuses the one before
                self.play(Write(long), run_time=theme.SHORT)
                # the leading factors are the line above's left side: boxed together (no room under the
                # lowest line for a brace and its label), they become it
                reused = VGroup(*long[2:-2])
                boxes = VGroup(SurroundingRectangle(reused, color=theme.GRADIENT, buff=0.06),
                               SurroundingRectangle(above[0], color=theme.GRADIENT, buff=0.06))
                self.play(FadeIn(boxes), run_time=theme.SHORT)
                short = self._place(MathTex(d(self.out, f"z_{{{n}}}"), "=", *factors, font_size=SIZE), row)
                self.play(FadeOut(boxes), ReplacementTransform(VGroup(*long[2:-1]), short[2]),
                          ReplacementTransform(long[-1], short[4]), ReplacementTransform(long[:2], short[:2]),
                          run_time=theme.SHORT)
                self.play(FadeIn(short[3]), run_time=theme.SHORT)
                self.remove(*long)
                self.add(short)
            else:
                short = self._place(MathTex(d(self.out, f"z_{{{n}}}"), "=", *factors, font_size=SIZE), row)
                self.play(Write(short))
            values = [r.grad_z[i + 1], r.dz_next_dh[i], r.dh_dz[i]]
            line = self._place(MathTex(
                d(self.out, f"z_{{{n}}}"), "=", *factors, "=",
                *[f"({tex.num(v)})" for v in values], "=", tex.num(r.grad_z[i]), font_size=SIZE,
            ), row)
            line[6].set_color(theme.GRADIENT)
            line[-1].set_color(theme.GRADIENT)
            self.remove(short)
            self.add(line[:5])
            # Each factor's number from where it is seen: the first is the result of the line above (the
            # slides' point), the second the weight on the chain, the third σ' where this node's value is.
            sources = [(above[-1], line[6]), (self.diagram.weight_labels[i + 1], line[7]), (line[4], line[8])]
            if row == 1:  # the voice names the factors of the first line down: each lights up and flies in then
                for mark, (source, factor) in zip(("first", "weight", "slope"), sources):
                    self.at(mark)
                    self.play(lit(source, self.values[n]) if mark == "slope" else lit(source), run_time=theme.SHORT)
                    self.play(*([FadeIn(line[5])] if mark == "first" else []), TransformFromCopy(source, factor))
            else:  # the same three sources, together: the voice has moved on to why each line reuses the last
                self.play(lit(*(source for source, _ in sources), self.values[n]), run_time=theme.SHORT)
                self.play(FadeIn(line[5]), *[TransformFromCopy(source, factor) for source, factor in sources])
            self.chips[n] = self.chip(n, r.grad_z[i])  # back one node, right to left along the chain
            # quicker after the first line down: the voice lists the results soon after
            self.travel(self.chips[n + 1], self.chips[n], FadeIn(line[9:], shift=RIGHT * 0.2),
                        run_time=theme.NORMAL if row == 1 else theme.SHORT)
            self.z_lines[i] = line
        one_by_one(self, "gz", [self.chips[k] for k in range(1, L + 1)])  # the list, first layer first

    @beat
    def weight_gradients(self):
        """∂h_L/∂w_i = ∂h_L/∂z_i · ∂z_i/∂w_i, with ∂h_L/∂z_i taken from the results."""
        r, L = self.r, self.r.layers
        self.results = VGroup(*[
            MathTex(d(self.out, f"z_{{{i + 1}}}"), "=", tex.num(r.grad_z[i]), font_size=SIZE - 4)
            for i in reversed(range(L))
        ]).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        for m in self.results:
            m[-1].set_color(theme.GRADIENT)
        # The results take the reference column's place: the w lines need the width.
        self.results.move_to(self.eqs, aligned_edge=UP + LEFT)
        if self.results.get_bottom()[1] < BOTTOM:  # more layers: tighter lines
            top, n = self.results.get_top()[1], len(self.results)
            gap = (top - BOTTOM - sum(m.height for m in self.results)) / (n - 1)
            self.results.arrange(DOWN, aligned_edge=LEFT, buff=gap).move_to(self.eqs, aligned_edge=UP + LEFT)
        self.play(FadeOut(self.eqs), FadeOut(self.note), *[
            ReplacementTransform(self.z_lines[L - 1 - k], self.results[k]) for k in range(L)
        ], run_time=self.until("left"))
        self.play(lit(self.results))
        self.w_lines, self.w_chips = VGroup(), VGroup()
        self.play(FadeIn(self.row_names[1]), run_time=theme.SHORT)
        for row, i in enumerate(reversed(range(L))):
            n = i + 1
            src = self.results[row]
            line = self._place(MathTex(
                d(self.out, f"w_{{{n}}}"), "=", d(self.out, f"z_{{{n}}}"), d(f"z_{{{n}}}", f"w_{{{n}}}"), "=",
                f"({tex.num(r.grad_z[i])})", f"({tex.num(r.inputs[i])})", "=", tex.num(r.grad_w[i]),
                font_size=SIZE,
            ), row)
            line[5].set_color(theme.GRADIENT)
            line[-1].set_color(theme.GRADIENT)
            first = row == 0  # the voice names dz/dw and the chain's input once, for the first line
            self.play(Write(line[:5]), run_time=self.until("dzdw") if first else theme.NORMAL)
            if first:
                self.play(lit(line[3]))
                self.at("shows")
            # ∂z_n/∂w_n is this layer's input: the value on the chain left of the weight
            self.play(lit(src, self.values[i]), run_time=theme.SHORT)
            self.play(TransformFromCopy(src[-1], line[5]), TransformFromCopy(self.values[i], line[6]))
            self.w_chips.add(self.edge_chip(i, r.grad_w[i]))  # from node h_n back onto its incoming edge
            self.travel(self.chips[n], self.w_chips[-1], FadeIn(line[7:], shift=RIGHT * 0.2))
            self.w_lines.add(line)
        one_by_one(self, "gw", reversed(self.w_chips))  # the list, first weight first

    @beat
    def bias_exercise(self):
        """The slide's exercise: the gradients with respect to the biases."""
        L = self.r.layers
        # the z gradients go too: with them in sight the exercise's answer would be on screen
        self.z_shown = VGroup(self.results, *self.chips.values(), self.row_names[0])
        self.play(FadeOut(self.w_lines), FadeOut(self.w_chips), FadeOut(self.row_names[1]), FadeOut(self.z_shown))
        ask = self.text(
            f"Pause the video: please spend {self.cfg.chain.bias_exercise_minutes} minutes\nto compute gradients for",
            size=theme.BODY_SIZE, color=theme.HIGHLIGHT, line_spacing=1.2,
        )
        targets = MathTex(*[d(self.out, f"b_{{{i}}}") + ("," if i > 1 else "") for i in range(L, 0, -1)],
                          font_size=SIZE + 4, color=theme.HIGHLIGHT)
        self.ask = VGroup(ask, targets).arrange(DOWN, buff=0.35)
        self.ask.move_to(self._place(MathTex("x"), 1)).set_x(self.work_left, direction=LEFT)
        self.play(FadeIn(self.ask), run_time=self.until("targets"))
        self.play(lit(self.ask[1]))
        self.at("minutes")
        self.play(lit(self.ask[0]))

    @beat
    def bias_answers(self):
        """∂h_L/∂b_i = ∂h_L/∂z_i · ∂z_i/∂b_i = ∂h_L/∂z_i · 1."""
        r, L = self.r, self.r.layers
        self.play(FadeOut(self.ask), FadeIn(self.z_shown), run_time=self.until("dzdb"))  # back for the answer
        lines = {}
        for row, i in enumerate(reversed(range(L))):
            n = i + 1
            src = self.results[row]
            line = self._place(MathTex(
                d(self.out, f"b_{{{n}}}"), "=", d(self.out, f"z_{{{n}}}"), d(f"z_{{{n}}}", f"b_{{{n}}}"), "=",
                f"({tex.num(r.grad_z[i])})", "(1)", "=", tex.num(r.grad_b[i]),
                font_size=SIZE,
            ), row)
            line[5].set_color(theme.GRADIENT)
            line[-1].set_color(theme.GRADIENT)
            self.play(Write(line[:5]), run_time=theme.SHORT)
            self.play(lit(self.chips[n], self.diagram.bias_labels[i]), run_time=theme.SHORT)
            self.play(TransformFromCopy(src[-1], line[5]), FadeIn(line[6:], shift=RIGHT * 0.2))
            lines[n] = line
        one_by_one(self, "gb", [VGroup(lines[n][-1], self.chips[n]) for n in range(1, L + 1)])  # first bias first
        self.wait(theme.NORMAL)
