"""``mathcore gd``, ``mathcore minima`` and ``mathcore trouble`` (parts 1, 2 and 5).

``gd`` needs no torch; ``minima`` imports it only for its gradient-descent runs (skip them with
``--no-runs``); ``trouble`` trains in torch, except ``trouble --diagnose FILE``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import click

from mathcore.display import MISSING, cell
from mathcore.errors import ConfigError
from mathcore.options import config_option, float_list, json_option
from mathcore.output import print_table

if TYPE_CHECKING:  # annotations only: each command imports its module when it runs
    from mathcore.gd import GdResult
    from mathcore.minima import MinimaResult
    from mathcore.trouble import TroubleResult


def _csv_option(help_text):
    return click.option("--csv", "csv_file", type=click.Path(dir_okay=False), default=None, help=help_text)


def _plot_option(help_text):
    return click.option("--plot", "plot_file", type=click.Path(dir_okay=False), default=None, help=help_text)


def _wrote(path) -> None:
    click.echo(f"wrote {path}", err=True)


# --------------------------------------------------------------------------------------------- gd
@click.command("gd")
@config_option
@json_option
@_csv_option("Write every step of every run as CSV (lr, t, w, cost, grad).")
@_plot_option("Draw C(w) with each run's iterates, and w against t (PNG).")
@click.option("--lr", callback=float_list("--lr"), default=None,
              help="Learning rates, e.g. 0.1,0.7,1.5 ([gd] learning_rates).")
@click.option("--w0", type=float, default=None, help="Start ([gd] w0).")
@click.option("--steps", type=int, default=None, help="Updates per run ([gd] steps).")
def gd_command(config_file, as_json, csv_file, plot_file, lr, w0, steps):
    """Gradient descent w(t+1) = w(t) − η C'(w(t)) on a 1-D cost, for several learning rates."""
    from mathcore import config as config_mod
    from mathcore import gd
    from mathcore.output import print_json, save_plot, write_csv

    cfg = config_mod.load(config_file, overrides={"gd": {"learning_rates": lr, "w0": w0, "steps": steps}})
    result = gd.from_config(cfg)
    if csv_file:
        rows = [(r["lr"], t, w, c, g) for r in result.runs for t, (w, c, g) in
                enumerate(zip(r["w"], r["cost"], r["grad"]))]
        _wrote(write_csv(csv_file, ["lr", "t", "w", "cost", "grad"], rows))
    if plot_file:
        _wrote(save_plot(plot_file, lambda fig: _draw_gd(fig, result)))
    if as_json:
        print_json(result.to_dict())
        return
    c = result.cost
    print_table(
        f"{c['formula']}  (w0 = {cell(result.w0)}, {result.steps} steps)",
        ["η", "η·C''(w*)", "behaviour", "w_T", "C(w_T)", "non-finite at step"],
        [[cell(r["lr"]), cell(r["eta_a"]), r["behaviour"], cell(r["w"][-1]), cell(r["cost"][-1]),
          r["diverged_at"] if r["diverged"] else MISSING] for r in result.runs],
    )


def _draw_gd(fig, result: GdResult) -> None:
    import numpy as np

    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(result.curve["w"], result.curve["cost"], color="0.4")
    lo, hi = min(result.curve["w"]), max(result.curve["w"])
    top = max(result.curve["cost"])
    for r in result.runs:
        w = np.asarray(r["w"])
        keep = (w >= lo) & (w <= hi)
        line, = ax1.plot(w[keep], np.asarray(r["cost"])[keep], "o-", ms=3, lw=0.8, label=f"η = {r['lr']:g}")
        ax2.plot(range(len(w)), np.clip(w, lo - 1, hi + 1), "o-", ms=3, lw=0.8, color=line.get_color())
    ax1.set(xlabel="w", ylabel="C(w)", ylim=(0, top * 1.05), title="iterates on the cost")
    ax2.set(xlabel="t", ylabel="w(t) (clipped)", title="w against t")
    ax1.legend(fontsize=7)


