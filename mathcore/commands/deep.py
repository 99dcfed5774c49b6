"""``mathcore vanishing`` (part 6) and ``mathcore playground`` (part 9); torch is imported inside the commands."""
from __future__ import annotations

from typing import TYPE_CHECKING

import click

from mathcore.display import cell

from ..options import comma_list, config_option, json_option
from ..output import print_table

if TYPE_CHECKING:  # annotations only: torch is imported when a command runs
    from ..playground import PlaygroundRun
    from ..vanishing import VanishingResult


# --------------------------------------------------------------------------- part 6
@click.command("vanishing")
@config_option
@json_option
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), default=None,
              help="Write the per-layer gradient norms as CSV.")
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False), default=None,
              help="PNG: sigma' with its maximum 1/4, and the per-layer gradient norms (log scale).")
@click.option("--x", type=float, default=None, help="Input x of the chain (overrides [vanishing] x).")
@click.option("--w", callback=comma_list("--w"), default=None, help="Chain weights w1,w2,w3, e.g. 0.5,1,2.")
@click.option("--depth", type=int, default=None, help="Hidden layers of the deep networks.")
@click.option("--width", type=int, default=None, help="Units per hidden layer.")
@click.option("--seed", type=int, default=None, help="Seed of the initial weights.")
@click.option("--init", default=None, help="kaiming, xavier or torch.")
@click.option("--steps", type=int, default=None, help="SGD steps before the norms are taken again.")
@click.option("--learning-rate", type=float, default=None, help="Learning rate of those steps.")
def vanishing(config_file, as_json, csv_file, plot_file, x, w, depth, width, seed, init, steps, learning_rate):
    """The chain ∂v3/∂w1 = σ'(z3)σ'(z2)σ'(z1) w3 w2 x, σ' ≤ 1/4, and per-layer gradient norms of deep nets."""
    from .. import config as config_mod
    from .. import output
    from .. import vanishing as van

    overrides = {"vanishing": {"x": x, "w": w, "depth": depth, "width": width, "seed": seed, "init": init,
                               "train_steps": steps, "learning_rate": learning_rate}}
    cfg = config_mod.load(config_file, overrides=overrides)
    result = van.from_config(cfg)
    norms = result.norms

    if csv_file:
        header = ["layer", *(f"{n}_init" for n in van.NETWORKS), *(f"{n}_after" for n in van.NETWORKS)]
        rows = [[name, *(norms.init_norms[n][k] for n in van.NETWORKS),
                 *((norms.after[n] or [None] * len(norms.layers))[k] for n in van.NETWORKS)]
                for k, name in enumerate(norms.layers)]
        output.write_csv(csv_file, header, rows)
    if plot_file:
        output.save_plot(plot_file, lambda fig: _plot_vanishing(fig, result))
    if as_json:
        output.print_json(result.to_dict())
        return
    c = result.chain
    n = len(c.w)
    print_table(f"chain v_i = σ(w_i v_(i-1)), x = {cell(c.x)}: σ'(z) ≤ 1/4, "
                f"bound on |∂v{n}/∂w1| = {cell(c.bound)}",
           ["i", "w_i", "z_i", "v_i", "σ'(z_i)", f"∂v{n}/∂w_i (formula)", f"∂v{n}/∂w_i (autograd)"],
           [[str(i + 1), cell(c.w[i]), cell(c.z[i]), cell(c.v[i]), cell(c.sigma_prime[i]),
             cell(c.formula[i]), cell(c.autograd[i])] for i in range(n)])
    title = (f"‖∂loss/∂W_k‖ at initialisation (after {norms.steps} steps in brackets): depth {norms.depth}, "
             f"width {norms.width}, init {norms.init}, seed {norms.seed}")

    def norm_cell(name, k):
        after = norms.after[name]
        return f"{cell(norms.init_norms[name][k])} ({cell(after[k]) if after else 'diverged'})"

    rows = [[name, *(norm_cell(m, k) for m in van.NETWORKS)] for k, name in enumerate(norms.layers)]
    rows.append(["per-layer factor", *(cell(result.decay_per_layer[m]) for m in van.NETWORKS)])
    print_table(title, ["layer (input first)", *van.NETWORKS], rows)


def _plot_vanishing(fig, result: VanishingResult) -> None:
    ax1, ax2 = fig.subplots(1, 2)
    sp = result.sigma_prime
    ax1.plot(sp.z, sp.sigma_prime, label="σ'(z)")
    ax1.plot(sp.z, sp.sigma, "--", label="σ(z)")
    ax1.axhline(0.25, color="grey", lw=0.5)
    ax1.set_xlabel("z")
    ax1.legend()
    norms = result.norms
    k = range(1, len(norms.layers) + 1)
    for name, values in norms.init_norms.items():
        ax2.semilogy(k, values, "o-", label=name)
    ax2.set_xlabel("layer (input first)")
    ax2.set_ylabel("‖∂loss/∂W‖")
    ax2.legend()


