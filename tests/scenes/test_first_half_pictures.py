"""What the pictures of the first half (ForwardPass, BackwardPass, ComputeTree, GradientDescentUpdate,
SignsOfTrouble) show at their pauses agrees with what the slide and the voice claim there.

Each test runs a scene dry and looks at the mobjects on screen at each pause (``run_dry``'s observers); tests
that look at one scene under one config share its dry run (``once``).
"""
from __future__ import annotations

import numpy as np
import pytest
from manim import DL, UR, Line

from mathcore import chain, gd, graph, trouble
from mathcore.display import fmt
from mathcore.display import tex as tex_of
from scenes import theme
from scenes.backward_pass import BackwardPass
from scenes.components import compute_graph
from scenes.components.cost_curve import BALL_RADIUS, Shortfall
from scenes.components.fields import field_of
from scenes.components.history_plot import MARGIN, HistoryPlot
from scenes.compute_tree import ComputeTree
from scenes.forward_pass import ForwardPass
from scenes.gradient_descent import AXES_RIGHT, GradientDescentUpdate
from scenes.pipeline import layout_check
from scenes.signs_of_trouble import SignsOfTrouble

from .conftest import ALT_CONFIG as ALT_CHAIN
from .harness import once, run_dry, shared_dry_run, text_of
from .test_descent_scenes import ALT_CONFIG as ALT_DESCENT
from .test_descent_scenes import ALT_TABLE

pytestmark = pytest.mark.slow


def on_screen(scene, kind) -> list:
    """Every mobject of type ``kind`` on screen, each once."""
    found = {id(m): m for top in scene.mobjects for m in top.get_family() if isinstance(m, kind)}
    return list(found.values())


def fields_on_screen(scene) -> set[str]:
    return {name for top in scene.mobjects for m in top.get_family() if (name := field_of(m)) is not None}


def texts_on_screen(scene) -> str:
    return " ".join(text_of(m) for m in layout_check.text_mobjects(scene.mobjects))


def screens_of(shown) -> list[str]:
    """The texts on screen at each pause, as texts_on_screen gives them (from a shared dry run)."""
    return [" ".join(sorted(texts)) for texts in shown.pauses]


# --- ForwardPass --------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["shipped", "alt_config"])
def test_forward_exercise_shows_x_says_pause_and_its_minutes_and_the_answer_follows(which, request):
    """At the exercise's pause x's value is on the chain with the weights and biases (all it needs), the
    slide and the voice say to pause the video and give the config's minutes; the h values come after."""
    cfg = request.getfixturevalue(which)
    r = chain.from_config(cfg)
    minutes = cfg.chain.exercise_minutes
    fields, screens = [], []

    def look(scene):
        fields.append(fields_on_screen(scene))
        screens.append(texts_on_screen(scene))

    shown = run_dry(ForwardPass, observers=[look])
    captions = [text for _, _, text in shown.captions]
    need = {"x"} | {f"w[{i}]" for i in range(r.layers)} | {f"b[{i}]" for i in range(r.layers)}
    assert need <= fields[1], f"missing at the exercise: {sorted(need - fields[1])}"
    assert "Pause the video" in screens[1] and f"{minutes} minutes" in screens[1]
    assert not {f"h[{i}]" for i in range(r.layers)} & fields[1]  # the answer is not given away
    asked = [k for k, c in enumerate(captions) if "pause the video" in c.lower()]
    assert asked, "no caption says to pause the video"
    before = " ".join(captions[:asked[0] + 1])
    assert f"x is {fmt(r.x)}" in before  # the voice gives x before the pause
    assert any(f"{minutes} minutes" in c for c in captions[asked[0]:asked[0] + 3])
    assert {f"h[{i}]" for i in range(r.layers)} <= fields[2]
    said = " ".join(captions[asked[0]:])
    assert all(fmt(h) in said for h in r.h)


# --- BackwardPass -------------------------------------------------------------------------------


