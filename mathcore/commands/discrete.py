"""``mathcore rule-game``, ``mathcore dot-products``, ``mathcore relu-transform`` (parts 7 and 12; no torch)."""
from __future__ import annotations

import click

from mathcore.display import MISSING, cell

from ..options import comma_list, config_option, json_option
from ..output import print_table


def _vec(values, digits: int = 4) -> str:
    from ..display import fmt

    return "(" + ", ".join(fmt(float(v), digits) for v in values) + ")"


def _term(value: float) -> str:
    text = cell(value)
    return f"({text})" if value < 0 else text


# --------------------------------------------------------------------------- part 7


@click.command("rule-game")
@config_option
@json_option
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), default=None,
              help="Write the hypotheses, each with the number that eliminates it, as CSV.")
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False), default=None,
              help="PNG: which revealed number contradicts which hypothesis.")
@click.option("--numbers", callback=comma_list("--numbers", str, "9931,8937"), default=None,
              help="Revealed numbers in order, e.g. 9931,8937,1728 (overrides [rule_game] numbers).")
@click.option("--outcomes", callback=comma_list("--outcomes", str, "lose,win"), default=None,
              help="win or lose per number, e.g. lose,lose,win.")
@click.option("--rounds", callback=comma_list("--rounds", int), default=None,
              help="Numbers revealed by the end of each slide, e.g. 4,8.")
def rule_game(config_file, as_json, csv_file, plot_file, numbers, outcomes, rounds):
    """The rule game: which hypothesis each revealed number eliminates, and where the slides' marks differ."""
    from .. import config as config_mod
    from .. import output, rulegame

    if numbers is not None and rounds is None:
        rounds = [len(numbers)]  # a new game without rounds: one slide reveals everything
    cfg = config_mod.load(config_file, overrides={"rule_game": {"numbers": numbers, "outcomes": outcomes,
                                                                "rounds": rounds}})
    game = rulegame.from_config(cfg)
    doc = game.to_dict()
    if csv_file:
        output.write_csv(csv_file, ["id", "name", "eliminated_by", "slide_mark", "why"],
                         [[h["id"], h["name"], h["eliminated_by"], h["slide_mark"], h["why"]]
                          for h in doc["hypotheses"]])
    if plot_file:
        output.save_plot(plot_file, lambda fig: _draw_rule_game(fig, game))
    if as_json:
        output.print_json(doc)
        return
    print_table("rule game: revealed numbers, in order", ["#", "number", "outcome", "eliminates"],
           [[str(i + 1), r["number"], r["outcome"], ", ".join(r["eliminates"]) or MISSING]
            for i, r in enumerate(doc["reveals"])])
    print_table("hypotheses, each read as 'good iff …'", ["hypothesis", "eliminated by", "slide's mark"],
           [[h["name"], h["eliminated_by"] or "survives", h["slide_mark"]] for h in doc["hypotheses"]])
    click.echo("survivors: " + (", ".join(doc["survivors"]) or "none"))
    for d in doc["differs_from_slides"]:
        click.echo(f"differs from the slides: {d['name']}: slide {d['slide']}, computed {d['computed']}: {d['why']}")


def _draw_rule_game(fig, game) -> None:
    import numpy as np

    reveals = game.reveals
    names = [v.hypothesis.name for v in game.verdicts]
    # 1 where the hypothesis's deciding rules are all contradicted by then, shown per reveal
    grid = np.array([[1.0 if v.at is not None and v.at <= i else 0.0 for i in range(len(reveals))]
                     for v in game.verdicts])
    fig.set_size_inches(8, 0.4 * len(names) + 1.5)
    ax = fig.add_subplot(111)
    ax.imshow(grid, cmap="Greys", vmin=0, vmax=2, aspect="auto")
    for h, v in enumerate(game.verdicts):
        if v.at is not None:
            ax.text(v.at, h, "✗", ha="center", va="center", color="crimson", fontsize=12)
    ax.set_xticks(range(len(reveals)), [f"{r.number}\n{r.outcome}" for r in reveals])
    ax.set_yticks(range(len(names)), names)
    ax.set_title("rule game: ✗ = the revealed number that eliminates the hypothesis (grey from then on)")


