"""Part 8: thin data manifolds; classifiers that all fit the data but disagree away from it."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from mathcore import cache, config, manifold
from mathcore.cli import main

from .cli_checks import assert_config_error, assert_one_line_exit_2, run_to_files


@pytest.fixture(scope="module", autouse=True)
def fresh_cache(tmp_path_factory):
    """Train once per test run (not from an old cache), then share the result within this module."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(cache.ENV_VAR, str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="module")
def cfg():
    return config.load(config.DEFAULT_CONFIG)


@pytest.fixture(scope="module")
def models(cfg):
    return {name: manifold.classifiers(cfg, name) for name in manifold.DATASETS}


def _direction(angle_deg):
    a = math.radians(angle_deg)
    return np.array([math.cos(a), math.sin(a)]), np.array([-math.sin(a), math.cos(a)])


def test_height_weight_data_lie_near_a_line(cfg):
    s = cfg.manifold
    d = manifold.make_data(cfg, "height_weight")
    n = s.hw_count
    assert d.points.shape == (2 * n, 2) and list(d.labels) == [0] * n + [1] * n
    lo0, hi0, lo1, hi1 = s.hw_height_ranges
    h, w = d.points[:, 0], d.points[:, 1]
    assert np.all((h[:n] >= lo0) & (h[:n] <= hi0)) and np.all((h[n:] >= lo1) & (h[n:] <= hi1))
    # "what is wrong with this data set?": weight is almost a function of height
    assert np.corrcoef(h, w)[0, 1] > 0.95
    slope, intercept = np.polyfit(h, w, 1)
    assert slope == pytest.approx(s.hw_weight_slope, rel=0.1)
    assert np.std(w - (slope * h + intercept)) == pytest.approx(s.hw_weight_noise, rel=0.3)


def test_hypothetical_data_lie_on_a_thin_line(cfg):
    s = cfg.manifold
    d = manifold.make_data(cfg, "hypothetical")
    along, across = _direction(s.hyp_angle)
    rel = d.points - np.asarray(s.hyp_center)
    t, off = rel @ along, rel @ across
    lo0, hi0, lo1, hi1 = s.hyp_class_ranges
    assert np.all((t[d.labels == 0] >= lo0) & (t[d.labels == 0] <= hi0))
    assert np.all((t[d.labels == 1] >= lo1) & (t[d.labels == 1] <= hi1))
    assert np.std(off) == pytest.approx(s.hyp_noise, rel=0.35)
    # Thin: the second principal direction carries a tiny share of the spread.
    sv = np.linalg.svd(rel - rel.mean(axis=0), compute_uv=False)
    assert sv[1] / sv[0] < 0.1


def test_data_are_seeded(cfg):
    a = manifold.make_data(cfg, "hypothetical").points
    assert np.array_equal(a, manifold.make_data(cfg, "hypothetical").points)
    other = config.load(overrides={"manifold": {"seed": cfg.manifold.seed + 1}})
    assert not np.allclose(a, manifold.make_data(other, "hypothetical").points)


@pytest.mark.slow
def test_every_classifier_separates_the_training_data(cfg, models):
    s = cfg.manifold
    for name, ms in models.items():
        d = manifold.make_data(cfg, name)
        assert [m.name for m in ms] == ["logistic"] + [f"mlp_seed{k}" for k in s.classifier_seeds]
        for m in ms:
            assert not m.diverged
            # Independent forward pass: the stored weights through torch's functional layers.
            x = torch.tensor((d.points - m.mean) / m.std)
            layers = [p for p in m.net if isinstance(p, torch.nn.Linear)]
            for k, layer in enumerate(layers):
                x = torch.nn.functional.linear(x, layer.weight, layer.bias)
                if k < len(layers) - 1:
                    x = torch.relu(x) if s.mlp_activation == "relu" else getattr(torch, s.mlp_activation)(x)
            predicted = (x[:, 0] > 0).numpy().astype(int)
            assert np.array_equal(predicted, d.labels), (name, m.name)
            assert m.train_accuracy == 1.0


@pytest.mark.slow
def test_the_classifiers_disagree_about_the_blue_point(cfg, models):
    for name, ms in models.items():
        d = manifold.make_data(cfg, name)
        labels = {int(m.prob(d.blue[None, :])[0] > 0.5) for m in ms}
        assert labels == {0, 1}, name  # "how do you classify the blue point?": the data do not say
        # ... although the blue point is far from the data: many times the manifold's thickness away.
        centred = d.points - d.points.mean(axis=0)
        _, sv, vt = np.linalg.svd(centred / d.points.std(axis=0), full_matrices=False)
        thickness = np.std(centred / d.points.std(axis=0) @ vt[1])
        gap = np.min(np.linalg.norm((d.points - d.blue) / d.points.std(axis=0), axis=1))
        assert gap > 10 * thickness


@pytest.mark.slow
def test_grid_is_vectorised_and_oriented(cfg, models):
    d = manifold.make_data(cfg, "hypothetical")
    ms = models["hypothetical"]
    grid = manifold.decision_grid(cfg, "hypothetical", models=ms)
    size = cfg.manifold.grid_size
    assert grid.xs.shape == grid.ys.shape == (size,)
    x0, x1, y0, y1 = manifold.grid_box(d, cfg.manifold.grid_margin)
    assert (grid.xs[0], grid.xs[-1], grid.ys[0], grid.ys[-1]) == (x0, x1, y0, y1)
    assert x0 < d.blue[0] < x1 and y0 < d.blue[1] < y1
    rng = np.random.default_rng(0)
    for m in ms:
        p = grid.probs[m.name]
        assert p.shape == (size, size)
        for i, j in rng.integers(0, size, (20, 2)):  # rows follow ys, columns xs
            assert p[i, j] == pytest.approx(m.prob(np.array([[grid.xs[j], grid.ys[i]]]))[0], abs=1e-12)
    # Logistic regression in closed form: sigmoid(w·(x - mean)/std + b).
    lg = ms[0]
    w, b = (p.detach().numpy() for p in lg.net.parameters())
    gx, gy = np.meshgrid(grid.xs, grid.ys)
    z = ((np.stack([gx, gy], -1) - lg.mean) / lg.std) @ w[0] + b[0]
    assert np.allclose(grid.probs["logistic"], 1 / (1 + np.exp(-z)), atol=1e-12)


