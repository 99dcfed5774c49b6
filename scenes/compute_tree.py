"""Compute tree of x2 = a*x0*(b*x0 + c): built node by node, forward values up, gradients down."""
from __future__ import annotations

from manim import (
    DOWN, LEFT, UP, Create, FadeIn, FadeOut, GrowFromCenter, LaggedStart, MathTex,
    ReplacementTransform, SurroundingRectangle, Text, TransformFromCopy, VGroup,
)

from mathcore import graph as graph_mod
from mathcore.display import fmt

from scenes import theme
from scenes.base import LectureScene
from scenes.components import tex
from scenes.components.compute_graph import GraphDiagram, legend
from scenes.components.fields import tagged


class ComputeTree(LectureScene):
    TITLE = "Compute tree"

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
        return {"leaves": [leaf.id for leaf in leaves], "leaf_values": [leaf.value for leaf in leaves],
                "leaf_grads": [leaf.grad for leaf in leaves], "output": self.out,
                "output_value": self.g.output.value, "nodes": len(self.g.nodes), "steps": len(self.cfg.tree.steps)}

    def show_code(self):
        """The slides' torch snippet: leaves with their values, then the steps."""
        self.title = self.heading(self.TITLE)
        lines = [f"{leaf} = {fmt(value)}" for leaf, value in self.cfg.tree.values.items()]
        lines += ["", *self.cfg.tree.steps, "", f"print_compute_tree('tree', {self.out})"]
        top = self.title.get_bottom()[1] - 0.6
        # Lines at fixed heights, so blank lines keep their place.
        self.code = VGroup(*[
            Text(line, font=theme.MONO, font_size=theme.SMALL_SIZE, color=theme.TEXT)
            .move_to([0, top - k * 0.42, 0], aligned_edge=UP).to_edge(LEFT, buff=0.6)
            for k, line in enumerate(lines) if line
        ])
        panel = SurroundingRectangle(self.code, buff=0.22, color=theme.PANEL, corner_radius=0.1)
        panel.set_fill(theme.PANEL, opacity=1)
        self.code_panel = VGroup(panel, self.code)
        self.value_text = {leaf: self.code[k] for k, leaf in enumerate(self.cfg.tree.values)}
        self.legend = legend(self.out).next_to(panel, DOWN, buff=0.5).align_to(panel, LEFT)
        self.play(FadeIn(self.title), FadeIn(panel), LaggedStart(*[FadeIn(c) for c in self.code], lag_ratio=0.1))

    def build_tree(self):
        """Nodes appear in forward topological order, each with the edges into it."""
        left, right = self.code_panel.get_right()[0] + 0.9, 7.1 - 0.9
        self.diagram = GraphDiagram(self.g, width=right - left, height=5.3)
        self.diagram.move_to([(left + right) / 2, -0.2, 0])
        for node_id in self.g.order:
            incoming = [k for k, e in enumerate(self.g.edges) if e.target == node_id]
            anims = [GrowFromCenter(self.diagram.shapes[node_id])] + [Create(self.diagram.arrows[k]) for k in incoming]
            if node_id in self.diagram.names:
                anims.append(FadeIn(self.diagram.names[node_id]))
            self.play(*anims, run_time=theme.SHORT)

    def forward_values(self):
        """Forward pass: leaf values come from the code, each op's value flows up its edges."""
        self.values = {}
        for node_id in self.g.order:
            node = self.g.node(node_id)
            label = self.diagram.value_label(node_id, tex.num(node.value))
            tagged(label, f"value[{node_id}]")
            if node.kind == "leaf":
                self.play(TransformFromCopy(self.value_text[node_id], label), run_time=theme.SHORT)
            else:
                self.gather([self.values[e.source] for e in self.g.incoming(node_id)], label)
            self.values[node_id] = label
        self.play(FadeIn(self.legend[0]))

    def backward_gradients(self):
        """Backward pass: start from 1 at the output; each edge's local derivative carries it down."""
        out = self.g.output
        self.grads = {out.id: tagged(self.diagram.grad_label(out.id, tex.num(out.grad)), f"grad[{out.id}]")}
        self.play(FadeIn(self.legend[1:]), FadeIn(self.grads[out.id], scale=1.4))
        self.locals = VGroup()
        for node_id in reversed(self.g.order):
            if node_id == out.id:
                continue
            edges = [(k, e) for k, e in enumerate(self.g.edges) if e.source == node_id]
            labels = []
            for k, e in edges:
                avoid = [*self.values.values(), *self.grads.values(), *self.locals, *labels, *self.diagram.names.values()]
                label = self.diagram.local_label(k, tex.num(e.local_grad), avoid=avoid)
                labels.append(tagged(label, f"local[{k}]"))
            self.play(*[FadeIn(lab) for lab in labels], run_time=theme.SHORT)
            self.locals.add(*labels)
            node = self.g.node(node_id)
            if len(edges) == 1:
                grad = tagged(self.diagram.grad_label(node_id, tex.num(node.grad)), f"grad[{node_id}]")
                self.gather([self.grads[edges[0][1].target], labels[0]], grad)
            else:  # several paths: their contributions add up
                terms = " + ".join(tex.factor(e.contribution) for _, e in edges)
                partial_sum = self.diagram.grad_label(node_id, terms)
                self.gather([*(self.grads[e.target] for _, e in edges), *labels], partial_sum)
                grad = tagged(self.diagram.grad_label(node_id, tex.num(node.grad)), f"grad[{node_id}]")
                self.play(ReplacementTransform(partial_sum, grad))
            self.grads[node_id] = grad

    def summary(self):
        """The answers on the leaves: d output / d each input."""
        rows = VGroup(*[
            MathTex(tex.partial(tex.name(self.out), tex.name(leaf.id)), "=", tex.num(leaf.grad),
                    font_size=theme.LABEL_SIZE + 2)
            for leaf in self.g.leaves
        ]).arrange_in_grid(cols=2, buff=(0.5, 0.25), cell_alignment=LEFT)
        for leaf, row in zip(self.g.leaves, rows):
            tagged(row[-1], f"grad[{leaf.id}]").set_color(theme.GRADIENT)
        rows.move_to(self.code_panel).align_to(self.code_panel, UP).align_to(self.code_panel, LEFT)
        self.play(FadeOut(self.code_panel), FadeIn(rows))
        boxes = [SurroundingRectangle(self.grads[leaf.id], color=theme.GRADIENT, buff=0.05) for leaf in self.g.leaves]
        self.play(*[Create(b) for b in boxes])
        self.wait(theme.NORMAL)