@once
def backward_pauses():
    """BackwardPass run dry: the fields and the texts on screen at every pause, and its captions."""
    fields, screens = [], []

    def look(scene):
        fields.append(fields_on_screen(scene))
        screens.append(texts_on_screen(scene))

    shown = run_dry(BackwardPass, observers=[look])
    return fields, screens, [text for _, _, text in shown.captions]


@pytest.mark.parametrize("which", ["shipped", "alt_config"])
def test_backward_chain_keeps_weights_and_values_at_every_pause(which, request):
    """Each factor of the chain rule has a visible source: the weights w_i and the values x, h_i stay on
    the chain at every pause (tagged with their mathcore fields, so the scene tests check their numbers)."""
    r = chain.from_config(request.getfixturevalue(which))
    need = {"x"} | {f"w[{i}]" for i in range(r.layers)} | {f"h[{i}]" for i in range(r.layers)}
    pauses, _, _ = backward_pauses()
    for k, fields in enumerate(pauses, start=1):
        assert need <= fields, f"pause {k}: not on the chain: {sorted(need - fields)}"


@pytest.mark.parametrize("which", ["shipped", "alt_config"])
def test_bias_exercise_says_pause_the_video_and_its_minutes_and_the_answers_follow(which, request):
    cfg = request.getfixturevalue(which)
    r = chain.from_config(cfg)
    minutes = cfg.chain.bias_exercise_minutes
    _, screens, captions = backward_pauses()
    ask = screens[4]  # the fifth pause: the exercise
    assert "Pause the video" in ask and f"{minutes} minutes" in ask
    asked = [k for k, c in enumerate(captions) if "pause the video" in c.lower()]
    assert asked, "no caption says to pause the video"
    assert any(f"{minutes} minutes" in c for c in captions[asked[0]:asked[0] + 3])
    # the answers: on screen and said after the exercise
    answers = [fmt(g) for g in r.grad_b]
    assert all(f"= {a}" in screens[5] for a in answers)
    said = " ".join(captions[asked[0]:])
    assert all(a in said for a in answers)


# ReLU with a negative last z: its slope there is 0, and the voice must say so
RELU_NEGATIVE = """
[chain]
x = 1.0
w = [0.1, -0.2, -3.0]
b = [0.0, 0.1, 0.2]
activation = "relu"
"""


@pytest.fixture(params=["shipped", "alt_config", "relu_negative"])
def slope_config(request, use_config):
    if request.param == "relu_negative":
        return use_config(RELU_NEGATIVE)
    return request.getfixturevalue(request.param)


def test_backward_says_why_the_last_slope_is_what_it_is(slope_config):
    """σ'(z_L) said with its reason: for ReLU the sign of z_L read off the chain here (1 when positive, 0 when
    not); for another activation, that its slope changes with z."""
    r = chain.from_config(slope_config)
    L, z = r.layers, r.z[-1]
    shown = shared_dry_run(BackwardPass)
    said = " ".join(text for _, _, text in shown.captions)
    if r.activation == "relu":
        sign, slope = ("positive", "1") if z > 0 else ("negative", "0")
        assert f"z{L} is {fmt(z)}, a {sign} number, and ReLU's slope is {slope} for every {sign} z" in said
        assert f"which is {slope} here" in said
    else:
        assert r.activation == "tanh"
        assert f"tanh's slope changes with z, and this is its value where z{L} is {fmt(z)}" in said
    assert not shown.problems, shown.problems


@pytest.mark.parametrize("activation", ["relu", "linear", "tanh", "sigmoid"])
def test_slope_note_typesets_its_words_as_text(activation):
    r"""The note beside σ'(z_L) writes its words with \text{...} (a lost backslash once made it a TAB and "ext")."""
    r = chain.run(1.0, [0.5, -0.3], [0.1, 0.2], activation)
    note = BackwardPass.slope_note(type("Scene", (), {"r": r})()).get_tex_string()
    assert "\t" not in note and "ext{" not in note.replace(r"\text{", "")
    if activation != "relu":  # the words of its case: "for every" z (linear), "at" z_L (sigmoid, tanh)
        assert (r"\text{ for every }" if activation == "linear" else r"\text{ at }") in note