# --------------------------------------------------------------------------- part 9
@click.command("playground")
@config_option
@json_option
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), default=None,
              help="Write train and test loss per epoch of every run as CSV.")
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False), default=None,
              help="PNG: each run's final decision boundary over its data, and the loss curves.")
@click.option("--runs", "which", type=click.Choice(["single", "xor", "compare", "depth"]), default="single",
              show_default=True,
              help="single: [playground] dataset/activation/hidden/seed; xor: the good and the stalled XOR seeds; "
                   "compare: compare_dataset with each activation; depth: the single run's network with 0 to "
                   "twice its hidden layers, and which has the lowest test loss.")
@click.option("--dataset", default=None, help="xor, circle, gaussian or spiral.")
@click.option("--activation", default=None, help="relu, tanh, sigmoid or linear.")
@click.option("--hidden", callback=comma_list("--hidden", int), default=None,
              help="Hidden layer widths, e.g. 4,4 (empty for none).")
@click.option("--seed", type=int, default=None, help="Seed of the single run.")
@click.option("--epochs", type=int, default=None)
@click.option("--learning-rate", type=float, default=None)
@click.option("--optimizer", default=None, help="adam or sgd.")
@click.option("--batch-size", type=int, default=None)
@click.option("--noise", type=float, default=None, help="Data noise, 0 to 0.5.")
@click.option("--points", type=int, default=None, help="Points per data set (train + test).")
def playground(config_file, as_json, csv_file, plot_file, which, dataset, activation, hidden, seed, epochs,
               learning_rate, optimizer, batch_size, noise, points):
    """Small MLPs on XOR, circle, Gaussian and spiral data, as in TensorFlow Playground."""
    from .. import config as config_mod
    from .. import output
    from .. import playground as pg

    overrides = {"playground": {"dataset": dataset, "activation": activation, "hidden": hidden, "seed": seed,
                                "epochs": epochs, "learning_rate": learning_rate, "optimizer": optimizer,
                                "batch_size": batch_size, "noise": noise, "points": points}}
    cfg = config_mod.load(config_file, overrides=overrides)
    result = pg.from_config(cfg, which)
    runs = result.runs

    if csv_file:
        rows = [[i, r.label or "", r.dataset, r.activation, r.seed, e, tr, te]
                for i, r in enumerate(runs) for e, tr, te in zip(r.epochs, r.train_loss, r.test_loss)]
        output.write_csv(csv_file, ["run", "label", "dataset", "activation", "seed", "epoch", "train_loss",
                                    "test_loss"], rows)
    if plot_file:
        output.save_plot(plot_file, lambda fig: _plot_playground(fig, cfg, runs))
    if as_json:
        output.print_json(result.to_dict())
        return
    rows = []
    for r in runs:
        rows.append([r.label or "", r.dataset, r.activation, "-".join(map(str, r.layers)),
                     str(r.seed), str(r.epochs[-1]) if r.epochs else "0",
                     cell(r.train_loss[-1] if r.train_loss else None),
                     cell(r.test_loss[-1] if r.test_loss else None),
                     cell(r.final_accuracy), cell(r.final_test_accuracy),
                     f"at epoch {r.diverged_at}" if r.diverged else "no"])
    print_table(f"playground ({which})", ["run", "data", "σ", "layers", "seed", "epochs", "train loss", "test loss",
                                     "train acc", "test acc", "diverged"], rows)
    if result.answer is not None:
        click.echo(f"lowest test loss: {runs[result.answer.best].label}")


def _plot_playground(fig, cfg, runs: list[PlaygroundRun]) -> None:
    from .. import playground as pg

    n = len(runs)
    axes = fig.subplots(2, n, squeeze=False)
    for i, r in enumerate(runs):
        ax = axes[0][i]
        Xtr, ytr, _, _ = pg.data(cfg, r.dataset)
        if r.snapshots:
            snap = r.snapshots[-1]
            g = snap["grid"]
            ax.contourf(g["x"], g["y"], g["p"], levels=20, cmap="RdBu", vmin=0, vmax=1)
            ax.set_title(f"{r.label or r.activation} (epoch {snap['epoch']})", fontsize=7)
        ax.scatter(Xtr[:, 0], Xtr[:, 1], c=ytr, cmap="RdBu", edgecolors="k", s=6, linewidths=0.3)
        ax.set_xticks([])
        ax.set_yticks([])
        ax2 = axes[1][i]
        ax2.plot(r.epochs, r.train_loss, label="train")
        ax2.plot(r.epochs, r.test_loss, label="test")
        ax2.set_xlabel("epoch", fontsize=7)
        ax2.tick_params(labelsize=6)
    axes[1][0].legend(fontsize=6)


commands = (vanishing, playground)
