"""The optimisers' step functions against torch.optim, step for step; the race; bad input."""
from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
import torch

from mathcore import config, optim, race
from mathcore.errors import ConfigError

from .cli_checks import assert_config_error, assert_one_line_exit_2, run_cli, run_to_files


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MATHCORE_CACHE", str(tmp_path / "cache"))


def random_problem(seed: int, kind: str):
    """A seeded random convex problem: f(θ) = ½θᵀAθ − bᵀθ, or least squares ½|Xθ − y|²."""
    rng = np.random.default_rng(seed)
    dim = int(rng.integers(2, 6))
    T = lambda a: torch.tensor(a, dtype=torch.float64)  # noqa: E731
    if kind == "quadratic":
        q = rng.normal(size=(dim, dim))
        A, b = T(q @ q.T / dim + 0.1 * np.eye(dim)), T(rng.normal(size=dim))
        return (lambda th: 0.5 * th @ A @ th - b @ th), rng.normal(size=dim)
    X, y = T(rng.normal(size=(20, dim))), T(rng.normal(size=20))
    return (lambda th: 0.5 * ((X @ th - y) ** 2).sum()), rng.normal(size=dim)


def torch_grad(f, theta: np.ndarray) -> np.ndarray:
    t = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    f(t).backward()
    return t.grad.numpy().copy()


def torch_trajectory(f, theta0, make_opt, steps):
    p = torch.tensor(theta0, dtype=torch.float64, requires_grad=True)
    opt = make_opt([p])
    out, states = [], []
    for _ in range(steps):
        opt.zero_grad()
        f(p).backward()
        opt.step()
        out.append(p.detach().numpy().copy())
        states.append({k: (v.numpy().copy() if torch.is_tensor(v) else v) for k, v in opt.state[p].items()})
    return out, states


def our_trajectory(f, theta0, spec, steps):
    theta, state, out, recs = np.array(theta0, dtype=float), optim.init_state(spec.name, theta0), [], []
    for _ in range(steps):
        # torch feeds the gradient, so a mismatch can only come from the update rule
        theta, state, rec = spec.step(theta, torch_grad(f, theta), state)
        out.append(theta)
        recs.append(rec)
    return out, recs


PROBLEMS = [(seed, kind) for seed in range(3) for kind in ("quadratic", "lstsq")]
STEPS = 150


@pytest.mark.parametrize("seed,kind", PROBLEMS)
def test_gd_matches_torch_sgd(seed, kind):
    f, theta0 = random_problem(seed, kind)
    ours, _ = our_trajectory(f, theta0, optim.Spec("gd", 0.01), STEPS)
    ref, _ = torch_trajectory(f, theta0, lambda p: torch.optim.SGD(p, lr=0.01), STEPS)
    for a, b in zip(ours, ref):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed,kind", PROBLEMS)
def test_momentum_matches_torch_sgd_with_momentum(seed, kind):
    f, theta0 = random_problem(seed, kind)
    ours, recs = our_trajectory(f, theta0, optim.Spec("momentum", 0.01, momentum=0.9), STEPS)
    ref, states = torch_trajectory(f, theta0, lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9), STEPS)
    for a, b, rec, st in zip(ours, ref, recs, states):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)
        np.testing.assert_allclose(rec["velocity"], st["momentum_buffer"], rtol=0, atol=1e-9)


def test_momentum_equals_the_textbook_form():
    """u ← μu − ηg, θ ← θ + u is torch's v ← μv + g, θ ← θ − ηv with u = −ηv."""
    f, theta0 = random_problem(7, "quadratic")
    ours, _ = our_trajectory(f, theta0, optim.Spec("momentum", 0.02, momentum=0.8), STEPS)
    theta, u = np.array(theta0, dtype=float), np.zeros(len(theta0))
    for mine in ours:
        u = 0.8 * u - 0.02 * torch_grad(f, theta)
        theta = theta + u
        np.testing.assert_allclose(mine, theta, rtol=0, atol=1e-10)


ADAM_SETTINGS = [dict(), dict(lr=0.05, beta1=0.5, beta2=0.9, eps=1e-3), dict(lr=0.2, beta1=0.0, beta2=0.99, eps=1e-8)]
ADAM_IDS = ["paper", "other", "no-momentum"]


def adam_spec(hyper) -> optim.Spec:
    return optim.Spec("adam", hyper.get("lr", 0.001), beta1=hyper.get("beta1", 0.9),
                      beta2=hyper.get("beta2", 0.999), eps=hyper.get("eps", 1e-8))