@pytest.mark.parametrize("which", ["shipped", "alt_config"])
def test_bias_exercise_hides_the_z_gradients_and_the_answer_brings_them_back(which, request):
    """∂h_L/∂z_i would give the exercise away: none on screen at its pause, all back at the answer's."""
    r = chain.from_config(request.getfixturevalue(which))
    screens = screens_of(shared_dry_run(BackwardPass))
    dz = [rf"\partial z_{{{i}}}" for i in range(1, r.layers + 1)]
    assert not any(d in screens[4] for d in dz) and r"\partial z" not in screens[4]
    assert all(d in screens[5] for d in dz)


@pytest.mark.parametrize("which", ["shipped", "alt_config"])
def test_forward_says_and_shows_that_sigma_is_the_configs_activation(which, request):
    r = chain.from_config(request.getfixturevalue(which))
    name = {"relu": ("ReLU", r"\mathrm{ReLU}"), "tanh": ("tanh", r"\tanh")}[r.activation]
    shown = shared_dry_run(ForwardPass)
    screens = screens_of(shown)
    said = [text for _, _, text in shown.captions]
    assert sum(f"σ is the activation function: in this exercise, {name[0]}" in c for c in said) == 1
    assert all(rf"\sigma = {name[1]}" in screen for screen in screens)


# --- ComputeTree ----------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["shipped", "alt_config"])
def test_compute_tree_code_calls_backward_where_the_voice_says_it_does(which, request):
    """The voice says the code calls backward on the output: the code on screen does, from the backward
    pass's pause on, and still at the summary that names it again (and not before: the slides' code only
    builds the tree)."""
    g = graph.from_config(request.getfixturevalue(which))
    out = g.output.name or g.output.id
    call = f"{out}.backward()"
    shown = shared_dry_run(ComputeTree)
    screens = screens_of(shown)
    said = [text for _, _, text in shown.captions if "backward on" in text]
    assert said and all(f"backward on {out}" in text for text in said)
    assert [call in screen for screen in screens[:4]] == [False, False, True, True]


def test_compute_tree_edge_labels_keep_clear_of_the_gradients_beside_nodes():
    """An edge's local derivative never touches an op's gradient (a "1" beside a "0.5" read as "0.51"),
    though the gradient is written after the edge's label."""
    seen = []

    def look(scene):
        if hasattr(scene, "grads") and hasattr(scene, "locals"):
            seen.append(([*scene.locals], [scene.grads[n.id] for n in scene.g.operations if n.id in scene.grads]))

    run_dry(ComputeTree, observers=[look])
    labels, grads = seen[-1]
    assert labels and len(grads) == len(graph.from_config(ComputeTree().cfg).operations)
    for label in labels:
        for grad in grads:
            assert not compute_graph._overlaps(label, grad), (label[1].tex_string, grad.tex_string)


# --- GradientDescentUpdate ------------------------------------------------------------------------


@pytest.fixture(params=["shipped", "alt"])
def descent_config(request, use_config):
    """The shipped config, or other [gd] rates and a four-layer chain."""
    if request.param == "shipped":
        return request.getfixturevalue("shipped")
    return use_config(ALT_DESCENT + ALT_CHAIN, {"alt_table.csv": ALT_TABLE})


@once
def descent_pauses():
    pictures, screens = [], []

    def look(scene):
        ball = getattr(scene, "ball", None)
        descent = getattr(scene, "descent", None)  # the run drawn last (cost_curve.Descent)
        tangents = [m for m in on_screen(scene, Line) if m.get_stroke_width() == 4 and m.get_color() == theme.GRADIENT]
        pictures.append({"ball": None if ball is None else ball.get_center().copy(),
                         "plot": getattr(scene, "plot", None), "arrow": getattr(descent, "arrow", None),
                         "view": getattr(descent, "view", None), "tangents": tangents,
                         "readout": getattr(scene, "readout", None),
                         "insets": on_screen(scene, Shortfall)})
        screens.append(texts_on_screen(scene))

    shown = run_dry(GradientDescentUpdate, observers=[look])
    return pictures, screens, [text for _, _, text in shown.captions]


