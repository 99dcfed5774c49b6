"""``mathcore batches``, ``mathcore optim`` and ``mathcore race`` (parts 3 and 4): numpy only, no torch."""
from __future__ import annotations

from typing import TYPE_CHECKING

import click

from mathcore.config import OPTIMISERS
from mathcore.display import MISSING, cell
from mathcore.errors import ConfigError
from mathcore.options import comma_list, config_option, json_option
from mathcore.output import print_table

if TYPE_CHECKING:  # annotations only: the commands import numpy-heavy modules when they run
    from mathcore.batches import BatchesResult

PROBLEMS = ("surface", "line")  # as mathcore.race.PROBLEMS


def _check_problem(problem: str) -> None:
    if problem not in PROBLEMS:
        raise ConfigError("--problem", "value", "one of " + ", ".join(PROBLEMS), problem)


def _vec(value) -> str:
    if value is None:
        return MISSING
    return "(" + ", ".join(cell(v) for v in value) + ")" if isinstance(value, (list, tuple)) else cell(value)


def _diverged(entry) -> str:
    return f"diverged at step {entry['diverged_at']}" if entry["diverged"] else "finite"


@click.command()
@config_option
@json_option
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), default=None,
              help="Write every training step of every batch size as CSV.")
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False), default=None,
              help="Draw the random batches' curves L(w) and the runs' w per step (PNG).")
@click.option("--seed", type=int, default=None, help="Seed of the batches and shuffles ([batches] seed).")
@click.option("--lr", type=float, default=None, help="Learning rate ([batches] learning_rate).")
@click.option("--epochs", type=int, default=None, help="Epochs of each run ([batches] epochs).")
@click.option("--batch-sizes", callback=comma_list("--batch-sizes", int, "1,2,3,4"), default=None,
              help="Batch sizes of the runs, e.g. 1,2,3,4 (1 = SGD).")
@click.option("--random-batches", type=int, default=None, help="How many random batches to draw.")
def batches(config_file, as_json, csv_file, plot_file, seed, lr, epochs, batch_sizes, random_batches):
    """Cost curves L(w) = Σ(y − w x)² of random batches, and minibatch/SGD runs with shuffling."""
    from mathcore import batches as mod
    from mathcore import config as config_mod
    from mathcore.output import print_json, save_plot, write_csv

    cfg = config_mod.load(config_file, overrides={"batches": {
        "seed": seed, "learning_rate": lr, "epochs": epochs, "batch_sizes": batch_sizes,
        "random_batches": random_batches}})
    result = mod.from_config(cfg)
    if csv_file:
        header = ["batch_size", "step", "epoch", "rows", "batch_minimiser", "w_before", "w_after", "gradient",
                  "batch_loss", "full_loss_after"]
        write_csv(csv_file, header, [
            [run["batch_size"], s["step"], s["epoch"], " ".join(map(str, s["rows"])), s["batch_minimiser"],
             s["w_before"], s["w_after"], s["gradient"], s["batch_loss"], s["full_loss_after"]]
            for run in result.runs for s in run["steps"]])
    if plot_file:
        save_plot(plot_file, lambda fig: _plot_batches(fig, result))
    if as_json:
        print_json(result.to_dict())
        return
    full = result.full
    print_table(f"L(w|x,y) = Σ(y − w x)²: minimiser of all {len(result.x)} rows w* = {cell(full['minimiser'])}",
           ["batch", "rows", "minimiser Σxy/Σx²"],
           [[k + 1, " ".join(map(str, b["rows"])), cell(b["minimiser"])]
            for k, b in enumerate(result.random_batches)])
    print_table("training runs (shuffled every epoch)",
                ["batch size", "kind", "lr", "epochs", "steps", "final w", "status"],
           [[r["batch_size"], r["kind"], cell(r["lr"]), r["epochs"], len(r["steps"]), cell(r["final_w"]), _diverged(r)]
            for r in result.runs])


