"""``mathcore``: the lecture's numbers on their own, as tables or JSON.

Subcommands that need no torch do not import it (``mathcore chain`` starts fast).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import config as config_mod
from .display import fmt
from .errors import run_cli
from .options import config_option, float_list, json_option
from .output import print_json, print_table


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli():
    """The numbers of the back-propagation lecture, computed (and checked against torch in the tests)."""


@cli.command()
@config_option
@json_option
@click.option("--x", type=float, default=None, help="Input x (overrides [chain] x).")
@click.option("--w", callback=float_list("--w"), default=None, help="Weights, e.g. 0.1,-0.2,-0.1.")
@click.option("--b", callback=float_list("--b"), default=None, help="Biases, one per weight.")
@click.option("--activation", default=None, help="relu, sigmoid, tanh or linear.")
def chain(config_file, as_json, x, w, b, activation):
    """Forward and backward pass of z_i = w_i h_(i-1) + b_i, h_i = σ(z_i)."""
    from . import chain as chain_mod

    overrides = {"chain": {"x": x, "w": w, "b": b, "activation": activation}}
    cfg = config_mod.load(config_file, overrides=overrides)
    given = any(v is not None for v in overrides["chain"].values())
    result = chain_mod.from_config(cfg, f"{cfg.path} (with command-line overrides)" if given else None)
    if as_json:
        print_json(result.to_dict())
        return
    rows = [
        [str(i + 1), fmt(result.w[i]), fmt(result.b[i]), fmt(result.z[i]), fmt(result.h[i]),
         fmt(result.dh_dz[i]), fmt(result.grad_z[i]), fmt(result.grad_w[i]), fmt(result.grad_b[i])]
        for i in range(result.layers)
    ]
    L = result.layers
    print_table(
        f"chain: x = {fmt(result.x)}, σ = {result.activation}, output h{L} = {fmt(result.output)}",
        ["layer i", "w_i", "b_i", "z_i", "h_i", "σ'(z_i)", f"∂h{L}/∂z_i", f"∂h{L}/∂w_i", f"∂h{L}/∂b_i"],
        rows,
    )


#: What `mathcore tree --render` writes, by the file's suffix (graphviz would take dozens, or fail after the run).
RENDER_FORMATS = (".pdf", ".png", ".svg")


def _render_suffix(ctx, param, value):
    if value is not None and Path(value).suffix.lower() not in RENDER_FORMATS:
        endings = f"{', '.join(RENDER_FORMATS[:-1])} or {RENDER_FORMATS[-1]}"
        raise click.BadParameter(f"expected a file name ending in {endings}, got {value!r}")
    return value


@cli.command()
@config_option
@json_option
@click.option("--render", "render_file", type=click.Path(dir_okay=False), default=None, callback=_render_suffix,
              help="Also write torchviz's picture of the tree (as the slides' print_compute_tree): .pdf, .png or .svg.")
def tree(config_file, as_json, render_file):
    """The compute tree of [tree] steps (x2 = a*x0*(b*x0 + c)): values, gradients, local derivatives."""
    cfg = config_mod.load(config_file)
    from . import graph

    g = graph.from_config(cfg)
    if render_file:
        graph.render_torchviz(cfg, render_file)
        click.echo(f"wrote {render_file}", err=True)
    if as_json:
        print_json(g.to_dict())
        return
    out = g.output
    print_table(
        f"compute tree: {'; '.join(cfg.tree.steps)}",
        ["node", "kind", "expression", "value", f"∂{out.name or out.id}/∂node"],
        [[n.id, n.kind, n.expr, fmt(n.value), fmt(n.grad)] for n in (g.node(i) for i in g.order)],
    )
    print_table(
        "edges (local derivatives)",
        ["from", "to", "∂to/∂from"],
        [[e.source, e.target, fmt(e.local_grad)] for e in g.edges],
    )


def _discover_commands() -> None:
    """Add the subcommands of ``mathcore/commands/*.py`` (each module's ``commands`` list)."""
    import importlib
    import pkgutil

    from . import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        for command in module.commands:
            cli.add_command(command)


_discover_commands()


def main(args: list[str] | None = None) -> None:
    run_cli(cli, "mathcore", args)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