def test_descent_ball_and_readout_are_where_the_voice_says_and_the_arrow_points_the_way_w_went(descent_config):
    r = gd.from_config(descent_config)
    runs = {run["behaviour"]: run for run in r.runs}
    pictures, screens, captions = descent_pauses()
    said = " ".join(captions)
    # small, good and too large a rate (pauses 3-5): after all the run's steps, as the voice counts them
    for k, behaviour in ((2, "slow"), (3, "converges"), (4, "overshoots")):
        run = runs[behaviour]
        last = len(run["w"]) - 1
        where = pictures[k]["plot"].point(run["w"][last], run["cost"][last])
        assert np.allclose(pictures[k]["ball"][:2], where[:2], atol=0.02), f"{behaviour}: the ball is not at w_{last}"
        assert f"t = {last}" in screens[k], f"{behaviour}: the readout does not show t = {last}"
    assert f"after {len(runs['slow']['w']) - 1} steps" in said
    # far too large: the arrow leaves towards where w went (right or left), up, and visibly sideways
    run = runs["diverges"]
    t = run["left_zoom_at"]
    arrow = pictures[5]["arrow"]
    dx, dy = (arrow.get_end() - arrow.get_start())[:2]
    assert np.sign(dx) == np.sign(run["w"][t] - run["w"][t - 1]) and dy > 0
    assert abs(dx) > 0.5 * abs(dy), "the arrow points up, not the way w went"
    if dx > 0:  # going right, the arrow leaves the plot towards the readout of where w went, short of it
        assert f"w_{{{t}}}" in screens[5] and arrow.get_end()[0] > AXES_RIGHT
        assert arrow.get_right()[0] < pictures[5]["readout"].get_left()[0]
    # it passes over the curve, never across it
    (x0, y0), (x1, y1) = arrow.get_start()[:2], arrow.get_end()[:2]
    for px, py in pictures[5]["view"].curve.points[:, :2]:
        share = (px - x0) / (x1 - x0)
        if 0.05 < share <= 1:
            assert y0 + share * (y1 - y0) > py, "the arrow crosses the curve"


def test_descent_tangents_on_screen_are_at_the_w_the_readout_gives(descent_config):
    """A tangent drawn is the slope C'(w_t) the readout shows: at the readout's w_t (none once w_t is off the view,
    as when the ball flew off: the tangent it left at the w before goes)."""
    r = gd.from_config(descent_config)
    runs = {run["behaviour"]: run for run in r.runs}
    pictures, screens, _ = descent_pauses()
    for k, behaviour in ((2, "slow"), (3, "converges"), (4, "overshoots"), (5, "diverges")):
        run, picture = runs[behaviour], pictures[k]
        t = max(t for t in range(len(run["w"])) if f"t = {t}" in screens[k])  # "t = 2" is in "t = 20" too
        for tangent in picture["tangents"]:
            at = picture["view"].point(run["w"][t], run["cost"][t])
            assert np.allclose(tangent.get_center()[:2], at[:2], atol=0.02), f"{behaviour}: tangent not at w_{t}"
        if not picture["view"].inside(run["w"][t]):
            assert not picture["tangents"], f"{behaviour}: a tangent at another w than the readout's w_{t}"


