"""DataManifold and AutoencoderLatent show mathcore's numbers for the config they run under, and lay out cleanly."""
from __future__ import annotations

import pytest
from manim import RoundedRectangle

from mathcore import autoencoder, config, manifold
from mathcore.display import fmt
from scenes import captions
from scenes.autoencoder import AutoencoderLatent
from scenes.data_manifold import DataManifold
from scenes.pipeline import layout_check

from .harness import check, run_dry, shared_dry_run, text_of

pytestmark = pytest.mark.slow

# Other data (other seeds, counts, slopes, angle, blue points), other classifiers, a spiral for the auto-encoder.
ALT_CONFIG = """
[manifold]
seed = 21
hw_count = 30
hw_height_ranges = [155.0, 168.0, 176.0, 195.0]
hw_weight_slope = 0.8
hw_weight_intercept = -70.0
hw_weight_noise = 2.5
hw_blue_point = [150.0, 95.0]
hyp_count = 15
hyp_center = [1.0, -0.5]
hyp_angle = -20.0
hyp_class_ranges = [-2.5, -0.5, 0.5, 2.5]
hyp_noise = 0.15
hyp_blue_point = [3.5, 2.5]
classifier_seeds = [5, 7, 9]
mlp_hidden = [12]
mlp_activation = "tanh"
steps = 250
learning_rate = 0.03

[autoencoder]
curve = "spiral"
t_range = [0.5, 4.0]
radius = 0.8
spiral_growth = 0.2
count = 120
noise = 0.04
hidden = 24
activation = "relu"
steps = 800
learning_rate = 0.01
seed = 5
"""


def manifold_numbers(cfg) -> tuple[set[str], set[str]]:
    """(must show, distinctive: may not be left over under another config)."""
    sets = {d["name"]: d for d in manifold.compute(cfg).datasets}
    thickness = {fmt(d["thickness"]) for d in sets.values()}
    trained = [c for c in sets["hypothetical"]["classifiers"] if not c["diverged"]]
    probs = {fmt(c["blue_prob"]) for c in trained}
    must = thickness | probs | {fmt(c["train_accuracy"]) for c in trained} | {str(c["blue_label"]) for c in trained}
    must |= {str(c["seed"]) for c in trained if c["kind"] == "mlp"}
    return must, thickness | probs


def autoencoder_numbers(cfg) -> tuple[set[str], set[str]]:
    r = autoencoder.compute(cfg)
    s = cfg.autoencoder
    measured = {fmt(r.spearman_rho), fmt(r.reconstruction_mse), fmt(r.data_variance)}
    sizes = {str(len(r.points)), str(s.hidden)}
    return measured | sizes, measured | sizes


CASES = [(DataManifold, manifold_numbers), (AutoencoderLatent, autoencoder_numbers)]


@pytest.mark.parametrize("cls, numbers", CASES, ids=[c.__name__ for c, _ in CASES])
def test_shipped_config(cls, numbers, shipped):
    must, _ = numbers(shipped)
    check(shared_dry_run(cls), must, beats=5)


@pytest.mark.parametrize("cls, numbers", CASES, ids=[c.__name__ for c, _ in CASES])
def test_another_config(cls, numbers, use_config):
    must, _ = numbers(use_config(ALT_CONFIG))
    _, distinctive = numbers(config.load(config.DEFAULT_CONFIG))
    check(shared_dry_run(cls), must, left_over=distinctive)


def test_the_shipped_classifiers_disagree_about_the_blue_point(shipped):
    # The scene's point: every classifier fits the data, yet their answers for the blue point differ.
    hyp = {d["name"]: d for d in manifold.compute(shipped).datasets}["hypothetical"]
    assert hyp["blue_disagreement"]
    assert all(c["train_accuracy"] == 1.0 for c in hyp["classifiers"] if not c["diverged"])


def flat(text: str) -> str:
    return " ".join(text.split())


def card_watch(seen: dict[str, list[float]]) -> type:
    """DataManifold (by name: its captions are found by it) noting in ``seen``, after every play or wait, the
    times each classifier's card ("MLP seed N") stood fully shown."""
    def play(self, *args, **kwargs):
        DataManifold.play(self, *args, **kwargs)
        texts = [m for m in layout_check.text_mobjects(self.mobjects) if m.get_fill_opacity() > 0.5]
        if not any(text_of(m) == "P(class 1)" for m in texts):  # the blue point's table names them all again
            for m in texts:
                if text_of(m).startswith("MLP seed"):
                    seen.setdefault(text_of(m), []).append(self.renderer.time)

    return type("DataManifold", (DataManifold,), {"play": play})


def run_manifold() -> tuple:
    """A dry run, how many data points each card (a rounded panel) covers at the end, and for each classifier's
    card on the column the seconds it stood fully shown."""
    covered, seen = [], {}

    def at_end(scene) -> None:
        cards = [m for top in scene.mobjects for m in top.get_family() if isinstance(m, RoundedRectangle)]
        dots = [d.get_center() for d in scene.plane.data_dots]
        covered[:] = [sum(c.get_left()[0] <= p[0] <= c.get_right()[0] and c.get_bottom()[1] <= p[1] <= c.get_top()[1]
                          for p in dots) for c in cards]

    shown = run_dry(card_watch(seen), observers=[at_end])
    return shown, covered, {card: max(times) - min(times) for card, times in seen.items()}


def check_manifold_teaching(shown, covered, shown_for, cfg) -> None:
    """"Is this a better boundary?" answered on screen and in speech from mathcore's train accuracies; each
    network's card is shown long enough to read; the cat's card covers none of the data."""
    trained = [c for c in {d["name"]: d for d in manifold.compute(cfg).datasets}["hypothetical"]["classifiers"]
               if not c["diverged"]]
    accuracies = sorted({c["train_accuracy"] for c in trained})
    assert len(accuracies) == 1, "the configs of these tests train every classifier to the same accuracy"
    answer = f"Not on the data: all {len(trained)} separate it, each with train accuracy {fmt(accuracies[0])}"
    screen = {flat(t) for pause in shown.pauses for t in pause}
    assert flat(answer) in screen and "They differ only where there are no data." in screen
    said = flat(" ".join(line for _, _, line in shown.captions))
    assert f"So, is any of them a better boundary? {answer}." in said
    mlps = [c for c in trained if c["kind"] == "mlp"]
    assert len(shown_for) == len(mlps), sorted(shown_for)
    for card, seconds in shown_for.items():
        need = captions.reading_time(f"{card} train accuracy {fmt(accuracies[0])}")
        assert seconds >= need, f"{card}: shown {seconds:.2f} s, read in {need:.2f} s"
    assert covered and not any(covered), f"the cat's card covers data points: {covered}"


def test_manifold_answers_and_paces_under_the_shipped_config(shipped):
    check_manifold_teaching(*run_manifold(), shipped)


def test_manifold_answers_and_paces_under_another_config(use_config):
    cfg = use_config(ALT_CONFIG)
    check_manifold_teaching(*run_manifold(), cfg)
