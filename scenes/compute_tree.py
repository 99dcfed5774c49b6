"""Compute tree of x2 = a*x0*(b*x0 + c): built node by node, forward values up, gradients down."""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    LaggedStart,
    MathTex,
    SurroundingRectangle,
    Text,
    TransformFromCopy,
    VGroup,
)

from mathcore import graph as graph_mod
from scenes import narration, theme
from scenes.base import LectureScene, beat
from scenes.components import tex
from scenes.components.compute_graph import NODE_ROOM, GraphDiagram, legend
from scenes.components.fields import tagged
from scenes.components.spoken import lit, one_by_one

TREE_X = 1.85  # centre of the node centres
TREE_BOTTOM, TREE_TOP = -2.5, 2.4  # the leaves' centres, the output's centre
TREE_WIDTH = 9.9  # at most; the height decides, but a deep tree is widened (labels need room beside nodes)
TREE_STRETCH = 1.6
VALUE_ROOM = 0.6  # room left of a node for its value label
RIGHT_EDGE = 6.75  # the node centres' right limit
SUM_LINE = 0.4  # a second line under a leaf, for the sum of its paths


class ComputeTree(LectureScene):
    TITLE = "Compute tree"
    NARRATION = frozenset({"leaves", "leaf_values", "leaf_grads", "output", "output_value", "nodes", "steps",
                           "operations"})

    def construct(self):
        self.show_code()
        self.build_tree()
        self.next_slide()
        self.forward_values()
        self.next_slide()
        self.backward_gradients()
        self.next_slide()
        self.summary()

    def setup(self):
        super().setup()
        self.g = graph_mod.from_config(self.cfg)
        self.out = self.g.output.name or self.g.output.id

    def narration_values(self) -> dict:
        """What the narration says: the leaves, the output and their values and gradients, from mathcore."""
        leaves = self.g.leaves
        # each leaf's value and gradient appear or light up as the voice lists it
        return {"leaves": [leaf.id for leaf in leaves],
                "leaf_values": narration.marked("leaf", [leaf.value for leaf in leaves]),
                "leaf_grads": narration.marked("grad", [leaf.grad for leaf in leaves]), "output": self.out,
                "output_value": self.g.output.value, "nodes": len(self.g.nodes), "steps": len(self.cfg.tree.steps),
                "operations": len(self.g.operations)}

    @beat
    def show_code(self):
        """The slides' torch snippet: leaves with their values, then the steps."""
        self.title = self.heading(self.TITLE)
        # runnable torch, as the slide's: leaves are float tensors that record gradients
        values = {leaf: repr(float(value)) for leaf, value in self.cfg.tree.values.items()}
        lines = ["from torch import tensor", *[f"{leaf} = tensor({value})" for leaf, value in values.items()],
                 f"for t in ({', '.join(values)}):", "    t.requires_grad_()",  # narrow: the tree needs the width
                 "", *self.cfg.tree.steps, "", f"print_compute_tree('tree', {self.out})"]
        top = self.title.get_bottom()[1] - 0.6
        # Lines at fixed heights, so blank lines keep their place.
        # A Text drops leading spaces: an indented line is shifted by its indent in the font's advance.
        advance = Text("0" * 10, font=theme.MONO, font_size=theme.SMALL_SIZE).width / 10

        def code_line(k: int, line: str, color=theme.TEXT) -> Text:
            indent = len(line) - len(line.lstrip())
            return (Text(line.lstrip(), font=theme.MONO, font_size=theme.SMALL_SIZE, color=color)
                    .move_to([0, top - k * 0.36, 0], aligned_edge=UP).to_edge(LEFT, buff=0.6)
                    .shift(RIGHT * indent * advance))

        self.code = VGroup(*[code_line(k, line) for k, line in enumerate(lines) if line])
        # the call that runs the backward pass: written when the backward pass starts (the panel has its room)
        self.backward_call = code_line(len(lines), f"{self.out}.backward()", theme.HIGHLIGHT)
        panel = SurroundingRectangle(VGroup(self.code, self.backward_call), buff=0.22, color=theme.PANEL,
                                     corner_radius=0.1)
        panel.set_fill(theme.PANEL, opacity=1)
        self.code_panel = VGroup(panel, self.code)
        # each leaf's value glyphs (a Text's parts are its non-space characters): they fly to the tree
        self.value_text = {leaf: self.code[1 + k][len(leaf) + len("=tensor("):][:len(values[leaf])]
                           for k, leaf in enumerate(values)}
        # bottom left, under the code: the tree fills the right
        self.legend = legend(self.out).to_corner(DOWN + LEFT, buff=theme.EDGE_BUFF + 0.1)
        self.legend.align_to(self.legend.get_right(), RIGHT)
        self.play(FadeIn(self.title), FadeIn(panel), LaggedStart(*[FadeIn(c) for c in self.code], lag_ratio=0.1))
        leaves = len(self.cfg.tree.values)
        self.at("values")
        self.play(lit(*self.code[1:1 + leaves]))
        self.at("steps")
        self.play(lit(*self.code[3 + leaves:3 + leaves + len(self.cfg.tree.steps)]))  # after the for loop

    @beat
    def build_tree(self):
        """Nodes appear in forward topological order, each with the edges into it."""
        # As large as the frame's height allows: the tree's empty upper left corner holds the code.
        self.diagram = self.place_tree(TREE_WIDTH, TREE_X)
        if self.covers_code():  # its upper left is not empty: the tree keeps right of the code instead
            left = self.code_panel.get_right()[0] + VALUE_ROOM + 0.05
            # narrower, so leaves' sums may need two lines: room for them under the leaves
            self.diagram = self.place_tree(RIGHT_EDGE - left, (left + RIGHT_EDGE) / 2, TREE_BOTTOM + SUM_LINE)
        for node_id in self.g.order:
            incoming = [k for k, e in enumerate(self.g.edges) if e.target == node_id]
            anims = [GrowFromCenter(self.diagram.shapes[node_id])] + [Create(self.diagram.arrows[k]) for k in incoming]
            if node_id in self.diagram.names:
                anims.append(FadeIn(self.diagram.names[node_id]))
            self.play(*anims, run_time=theme.SHORT)
        # what the voice names, lit as it names it: the op nodes, their edges, the leaves, the output
        shapes = self.diagram.shapes
        leaves = [leaf.id for leaf in self.g.leaves]
        for mark, named in (("node", [shapes[n] for n in self.g.order if n not in leaves]),
                            ("edge", self.diagram.arrows), ("bottom", [shapes[n] for n in leaves]),
                            ("top", [shapes[self.g.output.id]])):
            self.at(mark)
            self.play(lit(*named))

    def place_tree(self, width: float, centre_x: float, bottom: float = TREE_BOTTOM) -> GraphDiagram:
        """The diagram with its node centres ``width`` wide at most, centred on ``centre_x``, leaves at ``bottom``."""
        diagram = GraphDiagram(self.g, width=width, height=TREE_TOP - bottom + NODE_ROOM, stretch=TREE_STRETCH)
        centres = np.array([shape.get_center() for shape in diagram.shapes.values()])
        return diagram.shift([centre_x - (centres[:, 0].min() + centres[:, 0].max()) / 2,
                              bottom - centres[:, 1].min(), 0])

    def covers_code(self) -> bool:
        """Whether a node (with room for its value label on the left) or an edge reaches into the code panel."""
        x0, y0 = self.code_panel.get_corner(DOWN + LEFT)[:2]
        x1, y1 = self.code_panel.get_corner(UP + RIGHT)[:2]
        points = [p for arrow in self.diagram.arrows for p in arrow.get_all_points()[::4]]
        for shape in self.diagram.shapes.values():
            points += [
                shape.get_corner(UP + LEFT) + LEFT * VALUE_ROOM,
                shape.get_corner(DOWN + LEFT) + LEFT * VALUE_ROOM,
            ]
        return any(x0 <= p[0] <= x1 and y0 <= p[1] <= y1 for p in points)

    @beat
    def forward_values(self):
        """Forward pass: leaf values come from the code, each op's value flows up its edges."""
        self.values = {}
        labels = {}
        for node_id in self.g.order:
            label = self.diagram.value_label(node_id, tex.num(self.g.node(node_id).value))
            labels[node_id] = tagged(label, f"value[{node_id}]")
        # each leaf's value flies out of the code and lands as the voice says it
        for k, leaf in enumerate(self.g.leaves, start=1):
            self.play(TransformFromCopy(self.value_text[leaf.id], labels[leaf.id]),
                      run_time=self.until(f"leaf{k}", theme.SHORT))
            self.values[leaf.id] = labels[leaf.id]
        self.at("up")  # then up the tree, the output's value arriving as it is said
        ops = [n for n in self.g.order if n not in self.values]
        for k, node_id in enumerate(ops):  # the time until the output is said, shared by the nodes left
            left = len(ops) - k
            run_time = max(0.2, self.until("out", theme.NORMAL * left) / left)
            self.gather([self.values[e.source] for e in self.g.incoming(node_id)], labels[node_id], run_time=run_time)
            self.values[node_id] = labels[node_id]
        self.play(lit(self.values[self.g.output.id]))
        self.play(FadeIn(self.legend[0]))

    @beat
    def backward_gradients(self):
        """Backward pass: the code calls backward(); from 1 at the output, local derivatives carry it down."""
        out = self.g.output
        self.play(FadeIn(self.backward_call, shift=UP * 0.1), run_time=self.until("call", theme.SHORT))
        self.play(lit(self.backward_call))
        self.code_panel.add(self.backward_call)
        self.grads = {out.id: tagged(self.diagram.grad_label(out.id, tex.num(out.grad)), f"grad[{out.id}]")}
        self.play(FadeIn(self.legend[1:]), FadeIn(self.grads[out.id], scale=1.4), run_time=self.until("one"))
        self.play(lit(self.grads[out.id]))
        self.locals, self.sums = VGroup(), VGroup()
        # where every op's gradient will be written: an edge's label placed earlier keeps clear of it
        planned = [self.diagram.grad_label(n.id, tex.num(n.grad)) for n in self.g.operations]
        first = True  # the first node down: its local derivatives and its product come as the voice explains them
        for node_id in reversed(self.g.order):
            if node_id == out.id:
                continue
            edges = [(k, e) for k, e in enumerate(self.g.edges) if e.source == node_id]
            labels = []
            for k, e in edges:
                avoid = [*self.values.values(), *self.grads.values(), *self.locals, *labels, *self.sums,
                         *self.diagram.names.values(), *planned]
                label = self.diagram.local_label(k, tex.num(e.local_grad), avoid=avoid)
                tagged(label[1], f"local[{k}]")
                labels.append(label)
            self.play(*[FadeIn(lab) for lab in labels],
                      run_time=self.until("local", theme.SHORT) if first else theme.SHORT)
            if first:
                self.play(lit(*labels))
                self.at("times")
            self.locals.add(*labels)
            node = self.g.node(node_id)
            if len(edges) == 1:
                grad = tagged(self.diagram.grad_label(node_id, tex.num(node.grad)), f"grad[{node_id}]")
                self.gather([self.grads[edges[0][1].target], labels[0]], grad)
                if first:
                    self.play(lit(grad))
            else:  # several paths meet: their contributions add up, and the sum stays written there
                grad = tagged(self.diagram.grad_label(node_id, tex.num(node.grad)), f"grad[{node_id}]")
                terms = MathTex(" + ".join(tex.factor(e.contribution) for _, e in edges) + " =",
                                font_size=grad.font_size, color=theme.GRADIENT)
                place = grad.get_center() if node.kind == "leaf" else grad.get_left()
                pair = VGroup(terms, grad).arrange(RIGHT, buff=0.15)
                if node.kind == "leaf":
                    pair.move_to(place)
                    others = [*self.grads.values(), *self.sums]
                    if any(_apart(pair, o) < 0.1 for o in others):  # no room beside: the sum under the gradient
                        grad.move_to(place)
                        terms.next_to(grad, DOWN, buff=0.12)
                        terms.shift(RIGHT * (grad.get_x() - terms[0][-1].get_x()))  # "=" under the gradient
                else:
                    pair.move_to(place, aligned_edge=LEFT)
                self.at("add")  # the first sum waits for the voice to say that paths add up
                self.gather([*(self.grads[e.target] for _, e in edges), *labels], terms)
                self.play(FadeIn(grad, shift=RIGHT * 0.2), run_time=theme.SHORT)
                self.sums.add(terms)
            self.grads[node_id] = grad
            first = False

    @beat
    def summary(self):
        """The answers on the leaves: d output / d each input."""
        rows = VGroup(*[
            MathTex(tex.partial(tex.name(self.out), tex.name(leaf.id)), "=", tex.num(leaf.grad),
                    font_size=theme.EQUATION_SIZE)
            for leaf in self.g.leaves
        ]).arrange_in_grid(cols=2, buff=(0.5, 0.25), cell_alignment=LEFT)
        for leaf, row in zip(self.g.leaves, rows):
            tagged(row[-1], f"grad[{leaf.id}]").set_color(theme.GRADIENT)
        rows.move_to(self.code_panel).align_to(self.code_panel, UP).align_to(self.code_panel, LEFT)
        # the call the voice names stays, under the answers it gives, on the code panel's background
        call = self.backward_call
        self.code_panel.remove(call)
        spot = call.copy().next_to(rows, DOWN, buff=0.6).align_to(rows, LEFT).shift(RIGHT * 0.18)  # panel at rows' edge
        call_panel = SurroundingRectangle(spot, buff=0.18, color=theme.PANEL, corner_radius=0.1)
        call_panel.set_fill(theme.PANEL, opacity=1)
        call.set_z_index(1)  # in front of its new panel as that fades in
        self.play(FadeOut(self.code_panel), FadeIn(rows), FadeIn(call_panel),
                  call.animate.move_to(call_panel).set_color(theme.TEXT))
        boxes = [SurroundingRectangle(self.grads[leaf.id], color=theme.GRADIENT, buff=0.05) for leaf in self.g.leaves]
        self.play(*[Create(b) for b in boxes], run_time=self.until("grad1"))
        # each leaf's gradient, on the tree and in the answers, lit as the voice says it
        one_by_one(self, "grad", [VGroup(self.grads[leaf.id], row[-1]) for leaf, row in zip(self.g.leaves, rows)])
        self.at("torch")  # what torch's backward() gives: all the answers at once
        self.play(lit(rows), run_time=theme.NORMAL)
        out = self.g.output.id
        self.at("call")  # where that call starts: the output's name, with its gradient of 1
        self.play(lit(call, *([self.diagram.names[out]] if out in self.diagram.names else []), self.grads[out]))
        self.play(call.animate.set_color(theme.HIGHLIGHT), run_time=theme.SHORT)
        self.wait(theme.NORMAL)


def _apart(a, b) -> float:
    """How far apart two mobjects' boxes are horizontally, if they share a height (else far)."""
    if a.get_bottom()[1] > b.get_top()[1] or b.get_bottom()[1] > a.get_top()[1]:
        return np.inf
    return max(a.get_left()[0] - b.get_right()[0], b.get_left()[0] - a.get_right()[0])