def test_descent_small_rate_shows_how_far_short_of_the_minimum_the_ball_stopped(descent_config):
    """At the plot's scale the slow run's ball looks at w*: zoomed in, its last steps bunch up short of w*, the gap
    (mathcore's) named on screen and by the voice."""
    r = gd.from_config(descent_config)
    run = next(run for run in r.runs if run["behaviour"] == "slow")
    gap = gd.shortfall(run["w"], r.cost["w_star"])
    pictures, screens, captions = descent_pauses()
    assert f"{fmt(gap)} short of w*" in " ".join(captions)
    assert [len(p["insets"]) for p in pictures] == [0, 0, 1, 0, 0, 0]
    inset = pictures[2]["insets"][0]
    spots = [inset.line.p2n(dot.get_center()) for dot in inset.dots]
    assert spots == pytest.approx(run["w"][-len(spots):], abs=1e-6)
    xs = [dot.get_x() for dot in inset.dots]
    star = inset.line.n2p(r.cost["w_star"])[0]
    towards = np.sign(star - xs[0])  # the run comes from one side and never crosses (that would overshoot)
    steps = np.diff(xs) * towards
    assert np.all(steps > 0) and np.all(np.diff(steps) < 0), "the steps do not bunch up towards w*"
    assert (star - xs[-1]) * towards > BALL_RADIUS  # the ball visibly short of w*'s tick
    ends = sorted([xs[-1], star])
    assert [inset.brace.get_left()[0], inset.brace.get_right()[0]] == pytest.approx(ends, abs=0.05)
    assert fmt(gap) in text_of(inset.gap) and fmt(gap) in screens[2]


def test_descent_says_plainly_which_steps_jump_past_the_minimum_and_why_too_large_still_converges(descent_config):
    """Shipped: η = 1.7 jumps past w* at every step but the 2nd, each jump shorter than the last, and it settles;
    the other config's too-large η jumps past at every step and has not settled. Read off the iterates here."""
    r = gd.from_config(descent_config)
    run = next(run for run in r.runs if run["behaviour"] == "overshoots")
    side = np.sign(np.asarray(run["w"]) - r.cost["w_star"])
    stayed = [t for t in range(1, len(side)) if side[t] == side[t - 1]]
    hops = np.abs(np.diff(run["w"]))
    shorter = bool(np.all(hops[1:] < hops[:-1]))
    settles = abs(run["w"][-1] - r.cost["w_star"]) <= descent_config.gd.tolerance
    shipped = descent_config.gd.learning_rates == (0.1, 0.4, 1.7, 2.2)
    assert (stayed, shorter, settles) == (([2], True, True) if shipped else ([], True, False))
    _, screens, captions = descent_pauses()
    said = " ".join(captions)
    who = "every step but step 2" if shipped else "every step"
    assert f"{who} jumps past w* to the other side" in said
    assert f"{who} jumps past" in screens[4] and (shipped or "but step" not in said)
    assert "each jump is shorter than the last" in said.lower() and "each jump is shorter" in screens[4]
    verdict = ("still converges", "not settled") if settles else ("not settled", "still converges")
    assert verdict[0] in said and verdict[0] in screens[4]
    assert verdict[1] not in said and verdict[1] not in screens[4]
    assert "cross w*" not in said  # the old "Steps 1, 3 to 20 cross w*"


def test_descent_w_star_label_is_clear_of_the_ball_and_the_tangent(descent_config):
    """At the small and good rates' pauses the ball rests near w*: the label stands off the ball and the tangent."""
    seen = []

    def look(scene):
        if getattr(scene, "minimum", None) is not None and getattr(scene, "descent", None) is not None:
            seen.append((scene.minimum[1], scene.ball, scene.descent.tangent))

    run_dry(GradientDescentUpdate, observers=[look])
    assert len(seen) >= 3
    for label, ball, tangent in seen[:3]:  # slow, good, too large: the view in which the ball settles
        for other in (ball, tangent):
            if other is None:
                continue
            apart = (label.get_bottom()[1] > other.get_top()[1] or label.get_right()[0] < other.get_left()[0]
                     or label.get_left()[0] > other.get_right()[0])
            assert apart, "the w* label overlaps the ball or the tangent"


def test_descent_links_the_cost_c_to_the_network_output_once(descent_config):
    out = f"h{len(descent_config.chain.w)}"
    _, screens, captions = descent_pauses()
    linking = [c for c in captions if f"output, {out}" in c]
    assert len(linking) == 1, "the cost C and the output are linked in one sentence"
    assert f"the cost of the output {out}" in screens[0]


# --- SignsOfTrouble ----------------------------------------------------------------------------


