"""``mathcore bench``: the speed figures of the numeric core, measured in one run.

Grids (vectorised): C(w1) on 10^6 points, L(w) of the batch table on 10^6 points,
a 200 x 200 decision grid, the ReLU(Wx) image of 10^6 plane points. Training
runs: each one the lecture uses, with the cache off, on one thread. Start-up:
``mathcore chain`` (no torch) and ``mathcore tree`` (torch) in fresh processes.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

import click

from ..options import config_option, json_option


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def grid_cases(cfg):
    """(name, points, callable) for the vectorised grids."""
    import numpy as np

    from .. import batches, geometry, manifold, minima

    w = np.linspace(-10.0, 10.0, 1_000_000)
    x, y = batches.table(cfg)
    data = minima.load(cfg)
    mats = geometry.from_config(cfg)
    plane = geometry.plane_grid(2.0, 1000)
    models = manifold.classifiers(cfg, "hypothetical")  # trained once: the grid is what is timed
    return [
        ("C(w1), local-minimum data", 1_000_000, lambda: minima.cost(w, data)),
        ("L(w), batch table", 1_000_000, lambda: batches.loss(w, x, y)),
        ("decision grid, manifold classifiers", 200 * 200,
         lambda: manifold.decision_grid(cfg, "hypothetical", 200, models=models)),
        ("ReLU(Wx) image of the plane", len(plane), lambda: geometry.grid_image(mats.matrices[0], plane)),
    ]


def training_cases(cfg):
    """(name, callable) for every training run the lecture uses."""
    from .. import approximation, autoencoder, batches, manifold, minima, playground, race, trouble, vanishing

    return [
        ("minima: gradient descent from each start", lambda: minima.from_config(cfg, runs=True)),
        ("trouble: the five runs", lambda: trouble.runs(cfg)),
        ("batches: random batches, minibatch and SGD runs", lambda: batches.from_config(cfg)),
        ("race: surface", lambda: race.from_config(cfg, "surface")),
        ("race: line", lambda: race.from_config(cfg, "line")),
        ("vanishing: layer norms (3 networks)", lambda: vanishing.layer_norms(cfg)),
        ("playground: single run", lambda: playground.single_run(cfg)),
        ("playground: XOR good and stalled runs", lambda: playground.xor_runs(cfg)),
        ("playground: activations compared", lambda: playground.compare_runs(cfg)),
        ("manifold: classifiers, both data sets", lambda: manifold.from_config(cfg)),
        ("approximation: fits", lambda: approximation.from_config(cfg)),
        ("autoencoder", lambda: autoencoder.from_config(cfg)),
    ]


def _startup(args: list[str]) -> tuple[float, bool]:
    code = (
        "import sys, time; t = time.perf_counter()\n"
        "from mathcore.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print(time.perf_counter() - t, 'torch' in sys.modules, file=sys.stderr)"
    )
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    total = time.perf_counter() - start
    torch_loaded = proc.stderr.strip().split()[-1] == "True"
    return total, torch_loaded


@click.command()
@config_option
@json_option
def bench(config_file, as_json):
    """Time the grids, every training run (cache off, one thread) and the CLI's start-up."""
    from .. import config as config_mod
    from ..output import print_json

    cfg = config_mod.load(config_file)
    os.environ["MATHCORE_CACHE"] = "off"  # measure the work, not the cache
    rows = []
    for name, points, fn in grid_cases(cfg):
        fn()  # warm up (imports, first allocation)
        seconds = round(min(_timed(fn) for _ in range(3)), 4)
        rows.append({"kind": "grid", "name": name, "points": points, "seconds": seconds})
    total = 0.0
    for name, fn in training_cases(cfg):
        seconds = _timed(fn)
        total += seconds
        rows.append({"kind": "training", "name": name, "seconds": round(seconds, 3)})
    rows.append({"kind": "training", "name": "all training runs", "seconds": round(total, 3)})
    for args in (["chain", "--json"], ["rule-game", "--json"], ["tree", "--json"]):
        seconds, torch_loaded = _startup(args)
        rows.append({"kind": "start-up", "name": "mathcore " + " ".join(args), "seconds": round(seconds, 3),
                     "imports_torch": torch_loaded})
    if as_json:
        print_json(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="mathcore bench (one thread, cache off)")
    for col in ("kind", "name", "points", "seconds", "torch"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["kind"], r["name"], str(r.get("points", "")), f"{r['seconds']:.3f}",
                      "" if "imports_torch" not in r else str(r["imports_torch"]))
    Console(width=120).print(table)


commands = (bench,)
