"""A mathcore ComputeGraph drawn as a compute tree: leaves as boxes, ops as circles.

Positions are graphviz's, scaled into a region of the frame; values, gradients
and local derivatives are written where the scene asks, in the theme's colours.
"""
from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Circle, MathTex, RoundedRectangle, VGroup
from manim.mobject.geometry.arc import TipableVMobject

from mathcore.graph import ComputeGraph
from scenes import theme
from scenes.components import tex

SYMBOLS = {
    "mul": r"\times", "add": "+", "sub": "-", "div": r"\div", "pow": r"\wedge", "neg": "-",
    "sigmoid": r"\sigma", "relu": r"\mathrm{ReLU}", "tanh": r"\tanh", "exp": r"\exp", "log": r"\log",
    "sin": r"\sin", "cos": r"\cos",
}
LABEL_SIZE = theme.MATH_MIN_SIZE
LABEL_STAGGER = 0.17  # an op's value label sits this far up, its gradient this far down
NODE_RADIUS = 0.42
LEAF_WIDTH, LEAF_HEIGHT = 1.1, 0.66
NODE_ROOM = 1.3  # frame units kept around the outermost node centres
SPOTS = (0.5, 0.42, 0.58, 0.34, 0.66)  # where along an edge a local label may sit, in order of preference
PAD = 0.08  # clearance (frame units) a label keeps from other labels and nodes


class GraphDiagram(VGroup):
    """``shapes[id]`` is a node's shape and symbol, ``arrows[k]`` the k-th edge of ``graph.edges``."""

    def __init__(self, graph: ComputeGraph, width: float, height: float, stretch: float = 1.0):
        super().__init__()
        self.graph = graph
        # Scale so the node centres span the region's height, less room for the nodes themselves; the
        # width keeps graphviz's proportions if the region allows, narrower if not, and a deep, narrow tree
        # may be widened up to ``stretch`` times (room beside its nodes for their labels).
        xs, ys = [n.pos[0] for n in graph.nodes], [n.pos[1] for n in graph.nodes]
        span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
        fit_x = (width - NODE_ROOM) / span_x if span_x else 1.0
        fit_y = (height - NODE_ROOM) / span_y if span_y else 1.0
        scale = fit_y  # the tree fills the height; its width follows, within the region
        scale_x = min(fit_x, scale * stretch)
        gw, gh = max(xs) + min(xs), max(ys) + min(ys)  # centre of the node positions, doubled
        self.shapes: dict[str, VGroup] = {}
        for n in graph.nodes:
            at = np.array([(n.pos[0] - gw / 2) * scale_x, (n.pos[1] - gh / 2) * scale, 0.0])  # as to_frame
            if n.kind == "leaf":
                outline = RoundedRectangle(corner_radius=0.12, width=LEAF_WIDTH, height=LEAF_HEIGHT, color=theme.TEXT,
                                           stroke_width=2)
                symbol = MathTex(tex.name(n.id), font_size=LABEL_SIZE + 2, color=theme.TEXT)
            else:
                outline = Circle(NODE_RADIUS, color=theme.GRADIENT if n.kind == "output" else theme.TEXT,
                                 stroke_width=3 if n.kind == "output" else 2)
                symbol = MathTex(SYMBOLS.get(n.op, rf"\mathrm{{{n.op}}}"), font_size=LABEL_SIZE, color=theme.TEXT)
            outline.set_fill(theme.NODE_FILL, opacity=1)
            shape = VGroup(outline, symbol).move_to(at)
            if symbol.width > outline.width * 0.8:
                symbol.scale_to_fit_width(outline.width * 0.8)
            self.shapes[n.id] = shape
        def to_frame(x: float, y: float) -> np.ndarray:
            return np.array([(x - gw / 2) * scale_x, (y - gh / 2) * scale, 0.0])

        self.arrows = VGroup(*[RouteArrow([to_frame(*p) for p in e.path]) for e in graph.edges])
        self.names = {
            # upper right: the edge out of a node leaves from its top, its gradient sits to its right
            n.id: MathTex(tex.name(n.name), font_size=LABEL_SIZE, color=theme.TEXT)
            .next_to(self.shapes[n.id], UP + RIGHT, buff=0.0).shift(LEFT * 0.12 + DOWN * 0.05)
            for n in graph.nodes if n.kind != "leaf" and n.name
        }
        self.add(self.arrows, *self.shapes.values(), *self.names.values())

    def value_label(self, node_id: str, text: str) -> MathTex:
        """A forward value: under a leaf, left of an op."""
        label = MathTex(text, font_size=LABEL_SIZE, color=theme.VALUE)
        if self.graph.node(node_id).kind == "leaf":
            return label.next_to(self.shapes[node_id], DOWN, buff=0.1)
        # a little above the centre line, the gradient a little below: a neighbour's two never meet
        return label.next_to(self.shapes[node_id], LEFT, buff=0.08).shift(UP * LABEL_STAGGER)

    def grad_label(self, node_id: str, text: str) -> MathTex:
        """d output / d node: under a leaf's value, right of an op."""
        label = MathTex(text, font_size=LABEL_SIZE, color=theme.GRADIENT)
        if self.graph.node(node_id).kind == "leaf":
            return label.next_to(self.shapes[node_id], DOWN, buff=0.45)
        return label.next_to(self.shapes[node_id], RIGHT, buff=0.08).shift(DOWN * LABEL_STAGGER)

    def local_label(self, k: int, text: str, avoid=()) -> VGroup:
        """Edge k's local derivative on the edge itself (mid-edge, or a little along it if that spot
        covers one of ``avoid``), on a patch of background so the edge runs into it and out."""
        arrow = self.arrows[k]
        label = MathTex(text, font_size=LABEL_SIZE, color=theme.LOCAL)
        patch = RoundedRectangle(corner_radius=0.08, width=label.width + 0.16, height=label.height + 0.12,
                                 stroke_color=theme.LOCAL, stroke_width=1.5).set_fill(theme.BACKGROUND, opacity=1)
        group = VGroup(patch, label)
        blockers = [*avoid, *self.shapes.values()]
        for t in SPOTS:
            group.move_to(arrow.point_from_proportion(t))
            if not any(_overlaps(group, b) for b in blockers):
                return group
        return group.move_to(arrow.point_from_proportion(0.5))


