"""Part 11: an auto-encoder's 1-D latent coordinate follows the data manifold."""
from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

from mathcore import autoencoder, cache, config
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
def doc(cfg):
    return autoencoder.from_config(cfg)


def test_data_lie_near_the_curve(cfg):
    s = cfg.autoencoder
    t, pts = autoencoder.make_data(cfg)
    assert pts.shape == (s.count, 2) and np.all(np.diff(t) >= 0)
    assert t.min() >= s.t_range[0] and t.max() <= s.t_range[1]
    if s.curve == "arc":
        # Distance from the circle, and the angle, from plain trigonometry.
        assert np.std(np.hypot(*pts.T) - s.radius) == pytest.approx(s.noise, rel=0.3)
        assert np.allclose(np.unwrap(np.arctan2(pts[:, 1], pts[:, 0])), t, atol=6 * s.noise / s.radius)
    again = autoencoder.make_data(cfg)[1]
    assert np.array_equal(pts, again)


def test_spiral_curve_formula():
    cfg = config.load(overrides={"autoencoder": {"curve": "spiral", "radius": 0.5, "spiral_growth": 0.2}})
    t = np.array([0.0, 1.0, 2.5])
    r = 0.5 + 0.2 * t
    assert autoencoder.curve(cfg, t) == pytest.approx(np.stack([r * np.cos(t), r * np.sin(t)], 1))


def test_spearman_against_scipy():
    rng = np.random.default_rng(3)
    for _ in range(5):
        a = rng.normal(size=50)
        b = a**3 + rng.normal(scale=0.5, size=50)
        assert autoencoder.spearman(a, b) == pytest.approx(stats.spearmanr(a, b).statistic, abs=1e-12)


@pytest.mark.slow
def test_latent_is_a_coordinate_along_the_manifold(doc):
    assert not doc.diverged
    rho = stats.spearmanr(doc.latent, doc.t).statistic
    assert abs(rho) > 0.98
    assert doc.spearman_rho == pytest.approx(rho, abs=1e-12)


@pytest.mark.slow
def test_reconstruction_error_is_small(doc):
    pts, rec = np.asarray(doc.points), np.asarray(doc.reconstruction)
    mse = np.mean(np.sum((pts - rec) ** 2, axis=1))
    variance = np.sum(np.var(pts, axis=0))
    assert doc.reconstruction_mse == pytest.approx(mse) and doc.data_variance == pytest.approx(variance)
    assert mse < 0.02 * variance


@pytest.mark.slow
def test_decoder_draws_the_arc(cfg, doc):
    s = cfg.autoencoder
    line = np.asarray(doc.decoded_line)
    z = np.asarray(doc.latent_line)
    assert len(line) == len(z) == s.line_points and np.all(np.diff(z) > 0)
    inside = (z >= min(doc.latent)) & (z <= max(doc.latent))
    # On the data's latent range the decoded curve runs along the circle, from one end of the arc to the other.
    assert np.max(np.abs(np.hypot(*line[inside].T) - s.radius)) < 0.1
    angles = np.unwrap(np.arctan2(line[inside, 1], line[inside, 0]))
    ends = sorted([angles[0], angles[-1]])
    assert ends == pytest.approx(list(s.t_range), abs=0.25)
    assert np.all(np.diff(angles) * np.sign(angles[-1] - angles[0]) > -0.05)  # no folding back


@pytest.mark.slow
def test_spiral_segment():
    cfg = config.load(overrides={"autoencoder": {"curve": "spiral", "t_range": [0.5, 6.0], "steps": 1500}})
    doc = autoencoder.from_config(cfg)
    assert abs(stats.spearmanr(doc.latent, doc.t).statistic) > 0.95
    assert doc.reconstruction_mse < 0.05 * doc.data_variance


@pytest.mark.slow
def test_cached_and_keyed_by_the_config(cfg, doc, monkeypatch):
    monkeypatch.setattr(autoencoder, "_compute", lambda cfg: pytest.fail("retrained an unchanged config"))
    assert autoencoder.from_config(cfg) == doc
    calls = []
    monkeypatch.setattr(autoencoder, "_compute", lambda cfg: calls.append(cfg) or {**doc.to_dict(), "curve": "new"})
    assert autoencoder.from_config(config.load(overrides={"autoencoder": {"noise": 0.05}})).curve == "new"
    assert len(calls) == 1


def test_a_diverging_run_is_reported(monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, "off")
    doc = autoencoder.from_config(config.load(overrides={"autoencoder": {"steps": 20, "learning_rate": 1e300}}))
    assert doc.diverged and isinstance(doc.diverged_at, int) and doc.final_loss is None
    assert doc.latent is None and "latent" not in doc.to_dict()
    json.dumps(doc.to_dict(), allow_nan=False)


BAD = [
    ("[autoencoder]\ncurve = \"helix\"\n", "autoencoder.curve", "one of arc, spiral"),
    ("[autoencoder]\nnoise = -0.1\n", "autoencoder.noise", "at least 0"),
    ("[autoencoder]\nt_range = [1.0, 1.0]\n", "autoencoder.t_range", "low < high"),
    ("[autoencoder]\nlearning_rate = 0\n", "autoencoder.learning_rate", "a number above 0"),
    ("[autoencoder]\nhidden = 0\n", "autoencoder.hidden", "a whole number from 1"),
]


@pytest.mark.parametrize("text,key,expected", BAD)
def test_bad_config(write_config, text, key, expected):
    assert_config_error(write_config(text), key, expected)


def test_cli_bad_flag_is_one_line_exit_2(capsys):
    assert_one_line_exit_2(capsys, ["autoencoder", "--curve", "helix"], "autoencoder.curve")


@pytest.mark.slow
def test_cli_json_csv_plot(capsys, tmp_path, doc):
    out, rows = run_to_files(capsys, tmp_path, ["autoencoder", "--json"])
    assert json.loads(out) == json.loads(json.dumps(doc.to_dict()))
    assert rows[0] == "t,x,y,latent,recon_x,recon_y" and len(rows) == 1 + len(doc.t)
    with pytest.raises(SystemExit):
        main(["autoencoder"])
    assert "Spearman" in capsys.readouterr().out
