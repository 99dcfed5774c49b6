"""``out/explore/``: three pages a student plays with, on mathcore's numbers for the config in use.

- gradient descent: a slider for η over the lecture's cost curve; the iterates of ``mathcore gd`` for each η of a
  grid (the config's own rates among them);
- local minima: a slider for w1 that turns the decision line and moves the cursor on C(w1), with the errors of
  ``mathcore minima`` at each w1 of a grid;
- the hidden rule game: a typed 4-digit number wins or loses by ``[rule_game] hidden_rule``, and the board's
  hypotheses fall as ``mathcore rule-game`` eliminates them (every rule's verdict on 0000-9999, precomputed).

Each page is a template from ``assets/explorables/`` with its numbers embedded as JSON; plain HTML, SVG and
JavaScript, nothing fetched, so it works opened from disk.
"""
from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import numpy as np

from scenes.pipeline.atomic import copy, write_text

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "explorables"
FOLDER = "explore"
#: What the pages share (copied beside them).
SHARED = ("explore.css", "plot.js")
#: Learning rates on the slider besides the config's own: an even grid up to past the point of divergence.
ETA_POSITIONS = 120
#: Positions of the w1 slider (mathcore's search grid can be far finer than a slider needs).
W1_POSITIONS = 1201
#: The numbers a student may type: every 4-digit string, as the slides write them.
NUMBERS = [f"{n:04d}" for n in range(10_000)]


def etas(cfg) -> list[float]:
    """The slider's learning rates: the config's own and an even grid from 0 to 1.1 × past both the largest of
    them and 2 / C''(w*) (beyond which a step moves away from the minimum)."""
    top = 1.1 * max(max(cfg.gd.learning_rates), 2.0 / cfg.gd.curvature)
    grid = {round(top * k / ETA_POSITIONS, 4) for k in range(1, ETA_POSITIONS + 1)}
    return sorted(grid | set(cfg.gd.learning_rates))


def gradient_descent(cfg) -> dict:
    """``mathcore gd`` for the config with ``--lr`` set to the slider's rates."""
    from mathcore import config, gd

    rates = etas(cfg)
    doc = gd.from_config(config.load(cfg.path, overrides={"gd": {"learning_rates": rates}})).to_dict()
    doc["lecture_rates"] = list(cfg.gd.learning_rates)
    doc["w_range"] = list(cfg.gd.w_range)
    return doc


def local_minima(cfg) -> dict:
    """``mathcore minima`` (no torch runs) and, at each slider position, C(w1), the errors and which points."""
    from mathcore import minima

    doc = minima.from_config(cfg, runs=False).to_dict()
    data = minima.load(cfg)
    lo, hi = cfg.minima.w1_range
    w1 = np.linspace(lo, hi, W1_POSITIONS)
    wrong = [tuple(minima.misclassified(w, data)) for w in w1]
    sets = sorted(set(wrong))
    doc["grid"] = {"w1": w1, "cost": minima.cost(w1, data), "errors": minima.errors(w1, data),
                   "wrong": [sets.index(s) for s in wrong]}
    doc["wrong_sets"] = [list(s) for s in sets]
    return doc


def _bits(flags: list[bool]) -> str:
    return base64.b64encode(np.packbits(np.asarray(flags, dtype=bool)).tobytes()).decode()


def rule_game(cfg) -> dict:
    """Each hypothesis's rules' verdicts on every 4-digit number, the hidden rule's, and the lecture's reveals."""
    from mathcore import rulegame

    def verdicts(rule) -> dict:
        says = [rule.verdict(n) for n in NUMBERS]
        return {"text": rule.text, "good": _bits([s is True for s in says]), "claims": _bits([s is not None
                                                                                            for s in says])}

    hidden = rulegame.hidden_rule(cfg)
    sec = cfg.rule_game
    return {
        "hypotheses": [{"id": h, "name": rulegame.HYPOTHESES[h].name,
                        "rules": [verdicts(r) for r in rulegame.HYPOTHESES[h].rules]} for h in sec.hypotheses],
        "hidden": _bits([hidden.verdict(n) is True for n in NUMBERS]),
        "lecture": [{"number": n, "outcome": o} for n, o in zip(sec.numbers, sec.outcomes)],
    }


#: scene, file stem, page title, what it computes.
PAGES = (
    ("GradientDescentUpdate", "gradient-descent", "Gradient descent: choose the learning rate", gradient_descent),
    ("LocalMinima", "local-minima", "Local minima: turn the decision line", local_minima),
    ("HiddenRuleGame", "rule-game", "The hidden rule game: play it", rule_game),
)


def embed(data) -> str:
    """JSON safe inside <script>: no '<' (so no '</script>' or '<!--' from a config string), no NaN."""
    def plain(value):
        if isinstance(value, np.ndarray):
            return value.tolist()
        if isinstance(value, np.generic):
            return value.item()
        raise TypeError(f"not JSON: {type(value).__name__}")

    return json.dumps(data, default=plain, allow_nan=False, separators=(",", ":")).replace("<", "\\u003c")


def inputs() -> list[Path]:
    """The templates and shared files the pages are made of (a build's stamp reads them)."""
    return sorted(ASSETS.iterdir())


def build(out: Path, cfg) -> list[dict]:
    """Write ``out/explore/*.html`` and their shared files; a row per page: scene, title, href (under ``out``)."""
    folder = Path(out) / FOLDER
    rows = []
    pages = [(scene, stem, title, compute(cfg)) for scene, stem, title, compute in PAGES]  # bad config: nothing written
    for name in SHARED:
        copy(ASSETS / name, folder / name)
    for scene, stem, title, data in pages:
        template = (ASSETS / f"{stem}.html").read_text(encoding="utf-8")
        page = template.replace("{{title}}", html.escape(title)).replace("{{data}}", embed(data))
        write_text(folder / f"{stem}.html", page)
        rows.append({"scene": scene, "title": title, "href": f"{FOLDER}/{stem}.html"})
    return rows


def outputs(out: Path) -> list[Path]:
    folder = Path(out) / FOLDER
    return [folder / name for name in SHARED] + [folder / f"{stem}.html" for _, stem, _, _ in PAGES]