class RouteArrow(TipableVMobject):
    """An arrow along graphviz's route: cubic Béziers, then a tip where graphviz ends the edge."""

    def __init__(self, points: list[np.ndarray]):
        super().__init__(color=theme.MUTED, stroke_width=2.5)
        *controls, tip = points
        self.start_new_path(controls[0])
        for k in range(1, len(controls) - 2, 3):
            self.add_cubic_bezier_curve_to(controls[k], controls[k + 1], controls[k + 2])
        self.add_line_to(tip)
        self.add_tip(tip_length=0.16, tip_width=0.14)


def _overlaps(a, b, pad: float = PAD) -> bool:
    (ax0, ay0, _), (ax1, ay1, _) = a.get_corner(DOWN + LEFT), a.get_corner(UP + RIGHT)
    (bx0, by0, _), (bx1, by1, _) = b.get_corner(DOWN + LEFT), b.get_corner(UP + RIGHT)
    return ax0 < bx1 + pad and bx0 < ax1 + pad and ay0 < by1 + pad and by0 < ay1 + pad


def legend(output_name: str) -> VGroup:
    """What the three colours mean."""
    rows = [
        (theme.VALUE, "forward value"),
        (theme.GRADIENT, rf"\partial {tex.name(output_name)} / \partial\,\text{{node}}"),
        (theme.LOCAL, r"\text{local derivative on an edge}"),
    ]
    items = VGroup()
    for color, text in rows:
        label = MathTex(text if "\\" in text else rf"\text{{{text}}}", font_size=LABEL_SIZE, color=color)
        items.add(label)
    return items.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
