"""A multilayer perceptron as columns of neurons joined by every weight, 3Blue1Brown style: edge colour is
the weight's sign (theme.sign_color), edge width its size. Weights come from mathcore.playground run snapshots.
As in TensorFlow Playground, each hidden neuron is a square that can show its own output over the input plane
(``faces_for``, from mathcore.playground.neuron_grids): the sign's colour, stronger where the output is larger."""
from __future__ import annotations

import numpy as np
from manim import LEFT, Circle, Line, MathTex, Square, VGroup, interpolate_color

from scenes import theme
from scenes.components.decision_grid import SHADE
from scenes.components.heatmap import heatmap
from scenes.theme import networks as ntheme


def largest_weight(snapshots) -> float:
    """The largest |weight| over ``snapshots`` (a run's recorded ``snapshots``): one width scale for all."""
    return max((float(np.max(np.abs(layer["weight"]))) for snap in snapshots for layer in snap["weights"]
                if np.size(layer["weight"])), default=1.0)


FACE_SIDE = 0.7  # the largest side of a hidden neuron's square
FACE_BANDS = 4  # colour steps of a neuron's output on each side of 0


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
        self.side = min(FACE_SIDE, 0.8 * pitch)  # a hidden neuron's square
        self.nodes = VGroup()
        for layer, n in enumerate(layers):
            hidden = 0 < layer < n_cols - 1
            column = VGroup(*[
                (Square(self.side, color=theme.TEXT, stroke_width=2) if hidden
                 else Circle(self.radius, color=theme.TEXT, stroke_width=2)).set_fill(theme.NODE_FILL, opacity=1)
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
                        stroke_opacity=0.6 + 0.4 * share,
                    ))
        return edges

    def faces_for(self, grids) -> VGroup:
        """Each hidden neuron's output over the input plane in its square (``grids``: per hidden layer an array
        (neurons, rows, columns), row 0 at the bottom), one colour scale per layer: its largest |output|."""
        faces = VGroup()
        for layer, grid in enumerate(grids, start=1):
            g = np.asarray(grid, dtype=float)
            top = float(np.max(np.abs(g))) or 1.0
            levels = np.clip(np.rint(g / top * FACE_BANDS), -FACE_BANDS, FACE_BANDS).astype(int) + FACE_BANDS
            colours = [interpolate_color(theme.BACKGROUND, theme.sign_color(k - FACE_BANDS),
                                         SHADE * abs(k - FACE_BANDS) / FACE_BANDS) for k in range(2 * FACE_BANDS + 1)]
            for k, node in enumerate(self.nodes[layer]):
                frame = Square(self.side, color=theme.TEXT, stroke_width=2).move_to(node)
                faces.add(VGroup(heatmap(levels[k], colours, self.side, self.side).move_to(node), frame))
        return faces
