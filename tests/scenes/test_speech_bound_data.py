"""ActivationPlayground, HiddenRuleGame, DataManifold, LocalMinima, VanishingGradient and Recap change as the voice
names things: every mark they ask for is in the shipped captions, the marks keep the sentences, and a drawn number
lights up (or comes in) as a reader (silent builds) reaches its word.

The playground, the rule game and the manifold are checked under the shipped config and under others that change
their numbers (another depth ladder, answer and activations; other numbers and strikes; other classifiers and
accuracies): each number said is mathcore's for the config run, written by the one display rule, and what shows it
lights as it is said."""
from __future__ import annotations

import pytest

from mathcore import chain, manifold, playground, rulegame, vanishing
from mathcore.activations import NAMES
from mathcore.display import fmt
from mathcore.display import tex as display_tex
from scenes import captions
from scenes.components import tex
from scenes.components.hypothesis_board import board_text
from scenes.data_manifold import DataManifold
from scenes.local_minima import LocalMinima
from scenes.playground import ActivationPlayground
from scenes.recap import Recap
from scenes.rule_game import HiddenRuleGame
from scenes.vanishing_gradient import VanishingGradient

from .test_discrete_scenes import ALT_RULE_GAME
from .test_speech_bound_descent import FRAMES, dry_run, reached

pytestmark = pytest.mark.slow


def lit_with(flashes, fragment: str, when: float, frame: float) -> None:
    """A highlight of a text holding ``fragment`` starts within FRAMES frames of ``when``."""
    starts = [round(t, 2) for t, texts in flashes if any(fragment in text for text in texts)]
    assert any(abs(t - when) <= FRAMES * frame for t in starts), \
        f"{fragment!r} lit at {starts}, its word is read at {when:.2f} s"


