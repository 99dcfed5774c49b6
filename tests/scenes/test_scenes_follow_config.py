"""Every number a scene shows comes from mathcore for the config it runs under.

Each scene runs (dry, animations skipped) under the shipped config and under a
config that differs in every number; what it shows must be mathcore's numbers
for that config, and none of the shipped config's numbers may be left over.
"""
from __future__ import annotations

import pytest

from mathcore import chain, graph
from mathcore.display import fmt
from scenes import order

from .harness import check_fields, shared_dry_run


def chain_numbers(cfg, forward: bool) -> set[str]:
    r = chain.from_config(cfg)
    values = [r.x, *r.w, *r.b, *r.z, *r.h] if forward else [
        *r.grad_z, *r.grad_w, *r.grad_b, *r.dh_dz, *r.dz_next_dh, *r.inputs
    ]
    return {fmt(v) for v in values}


def tree_numbers(cfg) -> set[str]:
    g = graph.from_config(cfg)
    values = [n.value for n in g.nodes] + [n.grad for n in g.nodes] + [e.local_grad for e in g.edges]
    values += [e.contribution for e in g.edges if len(g.outgoing(e.source)) > 1]
    return {fmt(v) for v in values}


def chain_fields(cfg) -> dict[str, float]:
    """ForwardPass's numbers by the field each is tagged with (scenes.components.fields)."""
    r = chain.from_config(cfg)
    out = {"x": r.x, "output": r.output}
    for i in range(r.layers):
        out |= {f"w[{i}]": r.w[i], f"b[{i}]": r.b[i], f"z[{i}]": r.z[i], f"h[{i}]": r.h[i]}
    return out


def backward_fields(cfg) -> dict[str, float]:
    """BackwardPass's chain: the weights, biases and the values x, h_i stay on it (each factor's source)."""
    r = chain.from_config(cfg)
    out = {"x": r.x}
    for i in range(r.layers):
        out |= {f"w[{i}]": r.w[i], f"b[{i}]": r.b[i], f"h[{i}]": r.h[i]}
    return out


def tree_fields(cfg) -> dict[str, float]:
    g = graph.from_config(cfg)
    out = {f"value[{n.id}]": n.value for n in g.nodes} | {f"grad[{n.id}]": n.grad for n in g.nodes}
    return out | {f"local[{k}]": e.local_grad for k, e in enumerate(g.edges)}


#: Which scenes tag their numbers with mathcore's fields, and the values of those fields.
FIELDS = {"ForwardPass": chain_fields, "ComputeTree": tree_fields, "BackwardPass": backward_fields}


#: The scenes this file checks; the optimisation scenes have their own files (test_*_scenes.py).
SCENES = ["TitleCard", "ComputeTree", "ForwardPass", "BackwardPass"]


def expected(name: str, cfg) -> tuple[set[str], set[str]]:
    """(numbers the scene must show, other numbers it may show) for ``cfg``."""
    if name == "TitleCard":
        return {cfg.lecture.year}, set()
    if name == "ComputeTree":
        # the code's leaves are float literals of the config's values: tensor(1.0).requires_grad_()
        return tree_numbers(cfg), {repr(float(v)) for v in cfg.tree.values.values()}
    if name == "ForwardPass":
        return chain_numbers(cfg, forward=True), {str(cfg.chain.exercise_minutes)}
    if name == "BackwardPass":
        # ∂z_i/∂b_i = 1 is the one structural constant of the slides; the chain keeps its numbers.
        must = chain_numbers(cfg, forward=False) | {fmt(v) for v in backward_fields(cfg).values()}
        # z_L: the reason its σ' is what it is, beside the last layer's line
        return must, {"1", str(cfg.chain.bias_exercise_minutes), fmt(chain.from_config(cfg).z[-1])}
    raise KeyError(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", SCENES)
def test_scene_shows_mathcore_numbers_for_another_config(name, alt_config, default_config_numbers):
    shown = shared_dry_run(order.load(name))
    must, may = expected(name, alt_config)
    assert must <= shown.numbers, f"missing: {sorted(must - shown.numbers)}"
    assert shown.numbers <= must | may, f"not from mathcore: {sorted(shown.numbers - must - may)}"
    leftovers = (default_config_numbers[name] - must - may) & shown.numbers
    assert not leftovers, f"numbers of the shipped config left over: {sorted(leftovers)}"
    if name in FIELDS:
        check_fields(shown, FIELDS[name](alt_config))
    assert not shown.problems, "\n".join(shown.problems)


@pytest.fixture(scope="module")
def default_config_numbers():
    from mathcore import config

    cfg = config.load(config.DEFAULT_CONFIG)
    return {name: set.union(*expected(name, cfg)) for name in SCENES}


@pytest.mark.slow
@pytest.mark.parametrize("name", SCENES)
def test_scene_with_shipped_config(name, default_config):
    shown = shared_dry_run(order.load(name))
    must, may = expected(name, default_config)
    assert must <= shown.numbers and shown.numbers <= must | may
    if name in FIELDS:
        check_fields(shown, FIELDS[name](default_config))
    assert shown.beats >= 2  # at least one pause, and the end
    assert not shown.problems, "\n".join(shown.problems)


def test_seed_numbers_are_what_forward_pass_must_show(default_config):
    # Independent of the code under test: the slides' own numbers.
    must, _ = expected("ForwardPass", default_config)
    assert {"0.1", "0.08", "0.192", "-0.2", "-0.1"} <= must
    must, _ = expected("BackwardPass", default_config)
    assert {"0.02", "-0.1", "1", "-0.01", "0.08"} <= must
