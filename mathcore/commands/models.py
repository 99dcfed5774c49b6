"""``mathcore manifold``, ``approximation``, ``autoencoder`` (parts 8, 10, 11; torch, imported late)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import click

from mathcore.display import MISSING, cell

from ..options import comma_list, config_option, json_option
from ..output import print_table

if TYPE_CHECKING:  # annotations only: torch is imported when a command runs
    from ..approximation import ApproximationResult
    from ..autoencoder import AutoencoderResult
    from ..manifold import ManifoldResult


def _csv_option(what: str):
    return click.option("--csv", "csv_file", type=click.Path(dir_okay=False), default=None,
                        help=f"Write {what} as CSV.")


def _plot_option(what: str):
    return click.option("--plot", "plot_file", type=click.Path(dir_okay=False), default=None, help=f"PNG: {what}.")


def _training_options(fn):
    fn = click.option("--learning-rate", type=float, default=None, help="Adam's learning rate.")(fn)
    fn = click.option("--steps", type=int, default=None, help="Full-batch training steps.")(fn)
    return click.option("--seed", type=int, default=None, help="Random seed (data and initial weights).")(fn)


def _status(record) -> str:
    return f"diverged at step {record['diverged_at']}" if record["diverged"] else "ok"


# --------------------------------------------------------------------------- part 8


@click.command("manifold")
@config_option
@json_option
@_csv_option("the data points and the blue point, with every classifier's P(class 1)")
@_plot_option("the data, each classifier's decision boundary and the blue point")
@_training_options
@click.option("--grid-size", type=int, default=None, help="Decision grid of N x N points.")
@click.option("--hidden", callback=comma_list("--hidden", int, "16,16"), default=None,
              help="MLP layer widths, e.g. 16,16.")
@click.option("--activation", default=None, help="MLP activation: relu, tanh, sigmoid or linear.")
@click.option("--classifier-seeds", callback=comma_list("--classifier-seeds", int, "16,16"), default=None,
              help="One MLP per seed, e.g. 1,2,3,4.")
@click.option("--with-grid", is_flag=True, help="Put the full P(class 1) grids into the JSON (large).")
def manifold(config_file, as_json, csv_file, plot_file, seed, steps, learning_rate, grid_size, hidden, activation,
             classifier_seeds, with_grid):
    """Data on a thin manifold: classifiers that all fit it disagree away from it (the blue point)."""
    from .. import config as config_mod
    from .. import manifold as mod
    from .. import output

    cfg = config_mod.load(config_file, overrides={"manifold": {
        "seed": seed, "steps": steps, "learning_rate": learning_rate, "grid_size": grid_size, "mlp_hidden": hidden,
        "mlp_activation": activation, "classifier_seeds": classifier_seeds}})
    doc = mod.from_config(cfg, with_grid=with_grid)
    if csv_file:
        names = [c["name"] for c in doc.datasets[0]["classifiers"]]
        rows = []
        for name in mod.DATASETS:
            data, models = mod.make_data(cfg, name), {c.name: c for c in mod.classifiers(cfg, name)}
            pts = list(data.points) + [data.blue]
            kinds = ["data"] * len(data.points) + ["blue"]
            labels = list(data.labels) + [None]
            probs = {n: (models[n].prob(data.points).tolist() + [float(models[n].prob(data.blue[None])[0])]
                         if not models[n].diverged else [None] * len(pts)) for n in names}
            rows += [[name, kind, float(p[0]), float(p[1]), None if lab is None else int(lab),
                      *[probs[n][i] for n in names]]
                     for i, (kind, p, lab) in enumerate(zip(kinds, pts, labels))]
        output.write_csv(csv_file, ["dataset", "kind", "x1", "x2", "label", *[f"p_{n}" for n in names]], rows)
    if plot_file:
        output.save_plot(plot_file, lambda fig: _draw_manifold(fig, doc))
    if as_json:
        output.print_json(doc.to_dict())
        return
    for d in doc.datasets:
        print_table(f"{d['name']}: {len(d['points'])} points, thickness {cell(d['thickness'], 3)}; "
               f"blue point {tuple(round(v, 3) for v in d['blue_point'])}"
               f"{' — the classifiers disagree' if d['blue_disagreement'] else ''}",
               ["classifier", "training", "train accuracy", "final loss", "P(class 1) at blue", "blue's class"],
               [[c["name"], _status(c), cell(c["train_accuracy"], 3), cell(c["final_loss"]),
                 cell(c.get("blue_prob")), str(c.get("blue_label", MISSING))] for c in d["classifiers"]])


def _draw_manifold(fig, doc: ManifoldResult) -> None:
    import numpy as np

    fig.set_size_inches(11, 4.5)
    for k, d in enumerate(doc.datasets):
        ax = fig.add_subplot(1, len(doc.datasets), k + 1)
        pts, labels = np.asarray(d["points"]), np.asarray(d["labels"])
        for cls, colour in ((0, "tab:orange"), (1, "tab:green")):
            ax.scatter(*pts[labels == cls].T, s=12, color=colour, label=f"class {cls}")
        for i, c in enumerate(d["classifiers"]):
            for j, line in enumerate(c.get("boundary", [])):
                ax.plot(*np.asarray(line).T, color=f"C{(i + 4) % 10}", lw=1.2, label=c["name"] if j == 0 else None)
        ax.plot(*d["blue_point"], "o", color="blue", ms=9, label="blue point")
        ax.set_xlim(*d["grid"]["x"])
        ax.set_ylim(*d["grid"]["y"])
        ax.set_xlabel(d["features"][0])
        ax.set_ylabel(d["features"][1])
        ax.set_title(d["name"])
        ax.legend(fontsize=7)


# --------------------------------------------------------------------------- part 10


@click.command("approximation")
@config_option
@json_option
@_csv_option("x, actual and predicted for each case")
@_plot_option("actual vs predicted in the three cases")
@_training_options
@click.option("--function", default=None, help="sin, cos, sinc, gaussian, tanh, x_sin or cubic.")
@click.option("--points", type=int, default=None, help="Training points for the good fit.")
@click.option("--few-points", type=int, default=None, help="Training points for problem #1.")
@click.option("--hidden", callback=comma_list("--hidden", int, "16,16"), default=None, help="Layer widths, e.g. 32,32.")
@click.option("--activation", default=None, help="relu, tanh, sigmoid or linear.")
def approximation(config_file, as_json, csv_file, plot_file, seed, steps, learning_rate, function, points,
                  few_points, hidden, activation):
    """A network fitted to a 1-D function: fine in range, poor with few points, wrong outside the range."""
    from .. import approximation as mod
    from .. import config as config_mod
    from .. import output

    cfg = config_mod.load(config_file, overrides={"approximation": {
        "seed": seed, "steps": steps, "learning_rate": learning_rate, "function": function, "points": points,
        "few_points": few_points, "hidden": hidden, "activation": activation}})
    doc = mod.from_config(cfg)
    if csv_file:
        rows = [[c["name"], x, a, None if c["predicted"] is None else c["predicted"][i], int(c["inside"][i])]
                for c in doc.cases for i, (x, a) in enumerate(zip(c["x"], c["actual"]))]
        output.write_csv(csv_file, ["case", "x", "actual", "predicted", "inside_training_range"], rows)
    if plot_file:
        output.save_plot(plot_file, lambda fig: _draw_approximation(fig, doc))
    if as_json:
        output.print_json(doc.to_dict())
        return
    fits = {f["name"]: f for f in doc.fits}
    print_table(f"f(x) = {doc.function}({cell(doc.frequency)}·x), trained on {doc.train_range}",
           ["case (slide)", "training points", "training", "RMS error inside", "RMS error outside"],
           [[c["title"], str(fits[c["fit"]]["points"]), _status(fits[c["fit"]]),
             cell(c["rmse_inside"]), cell(c["rmse_outside"])] for c in doc.cases])


def _draw_approximation(fig, doc: ApproximationResult) -> None:
    fig.set_size_inches(13, 4)
    fits = {f["name"]: f for f in doc.fits}
    for k, c in enumerate(doc.cases):
        ax = fig.add_subplot(1, len(doc.cases), k + 1)
        ax.axvspan(*doc.train_range, color="0.93", label="training range")
        ax.plot(c["x"], c["actual"], color="tab:blue", label="actual")
        if c["predicted"] is not None:
            ax.plot(c["x"], c["predicted"], color="tab:red", label="predicted")
        f = fits[c["fit"]]
        ax.plot(f["train_x"], f["train_y"], "k.", ms=4, label="training data")
        ax.set_title(c["title"], fontsize=9)
        ax.legend(fontsize=7)


# --------------------------------------------------------------------------- part 11


@click.command("autoencoder")
@config_option
@json_option
@_csv_option("each point's t, position, latent coordinate and reconstruction")
@_plot_option("data, reconstructions and the decoded latent line; latent against t")
@_training_options
@click.option("--curve", default=None, help="arc or spiral.")
@click.option("--count", type=int, default=None, help="Number of data points.")
@click.option("--noise", type=float, default=None, help="Noise around the curve (standard deviation).")
@click.option("--hidden", type=int, default=None, help="Width of the hidden layers.")
@click.option("--activation", default=None, help="relu, tanh, sigmoid or linear.")
def autoencoder(config_file, as_json, csv_file, plot_file, seed, steps, learning_rate, curve, count, noise, hidden,
                activation):
    """An auto-encoder 2 -> hidden -> 1 -> hidden -> 2 on points near a curve: its latent coordinate."""
    from .. import autoencoder as mod
    from .. import config as config_mod
    from .. import output

    cfg = config_mod.load(config_file, overrides={"autoencoder": {
        "seed": seed, "steps": steps, "learning_rate": learning_rate, "curve": curve, "count": count,
        "noise": noise, "hidden": hidden, "activation": activation}})
    doc = mod.from_config(cfg)
    if csv_file:
        n = len(doc.t)
        latent = doc.latent or [None] * n
        recon = doc.reconstruction or [[None, None]] * n
        output.write_csv(csv_file, ["t", "x", "y", "latent", "recon_x", "recon_y"],
                         [[t, p[0], p[1], z, r[0], r[1]]
                          for t, p, z, r in zip(doc.t, doc.points, latent, recon)])
    if plot_file:
        output.save_plot(plot_file, lambda fig: _draw_autoencoder(fig, doc))
    if as_json:
        output.print_json(doc.to_dict())
        return
    rows = [["curve", doc.curve], ["points", str(len(doc.t))], ["training", _status(doc.to_dict())],
            ["final loss (standardised)", cell(doc.final_loss)], ["data variance", cell(doc.data_variance)]]
    if not doc.diverged:
        rows += [["reconstruction error (mean squared distance)", cell(doc.reconstruction_mse)],
                 ["error / variance", cell(doc.reconstruction_mse / doc.data_variance)],
                 ["Spearman rho(latent, t)", cell(doc.spearman_rho)],
                 ["latent range", f"{cell(min(doc.latent))} … {cell(max(doc.latent))}"]]
    print_table("auto-encoder 2 → hidden → 1 → hidden → 2", ["quantity", "value"], rows)


def _draw_autoencoder(fig, doc: AutoencoderResult) -> None:
    import numpy as np

    fig.set_size_inches(10, 4.5)
    ax = fig.add_subplot(1, 2, 1)
    ax.plot(*np.asarray(doc.points).T, "k.", ms=3, label="data")
    ax.plot(*np.asarray(doc.true_curve).T, color="0.7", lw=1, label="true curve")
    if not doc.diverged:
        ax.plot(*np.asarray(doc.reconstruction).T, ".", color="tab:red", ms=3, label="reconstruction")
        ax.plot(*np.asarray(doc.decoded_line).T, color="tab:blue", lw=1.5, label="decoder(latent line)")
    ax.set_aspect("equal")
    ax.legend(fontsize=7)
    ax = fig.add_subplot(1, 2, 2)
    if not doc.diverged:
        ax.plot(doc.t, doc.latent, ".", ms=3)
    ax.set_xlabel("t (position along the curve)")
    ax.set_ylabel("latent coordinate")


commands = (manifold, approximation, autoencoder)
