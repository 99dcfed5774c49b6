"""AdamOptimizer, SignsOfTrouble and VanishingGradient show mathcore's numbers for the config they run under.

Each scene runs dry (animations skipped) under the shipped config and under ALT, a config with
other learning rates, hyperparameters, surface, start, seeds, starts of the trouble runs and
another chain and deep network; the numbers on screen must include mathcore's for that config,
come only from it (plus a few structural constants), and none of the shipped config's may be left.
"""
from __future__ import annotations

import math
import re

import pytest

from mathcore import config, optim, race, trouble, vanishing
from mathcore.display import fmt
from scenes.adam import DETAILED_STEPS, RACERS, AdamOptimizer
from scenes.signs_of_trouble import SignsOfTrouble
from scenes.vanishing_gradient import VanishingGradient

from .harness import Shown, check, check_fields, shared_dry_run

SCIENTIFIC = re.compile(r"(-?\d+(?:\.\d+)?)\s*\\times\s*10\^\{(-?\d+)\}")
UNICODE_POWER = re.compile(r"(-?\d+(?:\.\d+)?)×10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)")  # the value panel's 1.2×10⁻⁷
PLAIN_DIGITS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def panel_number(v: float) -> str:
    """How the value panel writes v, as fmt would: a power of ten with a two-digit mantissa (1.2e-7)."""
    text = fmt(v)
    if "e" in text:
        mant, exp = text.split("e")
        return f"{fmt(float(mant), 2)}e{exp}"
    return text


def shown_numbers(shown: Shown) -> set[str]:
    """The numbers shown, with tex's "a \\times 10^{k}" read as fmt's "aek" (the harness splits those)."""
    found, rest = set(), set()
    for text in shown.texts:
        found |= {f"{a}e{k}" for a, k in SCIENTIFIC.findall(text)}
        found |= {f"{a}e{k.translate(PLAIN_DIGITS)}" for a, k in UNICODE_POWER.findall(text)}
        rest.add(UNICODE_POWER.sub(" ", SCIENTIFIC.sub(" ", text)))
    return found | Shown(texts=rest).numbers


ALT = """
[batches]
w0 = 0.35

[optim]
gd_lr = 0.04
momentum_lr = 0.03
momentum = 0.85
adam_lr = 0.003
beta1 = 0.8
beta2 = 0.995
eps = 1e-7
race = ["gd", "momentum", "adam"]
steps = 600
seed = 3
start = [1.15, 1.05]
surface_centres = [[-0.55, 0.45], [0.6, -0.2], [-0.1, -0.7]]
surface_depths = [1.1, 0.9, 1.4]
surface_widths = [0.35, 0.3, 0.38]
surface_bowl = 1.2

[trouble]
learning_rate = 0.7
steps = 150
fine_start = 1.4
stuck_start = -3.2
flat_start = 6.5
bug_start = 1.8
large_lr = 2.3
large_w0 = 1.05
large_steps = 16

[vanishing]
x = 0.8
w = [0.7, -1.3, 1.6]
depth = 8
width = 24
seed = 5
"""