def _plot_batches(fig, result: BatchesResult) -> None:
    ax1, ax2 = fig.subplots(1, 2)
    for b in result.random_batches:
        ax1.plot(result.w, b["loss"], label=f"rows {b['rows']}")
        if b["minimiser"] is not None:
            ax1.axvline(b["minimiser"], ls=":", lw=0.8, color=ax1.lines[-1].get_color())
    ax1.axvline(result.full["minimiser"], color="k", lw=1, label="all data w*")
    ax1.set(xlabel="w", ylabel="L(w | batch)", title="random batches of 3")
    ax1.legend(fontsize=6)
    for run in result.runs:
        ws = [run["w0"]] + [s["w_after"] for s in run["steps"]]
        ax2.plot(range(len(ws)), ws, label=f"batch {run['batch_size']}")
    ax2.axhline(result.full["minimiser"], color="k", lw=1)
    ax2.set(xlabel="step", ylabel="w", title="training runs")
    ax2.legend(fontsize=6)


@click.command()
@config_option
@json_option
@click.option("--optimiser", default="adam", show_default=True, help="gd, sgd, minibatch, momentum or adam.")
@click.option("--problem", default="surface", show_default=True,
              help="surface (the 2-D wells of [optim]) or line (the 1-D batch problem of [batches]).")
@click.option("--steps", type=int, default=None, help="Number of steps ([optim] steps).")
@click.option("--lr", type=float, default=None, help="Learning rate (α for adam; [optim] <optimiser>_lr).")
@click.option("--seed", type=int, default=None, help="Seed of the gradient noise / shuffles ([optim] seed).")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), default=None, help="Write every step as CSV.")
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False), default=None,
              help="Draw the trajectory (on the surface's contours, or w and L per step) as PNG.")
def optim(config_file, as_json, optimiser, problem, steps, lr, seed, csv_file, plot_file):
    """Run one optimiser and show its state at every step (Adam: t, g, m, v, m̂, v̂, step)."""
    from mathcore import config as config_mod
    from mathcore import race as race_mod
    from mathcore.output import clean, print_json, save_plot, write_csv

    if optimiser not in OPTIMISERS:
        raise ConfigError("--optimiser", "value", "one of " + ", ".join(OPTIMISERS), optimiser)
    _check_problem(problem)
    cfg = config_mod.load(config_file, overrides={"optim": {"steps": steps, f"{optimiser}_lr": lr, "seed": seed}})
    result = clean(race_mod.trajectory(cfg, optimiser, problem).to_dict())
    records = result["records"]
    fields = [k for k in ("t", "epoch", "rows", "theta_before", "loss", "g", "noise", "velocity", "m", "v", "m_hat",
                          "v_hat", "step", "theta_after") if records and k in records[0]]
    if csv_file:
        header, rows = _flatten(records, fields)
        write_csv(csv_file, header, rows)
    if plot_file:
        save_plot(plot_file, lambda fig: _plot_trajectories(fig, cfg, problem, [result]))
    if as_json:
        print_json(result)
        return
    hyper = ", ".join(f"{k} = {v}" for k, v in result["hyper"].items())
    shown = records if len(records) <= 20 else records[:10] + records[-10:]
    shown_fields = [k for k in fields if k != "theta_before"]  # θ_after of step t-1; JSON/CSV keep both
    print_table(f"{optimiser} on {problem} ({hyper}): {len(records)} steps, {_diverged(result)}"
           + ("" if shown is records else " (first and last 10 shown)"),
           shown_fields, [[(" ".join(map(str, r[k])) if k == "rows" else _vec(r[k])) for k in shown_fields]
                          for r in shown])


def _flatten(records, fields):
    header, getters = [], []
    for k in fields:
        v = records[0][k]
        if isinstance(v, list) and k != "rows":
            for i in range(len(v)):
                header.append(f"{k}_{i}")
                getters.append(lambda r, k=k, i=i: r[k][i])
        else:
            header.append(k)
            getters.append(lambda r, k=k: " ".join(map(str, r[k])) if k == "rows" else r[k])
    return header, [[g(r) for g in getters] for r in records]


