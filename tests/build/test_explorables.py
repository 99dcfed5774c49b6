"""The explorables (``out/explore/``) in headless Chromium, opened from disk: what they draw and answer is mathcore's.

A test script is appended to a copy of a page: it moves a slider (an ``input`` event, as a drag sends) or plays
numbers, and leaves what the page then shows as JSON in the DOM, which Chromium dumps.
"""
from __future__ import annotations

import dataclasses
import html
import json
import random
import re
from pathlib import Path

import numpy as np
import pytest

from mathcore import config, gd, minima, rulegame
from mathcore.errors import ConfigError
from scenes.pipeline import explorables
from scenes.pipeline.stamps import Stamps
from tests.build.test_lecture_build import chromium, lecture

#: A parabola (no quartic, no cubic): its iterates have a closed form, w_t = w* + (1 − η a)^t (w0 − w*).
PARABOLA = """[gd]
w_star = 0.5
curvature = 2.0
quartic = 0.0
cubic = 0.0
w0 = 3.0
learning_rates = [0.05, 0.3, 0.8, 1.2]
"""


def run_in_page(page: Path, script: str, profile: Path):
    """Open a copy of ``page`` with ``script`` (a function body) run after the page's own; what it returns."""
    probe = page.with_name(f"probe-{page.name}")
    harness = (f"<script>\n(() => {{ const result = (() => {{ {script} }})();\n"
               "const pre = document.createElement('pre'); pre.id = 'probe-result';\n"
               "pre.textContent = JSON.stringify(result); document.body.appendChild(pre); })();\n</script>\n")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", harness + "</body>"), encoding="utf-8")
    dom = chromium("--no-first-run", "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", f"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom",
                   probe.as_uri()).stdout
    found = re.search(r'<pre id="probe-result">(.*?)</pre>', dom, re.S)
    assert found, "the page's scripts did not run: " + dom[-800:]
    return json.loads(html.unescape(found[1]))


def built(tmp_path: Path, cfg) -> Path:
    rows = explorables.build(tmp_path / "out", cfg)
    assert [r["scene"] for r in rows] == ["GradientDescentUpdate", "LocalMinima", "HiddenRuleGame"]
    for r in rows:
        assert (tmp_path / "out" / r["href"]).is_file() and r["title"]
    return tmp_path / "out" / "explore"


def load(write_config, text: str | None):
    return config.load(write_config(text) if text else config.DEFAULT_CONFIG)


# ------------------------------------------------------------------------------------ gradient descent

SET_ETA = """
const slider = document.getElementById("eta"), out = [];
for (const k of KS) {
  slider.value = k; slider.dispatchEvent(new Event("input"));
  const p = document.getElementById("path");
  out.push({lr: Number(p.dataset.lr), w: JSON.parse(p.dataset.w), points: p.getAttribute("points"),
            x: JSON.parse(p.dataset.x), y: JSON.parse(p.dataset.y), box: JSON.parse(p.dataset.box),
            behaviour: document.body.dataset.behaviour, words: document.getElementById("behaviour").textContent,
            length: p.getTotalLength()});
}
return out;
"""