def torch_adam(params, spec):
    return torch.optim.Adam(params, lr=spec.lr, betas=(spec.beta1, spec.beta2), eps=spec.eps)


@pytest.mark.parametrize("seed,kind", PROBLEMS)
@pytest.mark.parametrize("hyper", ADAM_SETTINGS, ids=ADAM_IDS)
def test_adam_matches_torch_adam_step_for_step(seed, kind, hyper):
    """At every step torch.optim.Adam starts from our θ_(t−1) (its own m, v): θ_t, m_t, v_t agree.

    Free-running trajectories of Adam with a large α are chaotic near a minimum (m̂/√v̂ turns a
    1e-16 difference of a near-zero gradient into a step of size α), so the strict check is per step.
    """
    f, theta0 = random_problem(seed, kind)
    spec = adam_spec(hyper)
    ours, recs = our_trajectory(f, theta0, spec, STEPS)
    p = torch.tensor(theta0, dtype=torch.float64, requires_grad=True)
    opt = torch_adam([p], spec)
    for before, after, rec in zip([np.array(theta0, dtype=float)] + ours[:-1], ours, recs):
        with torch.no_grad():
            p.copy_(torch.from_numpy(before))
        opt.zero_grad()
        f(p).backward()
        opt.step()
        st = opt.state[p]
        assert rec["t"] == int(st["step"])
        np.testing.assert_allclose(after, p.detach().numpy(), rtol=0, atol=1e-12)
        np.testing.assert_allclose(rec["m"], st["exp_avg"].numpy(), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(rec["v"], st["exp_avg_sq"].numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("seed,kind", PROBLEMS)
def test_adam_free_running_matches_torch_adam(seed, kind):
    """With the paper's defaults, 150 free-running steps stay together to 1e-10."""
    f, theta0 = random_problem(seed, kind)
    spec = adam_spec({})
    ours, recs = our_trajectory(f, theta0, spec, STEPS)
    ref, states = torch_trajectory(f, theta0, lambda p: torch_adam(p, spec), STEPS)
    for a, b, rec, st in zip(ours, ref, recs, states):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)
        np.testing.assert_allclose(rec["m"], st["exp_avg"], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(rec["v"], st["exp_avg_sq"], rtol=1e-9, atol=1e-12)


def test_adam_state_follows_algorithm_1():
    """Hand-computed first two steps of Algorithm 1 for g1 = 2, g2 = −1 (θ is 1-D)."""
    spec = optim.Spec("adam", 0.001)
    state = optim.init_state("adam", np.zeros(1))
    _, state, r1 = spec.step(np.zeros(1), np.array([2.0]), state)
    assert r1["m"][0] == pytest.approx(0.2) and r1["v"][0] == pytest.approx(0.004)
    assert r1["m_hat"][0] == pytest.approx(2.0) and r1["v_hat"][0] == pytest.approx(4.0)
    assert r1["step"][0] == pytest.approx(-0.001 * 2 / (2 + 1e-8))  # first step ≈ α·sign(g)
    _, state, r2 = spec.step(np.zeros(1), np.array([-1.0]), state)
    m, v = 0.9 * 0.2 - 0.1, 0.999 * 0.004 + 0.001
    assert r2["t"] == 2 and r2["m"][0] == pytest.approx(m) and r2["v"][0] == pytest.approx(v)
    assert r2["m_hat"][0] == pytest.approx(m / (1 - 0.81)) and r2["v_hat"][0] == pytest.approx(v / (1 - 0.999**2))


def test_run_reports_divergence_at_the_right_step():
    """GD on f = h θ²/2 with η h = 1001: θ_t = θ0 (1 − η h)^t until the cost overflows."""
    h, lr, theta0 = 2.0, 500.5, 1.0

    def oracle(theta, t):
        return 0.5 * h * theta[0] * theta[0], h * theta, {}  # numpy: overflows to inf, no exception

    expected, th = None, theta0
    for t in range(1000):
        if not math.isfinite(0.5 * h * th * th) or not math.isfinite(h * th):
            expected = t
            break
        th = th * (1 - lr * h)
    result = optim.run(optim.Spec("gd", lr), [theta0], oracle, 1000)
    assert result.diverged and result.diverged_at == expected
    assert len(result.theta) == len(result.loss) == expected and len(result.records) == expected - 1
    assert all(np.all(np.isfinite(t)) for t in result.theta)


def test_run_reports_divergence_when_theta_itself_overflows():
    """A bounded loss (tanh θ) with gradient θ: θ_(t+1) = θ_t (1 − η) overflows before any loss does."""
    lr, th, expected = 1000.0, 1.0, None
    for t in range(1, 1000):
        th = th - lr * th
        if not math.isfinite(th):
            expected = t
            break
    result = optim.run(optim.Spec("gd", lr), [1.0], lambda theta, t: (float(np.tanh(theta[0])), theta.copy(), {}),
                       1000)
    assert result.diverged_at == expected and len(result.records) == expected - 1
    assert len(result.theta) == expected and math.isfinite(result.theta[-1][0])


def test_run_without_divergence():
    result = optim.run(optim.Spec("gd", 0.1), [1.0], lambda th, t: (float(th[0] ** 2), 2 * th, {}), 50)
    assert not result.diverged and result.diverged_at is None
    assert len(result.theta) == len(result.loss) == 51 and len(result.records) == 50
    assert result.theta[-1][0] == pytest.approx(0.8**50)  # θ ← (1 − 2η) θ


# --- the race ---------------------------------------------------------------

def test_race_is_fair_and_states_learning_rates():
    cfg = config.load()
    o = cfg.optim
    result = race.race(cfg, "surface")
    assert [e["optimiser"] for e in result.entrants] == list(o.race)
    lrs = {"gd": o.gd_lr, "sgd": o.sgd_lr, "minibatch": o.minibatch_lr, "momentum": o.momentum_lr,
           "adam": o.race_adam_lr}
    for e in result.entrants:
        assert e["theta"][0] == list(o.start)
        assert len(e["theta"]) == o.steps + 1 and not e["diverged"]
        assert e["lr"] == e["hyper"]["lr"] == lrs[e["optimiser"]]
    assert result.steps == o.steps and result.seed == o.seed


def torch_surface(cfg):
    """The race's surface in torch, written from its definition in lecture.toml (not mathcore.surfaces)."""
    o = cfg.optim
    centres = torch.tensor(o.surface_centres, dtype=torch.float64)
    depths = torch.tensor(o.surface_depths, dtype=torch.float64)
    widths = torch.tensor(o.surface_widths, dtype=torch.float64)

    def f(p):
        d2 = ((p - centres) ** 2).sum(dim=1)
        return o.surface_bowl / 2 * (p**2).sum() - (depths * torch.exp(-d2 / (2 * widths**2))).sum()

    return f


REMEDIES = ("sgd", "momentum", "adam")  # the slide's strategies against local minima


@pytest.mark.parametrize("remedy", REMEDIES)
def test_each_remedy_ends_deeper_than_gradient_descent(remedy):
    """Rule 9 (shipped config): stochastic GD, momentum and Adam end in a deeper minimum than plain GD from
    the same start; GD, momentum and Adam checked against torch.optim on the surface written in torch."""
    cfg = config.load()
    o = cfg.optim
    f = torch_surface(cfg)
    steps, start = o.steps, np.array(o.start)
    finals = {
        "gd": torch_trajectory(f, start, lambda p: torch.optim.SGD(p, lr=o.gd_lr), steps)[0][-1],
        "momentum": torch_trajectory(f, start, lambda p: torch.optim.SGD(
            p, lr=o.momentum_lr, momentum=o.momentum), steps)[0][-1],
        "adam": torch_trajectory(f, start, lambda p: torch.optim.Adam(
            p, lr=o.race_adam_lr, betas=(o.beta1, o.beta2), eps=o.eps), steps)[0][-1],
    }
    cost = {k: float(f(torch.tensor(v))) for k, v in finals.items()}
    result = {e["optimiser"]: e for e in race.race(cfg, "surface").entrants}
    for name, theta in finals.items():  # the race draws what torch computes
        assert result[name]["final"] == pytest.approx(list(theta), abs=1e-6)
    gd = cost["gd"]
    ours = cost.get(remedy, result[remedy]["final_loss"])  # SGD's noise is the race's own (seeded)
    minima = race.race(cfg, "surface").minima
    assert ours < gd - 0.1, f"{remedy} ends at C = {ours:.4g}, no deeper than gradient descent's {gd:.4g}"
    deeper = [m["cost"] for m in minima if m["cost"] < gd - 1e-9]
    assert result[remedy]["nearest_minimum"] is not None and minima[result[remedy]["nearest_minimum"]]["cost"] in deeper


def test_algorithm_run_converges_with_the_slides_alpha():
    """The Adam run stepped through beside Algorithm 1 uses α = adam_lr and ends at the closed-form minimiser."""
    cfg = config.load()
    run = race.algorithm_run(cfg)
    assert run.hyper["lr"] == cfg.optim.adam_lr == 0.001  # the slide's α
    import csv

    with open(config.REPO_ROOT / "assets" / "data" / "batch_table.csv") as fh:
        rows = [(float(r["x"]), float(r["y"])) for r in csv.DictReader(fh)]
    w_star = sum(x * y for x, y in rows) / sum(x * x for x, _ in rows)
    w0 = run.theta[0][0]
    assert abs(run.theta[-1][0] - w_star) < 0.01 * abs(w0 - w_star)  # within 1 % of the way left
    assert abs(run.records[-1]["g"][0]) < 0.01 * abs(run.records[0]["g"][0])  # the gradient shrank


def test_race_on_the_line_reaches_the_closed_form():
    cfg = config.load()
    result = race.race(cfg, "line")
    import csv

    with open(config.REPO_ROOT / "assets" / "data" / "batch_table.csv") as fh:
        rows = [(float(r["x"]), float(r["y"])) for r in csv.DictReader(fh)]
    w_star = sum(x * y for x, y in rows) / sum(x * x for x, _ in rows)
    assert result.minimiser == pytest.approx(w_star)
    gd = next(e for e in result.entrants if e["optimiser"] == "gd")
    assert gd["final"][0] == pytest.approx(w_star, abs=1e-9)


def test_adam_trajectory_records_match_torch_on_the_line():
    """Adam fed the full gradient of the batch problem, against torch.optim.Adam on the same loss."""
    cfg = config.load(overrides={"optim": {"adam_lr": 0.05, "steps": 120}})
    ours = race.trajectory(cfg, "adam", "line")
    import csv

    with open(config.REPO_ROOT / "assets" / "data" / "batch_table.csv") as fh:
        rows = list(csv.DictReader(fh))
    x = torch.tensor([float(r["x"]) for r in rows], dtype=torch.float64)
    y = torch.tensor([float(r["y"]) for r in rows], dtype=torch.float64)
    ref, _ = torch_trajectory(lambda w: ((y - w * x) ** 2).sum(), np.array([0.0]),
                              lambda p: torch.optim.Adam(p, lr=0.05), 120)
    for rec, b in zip(ours.records, ref):
        assert rec["theta_after"][0] == pytest.approx(b[0], abs=1e-9)


def test_diverging_entrant_is_reported(write_config):
    path = write_config("[optim]\ngd_lr = 50.0\nrace = [\"gd\", \"momentum\"]\n")
    result = race.race(config.load(path), "surface")
    gd = result.entrants[0]
    assert gd["diverged"] and isinstance(gd["diverged_at"], int) and 0 < gd["diverged_at"] <= result.steps
    assert len(gd["theta"]) == len(gd["loss"]) == gd["diverged_at"]  # θ_0 .. θ_(diverged_at − 1)
    assert all(v is not None and math.isfinite(v) for th in gd["theta"] for v in th)
    assert not result.entrants[1]["diverged"]


# --- bad input --------------------------------------------------------------

@pytest.mark.parametrize("text,key,expected", [
    ("[optim]\nrace = [\"gd\", \"rmsprop\"]\n", "optim.race", "one of gd, sgd, minibatch, momentum, adam"),
    ("[optim]\nadam_lr = -0.001\n", "optim.adam_lr", "a number above 0"),
    ("[optim]\nsgd_lr = nan\n", "optim.sgd_lr", "a finite number"),
    ("[optim]\ngd_lr = inf\n", "optim.gd_lr", "a finite number"),
    ("[optim]\nbeta2 = 1.0\n", "optim.beta2", "[0.0, 1.0)"),
    ("[optim]\nrace = []\n", "optim.race", "a list of at least 1"),
])
def test_config_errors(write_config, text, key, expected):
    assert_config_error(write_config(text), key, expected)


def test_unknown_optimiser_is_a_config_error():
    with pytest.raises(ConfigError, match="one of gd, sgd"):
        optim.spec_from_config(config.load(), "rmsprop")


@pytest.mark.parametrize("args,needle", [
    (["optim", "--optimiser", "rmsprop"], "--optimiser"),
    (["optim", "--lr", "-1"], "optim.adam_lr"),
    (["optim", "--optimiser", "sgd", "--lr", "nan"], "optim.sgd_lr"),
    (["optim", "--problem", "circle"], "--problem"),
    (["race", "--problem", "circle"], "--problem"),
    (["race", "--race", "gd,lion"], "optim.race"),
    (["race", "--start", "1,a"], "--start"),
])
def test_cli_bad_input_is_one_line_exit_2(capsys, args, needle):
    assert_one_line_exit_2(capsys, args, needle)


def test_minibatch_larger_than_the_table_on_the_line(capsys, write_config):
    path = write_config("[optim]\nminibatch_size = 11\n")
    assert_one_line_exit_2(capsys, ["race", "--problem", "line", "--config", str(path)],
                           "optim.minibatch_size: expected at most 10")


def test_cli_optim_json_exposes_adam_state(capsys):
    code, out, _ = run_cli(capsys, ["optim", "--json", "--optimiser", "adam", "--steps", "5", "--seed", "3"])
    data = json.loads(out)
    assert code == 0 and data["hyper"] == {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    assert [r["t"] for r in data["records"]] == [1, 2, 3, 4, 5]
    assert {"g", "m", "v", "m_hat", "v_hat", "step", "theta_before", "theta_after"} <= set(data["records"][0])


def test_cli_optim_table_csv_and_plot(capsys, tmp_path):
    out, lines = run_to_files(capsys, tmp_path, ["optim", "--optimiser", "momentum", "--steps", "4"])
    assert "velocity" in out and "lr = 0.05" in out
    assert lines[0].startswith("t,theta_before_0,theta_before_1,loss,g_0") and len(lines) == 5


def test_cli_race_table_and_csv(capsys, tmp_path):
    csv_file = tmp_path / "race.csv"
    code, out, _ = run_cli(capsys, ["race", "--steps", "50", "--csv", str(csv_file)])
    adam_lr = config.load().optim.race_adam_lr  # the race's α, not Algorithm 1's 0.001
    assert code == 0 and f"lr = {adam_lr:g}, beta1" in out and "local minima" in out
    assert len(csv_file.read_text().splitlines()) == 1 + 5 * 51


def test_race_json_is_byte_identical_and_torch_free(tmp_path):
    code = ("import sys; from mathcore.cli import main\ntry:\n main(['race','--json','--steps','100'])\n"
            "except SystemExit: pass\nprint('torch' in sys.modules, file=sys.stderr)")
    env = {"MATHCORE_CACHE": "off", "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
            for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout and json.loads(runs[0].stdout)["steps"] == 100
    assert runs[0].stderr.strip().endswith("False")


def test_config_change_invalidates_the_race_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MATHCORE_CACHE", str(tmp_path / "c"))
    cfg = config.load(overrides={"optim": {"steps": 20}})
    first = race.race(cfg, "surface")
    assert race.race(cfg, "surface") == first and len(list((tmp_path / "c").iterdir())) == 1
    other = race.race(config.load(overrides={"optim": {"steps": 20, "momentum_lr": 0.01}}), "surface")
    assert len(list((tmp_path / "c").iterdir())) == 2
    assert other.entrants[3]["lr"] == 0.01 and other.entrants[3]["theta"] != first.entrants[3]["theta"]


def test_went_deeper_names_the_racers_ending_in_a_lower_minimum_than_gd():
    """Judged by the minimum each ended nearest (noise around a minimum does not count), deepest first."""
    minima = [{"x": 0, "y": 0, "cost": -0.6}, {"x": 1, "y": 0, "cost": -1.4}, {"x": 0, "y": 1, "cost": -1.0}]

    def entrant(name, end, loss, diverged=False):
        return {"optimiser": name, "final_loss": loss, "diverged": diverged, "nearest_minimum": end}

    def raced(entrants):
        return race.RaceResult(problem="surface", steps=1, seed=0, entrants=entrants, start=[0.0, 0.0], minima=minima)

    result = raced([
        entrant("gd", 0, -0.6), entrant("sgd", 0, -0.59), entrant("minibatch", 2, -0.99),
        entrant("momentum", 1, -1.39), entrant("adam", 1, -1.4, diverged=True)])
    assert [e["optimiser"] for e in race.went_deeper(result)] == ["momentum", "minibatch"]
    assert race.went_deeper(result, than="momentum") == []
    assert race.went_deeper(raced(result.entrants[1:])) == []  # no gd raced