@once
def trouble_pauses():
    """SignsOfTrouble run dry: each panel's plot (its x range, the curve's share of its height) at every pause,
    the texts on screen and where they are, and the captions."""
    def plots(scene):  # the panels' plots (the scene plays their parts, so look in its page)
        page = [m for m in getattr(scene, "page", []) for m in m.get_family() if isinstance(m, HistoryPlot)]
        return [(p.axes.x_range[1], p.curve.height / p.axes.y_length) for p in page]

    seen, boxes = [], []

    def look(scene):
        seen.append(plots(scene))
        axes = [m.axes for top in getattr(scene, "page", []) for m in top.get_family() if isinstance(m, HistoryPlot)]
        boxes.append(([(a.get_corner(DL)[:2], a.get_corner(UR)[:2]) for a in axes],
                      [(text_of(m), m.get_center()[:2]) for m in layout_check.text_mobjects(scene.mobjects)]))

    shown = run_dry(SignsOfTrouble, observers=[look])
    return seen, [text for _, _, text in shown.captions], boxes


def test_stuck_and_slow_share_one_cost_span_the_others_their_own_and_the_bug_run_shows_its_climb(shipped):
    """Stuck and slow are drawn to one cost span (the wider fall: stuck's), so slow is a gentle slope beside a
    drop that stops, not a plunge that fills its plot; the climbing runs fill their own plots; the sign bug's plot
    runs over the iterations where the cost climbs (mathcore's rise_end), not 200 iterations of plateau."""
    seen, _, _ = trouble_pauses()
    runs = {r["name"]: r for r in trouble.runs(shipped)}
    stuck, slow = runs["stuck"]["cost"], runs["slow"]["cost"]
    span = trouble.shared_span(stuck, slow)
    assert [len(p) for p in seen] == [0, 1, 2, 1, 2]
    full = 1 / (1 + 2 * MARGIN)  # a curve over the whole span, between the margins
    (_, stuck_share), (_, slow_share) = seen[2]
    assert stuck_share == pytest.approx(full * (max(stuck) - min(stuck)) / span, abs=0.01)
    assert slow_share == pytest.approx(full * (max(slow) - min(slow)) / span, abs=0.01)
    assert slow_share < 0.25 < 0.8 < stuck_share, "slow should read as a gentle slope beside stuck's drop"
    for pause in seen[3:]:
        for _, share in pause:
            assert share > 0.8, f"a cost curve spans only {share:.0%} of its plot's height"
    climb = trouble.rise_end(runs["sign_bug"]["cost"])
    assert climb < len(runs["sign_bug"]["cost"]) - 1
    assert seen[3][0][0] == climb


def test_trouble_slow_run_is_labelled_still_falling_and_the_other_basins_end_is_outside_the_plot(shipped):
    """The slow run's end: "still falling at t = 200" with its last change (mathcore's end_slope), said too; the
    note of where another start ends sits outside every plot (inside, it read as a level on the cost axis)."""
    runs = {r["name"]: r for r in trouble.runs(shipped)}
    slow = runs["slow"]["cost"]
    _, said, boxes = trouble_pauses()
    last = len(slow) - 1
    texts = [text for text, _ in boxes[2][1]]
    assert rf"\text{{still falling at }} t = {last}\text{{:}}" in texts
    assert f"C(t) - C(t - 1) = {tex_of(trouble.end_slope(slow))}" in texts
    assert f"still falling: {fmt(trouble.end_slope(slow))} in the last iteration" in " ".join(said)
    axes, placed = boxes[1]
    note = [at for text, at in placed if "another start ends at" in text]
    assert len(note) == 1 and axes
    for (x0, y0), (x1, y1) in axes:
        assert not (x0 <= note[0][0] <= x1 and y0 <= note[0][1] <= y1), "the note is inside a plot"


def test_trouble_voice_says_how_long_the_bug_climbs_and_how_the_axes_are_read(shipped):
    runs = {r["name"]: r for r in trouble.runs(shipped)}
    said = " ".join(trouble_pauses()[1])
    assert f"first {trouble.rise_end(runs['sign_bug']['cost'])} iterations" in said
    assert "starts at its own run's lowest cost" in said and "the same cost span as the stuck run" in said