# ----------------------------------------------------------------------------------------- minima
@click.command("minima")
@config_option
@json_option
@_csv_option("Write C(w1) and the errors on the [minima] grid as CSV (w1, cost, errors).")
@_plot_option("Draw C(w1) with the minima and runs, and the data with the three decision lines (PNG).")
@click.option("--grid-points", type=int, default=None, help="Grid points over w1_range ([minima] grid_points).")
@click.option("--starts", callback=float_list("--starts"), default=None,
              help="Starting w1 of the runs, e.g. -5,-1.5,1.5 ([minima] starts).")
@click.option("--lr", type=float, default=None, help="Learning rate of the runs ([minima] learning_rate).")
@click.option("--steps", type=int, default=None, help="Steps of each run ([minima] steps).")
@click.option("--no-runs", is_flag=True, help="Skip the gradient-descent runs (then no torch is imported).")
def minima_command(config_file, as_json, csv_file, plot_file, grid_points, starts, lr, steps, no_runs):
    """The local minima of C(w1) on the shipped data: w1, cost, errors, misclassified points; GD runs."""
    from mathcore import config as config_mod
    from mathcore import minima
    from mathcore.output import print_json, save_plot, write_csv

    overrides = {"minima": {"grid_points": grid_points, "starts": starts, "learning_rate": lr, "steps": steps}}
    cfg = config_mod.load(config_file, overrides=overrides)
    result = minima.from_config(cfg, runs=not no_runs)
    if csv_file or plot_file:
        data = minima.load(cfg)
        lo, hi = result.w1_range
        w1, c = minima.grid(data, lo, hi, cfg.minima.grid_points)
        errs = minima.errors(w1, data)
        if csv_file:
            _wrote(write_csv(csv_file, ["w1", "cost", "errors"], zip(w1.tolist(), c.tolist(), errs.tolist())))
        if plot_file:
            _wrote(save_plot(plot_file, lambda fig: _draw_minima(fig, result, w1, c)))
    if as_json:
        print_json(result.to_dict())
        return
    print_table(
        f"local minima of C(w1), w2 = {cell(result.w2)}, {len(result.data['y'])} points (rule: {result.rule})",
        ["w1", "C(w1)", "errors", "misclassified rows", "decision line"],
        [[cell(m["w1"]), cell(m["cost"]), m["errors"], ", ".join(map(str, m["misclassified"])),
          f"x2 = {cell(m['line_slope'])}·x1"] for m in result.minima],
    )
    if result.runs is not None:
        print_table(
            f"gradient descent (torch), η = {cell(cfg.minima.learning_rate)}",
            ["start w1", "end w1", "C", "ends in minimum", "errors"],
            [[cell(r["start"]), cell(r["w1"][-1] if r["w1"] else None), cell(r["cost"][-1] if r["cost"] else None),
              MISSING if r["minimum"] is None else r["minimum"] + 1,
              MISSING if r["minimum"] is None else result.minima[r["minimum"]]["errors"]]
             for r in result.runs],
        )


def _draw_minima(fig, result: MinimaResult, w1, c) -> None:
    import numpy as np

    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(w1, c, color="0.3")
    for m in result.minima:
        ax1.plot(m["w1"], m["cost"], "v", color="C3")
        ax1.annotate(f"{m['errors']} errors", (m["w1"], m["cost"]), textcoords="offset points",
                     xytext=(0, -14), ha="center", fontsize=8)
    for r in result.runs or []:
        ax1.plot(r["w1"], r["cost"], ".", ms=2, alpha=0.5)
    ax1.set(xlabel="w1", ylabel="C(w1)", title="C(w1) = 1/n Σ (y − σ(w1 x1 + w2 x2))²")
    d = result.data
    x1, x2, y = (np.asarray(d[k], dtype=float) for k in ("x1", "x2", "y"))
    ax2.scatter(x1, x2, c=np.where(y == 1, "C3", "C0"), zorder=3)
    for i, (a, b) in enumerate(zip(x1, x2)):
        ax2.annotate(str(i), (a, b), textcoords="offset points", xytext=(4, 3), fontsize=7)
    span = np.array([x1.min() - 1, x1.max() + 1])
    for m in result.minima:
        ax2.plot(span, m["line_slope"] * span, lw=0.8, label=f"w1 = {m['w1']:.2f}: {m['errors']} errors")
    ax2.set(xlabel="x1", ylabel="x2", ylim=(x2.min() - 2, x2.max() + 2), title="decision lines (o = 0.5)")
    ax2.legend(fontsize=7)