def adam_numbers(cfg) -> tuple[set[str], set[str]]:
    spec = optim.spec_from_config(cfg, "adam")
    run = race.algorithm_run(cfg)
    must = {fmt(v) for v in (spec.lr, spec.beta1, spec.beta2, spec.eps)}
    for rec in [*run.records[:DETAILED_STEPS], run.records[-1]]:
        must |= {panel_number(float(rec[k][0])) for k in ("g", "m", "v", "m_hat", "v_hat", "step")}
        must.add(panel_number(float(rec["theta_after"][0])))
    must.add(str(len(run.records)))  # t at the end of the run
    must |= {fmt(float(run.records[k]["step"][0]), 2) for k in (0, -1)}  # the step shrinks: first to last
    r = race.race(cfg, "surface")
    must |= {fmt(m["cost"]) for m in r.minima} | {fmt(v) for v in r.start} | {str(r.steps)}
    for e in r.entrants:
        if e["optimiser"] in RACERS:
            must |= {fmt(v) for v in e["hyper"].values()} | {fmt(e["final_loss"])}
    # m_0, v_0, t = 0; t + 1; [0, 1); the first t's; θ_0; "-1" of θ_{t-1} (the harness drops braces first)
    may = {"0", "1", "-1", *(str(t) for t in range(1, DETAILED_STEPS + 1)), fmt(float(run.theta[0][0]))}
    # the bars' log scale: decades 10^k (the harness reads 10^{k} as 10 and k), from the run's own values
    shown = [abs(float(r[k][0])) for r in run.records for k in ("g", "m", "v", "m_hat", "v_hat", "step")]
    shown = [v for v in shown if v]
    decades = range(math.floor(math.log10(min(shown))), math.ceil(math.log10(max(shown))) + 1)
    may |= {"10", *(str(k) for k in decades)}
    return must, may


def trouble_numbers(cfg) -> tuple[set[str], set[str]]:
    runs = {r["name"]: r for r in trouble.runs(cfg)}
    must = set()
    for name in ("stuck", "slow", "sign_bug", "too_large_lr"):
        r = runs[name]
        must |= {fmt(r["cost"][0]), fmt(r["cost"][-1]), str(len(r["cost"]) - 1), fmt(r["lr"])}
        if name != "sign_bug":
            must.add(fmt(r["start"]))
    bug = runs["sign_bug"]["cost"]  # its plot ends where its climb does
    must |= {fmt(bug[trouble.rise_end(bug)]), str(trouble.rise_end(bug))}
    must.add(fmt(runs["fine"]["cost"][-1]))  # where a start in another basin ends, beside the stuck plateau
    must.add(fmt(trouble.end_slope(runs["slow"]["cost"])))  # the slow run still falling at its end
    return must, {"0", "1"}  # w1(0); the subscript-free "1" of ∂C/∂w1 is stripped


def vanishing_numbers(cfg) -> tuple[set[str], set[str]]:
    c = vanishing.chain_from_config(cfg)
    s = cfg.vanishing
    curve = vanishing.sigmoid_prime_curve(*s.sigma_range, s.sigma_points)
    n = vanishing.layer_norms(cfg)
    must = {fmt(v) for v in (c.x, *c.w, *c.v, *c.sigma_prime, *c.formula, c.bound,
                             curve.max, curve.argmax)}
    must |= {str(n.depth), str(n.width)}
    must.add(fmt(math.prod(cfg.vanishing.w[1:]) * cfg.vanishing.x))  # the factors besides σ': w_n .. w_2 x
    for values in n.init_norms.values():
        must |= {fmt(values[0]), fmt(values[-1]), said_drop(values[-1] / values[0]).split(" ")[0]}
    # 1/4; the chart's decades 10^k (the harness reads 10^{k} as 10 and k)
    every = [v for values in n.init_norms.values() for v in values]
    decades = range(math.floor(math.log10(min(every))), math.ceil(math.log10(max(every))) + 1)
    return must, {"1", "4", "10", *(str(k) for k in decades)}


def said_drop(ratio: float) -> str:
    """A drop as a lecturer reads it: 241, 6.84; 1.3 million, 29 thousand (two figures with a name), 638 million
    (three from a hundred on: never 6.4e2 million)."""
    for size, name in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if ratio >= size:
            return f"{fmt(ratio / size, 2 if ratio < 100 * size else 3)} {name}"
    return fmt(ratio, 3)


def vanishing_fields(cfg) -> dict[str, float]:
    """The chain's numbers by the field each is tagged with (scenes.components.fields)."""
    c = vanishing.chain_from_config(cfg)
    return {"x": c.x, **{f"{key}[{i}]": v for key in ("w", "v", "formula") for i, v in enumerate(getattr(c, key))}}