def listed(items: list[str]) -> str:
    """A list as a sentence says it: "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def layers(run: playground.PlaygroundRun) -> str:
    n = len(run.hidden)
    return f"{n} layer" + ("" if n == 1 else "s")


def said(cues) -> str:
    return " ".join(" ".join(text for _, text in cues).split())


def list_lit(flashes, cues, first: str, items: list[str], after: str, fragments: list[str], frame) -> None:
    """Item k of a said list (``items`` as written, ``after`` the words that end the list) lights ``fragments[k]``
    as the reader reaches it (the list's tail from item k singles out that item, however the figures repeat)."""
    for k, fragment in enumerate(fragments):
        lit_with(flashes, fragment, reached(cues, first, listed(items[k:]) + after), frame)


def playground_said(cfg, flashes, cues, frame, shown) -> None:
    """The ladder's test losses, the depth named as the answer, the gap's two losses and the activations' test
    losses are said with mathcore's figures (two), and each lights (or comes in) under its panel as it is said."""
    ladder = playground.from_config(cfg, "depth")
    assert ladder.answer is not None
    runs, answer = ladder.runs, ladder.answer
    text = said(cues)
    first = "The test losses, from left to right"
    done = [r for r in runs if not r.diverged]
    tests = [fmt(r.test_loss[-1], 2) for r in done]
    assert f"{first}, are {listed(tests)}." in text, text
    list_lit(flashes, cues, first, tests, ".",
             [rf"\text{{test }} {display_tex(r.test_loss[-1], 2)}" for r in done], frame)
    best, gap = runs[answer.best], runs[answer.gap]
    assert min(r.test_loss[-1] for r in done) == best.test_loss[-1]  # the named depth is the lowest test loss
    if answer.deepest_best:
        assert f"Here the deepest network, with {layers(best)}, also has the lowest test loss." in text, text
        lit_with(shown, f"The deepest, {layers(best)}, is also the best",
                 reached(cues, first, "the deepest network, with"), frame)
    else:
        assert f"So, not always: the network with {layers(best)} has the lowest test loss." in text, text
        lit_with(shown, f"Not always: {layers(best)} has the lowest test loss",
                 reached(cues, first, f"{layers(best)} has the lowest"), frame)
    who = f"deepest network, with {layers(gap)}," if answer.gap_deepest else f"network with {layers(gap)}"
    train, test = fmt(gap.train_loss[-1], 2), fmt(gap.test_loss[-1], 2)
    # a gap run that fits closer than the best is compared with it: a lower training loss, not a lower test loss
    closer = gap.train_loss[-1] < best.train_loss[-1] and gap is not best
    better, against = (("better, ", f", against {fmt(best.test_loss[-1], 2)} with {layers(best)}") if closer
                       else ("", ""))
    assert (f"The {who} fits its training points {better}with a training loss of {train}, but its test loss is "
            f"{test}{against}.") in text, text
    assert ("A lower training loss did not give a lower test loss" if closer
            else "That gap between training and test loss means") in text, text
    lit_with(flashes, layers(gap), reached(cues, first, f"{who} fits"), frame)
    lit_with(flashes, rf"\text{{train }} {display_tex(gap.train_loss[-1], 2)}",
             reached(cues, first, f"with a training loss of {train}"), frame)
    lit_with(flashes, rf"\text{{test }} {display_tex(gap.test_loss[-1], 2)}",
             reached(cues, first, f"is {test}{against}."), frame)
    compared = playground.from_config(cfg, "compare").runs
    names = [NAMES[r.activation] for r in compared]
    assert f"Now try this network with {listed(names)} activations." in text, text
    panels = [f"({k}) {r.activation}" for k, r in enumerate(compared, start=1)]
    list_lit(flashes, cues, "Now try this network", names, " activations.", panels, frame)
    finished = [k for k, r in enumerate(compared) if not r.diverged]
    tests = [fmt(compared[k].test_loss[-1], 2) for k in finished]
    assert f"The test losses are {listed(tests)}, in the order shown." in text, text
    start = "Here is where each one ended"
    list_lit(flashes, cues, start, tests, ", in the order shown.", [panels[k] for k in finished], frame)
    list_lit(shown, cues, start, tests, ", in the order shown.",
             [rf"\text{{test }} {display_tex(compared[k].test_loss[-1], 2)}" for k in finished], frame)


def rule_said(cfg, flashes, cues, frame, shown) -> None:
    """The strike the voice describes, each later number's count of strikes, the rule's facts about the wins and
    how many guesses fell are said as mathcore plays the game, and each number lights (or comes in) as said."""
    game = rulegame.from_config(cfg)
    rule = rulegame.hidden_rule(cfg)
    text = said(cues)
    struck = sorted((v.at, k) for k, v in enumerate(game.verdicts)
                    if v.at is not None and v.hypothesis.id != cfg.rule_game.hidden_rule)
    early = [s for s in struck if s[0] < game.rounds[0]]
    assert early, "the config must strike a guess in the first round"
    i, k = early[-1]
    number, why = game.reveals[i].number, game.verdicts[k].deciding.why(game.reveals)
    start = "We check each guess"
    assert f"{number} crosses out {board_text(game.verdicts[k].hypothesis.name)}: {why}." in text, text
    lit_with(flashes, number, reached(cues, start, f"{number} crosses out", "crosses"), frame)
    lit_with(flashes, f"✗ {number}", reached(cues, start, why), frame)
    if ", but it was" in why:
        lit_with(flashes, number, reached(cues, start, "but it was"), frame)
    later = sorted({j for j, _ in struck if j >= game.rounds[0]})
    for n, j in enumerate(later):
        count = sum(1 for at, _ in struck if at == j)
        number = game.reveals[j].number
        phrase = f"{number} crosses out {count} " + ("guess" if count == 1 else "guesses")
        assert phrase in text, text
        if n:  # the first comes in as the round starts, before the voice counts
            lit_with(shown, number, reached(cues, "More numbers come in", phrase, "crosses"), frame)
    wins = [r.number for r in game.reveals if r.outcome == "win"]
    assert f"It fits every number, since {listed([rule.fact(w) for w in wins])}." in text, text
    for w in wins:
        lit_with(flashes, w, reached(cues, "My rule was", rule.fact(w)), frame)
        lit_with(shown, rule.fact(w), reached(cues, "My rule was", rule.fact(w)), frame)
    assert f"The numbers ruled {len(struck)} guesses out" in text, text


def manifold_said(cfg, flashes, cues, frame, shown) -> None:
    """Whether one boundary is better is answered with mathcore's train accuracies of the hypothetical data, said
    as the note writing them comes in; each classifier's class for the blue point lights as they disagree."""
    hyp = {d["name"]: d for d in manifold.from_config(cfg).datasets}["hypothetical"]
    trained = [c for c in hyp["classifiers"] if not c["diverged"]]
    accuracies = [c["train_accuracy"] for c in trained]
    lo, hi = fmt(min(accuracies)), fmt(max(accuracies))
    answer = (f"Not on the data: all {len(trained)} separate it, each with train accuracy {lo}" if lo == hi
              else f"On the data, their train accuracies run from {lo} to {hi}")
    assert f"So, is any of them a better boundary? {answer}." in said(cues), said(cues)
    rest = answer.split(" ", 1)[1]  # the note comes in after the answer's first word
    lit_with(shown, hi, reached(cues, "So, is any of them", rest), frame)
    for label in {str(c["blue_label"]) for c in trained}:
        lit_with(flashes, label, reached(cues, "How do you classify", "disagree"), frame)


def minima_cost(cfg, flashes, cues, frame, shown) -> None:
    """The neuron's formula lights as the voice names the neuron."""
    lit_with(flashes, r"o_i = \sigma", reached(cues, "Gradient descent finds a minimum", "one neuron"), frame)


def vanishing_bound(cfg, flashes, cues, frame, shown) -> None:
    """The bound lights as the voice says its value; the legend rows of the sigmoid and ReLU nets as the residual
    net's drop is compared with theirs."""
    bound = vanishing.chain_from_config(cfg).bound
    lit_with(flashes, tex.num(bound), reached(cues, "The weights and the input", fmt(bound)), frame)
    norms = vanishing.layer_norms(cfg).init_norms
    for name, phrase in (("sigmoid", "times without short-cuts"), ("relu", "times of the ReLU network")):
        lit_with(flashes, rf"\text{{output }} {tex.num(norms[name][-1])}", reached(cues, "Short-cuts", phrase), frame)


def recap_first_gradient(cfg, flashes, cues, frame, shown) -> None:
    """The first weight's gradient lights as the voice reaches it; the race's line as the voice says who went deeper."""
    c = chain.from_config(cfg)
    lit_with(flashes, tex.num(c.grad_w[0]), reached(cues, "To recap", f"which is {fmt(c.grad_w[0])}"), frame)
    head = "deeper than gradient descent: "  # the names after it, whichever the race's are
    names = next(text for _, text in cues if head in text).split(head)[1]
    when = reached(cues, "Gradient descent stops", head + names[:8]) + captions.reading_time(head)
    lit_with(flashes, head.strip(), when, frame)  # who went deeper, as the names are said
    when = reached(cues, "Gradient descent stops", "Not deeper:") + captions.reading_time("Not")
    lit_with(flashes, "not deeper:", when, frame)  # and who did not


CASES = {ActivationPlayground: playground_said, HiddenRuleGame: rule_said, DataManifold: manifold_said,
         LocalMinima: minima_cost, VanishingGradient: vanishing_bound, Recap: recap_first_gradient}

#: Training the playground's networks cheaply (80 points, 30 epochs, a coarse grid); each config adds its problem.
CHEAP_PLAYGROUND = """
[playground]
points = 80
batch_size = 10
epochs = 30
snapshot_epochs = [0, 10, 30]
snapshot_grid = 20
noise = 0.1
activation = "tanh"
"""

#: The playground's ladder on circle data, one hidden layer of 3 deep at most: 1 layer has the lowest test loss,
#: not the deepest (2 layers), whose gap says why; three other activations on circle data; 30 epochs (cheap).
#: Hypothetical data farther apart across its line, 5 steps of training and three seeds: the classifiers' train
#: accuracies differ. And ALT_RULE_GAME: other numbers, outcomes, rounds and strikes.
NOT_ALWAYS = ALT_RULE_GAME + CHEAP_PLAYGROUND + """
dataset = "circle"
hidden = [3]
seed = 2
compare_dataset = "circle"
compare_hidden = [3]
compare_seed = 1
compare_activations = ["sigmoid", "relu", "linear"]

[manifold]
seed = 4
hyp_count = 15
hyp_noise = 0.3
hyp_class_ranges = [-3.0, -0.1, 0.1, 3.0]
classifier_seeds = [2, 7, 9]
steps = 5
grid_size = 60
"""

#: XOR with hidden layers of 5: the deepest (2 layers) is best, and the widest gap, another run's, says why; two
#: activations on Gaussian data. Two MLPs trained 40 steps: all three classifiers reach train accuracy 1.
DEEPEST_BEST = CHEAP_PLAYGROUND + """
dataset = "xor"
hidden = [5]
seed = 2
compare_dataset = "gaussian"
compare_hidden = [4]
compare_seed = 3
compare_activations = ["tanh", "relu"]

[manifold]
seed = 4
hyp_count = 15
hyp_noise = 0.3
hyp_class_ranges = [-3.0, -0.1, 0.1, 3.0]
classifier_seeds = [5, 6]
steps = 40
grid_size = 60
"""

OTHER_CONFIGS = [(ActivationPlayground, NOT_ALWAYS), (ActivationPlayground, DEEPEST_BEST),
                 (HiddenRuleGame, NOT_ALWAYS), (DataManifold, NOT_ALWAYS), (DataManifold, DEEPEST_BEST)]


def follows_the_voice(scene_cls, cfg) -> None:
    shown: list[tuple[float, set[str]]] = []
    scene, flashes, cues, frame = dry_run(scene_cls, shown)
    assert not scene.missed_marks, f"marks the scene asks for that its captions lack: {sorted(scene.missed_marks)}"
    for beat, text in scene._marked.items():  # with its values in: a mark comes after a sentence's first word
        assert not [s for s in captions.sentences(text) if s.startswith("[[")], beat
    CASES[scene_cls](cfg, flashes, cues, frame, shown)


@pytest.mark.parametrize("scene_cls", list(CASES), ids=[c.__name__ for c in CASES])
def test_the_picture_follows_the_voice(scene_cls, shipped):
    follows_the_voice(scene_cls, shipped)


@pytest.mark.parametrize("scene_cls, text", OTHER_CONFIGS,
                         ids=[f"{c.__name__}-{'not-always' if t is NOT_ALWAYS else 'deepest-best'}"
                              for c, t in OTHER_CONFIGS])
def test_the_picture_follows_the_voice_under_another_config(scene_cls, text, use_config):
    follows_the_voice(scene_cls, use_config(text))


def test_the_other_configs_change_what_is_said(shipped, use_config):
    """Each other config changes the numbers these checks read (else it would check the shipped ones again)."""

    def numbers(cfg):
        ladder = playground.from_config(cfg, "depth")
        hyp = {d["name"]: d for d in manifold.from_config(cfg).datasets}["hypothetical"]
        return ([fmt(r.test_loss[-1], 2) for r in ladder.runs], ladder.answer,
                [fmt(r.test_loss[-1], 2) for r in playground.from_config(cfg, "compare").runs],
                sorted(c["train_accuracy"] for c in hyp["classifiers"]))

    ours = numbers(shipped)
    for text in (NOT_ALWAYS, DEEPEST_BEST):
        other = numbers(use_config(text))
        assert all(a != b for a, b in zip(ours, other)), (ours, other)
    assert rulegame.from_config(use_config(NOT_ALWAYS)).reveals != rulegame.from_config(shipped).reveals


@pytest.mark.parametrize("scene_cls", list(CASES), ids=[c.__name__ for c in CASES])
def test_marks_keep_the_sentences(scene_cls):
    """A mark never joins two sentences (their gaps, and a question's pause, stay)."""
    for beat, text in captions.load()[scene_cls.__name__].items():
        assert len(captions.sentences(text)) == len(captions.sentences(captions.unmarked(text))), beat