@pytest.mark.slow
def test_boundaries_lie_where_p_is_one_half_and_differ_off_the_manifold(cfg, models):
    for name, ms in models.items():
        grid = manifold.decision_grid(cfg, name, models=ms)
        lines = manifold.boundaries(grid)
        cell = math.hypot(grid.xs[1] - grid.xs[0], grid.ys[1] - grid.ys[0])
        lg = ms[0]
        w, b = (p.detach().numpy() for p in lg.net.parameters())
        normal = w[0] / lg.std  # the logistic boundary: normal·x = normal·mean - b
        for line in lines["logistic"]:
            dist = (line @ normal - (normal @ lg.mean - b[0])) / np.linalg.norm(normal)
            assert np.all(np.abs(dist) < cell)
        for m in ms:
            pts = np.vstack(lines[m.name])
            assert len(pts) > len(grid.xs) // 2  # a boundary across the box passes at least this many cells
            assert np.all(np.abs(m.prob(pts) - 0.5) < 0.25)
        # They agree on every data point, yet disagree on a good part of the plane.
        labels = np.stack([p > 0.5 for p in grid.probs.values()])
        disagree = labels.any(axis=0) & ~labels.all(axis=0)
        assert disagree.mean() > 0.02


@pytest.mark.slow
def test_json_is_complete_and_repeatable(cfg, models):
    doc = manifold.from_config(cfg)
    again = manifold.from_config(cfg)
    assert json.dumps(doc.to_dict()) == json.dumps(again.to_dict())
    assert [d["name"] for d in doc.datasets] == list(manifold.DATASETS)  # a typed field
    for d in doc.datasets:
        assert d["blue_disagreement"] is True
        assert {c["blue_label"] for c in d["classifiers"]} == {0, 1}
        for c in d["classifiers"]:
            assert c["train_accuracy"] == 1.0 and c["boundary"] and "grid_prob" not in c


def test_cache_is_keyed_by_the_config(cfg, monkeypatch, tmp_path):
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path))
    small = config.load(overrides={"manifold": {"steps": 5, "classifier_seeds": [1]}})
    first = manifold.trained(small, "hypothetical")
    calls = []
    real_fit = manifold._fit
    monkeypatch.setattr(manifold, "_fit", lambda *a: calls.append(a) or real_fit(*a))
    assert manifold.trained(small, "hypothetical") == first and calls == []  # from disk
    changed = config.load(overrides={"manifold": {"steps": 5, "classifier_seeds": [1], "learning_rate": 0.5}})
    second = manifold.trained(changed, "hypothetical")
    assert len(calls) == 2 and second != first  # a config change retrains


def test_a_diverging_run_is_reported(monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, "off")
    cfg = config.load(overrides={"manifold": {"steps": 20, "learning_rate": 1e300, "classifier_seeds": [1]}})
    doc = manifold.from_config(cfg)
    mlp = [c for d in doc.datasets for c in d["classifiers"] if c["kind"] == "mlp"]
    assert mlp and all(c["diverged"] and isinstance(c["diverged_at"], int) for c in mlp)
    assert all("boundary" not in c and c["final_loss"] is None for c in mlp)
    json.dumps(doc.to_dict(), allow_nan=False)  # no NaN anywhere


BAD = [
    ("[manifold]\nlearning_rate = -0.1\n", "manifold.learning_rate", "a number above 0"),
    ("[manifold]\nlearning_rate = inf\n", "manifold.learning_rate", "a finite number"),
    ("[manifold]\nhw_height_ranges = [150.0, 170.0, 165.0, 190.0]\n", "manifold.hw_height_ranges",
     "increasing order"),
    ("[manifold]\nmlp_activation = \"softmax\"\n", "manifold.mlp_activation", "one of relu"),
    ("[manifold]\nclassifier_seeds = []\n", "manifold.classifier_seeds", "a list of at least 1 seeds"),
    ("[manifold]\nclassifier_seeds = [1, 2, 1]\n", "manifold.classifier_seeds", "different seeds"),
    ("[manifold]\nhyp_blue_point = [1.0]\n", "manifold.hyp_blue_point", "a list of 2 to 2 numbers"),
    ("[manifold]\ngrid_size = 3\n", "manifold.grid_size", "a whole number from 10"),
]


@pytest.mark.parametrize("text,key,expected", BAD)
def test_bad_config(write_config, text, key, expected):
    assert_config_error(write_config(text), key, expected)


def test_cli_bad_flag_is_one_line_exit_2(capsys):
    assert_one_line_exit_2(capsys, ["manifold", "--learning-rate", "-1"], "manifold.learning_rate")


@pytest.mark.slow
def test_cli_json_csv_plot(capsys, tmp_path, models):
    out, rows = run_to_files(capsys, tmp_path, ["manifold", "--json"])
    doc = json.loads(out)
    assert [d["name"] for d in doc["datasets"]] == list(manifold.DATASETS)
    assert rows[0].startswith("dataset,kind,x1,x2,label,p_logistic")
    assert sum(r.split(",")[1] == "blue" for r in rows[1:]) == 2
    with pytest.raises(SystemExit):
        main(["manifold"])
    assert "disagree" in capsys.readouterr().out