# --------------------------------------------------------------------------- part 12


@click.command("dot-products")
@config_option
@json_option
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), default=None, help="Write the table as CSV.")
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False), default=None,
              help="PNG: each pair's arrows and the projection of x on y.")
@click.option("--data", "data_file", default=None, help="CSV with columns x1,x2,y1,y2 (overrides [geometry] data).")
def dot_products(config_file, as_json, csv_file, plot_file, data_file):
    """The slide's vector pairs: x·y, |x|, |y|, the angle, cos θ and the projection of x on y."""
    from .. import config as config_mod
    from .. import geometry, output

    cfg = config_mod.load(config_file)
    xp, yp = geometry.load_pairs(cfg, data_file)
    t = geometry.pair_table(xp, yp)
    rows = geometry.dot_rows(xp, yp, t)
    if csv_file:
        cols = ["dot", "norm_x", "norm_y", "angle_deg", "angle_rad", "cos", "scalar_projection"]
        output.write_csv(csv_file, ["x1", "x2", "y1", "y2", *cols, "projection_1", "projection_2"],
                         [[*map(float, r["x"]), *map(float, r["y"]), *(float(r[c]) for c in cols),
                           *map(float, r["vector_projection"])] for r in rows])
    if plot_file:
        output.save_plot(plot_file, lambda fig: _draw_pairs(fig, xp, yp, t))
    if as_json:
        output.print_json({"pairs": rows})
        return
    print_table("x·y = |x||y| cos θ; projection of x on y (radians in --json/--csv)",
           ["x", "y", "x·y", "|x|", "|y|", "θ°", "cos θ", "proj", "proj vector"],
           [[_vec(r["x"], 3), _vec(r["y"], 3), cell(r["dot"]), cell(r["norm_x"]), cell(r["norm_y"]),
             cell(r["angle_deg"], 3), cell(r["cos"]), cell(r["scalar_projection"]),
             _vec(r["vector_projection"], 3)] for r in rows])


def _draw_pairs(fig, xp, yp, t) -> None:
    n = len(xp)
    cols = min(n, 5)
    rows = -(-n // cols)
    fig.set_size_inches(2.4 * cols, 2.5 * rows)
    lim = max(1.0, float(abs(xp).max()), float(abs(yp).max())) * 1.1
    for i in range(n):
        ax = fig.add_subplot(rows, cols, i + 1)
        for vec, colour in ((xp[i], "tab:blue"), (yp[i], "tab:orange"), (t["vector_projection"][i], "tab:green")):
            ax.annotate("", xy=vec, xytext=(0, 0), arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.5})
        p = t["vector_projection"][i]
        ax.plot([xp[i][0], p[0]], [xp[i][1], p[1]], ":", color="grey", lw=1)
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.axhline(0, color="lightgrey", lw=0.5)
        ax.axvline(0, color="lightgrey", lw=0.5)
        ax.set_title(f"x·y = {t['dot'][i]:.3g}, θ = {t['angle_deg'][i]:.0f}°", fontsize=8)
        ax.tick_params(labelsize=6)
    fig.suptitle("x (blue), y (orange), projection of x on y (green)", fontsize=9)
    fig.tight_layout()


@click.command("relu-transform")
@config_option
@json_option
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), default=None,
              help="Write the grid and its images (Wx, ReLU(Wx), zeroed coordinates) per matrix as CSV.")
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False), default=None,
              help="PNG: the plane coloured by the face ReLU(Wx) lands on, and the folded image in 3-D.")
@click.option("--x", "x_vec", callback=comma_list("--x", float), default=None,
              help="The vector x, e.g. 0.6,-1.2 (overrides [geometry] x).")
