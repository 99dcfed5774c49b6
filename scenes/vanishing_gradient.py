"""Vanishing gradient: the sigmoid chain's derivatives with numbers, σ' ≤ 1/4, and per-layer gradient norms."""
from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Circle,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    Indicate,
    LaggedStart,
    Line,
    MathTex,
    VGroup,
    VMobject,
    Write,
    config,
)

from mathcore import vanishing
from mathcore.display import fmt
from scenes import captions, theme
from scenes.base import LectureScene, beat
from scenes.components import roles, tex
from scenes.components.bar_chart import LogBarChart
from scenes.components.fields import tagged
from scenes.components.spoken import lit
from scenes.theme import optimisers as otheme

NODE_GAP = 2.1
HEADROOM = 1.45  # the σ' plot's height over its maximum
ROW_GAP = 0.95  # between the derivative lines
MAX_LINE_WIDTH = 13.2
NAME_SHIFT = 0.5  # the σ' dots' names, this far right of the rightmost dot
CHART_HEIGHT, CHART_BOTTOM = 3.0, -2.75  # the bars; room under their names for what they are
ACTIVATION_NAMES = {"sigmoid": "sigmoid", "relu": "ReLU"}
#: The legend's names; the residual net's says its activation (mathcore's), which the short-cuts do not change.
NET_NAMES = {"sigmoid": "sigmoid", "relu": "ReLU",
             "residual": f"{ACTIVATION_NAMES[vanishing.ACTIVATIONS['residual']]} + short-cuts"}


def times(ratio: float) -> str:
    """A ratio as said and subtitled: three figures (241, 6.84), or two and a name (1.3 million, not 1.3e6)."""
    for size, name in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if abs(ratio) >= 0.9995 * size:  # 999.6 is "1 thousand", not 1e3
            return f"{fmt(ratio / size, 2 if abs(ratio / size) < 99.5 else 3)} {name}"  # 644 million, not 6.4e2
    return fmt(ratio, 3)


def drop_tex(ratio: float) -> str:
    """A drop as the legend writes it in TeX: the words of ``times`` and a times sign (241×, 1.3 million×)."""
    number, *name = times(ratio).split(" ")
    return number + "".join(rf"\text{{ {n}}}" for n in name) + r"{\times}"  # braced: no binary-operator space


def sp(i: int) -> str:
    return rf"\sigma'(z_{{{i}}})"