def _plot_trajectories(fig, cfg, problem, runs):
    import numpy as np

    ax = fig.subplots()
    if problem == "surface":
        from mathcore import surfaces

        o = cfg.optim
        grid = surfaces.from_config(cfg).grid(o.surface_extent, o.surface_points)
        ax.contour(grid["x"], grid["y"], grid["z"], levels=30, linewidths=0.5, cmap="viridis")
        for r in runs:
            th = np.array(r["theta"])
            ax.plot(th[:, 0], th[:, 1], lw=1, label=f"{r['optimiser']} (lr {r['hyper']['lr']})")
        ax.plot(*o.start, "ko")
        ax.set(xlabel="θ₁", ylabel="θ₂", aspect="equal")
    else:
        for r in runs:
            ax.plot([t[0] for t in r["theta"]], label=f"{r['optimiser']} (lr {r['hyper']['lr']})")
        ax.set(xlabel="step", ylabel="w")
    ax.legend(fontsize=6)


@click.command()
@config_option
@json_option
@click.option("--problem", default="surface", show_default=True,
              help="surface (the 2-D wells of [optim]) or line (the 1-D batch problem of [batches]).")
@click.option("--race", "entrants", default=None, help="Entrants, e.g. gd,momentum,adam ([optim] race).")
@click.option("--steps", type=int, default=None, help="Steps for every entrant ([optim] steps).")
@click.option("--seed", type=int, default=None, help="One seed for every entrant ([optim] seed).")
@click.option("--start", callback=comma_list("--start"), default=None, help="Start on the surface, e.g. -1.1,0.9.")
@click.option("--noise", type=float, default=None, help="SGD's gradient noise on the surface ([optim] gradient_noise).")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), default=None,
              help="Write every entrant's trajectory (optimiser, step, θ, loss) as CSV.")
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False), default=None,
              help="Draw the trajectories as PNG.")
def race(config_file, as_json, problem, entrants, steps, seed, start, noise, csv_file, plot_file):
    """A fair race of the optimisers: same start, steps and seed; every learning rate stated."""
    from mathcore import config as config_mod
    from mathcore import race as race_mod
    from mathcore.output import print_json, save_plot, write_csv

    _check_problem(problem)
    cfg = config_mod.load(config_file, overrides={"optim": {
        "race": entrants.split(",") if entrants else None, "steps": steps, "seed": seed, "start": start,
        "gradient_noise": noise}})
    result = race_mod.race(cfg, problem)
    if csv_file:
        dims = len(result.start)
        write_csv(csv_file, ["optimiser", "lr", "step", *[f"theta_{i}" for i in range(dims)], "loss"], [
            [e["optimiser"], e["lr"], t, *th, loss]
            for e in result.entrants for t, (th, loss) in enumerate(zip(e["theta"], e["loss"]))])
    if plot_file:
        save_plot(plot_file, lambda fig: _plot_trajectories(fig, cfg, problem, result.entrants))
    if as_json:
        print_json(result.to_dict())
        return
    if problem == "surface":
        where = "; ".join(f"#{k} ({cell(m['x'])}, {cell(m['y'])}) C = {cell(m['cost'])}"
                          for k, m in enumerate(result.minima or []))
        title = f"race on the surface from {_vec(result.start)}, {result.steps} steps, seed {result.seed}"
        print_where = f"local minima: {where}"
    else:
        title = f"race on L(w) = Σ(y − w x)² from w = {cell(result.start[0])}, {result.steps} steps"
        print_where = f"minimiser of all data: w* = {cell(result.minimiser)}"
    print_table(title, ["optimiser", "hyperparameters", "final θ", "final loss", "nearest minimum", "status"],
           [[e["optimiser"], ", ".join(f"{k} = {v}" for k, v in e["hyper"].items()), _vec(e["final"]),
             cell(e["final_loss"]), MISSING if e.get("nearest_minimum") is None else f"#{e['nearest_minimum']}",
             _diverged(e)] for e in result.entrants])
    click.echo(print_where)


commands = (batches, optim, race)
