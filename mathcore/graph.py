"""The compute tree of a real torch expression, read off its autograd graph.

We run the expression in torch (float64), walk ``grad_fn.next_functions`` from
the output, and get for every node its forward value and d output / d node, and
for every edge the local derivative that torch's own backward function returns.
Node ids are stable names (leaf names, step names, ``mul1``...), not memory
addresses, and the layout comes from graphviz ``dot``.

torchviz draws the same graph with two extra kinds of node: an ``AccumulateGrad``
box above each leaf and a separate box for the output tensor. Here a leaf is its
variable and the output is the op that made it (see tests/mathcore/test_graph.py).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, field

import torch
from torch.overrides import TorchFunctionMode

from .errors import ConfigError
from .expression import Expr, Program

# How each autograd function is drawn, and how it binds in an expression.
OPS = {
    "add": ("+", 1, " + "),
    "sub": ("−", 1, " - "),
    "mul": ("×", 2, "*"),
    "div": ("÷", 2, "/"),
    "pow": ("^", 3, "**"),
    "neg": ("−", 4, "-"),
}


@dataclass
class Node:
    id: str
    label: str
    kind: str  # leaf, op or output
    value: float
    grad: float  # d output / d this node's value
    op: str | None = None  # add, mul, ... for ops; None for leaves
    name: str | None = None  # variable or step name, if it has one
    expr: str = ""
    pos: tuple[float, float] = (0.0, 0.0)  # graphviz points, y up, output on top


@dataclass
class Edge:
    source: str
    target: str
    local_grad: float  # ∂target / ∂source
    contribution: float = 0.0  # d output/d target × local_grad: this path's share of d output/d source
    # graphviz's route: cubic Bézier control points p0 (p1 p2 p3)*, then the arrow tip; points, y up.
    path: list[tuple[float, float]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"from": self.source, "to": self.target, "local_grad": self.local_grad,
                "contribution": self.contribution, "path": [list(p) for p in self.path]}


@dataclass
class ComputeGraph:
    nodes: list[Node]
    edges: list[Edge]
    order: list[str]  # forward topological order
    size: tuple[float, float] = (0.0, 0.0)  # layout bounding box, points
    torch_ids: dict[str, int] = field(default_factory=dict, repr=False)  # for tests against torchviz

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)

    @property
    def output(self) -> Node:
        return next(n for n in self.nodes if n.kind == "output")

    @property
    def leaves(self) -> list[Node]:
        return [self.node(i) for i in self.order if self.node(i).kind == "leaf"]

    @property
    def operations(self) -> list[Node]:
        """The nodes that compute (every one but the leaves), output included, in forward order."""
        return [self.node(i) for i in self.order if self.node(i).kind != "leaf"]

    def incoming(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if e.target == node_id]

    def outgoing(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if e.source == node_id]

    def to_dict(self) -> dict:
        return {
            "nodes": [asdict(n) for n in self.nodes],
            "edges": [e.to_dict() for e in self.edges],
            "order": list(self.order),
            "size": list(self.size),
        }


class _Recorder(TorchFunctionMode):
    """Keeps every tensor an op produces, keyed by its grad_fn, to read values off."""

    def __init__(self):
        super().__init__()
        self.made: dict[object, torch.Tensor] = {}

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        if isinstance(out, torch.Tensor) and out.grad_fn is not None:
            self.made[out.grad_fn] = out
        return out


_TORCH_FUNCS = {
    "sigmoid": torch.sigmoid, "relu": torch.relu, "tanh": torch.tanh,
    "exp": torch.exp, "log": torch.log, "sin": torch.sin, "cos": torch.cos,
}


def _evaluate(expr: Expr, env: dict[str, torch.Tensor]) -> torch.Tensor:
    if expr.op == "name":
        assert expr.name is not None  # a name node has its name
        return env[expr.name]
    if expr.op == "const":
        return torch.tensor([expr.value], dtype=torch.float64)
    args = [_evaluate(a, env) for a in expr.args]
    if expr.op in _TORCH_FUNCS:
        return _TORCH_FUNCS[expr.op](args[0])
    if expr.op == "neg":
        return -args[0]
    a, b = args
    binary = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "pow": torch.pow}
    return binary[expr.op](a, b)


def run_program(program: Program, values: dict[str, float]):
    """Run the steps in torch; return (leaf tensors, named step tensors), in order."""
    leaves = {
        name: torch.tensor([values[name]], dtype=torch.float64, requires_grad=True)
        for name in program.leaves
    }
    env: dict[str, torch.Tensor] = dict(leaves)
    named = {}
    for step in program.steps:
        env[step.target] = named[step.target] = _evaluate(step.expr, env)
    return leaves, named


def _op_key(fn) -> str:
    return re.sub(r"Backward\d*$", "", type(fn).__name__).lower()


def trace(program: Program, values: dict[str, float], layout: bool = True) -> ComputeGraph:
    """Run ``program`` in torch and read its compute tree off the autograd graph."""
    with _Recorder() as rec:
        leaves, named = run_program(program, values)
    out = named[program.output]
    if out.grad_fn is None:
        raise ValueError("an output that depends on at least one leaf")
    leaf_names = {id(t): n for n, t in leaves.items()}
    step_names = {t.grad_fn: n for n, t in named.items() if t.grad_fn is not None}

    # Forward topological order: children before parents (DFS post-order).
    order_fns: list = []
    seen: set = set()

    def visit(fn):
        if fn in seen:
            return
        seen.add(fn)
        for child, _ in fn.next_functions:
            if child is not None:
                visit(child)
        order_fns.append(fn)

    visit(out.grad_fn)

    ids: dict = {}
    counts: dict[str, int] = {}
    for fn in order_fns:
        if hasattr(fn, "variable"):
            ids[fn] = leaf_names.get(id(fn.variable), f"leaf{len(ids)}")
        elif fn in step_names:
            ids[fn] = step_names[fn]
        else:
            key = _op_key(fn)
            counts[key] = counts.get(key, 0) + 1
            ids[fn] = f"{key}{counts[key]}"

    op_fns = [fn for fn in order_fns if not hasattr(fn, "variable")]
    tensors = [fn.variable if hasattr(fn, "variable") else rec.made[fn] for fn in order_fns]
    grads = torch.autograd.grad(out, tensors, retain_graph=True, allow_unused=True)
    value_of = {fn: t.detach().item() for fn, t in zip(order_fns, tensors)}
    grad_of = {fn: (0.0 if g is None else g.item()) for fn, g in zip(order_fns, grads)}

    edges: list[Edge] = []
    for fn in op_fns:
        # torch's backward of this one op, fed 1, gives ∂op/∂input for each input.
        locals_ = fn(torch.ones_like(rec.made[fn]))
        locals_ = locals_ if isinstance(locals_, tuple) else (locals_,)
        for (child, _), g in zip(fn.next_functions, locals_):
            if child is not None:
                edges.append(Edge(ids[child], ids[fn], 0.0 if g is None else g.item()))

    exprs: dict = {}
    nodes = []
    for fn in order_fns:
        node_id = ids[fn]
        if hasattr(fn, "variable"):
            exprs[fn] = node_id
            nodes.append(Node(node_id, node_id, "leaf", value_of[fn], grad_of[fn], name=node_id, expr=node_id))
            continue
        key = _op_key(fn)
        symbol, prec, joiner = OPS.get(key, (key, 5, None))
        parts = []
        for child, _ in fn.next_functions:
            if child is None:
                continue
            text = child in step_names and step_names[child] or exprs[child]
            is_op = not hasattr(child, "variable") and child not in step_names
            child_prec = OPS.get(_op_key(child), ("", 5))[1] if is_op else 5
            parts.append(f"({text})" if child_prec < prec else text)
        if joiner is None or len(parts) == 1 and key != "neg":
            expr = f"{key}({', '.join(parts)})"
        elif key == "neg":
            expr = f"-{parts[0]}"
        else:
            expr = joiner.join(parts)
        exprs[fn] = expr
        kind = "output" if fn is out.grad_fn else "op"
        name = step_names.get(fn)
        nodes.append(Node(node_id, symbol, kind, value_of[fn], grad_of[fn] if kind == "op" else 1.0, key, name, expr))

    grad_by_id = {n.id: n.grad for n in nodes}
    for e in edges:
        e.contribution = grad_by_id[e.target] * e.local_grad
    graph = ComputeGraph(
        nodes=nodes,
        edges=edges,
        order=[ids[fn] for fn in order_fns],
        torch_ids={ids[fn]: id(fn.variable) if hasattr(fn, "variable") else id(fn) for fn in order_fns},
    )
    if layout:
        _layout(graph)
    return graph


def _layout(graph: ComputeGraph) -> None:
    """Positions from graphviz dot: inputs at the bottom, the output on top."""
    import graphviz

    dot = graphviz.Digraph(graph_attr={"rankdir": "BT", "nodesep": "0.9", "ranksep": "0.45"})
    for n in graph.nodes:
        # Sizes in proportion to how the scenes draw them (box 0.9 x 0.56, circle 0.64 across).
        if n.kind == "leaf":
            dot.node(n.id, label=n.id, shape="box", width="0.62", height="0.39", fixedsize="true")
        else:
            dot.node(n.id, label=n.label, shape="circle", width="0.45", height="0.45", fixedsize="true")
    with dot.subgraph() as leaves:  # all inputs on the bottom row
        leaves.attr(rank="min")
        for n in graph.nodes:
            if n.kind == "leaf":
                leaves.node(n.id)
    for e in graph.edges:
        dot.edge(e.source, e.target)
    laid = json.loads(dot.pipe(format="json0"))
    by_name = {o["name"]: o for o in laid.get("objects", [])}
    for n in graph.nodes:
        x, y = (float(v) for v in by_name[n.id]["pos"].split(","))
        n.pos = (x, y)
    names = [o["name"] for o in laid.get("objects", [])]
    routes: dict[tuple[str, str], list[list[tuple[float, float]]]] = {}
    for edge in laid.get("edges", []):
        tip, *controls = edge["pos"].split(" ")
        points = [_point(p) for p in controls]
        points.append(_point(tip[2:]))  # "e,x,y": where the arrow ends
        routes.setdefault((names[edge["tail"]], names[edge["head"]]), []).append(points)
    for e in graph.edges:  # parallel edges (v*v) take their routes in turn
        e.path = routes[(e.source, e.target)].pop(0)
    _, _, w, h = (float(v) for v in laid["bb"].split(","))
    graph.size = (w, h)


def _point(text: str) -> tuple[float, float]:
    """A graphviz point "x,y"."""
    x, y = text.split(",")
    return float(x), float(y)


def from_config(cfg, layout: bool = True) -> ComputeGraph:
    """The compute tree of a LectureConfig's [tree] section; a tree that overflows is a ConfigError."""
    g = trace(cfg.tree.program, cfg.tree.values, layout=layout)
    nodes = [g.node(i) for i in g.order]  # overflow gives inf or nan silently, and the JSON would show null
    for what, node, value in [("value", n, n.value) for n in nodes] + [("gradient", n, n.grad) for n in nodes]:
        if not math.isfinite(value):
            raise ConfigError(cfg.path, "tree", f"values whose intermediate results stay finite "
                              f"({node.name or node.id}'s {what} is {value})")
    return g


def render_torchviz(cfg, path) -> None:
    """The slides' own print_compute_tree: torchviz's picture of the tree, written to ``path``.

    The format comes from the suffix (.pdf, .png, .svg); the DOT source is kept beside it as ``.gv``.
    """
    from pathlib import Path

    from torchviz import make_dot

    path = Path(path)
    leaves, named = run_program(cfg.tree.program, cfg.tree.values)
    dot = make_dot(named[cfg.tree.program.output], params=leaves)
    fmt = path.suffix.lstrip(".").lower() or "pdf"
    dot.render(outfile=str(path), format=fmt, quiet=True)
