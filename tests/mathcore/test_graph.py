"""The compute tree against torchviz's drawing and torch's own backward."""
from __future__ import annotations

import re

import pytest
from torchviz import make_dot

from mathcore import config, graph
from mathcore.expression import parse_steps

SEED_STEPS = ["x1 = b*x0 + c", "x2 = a*x0*x1"]
OTHER_STEPS = ["u = sigmoid(p*q) - q/r", "v = tanh(u)*p + exp(-r)", "y = v*v - 2*u"]


def torchviz_drawing(out, leaves):
    """torchviz's nodes {id: label} and edges {(from, to)} for ``out``, ids as it draws them."""
    dot = make_dot(out, params=leaves)
    nodes, edges = {}, set()
    for line in dot.body:
        if m := re.match(r"\s*(\d+) -> (\d+)", line):
            edges.add((m.group(1), m.group(2)))
        elif m := re.match(r'\s*(\d+) \[label="?([^"\]]*)', line):
            nodes[m.group(1)] = m.group(2).split("\n")[0].strip()
    return nodes, edges


@pytest.mark.parametrize(
    "steps,values",
    [(SEED_STEPS, {"a": 1.0, "b": 1.0, "c": 1.0, "x0": 0.5}),
     (SEED_STEPS, {"a": -2.0, "b": 0.3, "c": 4.0, "x0": 1.7}),
     (OTHER_STEPS, {"p": 0.4, "q": -1.3, "r": 2.2})],
)
def test_nodes_and_edges_match_torchviz(monkeypatch, steps, values):
    """Same torch run for both, so torchviz's address ids name the same objects as ours.

    torchviz draws an AccumulateGrad box under each variable and a box for the output
    tensor; we fold each into its variable, and the output into the op that made it.
    """
    program = parse_steps(steps)
    runs = []
    real_run = graph.run_program
    monkeypatch.setattr(graph, "run_program", lambda p, v: runs.append(real_run(p, v)) or runs[-1])
    g = graph.trace(program, values, layout=False)
    leaves, named = runs[0]
    out = named[program.output]
    drawn, drawn_edges = torchviz_drawing(out, leaves)

    fold = {str(id(out)): str(id(out.grad_fn))}
    for src, dst in drawn_edges:
        if drawn[dst] == "AccumulateGrad":
            fold[dst] = src
    canon = lambda n: fold.get(n, n)  # noqa: E731
    want_nodes = {canon(n) for n in drawn}
    want_edges = {(canon(s), canon(t)) for s, t in drawn_edges} - {(n, n) for n in want_nodes}

    ours = {nid: str(tid) for nid, tid in g.torch_ids.items()}
    assert set(ours.values()) == want_nodes
    assert {(ours[e.source], ours[e.target]) for e in g.edges} == want_edges
    # every box torchviz draws, once folded, is a leaf or an operation
    assert len(g.operations) == len(want_nodes) - len(leaves)
    for n in g.nodes:  # leaves carry the names torchviz prints; ops its function names
        label = drawn[ours[n.id]]
        if n.kind == "leaf":
            assert label == n.name
        else:
            assert label.lower().startswith(n.op)


@pytest.mark.parametrize("steps,values", [
    (SEED_STEPS, {"a": 1.0, "b": 1.0, "c": 1.0, "x0": 0.5}),
    (OTHER_STEPS, {"p": 0.4, "q": -1.3, "r": 2.2}),
])
def test_values_and_gradients_match_backward(steps, values):
    program = parse_steps(steps)
    g = graph.trace(program, values, layout=False)
    leaves, named = graph.run_program(program, values)
    named[program.output].backward()
    for name, t in leaves.items():
        assert g.node(name).value == pytest.approx(t.item())
        assert g.node(name).grad == pytest.approx(t.grad.item(), rel=1e-12)
    assert g.output.value == pytest.approx(named[program.output].item())
    assert g.output.grad == 1.0


def test_seed_tree_numbers():
    g = graph.from_config(config.load(config.DEFAULT_CONFIG))
    x0, x1 = 0.5, 1.5  # x1 = b*x0 + c with a = b = c = 1
    assert g.node("x1").value == pytest.approx(x1)
    assert g.output.value == pytest.approx(0.75)
    # d x2/da = x0*x1, db = a*x0*x0, dc = a*x0, dx0 = a*x1 + a*x0*b
    assert g.node("a").grad == pytest.approx(x0 * x1)
    assert g.node("b").grad == pytest.approx(x0 * x0)
    assert g.node("c").grad == pytest.approx(x0)
    assert g.node("x0").grad == pytest.approx(x1 + x0)


@pytest.mark.parametrize("steps,values", [
    (SEED_STEPS, {"a": 2.0, "b": -1.0, "c": 0.5, "x0": 3.0}),
    (OTHER_STEPS, {"p": 0.4, "q": -1.3, "r": 2.2}),
])
def test_chain_rule_over_edges(steps, values):
    """Each node's gradient is the sum over its consumers of consumer grad × local derivative."""
    g = graph.trace(parse_steps(steps), values, layout=False)
    for n in g.nodes:
        if n.kind == "output":
            continue
        total = sum(g.node(e.target).grad * e.local_grad for e in g.outgoing(n.id))
        assert n.grad == pytest.approx(total, rel=1e-12, abs=1e-14)
        assert sum(e.contribution for e in g.outgoing(n.id)) == pytest.approx(n.grad, rel=1e-12, abs=1e-14)


def test_order_is_topological_and_layout_has_output_on_top():
    g = graph.from_config(config.load(config.DEFAULT_CONFIG))
    rank = {nid: i for i, nid in enumerate(g.order)}
    assert all(rank[e.source] < rank[e.target] for e in g.edges)
    assert sorted(g.order) == sorted(n.id for n in g.nodes)
    top = max(n.pos[1] for n in g.nodes)
    assert g.output.pos[1] == top
    assert len({n.pos[1] for n in g.leaves}) == 1  # inputs share the bottom row
    assert all(n.pos[1] < top for n in g.leaves)


def test_render_writes_torchviz_picture(tmp_path):
    out = tmp_path / "tree_ex.svg"
    graph.render_torchviz(config.load(config.DEFAULT_CONFIG), out)
    text = out.read_text()
    assert "<svg" in text and "MulBackward0" in text and "AccumulateGrad" in text


@pytest.mark.parametrize("text", [
    "[tree]\nb = 1e300\nx0 = 1e300\n",  # b*x0 overflows, then x1 and x2
    "[tree]\na = 1e300\nb = 1e300\nc = 1e300\nx0 = 1e300\n",
])
def test_an_overflowing_tree_is_one_line_and_exit_2(capsys, write_config, text):
    """torch gives inf (and nan further on) silently; the JSON would print null with exit 0."""
    from .cli_checks import assert_one_line_exit_2

    err = assert_one_line_exit_2(capsys, ["tree", "--json", "--config", str(write_config(text))],
                                 "tree: expected values whose intermediate results stay finite")
    assert "'s value is inf" in err and "null" not in err