@click.option("--extent", type=float, default=None, help="The grid covers [-extent, extent]².")
@click.option("--points", type=int, default=None, help="Grid points per side.")
def relu_transform(config_file, as_json, csv_file, plot_file, x_vec, extent, points):
    """Wx as dot products of W's rows with x, ReLU(Wx), and where a grid of the plane lands under ReLU(Wx)."""
    from .. import config as config_mod
    from .. import geometry, output

    cfg = config_mod.load(config_file, overrides={"geometry": {"x": x_vec, "grid_extent": extent,
                                                               "grid_points": points}})
    g = geometry.from_config(cfg)
    doc = g.relu_dict()
    if csv_file:
        k = max(len(W) for W in g.matrices)
        header = ["matrix", "x1", "x2", *(f"wx{i + 1}" for i in range(k)), *(f"relu{i + 1}" for i in range(k)),
                  "zeros", "pattern"]

        def rows():
            for name, img in zip(g.names, g.images):
                pad = [None] * (k - img["wx"].shape[1])
                for p, wx, r, z, pat in zip(img["points"].tolist(), img["wx"].tolist(), img["relu"].tolist(),
                                            img["zeros"].tolist(), img["pattern"].tolist()):
                    yield [name, *p, *wx, *pad, *r, *pad, z, pat]

        output.write_csv(csv_file, header, rows())
    if plot_file:
        output.save_plot(plot_file, lambda fig: _draw_relu(fig, g))
    if as_json:
        output.print_json(doc)
        return
    for m in doc["matrices"]:
        print_table(f"{m['name']} x, x = {_vec(g.x)}", ["row i", "w_i", "w_i · x", "(Wx)_i", "ReLU"],
               [[str(i + 1), _vec(c["row"]), " + ".join(_term(float(v)) for v in c["terms"]), cell(c["dot"]),
                 cell(float(m["relu"][i]))] for i, c in enumerate(m["components"])])
        faces = ", ".join(f"{p}: {n}" for p, n in m["grid_faces"]["by_pattern"].items())
        click.echo(f"{m['name']}: grid of {doc['grid']['points']} points lands on {faces}")
    if doc["all_zero"]:
        click.echo("ReLU(Wx) = 0 for " + ", ".join(doc["all_zero"]))


def _draw_relu(fig, g) -> None:
    import numpy as np

    n = len(g.matrices)
    fig.set_size_inches(3.6 * n, 7)
    cmap = {0: "tab:green", 1: "tab:blue", 2: "tab:orange", 3: "tab:red"}
    for j, (name, W, img, prod) in enumerate(zip(g.names, g.matrices, g.images, g.products)):
        colours = [cmap.get(int(z), "black") for z in img["zeros"]]
        ax = fig.add_subplot(2, n, j + 1)
        ax.scatter(img["points"][:, 0], img["points"][:, 1], c=colours, s=4)
        ts = np.linspace(-g.extent, g.extent, 2)
        for w in W:  # the line w·x = 0 where that coordinate switches off
            if abs(w[1]) > 1e-12:
                ax.plot(ts, -w[0] * ts / w[1], color="grey", lw=0.8)
            else:
                ax.axvline(0, color="grey", lw=0.8)
        ax.plot(*g.x, "k*", ms=10)
        ax.set_xlim(-g.extent, g.extent)
        ax.set_ylim(-g.extent, g.extent)
        ax.set_aspect("equal")
        ax.set_title(f"{name}: ReLU(Wx) = {_vec(prod['relu'])}", fontsize=8)
        if W.shape[0] == 3:
            ax3 = fig.add_subplot(2, n, n + j + 1, projection="3d")
            r = img["relu"]
            ax3.scatter(r[:, 0], r[:, 1], r[:, 2], c=colours, s=3)
            ax3.set_title(f"ReLU({name}x) of the grid", fontsize=8)
    fig.suptitle("colour = coordinates ReLU zeroes: 0 green, 1 blue, 2 orange, 3 red; ★ = x", fontsize=9)


commands = (rule_game, dot_products, relu_transform)