class VanishingGradient(LectureScene):
    TITLE = "Vanishing gradient problem"
    NARRATION = frozenset({"sigma_factors", "w_factors", "w_x_product", "layers", "bound", "residual_activation",
                           "residual_vs_sigmoid", "residual_vs_relu",
                           *(f"{n}_{k}" for n in vanishing.NETWORKS for k in ("drop", "out", "in"))})
    LIMITS = {
        "vanishing.w": (3, "layers"),  # the chain diagram and its rule across the screen (4 runs off it)
        "vanishing.depth": (16, "hidden layers"),  # the bar chart's W_1..W_17 labels side by side (W_20 touch)
    }

    def construct(self):
        self.show_chain()
        self.next_slide()
        self.derivatives()
        self.next_slide()
        self.sigma_prime()
        self.weight_factors()
        self.next_slide()
        self.deep_sigmoid()
        self.next_slide()
        self.deep_relu()
        self.next_slide()
        self.deep_residual()

    def setup(self):
        super().setup()
        self.chain = vanishing.chain_from_config(self.cfg)
        s = self.cfg.vanishing
        self.curve = vanishing.sigmoid_prime_curve(*s.sigma_range, s.sigma_points)
        self.norms = vanishing.layer_norms(self.cfg)

    @beat
    def show_chain(self):
        """The chain x -> v1 -> v2 -> v3, v_i = σ(w_i v_(i-1)), with the config's x and w and the values v_i."""
        c = self.chain
        n = len(c.w)
        self.title = self.heading(self.TITLE)
        names = ["x"] + [f"v_{{{i + 1}}}" for i in range(n)]
        nodes = VGroup(*[
            VGroup(Circle(theme.NODE_RADIUS, color=theme.TEXT, stroke_width=2).set_fill(theme.NODE_FILL, opacity=1),
                   MathTex(name, font_size=theme.MATH_MIN_SIZE, color=theme.TEXT)).move_to(RIGHT * k * NODE_GAP)
            for k, name in enumerate(names)
        ])
        edges = VGroup(*[Line(nodes[i].get_right(), nodes[i + 1].get_left(), color=theme.MUTED, stroke_width=3)
                         for i in range(n)])
        weights = VGroup(*[
            MathTex(rf"w_{{{i + 1}}} = {tex.num(w)}", font_size=theme.MATH_MIN_SIZE,
                    color=theme.sign_color(w)).next_to(edges[i], UP, buff=0.12)
            for i, w in enumerate(c.w)
        ])
        values = VGroup(
            MathTex(tex.num(c.x), font_size=theme.MATH_MIN_SIZE, color=theme.VALUE),
            *[MathTex(tex.num(v), font_size=theme.MATH_MIN_SIZE, color=theme.VALUE) for v in c.v],
        )
        for node, value in zip(nodes, values):
            value.next_to(node, DOWN, buff=0.14)
        for k, value in enumerate(values):  # which mathcore field each number is (tests check each in place)
            tagged(value, "x" if k == 0 else f"v[{k - 1}]")
        for i, weight in enumerate(weights):
            tagged(weight, f"w[{i}]")
        self.diagram = VGroup(edges, nodes, weights, values)
        self.diagram.next_to(self.title, DOWN, buff=0.45).to_edge(LEFT, buff=theme.EDGE_BUFF + 0.3)
        rule = MathTex(r"v_i = \sigma(z_i),\quad z_i = w_i\, v_{i-1},\quad v_0 = x", font_size=theme.MATH_MIN_SIZE,
                       color=theme.TEXT).next_to(self.diagram, RIGHT, buff=0.6)
        self.rule = rule
        # alone on its slide the chain waits in the middle; the derivatives' slide moves it up under the title
        self.chain_home = VGroup(self.diagram, rule).get_center()
        VGroup(self.diagram, rule).move_to([self.chain_home[0], 0, 0])
        self.play(FadeIn(self.title), FadeIn(nodes), Create(edges), FadeIn(weights))
        self.play(Write(rule), LaggedStart(*[FadeIn(v) for v in values], lag_ratio=0.2))
        self.at("values")  # what the voice names, as it does
        self.play(lit(values))
        self.at("first")
        self.play(lit(weights[0]))

    def derivative_line(self, k: int) -> MathTex:
        """∂v_n/∂w_k as on the slides, then with mathcore's numbers, then its value; the last line (k = 1) keeps
        its σ' factors and its weights apart (``sym``, ``num``: each lights up as the voice names it)."""
        c = self.chain
        n = len(c.w)
        inputs = ["x"] + [f"v_{{{i + 1}}}" for i in range(n - 1)]
        input_values = [c.x, *c.v[:-1]]
        if k > 1 or n == 1:  # interleaved, as the slides write the upper lines
            sym, num = [], []
            for j in range(n, k - 1, -1):
                sym.append(sp(j))
                num.append(tex.factor(c.sigma_prime[j - 1]))
                if j > k:
                    sym.append(f"w_{{{j}}}")
                    num.append(tex.factor(c.w[j - 1]))
            sym.append(inputs[k - 1])
            num.append(tex.factor(input_values[k - 1]))
            syms, nums = [r"\,".join(sym)], [r"\cdot ".join(num)]
        else:  # grouped, as the slide's last line: σ'(z_n)..σ'(z_1) w_n..w_2 x
            ws = [f"w_{{{j}}}" for j in range(n, 1, -1)] + [inputs[0]]
            w_nums = [tex.factor(c.w[j - 1]) for j in range(n, 1, -1)] + [tex.factor(input_values[0])]
            syms = [r"\,".join(sp(j) for j in range(n, 0, -1)), r"\,".join(ws)]
            nums = [r"\cdot ".join(tex.factor(c.sigma_prime[j - 1]) for j in range(n, 0, -1)),
                    r"\cdot " + r"\cdot ".join(w_nums)]
        line = MathTex(
            tex.partial(f"v_{{{n}}}", f"w_{{{k}}}"), "=", *syms, "=", *nums, "=",
            tex.num(c.formula[k - 1]), font_size=theme.MATH_MIN_SIZE, color=theme.TEXT,
        )
        m = len(syms)
        line.head, line.sym = VGroup(*line[:2 + m]), VGroup(*line[2:2 + m])
        line.num, line.value = VGroup(*line[3 + m:3 + 2 * m]), line[-1]
        line.num.set_color(theme.VALUE)
        line.value.set_color(theme.GRADIENT)
        tagged(line.value, f"formula[{k - 1}]")
        if line.width > MAX_LINE_WIDTH:
            line.scale_to_fit_width(MAX_LINE_WIDTH)
        return line

    @beat
    def derivatives(self):
        """∂v3/∂w3, ∂v3/∂w2, ∂v3/∂w1: each further weight adds another σ' factor; numbers substituted."""
        n = len(self.chain.w)
        self.play(VGroup(self.diagram, self.rule).animate.move_to(self.chain_home), run_time=theme.SHORT)
        self.lines = VGroup(*[self.derivative_line(k) for k in range(n, 0, -1)])
        self.lines.arrange(DOWN, aligned_edge=LEFT, buff=ROW_GAP - 0.6)
        self.lines.next_to(self.diagram, DOWN, buff=0.55).to_edge(LEFT, buff=theme.EDGE_BUFF + 0.2)
        for line, mark in zip(self.lines, [None, "further", "weight"][-len(self.lines):]):
            if mark:  # each line further back as the voice says so
                self.at(mark)
            m = len(line.sym)
            self.play(Write(line.head), run_time=theme.NORMAL)
            self.play(FadeIn(VGroup(*line[2 + m:3 + 2 * m]), shift=RIGHT * 0.2), run_time=theme.SHORT)
            self.play(FadeIn(VGroup(*line[3 + 2 * m:]), shift=RIGHT * 0.2), run_time=theme.SHORT)
        last = self.lines[-1]
        self.at("product")  # the first weight's product, its σ' factors, then its weights, as they are named
        self.play(lit(last[0]))
        for mark, k in (("sigmas", 0), ("ws", -1)):
            self.at(mark)
            self.play(lit(last.sym[k], last.num[k]))

    @beat
    def sigma_prime(self):
        """σ'(z) with its maximum 1/4 marked: every layer multiplies in another factor of at most 1/4."""
        cv, c = self.curve, self.chain
        self.play(FadeOut(VGroup(self.diagram, self.rule)),
                  self.lines.animate.next_to(self.title, DOWN, buff=0.4).to_edge(LEFT, buff=theme.EDGE_BUFF + 0.2))
        top = self.lines.get_bottom()[1] - 0.5
        bottom = -config.frame_height / 2 + theme.EDGE_BUFF + 0.4
        axes = Axes(x_range=[cv.z[0], cv.z[-1], 1], y_range=[0, cv.max * HEADROOM, cv.max],
                    x_length=6.0, y_length=top - bottom, tips=False,
                    axis_config={"color": theme.MUTED, "include_ticks": False})
        axes.move_to([-3.2, (top + bottom) / 2, 0])
        roles.schematic(axes)  # the value read is σ's maximum, labelled on its cap line
        curve = VMobject(stroke_color=theme.LOCAL, stroke_width=4)
        curve.set_points_smoothly([axes.c2p(z, d) for z, d in zip(cv.z, cv.sigma_prime)])
        peak = axes.c2p(cv.argmax, cv.max)
        cap = DashedLine(axes.c2p(cv.z[0], cv.max), axes.c2p(cv.z[-1], cv.max), color=theme.HIGHLIGHT,
                         stroke_width=2)
        # two lines right of the vertical axis (z = 0), which would cross the label centred over the peak
        peak_label = VGroup(*[MathTex(t, font_size=theme.MATH_MIN_SIZE, color=theme.HIGHLIGHT) for t in (
            rf"\max \sigma' = {tex.num(cv.max)}", rf"= 1/4 \text{{ at }} z = {tex.num(cv.argmax)}")])
        peak_label.arrange(DOWN, aligned_edge=LEFT, buff=0.12).next_to(cap, UP, buff=0.12)
        peak_label.align_to(axes.c2p(0, 0), LEFT).shift(RIGHT * 0.25)
        names = VGroup(MathTex("z", font_size=theme.MATH_MIN_SIZE, color=theme.MUTED)
                       .next_to(axes.x_axis, RIGHT, buff=0.1),
                       MathTex(r"\sigma'(z)", font_size=theme.MATH_MIN_SIZE, color=theme.LOCAL)
                       .next_to(axes.y_axis, UP, buff=0.1))
        marks = VGroup(*[Dot(axes.c2p(z, d), radius=0.06, color=theme.GRADIENT)
                         for z, d in zip(c.z, c.sigma_prime)])

        self.play(Create(axes), FadeIn(names))
        self.play(Create(curve), run_time=theme.LONG)
        peak_dot = Dot(peak, radius=0.06, color=theme.HIGHLIGHT)
        marks.add(self.mark_names(marks, cap))
        self.play(Create(cap), FadeIn(peak_label), FadeIn(peak_dot), FadeIn(marks))
        n = len(c.w)
        ws = r"\,".join(f"w_{{{j}}}" for j in range(n, 1, -1))
        bound = VGroup(
            self.text("every layer further from the output\nmultiplies in another factor \u2264 1/4",
                      size=theme.SMALL_SIZE, color=theme.TEXT, line_spacing=0.9),
            MathTex(r"\bullet\ " + r",\ ".join(sp(i + 1) for i in range(n)) + r"\text{ of the chain}",
                    font_size=theme.MATH_MIN_SIZE, color=theme.GRADIENT),
            MathTex(rf"\bullet\ \text{{and the weights: }} {ws}\,x = {tex.num(c.w_x_product)}",
                    font_size=theme.MATH_MIN_SIZE, color=theme.TEXT),
            MathTex(rf"\left|{tex.partial(f'v_{{{n}}}', 'w_{1}')}\right| \le (1/4)^{{{n}}}"
                    rf"\,|{ws}\,x| = {tex.num(c.bound)}", font_size=theme.MATH_MIN_SIZE, color=theme.GRADIENT),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        bound.next_to(axes, RIGHT, buff=0.8).align_to(axes, UP)
        self.play(FadeIn(VGroup(*bound[:2]), shift=UP * 0.1))
        self.bound = bound
        self.sigma_group = VGroup(axes, names, curve, cap, peak_label, peak_dot, marks, bound, self.lines)

    def mark_names(self, marks: VGroup, cap: DashedLine) -> VGroup:
        """σ'(z_i) for each dot, in a column right of the dots under the cap line (beside them, names would cross
        the curve and the peak's label), each tied to its dot by a thin line; dots that touch share one name."""
        groups: list[list[int]] = []
        for i in sorted(range(len(marks)), key=lambda i: -marks[i].get_y()):
            if groups and marks[groups[-1][-1]].get_y() - marks[i].get_y() < 3 * marks[i].radius:
                groups[-1].append(i)
            else:
                groups.append([i])
        left = max(m.get_x() for m in marks) + NAME_SHIFT
        names, ties = VGroup(), VGroup()
        for group in groups:  # two names a line at most: the column stays narrow
            ids = sorted(group)
            name = VGroup(*[MathTex(r",\ ".join(sp(i + 1) for i in ids[k:k + 2]) + ("," if k + 2 < len(ids) else ""),
                                    font_size=theme.MATH_MIN_SIZE, color=theme.GRADIENT)
                            for k in range(0, len(ids), 2)]).arrange(DOWN, aligned_edge=LEFT, buff=0.08)
            top = names.get_bottom()[1] - 0.08 if len(names) else cap.get_y() - 0.12
            name.move_to([left, top, 0], aligned_edge=UP + LEFT)
            names.add(name)
            ties.add(Line(marks[group[-1]].get_center(), name.get_left() + LEFT * 0.05, color=theme.GRADIENT,
                          stroke_width=1.5, stroke_opacity=0.7))
        return VGroup(ties, names)

    @beat
    def weight_factors(self):
        """The product's other factors, w_n .. w_2 x (their product), then the bound they and the σ' give."""
        last = self.lines[-1]
        self.play(Indicate(last.sym[-1], color=theme.HIGHLIGHT), run_time=self.until("multiply", theme.LONG))
        self.play(FadeIn(self.bound[2], shift=UP * 0.1), lit(last.num[-1]), run_time=theme.NORMAL)
        self.at("give")
        self.play(lit(self.bound[2]))
        self.at("most")  # the bound as the voice states it, its value as said
        self.play(FadeIn(self.bound[3], shift=UP * 0.1), run_time=theme.NORMAL)
        self.at("bound")
        self.play(lit(self.bound[3]))

    def narration_values(self) -> dict:
        """The factors of ∂v_n/∂w_1 (mathcore's chain) and each deep network's drop from output to input layer."""
        c, n = self.chain, len(self.chain.w)
        drops = {f"{name}_drop": times(vanishing.drop(self.norms.init_norms[name])) for name in vanishing.NETWORKS}
        ends = {f"{name}_{end}": self.norms.init_norms[name][k] for name in vanishing.NETWORKS
                for end, k in (("out", -1), ("in", 0))}
        against = {f"residual_vs_{other}": vanishing.drop_against(self.norms, "residual", other)
                   for other in ("sigmoid", "relu")}
        return {"sigma_factors": [f"σ' of z{j}" for j in range(n, 0, -1)],
                "w_factors": [f"w{j}" for j in range(n, 1, -1)] + ["x"], "w_x_product": c.w_x_product,
                "layers": n, "bound": c.bound, **drops, **ends, **against,
                "residual_activation": ACTIVATION_NAMES[vanishing.ACTIVATIONS["residual"]]}

    def hold_to_read(self, since: float, *texts) -> None:
        """Hold the picture until the slide's new text can be read (at the captions' reading rate) from ``since``."""
        self.hold_until(since + captions.reading_time(" ".join(texts)))

    @beat
    def deep_sigmoid(self):
        """A deep sigmoid network: per-layer gradient norms shrink toward the input (log scale)."""
        nr = self.norms
        data = {name: nr.init_norms[name] for name in vanishing.NETWORKS}
        self.chart = LogBarChart([tex.name(layer) for layer in nr.layers], data, otheme.NETWORK_COLORS,
                                 width=11.2, height=CHART_HEIGHT, origin=(-5.3, CHART_BOTTOM, 0))
        subtitle = self.text(f"a deep network, {nr.depth} hidden layers of {nr.width}: "
                             "gradient norm per layer, input first",
                             size=theme.SMALL_SIZE, color=theme.MUTED)
        subtitle.next_to(self.title, DOWN, buff=0.2).align_to(self.title, LEFT)
        self.subtitle = subtitle
        # the axes say what the bars are on their own: the subtitle gives way to the strategies later
        scale_note = VGroup(self.chart.caption("gradient norm (log scale)"), self.chart.x_caption("layer, input first"))
        start = self.renderer.time
        self.play(FadeOut(self.sigma_group), FadeIn(subtitle), FadeIn(self.chart), FadeIn(scale_note))
        self.legend = VGroup()
        self.add_series("sigmoid")
        self.ends_lit("sigmoid", "out", "in", "drop")
        self.hold_to_read(start, subtitle.original_text, self.legend_text("sigmoid"))

    def ends_lit(self, name: str, *marks: str | None) -> None:
        """The output layer's bar, the input layer's bar and the legend row, each as the voice names it."""
        bars = self.chart.series(name)
        for mark, named in zip(marks, (bars[-1], bars[0], self.legend[-1])):
            if mark:
                self.at(mark)
                self.play(lit(named))

    def add_series(self, name: str) -> None:
        """Grow one network's bars and add its legend row (output layer's norm -> input layer's)."""
        values = self.norms.init_norms[name]
        color = otheme.NETWORK_COLORS[name]
        row = VGroup(
            Line(LEFT * 0.2, RIGHT * 0.2, color=color, stroke_width=10),
            self.text(NET_NAMES[name], size=theme.SMALL_SIZE + 2, color=color),
            MathTex(rf"\text{{output }} {tex.num(values[-1])} \ \rightarrow\ \text{{input }} {tex.num(values[0])}"
                    rf"\quad ({drop_tex(vanishing.drop(values))} \text{{ smaller}})",
                    font_size=theme.MATH_MIN_SIZE, color=theme.TEXT),
        ).arrange(RIGHT, buff=0.25)
        if len(self.legend):
            row.next_to(self.legend, DOWN, buff=0.1).align_to(self.legend, LEFT)
        else:
            row.move_to([0, 2.05, 0]).to_edge(LEFT, buff=theme.EDGE_BUFF + 0.6)
        self.legend.add(row)
        bars = self.chart.series(name)
        self.play(LaggedStart(*[GrowFromEdge(b, DOWN) for b in bars], lag_ratio=0.08), FadeIn(row),
                  run_time=theme.LONG * 2)  # input layer first, slow enough to follow layer by layer

    def legend_text(self, name: str) -> str:
        """What a legend row says, as read: its name, its two norms and its drop."""
        values = self.norms.init_norms[name]
        drop = times(vanishing.drop(values))
        return f"{NET_NAMES[name]} output {fmt(values[-1])} input {fmt(values[0])} ({drop}x smaller)"

    @beat
    def deep_relu(self):
        """The same weights with ReLU: the norms drop far less toward the input."""
        start = self.renderer.time
        self.add_series("relu")
        self.ends_lit("relu", None, None, "drop")
        self.hold_to_read(start, self.legend_text("relu"))

    @beat
    def deep_residual(self):
        """Strategies to overcoming vanishing gradient problem: short-cuts (residual net)."""
        strategy = VGroup(
            self.text("Strategies to overcoming vanishing gradient problem:", size=theme.SMALL_SIZE,
                      color=theme.HIGHLIGHT),
            self.text("short-cuts (residual net)", size=theme.SMALL_SIZE, color=theme.VALUE),
        ).arrange(RIGHT, buff=0.15)
        start = self.renderer.time
        self.add_series("residual")
        strategy.move_to(self.subtitle, aligned_edge=LEFT)  # in place of the subtitle, over the legend
        self.play(FadeOut(self.subtitle), FadeIn(strategy, shift=UP * 0.1))
        self.ends_lit("residual", None, "drops", "times")
        for mark, row in (("without", 0), ("relu", 1)):  # each drop it is compared with, on its own legend row
            self.at(mark)
            self.play(lit(self.legend[row]))
        self.at("later")
        self.play(lit(strategy))
        self.hold_to_read(start, self.legend_text("residual"), *(t.original_text for t in strategy))
