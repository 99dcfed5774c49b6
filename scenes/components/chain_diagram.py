"""The scalar chain x -> h_1 -> ... -> h_L as a 3Blue1Brown-style diagram.

Edge colour is the sign of the weight, edge width its size; numbers come from a
mathcore ChainResult.
"""
from __future__ import annotations

from manim import DOWN, RIGHT, UP, Circle, Line, MathTex, VGroup

from mathcore.chain import ChainResult
from scenes import theme
from scenes.components import tex
from scenes.components.fields import tagged

LABEL_SIZE = theme.MATH_MIN_SIZE


def weight_width(w: float, largest: float) -> float:
    share = abs(w) / largest if largest > 0 else 0.0
    return theme.MIN_EDGE_WIDTH + (theme.MAX_EDGE_WIDTH - theme.MIN_EDGE_WIDTH) * share


class ChainDiagram(VGroup):
    """Nodes ``x, h_1..h_L`` in a row; ``edges[i]`` carries w_(i+1), ``weight_labels`` and ``bias_labels`` name them."""

    def __init__(self, result: ChainResult, width: float = 9.0, show_numbers: bool = True):
        super().__init__()
        L = result.layers
        gap = width / L
        names = ["x"] + [f"h_{{{i + 1}}}" for i in range(L)]
        self.nodes = VGroup(*[
            VGroup(
                Circle(theme.NODE_RADIUS, color=theme.TEXT, stroke_width=2)
                .set_fill(theme.NODE_FILL, opacity=1),
                MathTex(n, font_size=LABEL_SIZE, color=theme.TEXT),
            ).move_to(RIGHT * (k * gap - width / 2))
            for k, n in enumerate(names)
        ])
        largest = max(abs(w) for w in result.w)
        self.edges = VGroup(*[
            Line(
                self.nodes[i][0].get_right(), self.nodes[i + 1][0].get_left(),
                color=theme.sign_color(w), stroke_width=weight_width(w, largest),
            )
            for i, w in enumerate(result.w)
        ])
        def label(symbol: str, value: float) -> str:
            return f"{symbol} = {tex.num(value)}" if show_numbers else symbol

        self.weight_labels = VGroup(*[
            MathTex(label(f"w_{{{i + 1}}}", w), font_size=LABEL_SIZE, color=theme.sign_color(w))
            .next_to(self.edges[i], UP, buff=0.12)
            for i, w in enumerate(result.w)
        ])
        self.bias_labels = VGroup(*[
            MathTex(label(f"b_{{{i + 1}}}", b), font_size=LABEL_SIZE, color=theme.MUTED)
            .next_to(self.nodes[i + 1], UP, buff=0.12)
            for i, b in enumerate(result.b)
        ])
        if show_numbers:
            for i, (w_label, b_label) in enumerate(zip(self.weight_labels, self.bias_labels)):
                tagged(w_label, f"w[{i}]")
                tagged(b_label, f"b[{i}]")
        # Bias labels sit above their node; weight labels above the edge's middle.
        self.add(self.edges, self.nodes, self.weight_labels, self.bias_labels)

    def value_label(self, k: int, text: str, color=theme.VALUE) -> MathTex:
        """A value written under node k (0 is x)."""
        return MathTex(text, font_size=LABEL_SIZE, color=color).next_to(self.nodes[k], DOWN, buff=0.14)