# ---------------------------------------------------------------------------------------- trouble
@click.command("trouble")
@config_option
@json_option
@_csv_option("Write every step of every run as CSV (run, t, w, cost).")
@_plot_option("Draw cost against iterations for each run, titled with its diagnosis (PNG).")
@click.option("--lr", type=float, default=None, help="Learning rate of the C(w1) runs ([trouble] learning_rate).")
@click.option("--steps", type=int, default=None, help="Steps of the C(w1) runs ([trouble] steps).")
@click.option("--large-lr", type=float, default=None, help="The too-large learning rate ([trouble] large_lr).")
@click.option("--diagnose", "history", type=click.Path(dir_okay=False), default=None,
              help="Only diagnose the cost history in this CSV file (a column named cost).")
def trouble_command(config_file, as_json, csv_file, plot_file, lr, steps, large_lr, history):
    """Signs of trouble: runs that get stuck, crawl, or climb, and diagnose(costs) on each."""
    from mathcore import config as config_mod
    from mathcore import trouble
    from mathcore.output import print_json, save_plot, write_csv

    overrides = {"trouble": {"learning_rate": lr, "steps": steps, "large_lr": large_lr}}
    cfg = config_mod.load(config_file, overrides=overrides)
    if history:
        from mathcore.data import load_table

        costs = load_table(history, ["cost"])["cost"]
        if len(costs) < 3:
            raise ConfigError(history, "cost", "a history of at least 3 costs", len(costs))
        verdict = trouble.diagnose(costs, **trouble.thresholds(cfg))
        if as_json:
            print_json({"diagnosis": verdict, "advice": trouble.ADVICE[verdict], "costs": len(costs)})
        else:
            click.echo(f"{verdict}: {trouble.ADVICE[verdict]}")
        return
    result = trouble.from_config(cfg)
    if csv_file:
        rows = [(r["name"], t, w, c) for r in result.runs for t, (w, c) in enumerate(zip(r["w"], r["cost"]))]
        _wrote(write_csv(csv_file, ["run", "t", "w", "cost"], rows))
    if plot_file:
        _wrote(save_plot(plot_file, lambda fig: _draw_trouble(fig, result)))
    if as_json:
        print_json(result.to_dict())
        return
    print_table(
        "signs of trouble: cost against iterations",
        ["run", "shows", "η", "start", "C first", "C last", "diagnosis"],
        [[r["name"], r["shows"], cell(r["lr"]), cell(r["start"]), cell(r["cost"][0]), cell(r["cost"][-1]),
          r["diagnosis"] + (f" (step {r['diverged_at']})" if r["diverged"] else "")] for r in result.runs],
    )


def _draw_trouble(fig, result: TroubleResult) -> None:
    runs = result.runs
    fig.set_size_inches(2.2 * len(runs), 3.2)
    axes = fig.subplots(1, len(runs), squeeze=False)[0]
    fig.subplots_adjust(wspace=0.55)
    for ax, r in zip(axes, runs):
        ax.plot(range(len(r["cost"])), r["cost"], lw=1)
        ax.set_title(f"{r['name']}\n→ {r['diagnosis']}", fontsize=8)
        ax.set_xlabel("iteration", fontsize=7)
        ax.tick_params(labelsize=6)
    axes[0].set_ylabel("cost")


commands = (gd_command, minima_command, trouble_command)