#: The scenes that tag their numbers with mathcore's fields, and the values of those fields.
FIELDS = {"VanishingGradient": vanishing_fields}


CASES = {
    "AdamOptimizer": (AdamOptimizer, adam_numbers),
    "SignsOfTrouble": (SignsOfTrouble, trouble_numbers),
    "VanishingGradient": (VanishingGradient, vanishing_numbers),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_shipped_config(name, shipped):
    cls, numbers = CASES[name]
    shown = shared_dry_run(cls)
    check(shown, *numbers(shipped), beats=2, numbers=shown_numbers(shown))
    if name in FIELDS:
        check_fields(shown, FIELDS[name](shipped))


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_another_config(name, use_config):
    cls, numbers = CASES[name]
    alt = use_config(ALT)
    shipped_numbers = set.union(*numbers(config.load(config.DEFAULT_CONFIG)))
    shown = shared_dry_run(cls)
    check(shown, *numbers(alt), left_over=shipped_numbers, numbers=shown_numbers(shown))
    if name in FIELDS:
        check_fields(shown, FIELDS[name](alt))


@pytest.mark.slow
@pytest.mark.parametrize("which", ["shipped", "alt"])
def test_adam_says_its_step_shrinks_and_the_race_alpha(which, request, use_config):
    cfg = request.getfixturevalue("shipped") if which == "shipped" else use_config(ALT)
    shown = shared_dry_run(AdamOptimizer)
    said = " ".join(text for _, _, text in shown.captions)
    recs = race.algorithm_run(cfg).records
    first, last = (fmt(float(recs[k]["step"][0]), 2) for k in (0, -1))
    assert abs(float(last)) < abs(float(first)), "the stepped run's step shrinks (the claim said)"
    assert f"the step does shrink: from {first} at the start to {last} at t = {len(recs)}" in said
    assert "stays near" not in said
    assert any(first in t and last.split("e")[0] in t for t in shown_texts_with_powers(shown)), \
        "the shrink not on screen"
    assert f"α in this race is {fmt(cfg.optim.race_adam_lr)}, not Algorithm 1's {fmt(cfg.optim.adam_lr)}" in said


def shown_texts_with_powers(shown: Shown) -> list[str]:
    """The texts on screen with tex's "a \\times 10^{k}" written as fmt writes it ("aek")."""
    return [SCIENTIFIC.sub(lambda m: f"{m.group(1)}e{m.group(2)}", t) for t in shown.texts]


def said_in(shown: Shown) -> str:
    return " ".join(text for _, _, text in shown.captions)


@pytest.mark.slow
def test_vanishing_says_the_weight_factors_and_each_networks_drop_honestly(shipped):
    shown = shared_dry_run(VanishingGradient)
    said = said_in(shown)
    assert "w3, w2 and x" in said  # the product's other factors, besides the σ' ones
    assert f"give {fmt(2 * 1 * 1)}" in said  # w3 w2 x with the shipped w = 0.5, 1, 2 and x = 1
    norms = vanishing.layer_norms(shipped).init_norms
    ratio = {name: values[-1] / values[0] for name, values in norms.items()}
    assert ratio["residual"] > 100, "the shipped residual net's gradient does drop (the claim below)"
    assert f"{fmt(ratio['residual'], 3)} times smaller" in said
    assert f"{fmt(ratio['sigmoid'] / 1e6, 2)} million times" in said
    assert f"only {fmt(ratio['relu'], 3)} times" in said
    assert "keep the gradient flowing" not in said and "roughly level" not in said
    assert "help the gradient flow back" not in said  # the residual net loses more than the ReLU net here


def residual_said(ratio: dict[str, float], sigmoid: str, relu: str) -> str:
    """What the residual beat says of its drop against the other two, for the words the config's drops call for."""
    return (f"{said_drop(ratio['residual'])} times smaller than its output layer's: {sigmoid} the "
            f"{said_drop(ratio['sigmoid'])} times without short-cuts, and {relu} the {said_drop(ratio['relu'])} "
            "times of the ReLU network")


@pytest.mark.slow
@pytest.mark.parametrize("which", ["shipped", "alt"])
def test_vanishing_names_each_sigma_prime_dot_and_the_chart_says_what_its_bars_are_to_the_end(which, use_config):
    """At σ'(z)'s pause each of the chain's σ'(z_i) is named on the plot (dots that touch share a name); the bar
    chart's axes say what the bars are up to the last pause, where the strategies' line replaces the
    subtitle that said it."""
    cfg = use_config("" if which == "shipped" else ALT)
    shown = shared_dry_run(VanishingGradient)
    n = len(vanishing.chain_from_config(cfg).w)
    names = " ".join(t for t in shown.pauses[2] if "bullet" not in t and "frac" not in t)  # the plot's
    for i in range(1, n + 1):
        assert rf"\sigma'(z_{{{i}}})" in names, f"σ'(z{i}) is not named on the plot"
    last = shown.pauses[-1]
    assert {"gradient norm (log scale)", "layer, input first"} <= last
    assert not any("hidden layers of" in t for t in last)  # the subtitle is gone: the axes alone say it


#: The torch initialisation: there the residual net loses less than the ReLU net, not more as with Kaiming's.
TORCH_INIT = "[vanishing]\ninit = \"torch\"\n"


@pytest.mark.slow
@pytest.mark.parametrize("which", ["shipped", "torch_init"])
def test_vanishing_names_the_residual_nets_activation_and_compares_its_drop_with_both(which, request, use_config):
    cfg = request.getfixturevalue("shipped") if which == "shipped" else use_config(TORCH_INIT)
    said = said_in(shared_dry_run(VanishingGradient))
    norms = vanishing.layer_norms(cfg).init_norms
    ratio = {name: values[-1] / values[0] for name, values in norms.items()}
    assert "this is the sigmoid network again, each layer now adding its input to its output" in said
    if which == "shipped":  # the student's numbers: 241 against 1.3 million and 6.84
        assert ratio["residual"] < ratio["sigmoid"] / 10 and ratio["residual"] > 10 * ratio["relu"]
        assert residual_said(ratio, "far less than", "far more than") in said
    else:
        assert ratio["residual"] < ratio["sigmoid"] / 10 and ratio["relu"] / 10 < ratio["residual"] < ratio["relu"]
        assert residual_said(ratio, "far less than", "less than") in said



SHORT_CAPTIONS = """[VanishingGradient]
show_chain = "Chain."
derivatives = "Derivatives."
sigma_prime = "Sigma prime."
weight_factors = "Weights."
deep_sigmoid = "Sigmoid."
deep_relu = "ReLU."
deep_residual = "Residual."
"""


@pytest.mark.slow
def test_deep_network_slides_stay_up_long_enough_to_read_their_text_whatever_the_voice_says(use_config):
    cfg = use_config("", {"captions.toml": SHORT_CAPTIONS})
    shown = shared_dry_run(VanishingGradient)
    span = {text: end - start for start, end, text in shown.captions}
    n = vanishing.layer_norms(cfg)
    subtitle = f"a deep network, {n.depth} hidden layers of {n.width}: gradient norm per layer, input first"
    rows = {name: f"{label} output {fmt(v[-1])} input {fmt(v[0])} ({said_drop(v[-1] / v[0])}x smaller)"
            for (name, v), label in zip(n.init_norms.items(), ("sigmoid", "ReLU", "sigmoid + short-cuts"))}
    rate = 17  # characters a second, the captions' reading rate
    assert span["Sigmoid."] >= (len(subtitle) + len(rows["sigmoid"])) / rate
    assert span["ReLU."] >= len(rows["relu"]) / rate
    strategy = "Strategies to overcoming vanishing gradient problem: short-cuts (residual net)"
    assert span["Residual."] >= (len(rows["residual"]) + len(strategy)) / rate