@pytest.mark.slow
@pytest.mark.parametrize("text", [None, PARABOLA], ids=["lecture", "parabola"])
def test_eta_slider_draws_mathcores_iterates(tmp_path, write_config, text):
    cfg = load(write_config, text)
    rates = explorables.etas(cfg)
    assert set(cfg.gd.learning_rates) <= set(rates), "the lecture's own rates are on the slider"
    ks = [rates.index(lr) for lr in cfg.gd.learning_rates] + [0, len(rates) // 3, len(rates) - 1]
    shown = run_in_page(built(tmp_path, cfg) / "gradient-descent.html", f"const KS = {ks};" + SET_ETA,
                        tmp_path / "profile")
    cost = gd.cost_from_config(cfg)
    lo, hi = cfg.gd.w_range
    for k, page in zip(ks, shown):
        assert page["lr"] == rates[k]
        run = gd.descend(cost, cfg.gd.w0, rates[k], cfg.gd.steps, cfg.gd.tolerance)
        assert page["w"] == run.w  # exactly: the JSON carries every digit
        assert page["behaviour"] == run.behaviour
        if text == PARABOLA:  # and the formula agrees, independently of gd.descend
            assert page["w"] == pytest.approx(gd.closed_form(cost, cfg.gd.w0, rates[k], cfg.gd.steps), rel=1e-9)
        # the drawn polyline: each iterate (w_t, C(w_t)) at its place in the plot's frame
        leaves = any(not lo <= w <= hi for w in run.w)
        assert page["x"] == pytest.approx(gd.zoom_range(lo, hi, cfg.gd.zoom_out) if leaves else [lo, hi])
        box, (x0, x1), (y0, y1) = page["box"], page["x"], page["y"]
        drawn = np.array([[float(v) for v in p.split(",")] for p in page["points"].split()])
        want_x = box["left"] + (np.array(run.w) - x0) * (box["right"] - box["left"]) / (x1 - x0)
        want_y = box["bottom"] + (np.array(run.cost) - y0) * (box["top"] - box["bottom"]) / (y1 - y0)
        n = len(drawn)
        assert page["length"] > 0 and np.isfinite(page["length"]), "the browser drew no path"
        assert drawn[:, 0] == pytest.approx(want_x[:n], rel=1e-9, abs=2e-3)
        assert drawn[:, 1] == pytest.approx(want_y[:n], rel=1e-9, abs=2e-3)
        # a diverging run's path ends only where its next point is a million pixels away (a browser draws no path
        # with such a point), after it has left the lecture's plot
        if n < len(run.w):
            assert max(abs(want_x[n]), abs(want_y[n])) >= 1e6
            assert leaves and n > gd.first_outside(run.w, lo, hi)
    lecture_runs = shown[:len(cfg.gd.learning_rates)]
    # too small, good, overshooting, diverging: the four the lecture shows, each in words
    assert [p["behaviour"] for p in lecture_runs] == ["slow", "converges", "overshoots", "diverges"]
    assert len({p["words"] for p in lecture_runs}) == 4


# ------------------------------------------------------------------------------------ local minima

SET_W1 = """
const slider = document.getElementById("w1"), out = [];
const read = () => ({w1: Number(document.getElementById("cursor").dataset.w1),
  cost: Number(document.getElementById("cursor").dataset.cost),
  errors: Number(document.getElementById("errors").textContent),
  rings: [...document.querySelectorAll("#rings circle")].map((c) => Number(c.dataset.row)),
  line: ["x1", "y1", "x2", "y2"].map((a) => Number(document.getElementById("line").getAttribute(a)))});
for (const k of KS) { slider.value = k; slider.dispatchEvent(new Event("input")); out.push(read()); }
const minima = [];
for (const b of document.querySelectorAll("#presets button")) { b.click(); minima.push(read()); }
return {positions: out, minima, max: Number(slider.max)};
"""


@pytest.mark.slow
def test_w1_slider_shows_mathcores_cost_and_errors(tmp_path):
    cfg = config.load(config.DEFAULT_CONFIG)
    data = minima.load(cfg)
    ks = [0, 1, 137, 400, 600, 601, 900, explorables.W1_POSITIONS - 1]
    shown = run_in_page(built(tmp_path, cfg) / "local-minima.html", f"const KS = {ks};" + SET_W1,
                        tmp_path / "profile")
    assert shown["max"] == explorables.W1_POSITIONS - 1
    lo, hi = cfg.minima.w1_range
    assert shown["positions"][0]["w1"] == lo and shown["positions"][-1]["w1"] == hi
    for page in shown["positions"] + shown["minima"]:
        w1 = page["w1"]
        assert page["errors"] == minima.errors(w1, data)
        assert page["rings"] == minima.misclassified(w1, data)
        assert page["cost"] == pytest.approx(minima.cost(w1, data), rel=1e-12)
    # the line turns with w1: its direction is along (w2, −w1) in data units, so the pixel slope changes sign
    slopes = [np.sign((p["line"][3] - p["line"][1]) * (p["line"][2] - p["line"][0])) for p in shown["positions"]]
    assert len(set(slopes)) > 1
    # each minimum's button: the slides' "5 errors", "3 errors", "2 errors", by increasing w1
    found = minima.find_minima(data, lo, hi, cfg.minima.grid_points)
    assert [p["errors"] for p in shown["minima"]] == [m.errors for m in found] == [5, 3, 2]
    assert [p["w1"] for p in shown["minima"]] == pytest.approx([m.w1 for m in found], abs=(hi - lo) / 1000)


# ------------------------------------------------------------------------------------ the rule game

PLAY = """
const input = document.getElementById("number"), form = document.getElementById("play"), out = [];
for (const n of NUMBERS) {
  input.value = n; form.requestSubmit();
  const a = document.getElementById("answer");
  out.push({typed: n, outcome: a.dataset.outcome || null, played: document.getElementById("history").rows.length});
}
const board = {};
for (const li of document.querySelectorAll("#board li")) board[li.dataset.id] = li.dataset.eliminatedBy || null;
const names = [...document.querySelectorAll("#board .name")].map((s) => s.textContent);
return {answers: out, board, names, title: document.title};
"""
LECTURE = """
document.getElementById("lecture").click();
const board = {};
for (const li of document.querySelectorAll("#board li")) board[li.dataset.id] = li.dataset.eliminatedBy || null;
const rows = [...document.getElementById("history").rows].map((r) => [r.cells[1].textContent, r.cells[2].textContent]);
return {board, rows};
"""
#: Edge cases (the ends, leading zeros, multiples of 64 and their neighbours) and what is not a 4-digit number.
EDGES = ["0000", "0001", "0063", "0064", "0065", "0128", "6400", "9984", "9999", "1728", "5952", "8937"]
NOT_NUMBERS = ["64", "12345", "abcd", "", "12 4", "-064", "0x40", "６４００"]
#: A game with another hidden rule: divisible by 3 wins.
DIV3 = """[rule_game]
numbers = ["0003", "0004", "1000", "9999"]
outcomes = ["win", "lose", "lose", "win"]
rounds = [4]
hidden_rule = "div3"
"""


@pytest.mark.slow
@pytest.mark.parametrize("text", [None, DIV3], ids=["lecture", "div3"])
def test_the_game_answers_and_crosses_out_as_mathcore(tmp_path, write_config, text):
    cfg = load(write_config, text)
    pages = built(tmp_path, cfg)
    typed = EDGES + [f"{n:04d}" for n in random.Random(21).sample(range(10_000), 150)]
    shown = run_in_page(pages / "rule-game.html", f"const NUMBERS = {json.dumps(typed + NOT_NUMBERS)};" + PLAY,
                        tmp_path / "profile")
    rule = rulegame.hidden_rule(cfg)
    answers = shown["answers"]
    assert [a["outcome"] for a in answers[:len(typed)]] == ["win" if rule.verdict(n) else "lose" for n in typed]
    # what is not 4 digits is refused: no outcome, not played
    assert [(a["outcome"], a["played"]) for a in answers[len(typed):]] == [(None, len(typed))] * len(NOT_NUMBERS)
    if text is None:  # the slides' answer, by hand: 64 divides the good numbers
        assert [a["outcome"] for a in answers[:len(EDGES)]] == [
            "win", "lose", "lose", "win", "lose", "win", "win", "win", "lose", "win", "win", "lose"]
    else:
        assert [a["outcome"] for a in answers[:4]] == ["win", "lose", "win", "lose"]  # 0000, 0001, 0063, 0064
    hyps = [rulegame.HYPOTHESES[h] for h in cfg.rule_game.hypotheses]
    reveals = [rulegame.Reveal(n, a["outcome"]) for n, a in zip(typed, answers)]
    want = {v.hypothesis.id: (typed[v.at] if v.at is not None else None) for v in rulegame.play(reveals, hyps)}
    assert shown["board"] == want
    assert shown["names"] == [h.name for h in hyps]


@pytest.mark.slow
def test_the_lectures_numbers_cross_out_what_mathcore_rule_game_does(tmp_path):
    cfg = config.load(config.DEFAULT_CONFIG)
    shown = run_in_page(built(tmp_path, cfg) / "rule-game.html", LECTURE, tmp_path / "profile")
    doc = rulegame.from_config(cfg).to_dict()
    assert shown["rows"] == [[r["number"], r["outcome"]] for r in doc["reveals"]]
    assert shown["board"] == {h["id"]: h["eliminated_by"] for h in doc["hypotheses"]}
    assert [h for h, by in shown["board"].items() if by is None] == ["contains_2_6"]


PAYLOAD = "</script><script>document.title='RAN'</script><!--"


@pytest.mark.slow
def test_a_name_with_markup_stays_text(tmp_path, monkeypatch):
    """Embedded JSON cannot close its <script>: '<' is written as \\u003c."""
    prime = rulegame.HYPOTHESES["prime"]
    monkeypatch.setitem(rulegame.HYPOTHESES, "prime", dataclasses.replace(prime, name=f"prime {PAYLOAD}"))
    page = built(tmp_path, config.load(config.DEFAULT_CONFIG)) / "rule-game.html"
    assert PAYLOAD not in page.read_text()
    shown = run_in_page(page, "const NUMBERS = ['9931'];" + PLAY, tmp_path / "profile")
    assert shown["title"] == "The hidden rule game: play it", "the payload ran"
    assert f"prime {PAYLOAD}" in shown["names"]
    assert shown["board"]["prime"] == "9931"


def test_embed_keeps_script_text_inert_and_refuses_nan():
    text = explorables.embed({"s": PAYLOAD, "a": np.arange(3), "x": np.float64(0.1)})
    assert "<" not in text
    assert json.loads(text) == {"s": PAYLOAD, "a": [0, 1, 2], "x": 0.1}
    with pytest.raises(ValueError):
        explorables.embed({"x": float("nan")})


# ------------------------------------------------------------------------------------ config and build


@pytest.mark.parametrize("rule,expected", [
    ("prime", "gives every revealed number its outcome (9931 is a lose"),
    ("odd_even", "one rule"),
    ("is_64", "one of odd_even"),
])
def test_a_hidden_rule_that_does_not_fit_is_one_line(write_config, tmp_path, rule, expected):
    path = write_config(f'[rule_game]\nhidden_rule = "{rule}"\n')
    with pytest.raises(ConfigError) as info:
        explorables.build(tmp_path / "out", config.load(path))
    message = str(info.value)
    assert message.startswith(f"{path}: rule_game.hidden_rule: expected ") and expected in message, message
    assert "\n" not in message
    assert not (tmp_path / "out" / "explore").exists(), "nothing written"


def test_a_bad_hidden_rule_stops_the_build_before_any_render(write_config, tmp_path, capsys):
    path = write_config('[rule_game]\nhidden_rule = "prime"\n')
    out, media = tmp_path / "o", tmp_path / "media"
    assert lecture("build", "--scenes", "TitleCard", "--config", str(path), "--out", str(out),
                   "--media-dir", str(media)) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "rule_game.hidden_rule" in err, err
    assert not (out / "explore").exists()
    assert not list(media.rglob("*.mp4")), "a scene was rendered"


def test_a_config_a_scene_refuses_leaves_the_explorables_as_they_were(write_config, tmp_path, capsys):
    """A title too long for the card, in the same edit as a new start for gradient descent: the build stops in one
    line before the explorables are written, so out/ does not pair the last lecture with pages of a config it
    never built."""
    path = write_config('[lecture]\ntitle = "' + "A very long lecture title " * 7 + '"\n[gd]\nw0 = -0.4\n')
    out, media = tmp_path / "o", tmp_path / "media"
    assert lecture("build", "--scenes", "TitleCard", "--config", str(path), "--out", str(out),
                   "--media-dir", str(media)) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "lecture.title" in err and "fits the title card" in err, err
    assert not (out / "explore").exists()
    assert not list(media.rglob("*.mp4")), "a scene was rendered"


def test_the_build_step_is_redone_only_when_its_config_changes(write_config, tmp_path, monkeypatch):
    from scenes.pipeline.lecture_build import _explorables

    out = tmp_path / "out"

    def step() -> list[dict]:
        stamps = Stamps(out)
        rows = _explorables(out, stamps)
        stamps.save()
        return rows

    rows = step()
    page = out / rows[0]["href"]
    made = page.stat().st_mtime_ns
    assert '"w0":-0.5' in page.read_text()
    assert step() == rows
    assert page.stat().st_mtime_ns == made, "an unchanged step was redone"
    monkeypatch.setenv(config.ENV_VAR, str(write_config(PARABOLA)))
    assert step() == rows
    assert '"w0":3.0' in page.read_text(), "a changed [gd] did not remake the page"


@pytest.mark.slow
@pytest.mark.parametrize("stem", ["gradient-descent", "local-minima", "rule-game"])
def test_a_phone_needs_no_sideways_scrolling(tmp_path, stem):
    """The page in a frame 390 px wide (headless Chromium's window is never narrower than 500 px)."""
    page = built(tmp_path, config.load(config.DEFAULT_CONFIG)) / f"{stem}.html"
    frame = page.with_name("phone.html")
    frame.write_text(f"""<!doctype html><title>?</title><iframe id="f" src="{page.name}" width="390" height="844"
style="border:0"></iframe><script>document.getElementById("f").onload = (e) => {{ const w = e.target.contentWindow;
document.title = `${{w.document.documentElement.scrollWidth}}/${{w.innerWidth}}`; }};</script>""")
    dom = chromium(f"--user-data-dir={tmp_path / 'profile'}", "--allow-file-access-from-files",
                   "--virtual-time-budget=3000", "--dump-dom", frame.as_uri()).stdout
    width, view = map(int, re.search(r"<title>(\d+)/(\d+)</title>", dom).groups())
    assert view == 390 and width <= view, f"{stem}: {width} px wide at {view} px"
