"""ActivationPlayground, HiddenRuleGame, LocalMinima, VanishingGradient and Recap change as the voice names things:
every mark they ask for is in the shipped captions, the marks keep the sentences, and a drawn number lights up as
a reader (silent builds) reaches its word."""
from __future__ import annotations

import pytest

from mathcore import chain, playground, rulegame, vanishing
from mathcore.display import fmt
from mathcore.display import tex as display_tex
from scenes import captions
from scenes.components import tex
from scenes.local_minima import LocalMinima
from scenes.playground import ActivationPlayground
from scenes.recap import Recap
from scenes.rule_game import HiddenRuleGame
from scenes.vanishing_gradient import VanishingGradient

from .test_speech_bound_descent import FRAMES, dry_run, reached

pytestmark = pytest.mark.slow


def lit_with(flashes, fragment: str, when: float, frame: float) -> None:
    """A highlight of a text holding ``fragment`` starts within FRAMES frames of ``when``."""
    starts = [round(t, 2) for t, texts in flashes if any(fragment in text for text in texts)]
    assert any(abs(t - when) <= FRAMES * frame for t in starts), \
        f"{fragment!r} lit at {starts}, its word is read at {when:.2f} s"


def playground_gap(cfg, flashes, cues, frame) -> None:
    """The deepest run's test loss, under its panel, lights as the voice says it (it is not the best here)."""
    deepest = playground.depth_runs(cfg)[-1]
    said = fmt(deepest.test_loss[-1], 2)
    lit_with(flashes, rf"\text{{test }} {display_tex(deepest.test_loss[-1], 2)}",
             reached(cues, "The test losses, from left to right", f"is {said}"), frame)


def rule_facts(cfg, flashes, cues, frame) -> None:
    """Each winning number lights in its column as the voice reads the fact that makes it good."""
    game = rulegame.from_config(cfg)
    rule = rulegame.hidden_rule(cfg)
    for r in game.reveals:
        if r.outcome == "win":
            lit_with(flashes, r.number, reached(cues, "My rule was", rule.fact(r.number)), frame)


def minima_cost(cfg, flashes, cues, frame) -> None:
    """The neuron's formula lights as the voice names the neuron."""
    lit_with(flashes, r"o_i = \sigma", reached(cues, "Gradient descent finds a minimum", "one neuron"), frame)


def vanishing_bound(cfg, flashes, cues, frame) -> None:
    """The bound lights as the voice says its value; the legend rows of the sigmoid and ReLU nets as the residual
    net's drop is compared with theirs."""
    bound = vanishing.chain_from_config(cfg).bound
    lit_with(flashes, tex.num(bound), reached(cues, "The weights and the input", fmt(bound)), frame)
    norms = vanishing.layer_norms(cfg).init_norms
    for name, phrase in (("sigmoid", "times without short-cuts"), ("relu", "times of the ReLU network")):
        lit_with(flashes, rf"\text{{output }} {tex.num(norms[name][-1])}", reached(cues, "Short-cuts", phrase), frame)


def recap_first_gradient(cfg, flashes, cues, frame) -> None:
    """The first weight's gradient lights as the voice reaches it; the race's line as the voice says who went deeper."""
    c = chain.from_config(cfg)
    lit_with(flashes, tex.num(c.grad_w[0]), reached(cues, "To recap", f"which is {fmt(c.grad_w[0])}"), frame)
    head = "deeper than gradient descent: "  # the names after it, whichever the race's are
    names = next(text for _, text in cues if head in text).split(head)[1]
    when = reached(cues, "Gradient descent stops", head + names[:8]) + captions.reading_time(head)
    lit_with(flashes, head.strip(), when, frame)  # who went deeper, as the names are said
    when = reached(cues, "Gradient descent stops", "Not deeper:") + captions.reading_time("Not")
    lit_with(flashes, "not deeper:", when, frame)  # and who did not


CASES = {ActivationPlayground: playground_gap, HiddenRuleGame: rule_facts, LocalMinima: minima_cost,
         VanishingGradient: vanishing_bound, Recap: recap_first_gradient}


@pytest.mark.parametrize("scene_cls", list(CASES), ids=[c.__name__ for c in CASES])
def test_the_picture_follows_the_voice(scene_cls, shipped):
    scene, flashes, cues, frame = dry_run(scene_cls)
    assert not scene.missed_marks, f"marks the scene asks for that its captions lack: {sorted(scene.missed_marks)}"
    for beat, text in scene._marked.items():  # with its values in: a mark comes after a sentence's first word
        assert not [s for s in captions.sentences(text) if s.startswith("[[")], beat
    CASES[scene_cls](shipped, flashes, cues, frame)


@pytest.mark.parametrize("scene_cls", list(CASES), ids=[c.__name__ for c in CASES])
def test_marks_keep_the_sentences(scene_cls):
    """A mark never joins two sentences (their gaps, and a question's pause, stay)."""
    for beat, text in captions.load()[scene_cls.__name__].items():
        assert len(captions.sentences(text)) == len(captions.sentences(captions.unmarked(text))), beat
