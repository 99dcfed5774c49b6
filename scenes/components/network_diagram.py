"""A multilayer perceptron as columns of neurons joined by every weight, 3Blue1Brown style: edge colour is
the weight's sign, edge width its size. Weights come from mathcore.playground run snapshots."""
from __future__ import annotations

import numpy as np
from manim import LEFT, Circle, Line, MathTex, VGroup

from scenes import theme
from scenes.theme import networks as ntheme


def largest_weight(snapshots) -> float:
    """The largest |weight| over ``snapshots`` (a run's recorded ``snapshots``): one width scale for all."""
    return max((float(np.max(np.abs(layer["weight"]))) for snap in snapshots for layer in snap["weights"]
                if np.size(layer["weight"])), default=1.0)


class NetworkDiagram(VGroup):
    """``nodes[l][k]`` neuron k of layer l (input first), ``edges`` the weights of one snapshot (edges_for)."""

    def __init__(self, layers, weights, largest: float, width: float, height: float,
                 input_names=("x_1", "x_2")):
        super().__init__()
        self.largest = largest or 1.0
        n_cols = len(layers)
        gap = width / max(n_cols - 1, 1)
        pitch = min(height / max(max(layers), 1), 3 * ntheme.NET_NODE_RADIUS * 2)
        self.radius = min(ntheme.NET_NODE_RADIUS, 0.35 * pitch)
        self.nodes = VGroup()
        for layer, n in enumerate(layers):
            column = VGroup(*[
                Circle(self.radius, color=theme.TEXT, stroke_width=2).set_fill(theme.NODE_FILL, opacity=1)
                .move_to([layer * gap - width / 2, ((n - 1) / 2 - k) * pitch, 0])
                for k in range(n)
            ])
            self.nodes.add(column)
        self.inputs = VGroup(*[
            MathTex(name, font_size=theme.MATH_MIN_SIZE, color=theme.MUTED).next_to(node, LEFT, buff=0.15)
            for name, node in zip(input_names, self.nodes[0])
        ])
        self.edges = self.edges_for(weights)
        self.add(self.edges, self.nodes, self.inputs)

    def edges_for(self, weights) -> VGroup:
        """One line per weight of ``weights`` (a snapshot's list of {"weight", "bias"}), from layer l to l + 1."""
        edges = VGroup()
        for k, layer in enumerate(weights):
            w = np.asarray(layer["weight"], dtype=float)  # (out, in)
            for j, row in enumerate(w):
                for i, value in enumerate(row):
                    share = min(abs(value) / self.largest, 1.0)
                    edges.add(Line(
                        self.nodes[k][i].get_center(), self.nodes[k + 1][j].get_center(),
                        color=theme.sign_color(value),
                        stroke_width=ntheme.NET_MIN_EDGE + (ntheme.NET_MAX_EDGE - ntheme.NET_MIN_EDGE) * share,
                        stroke_opacity=0.35 + 0.65 * share,
                    ))
        return edges
