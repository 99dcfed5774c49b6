"""Playground's toy data sets: seeded, and shaped by their recipes (closed-form checks of each label rule)."""
from __future__ import annotations

import numpy as np
import pytest

from mathcore import datasets


@pytest.mark.parametrize("name", datasets.NAMES)
def test_seeded_and_shaped(name):
    X, y = datasets.make(name, 101, 0.1, seed=7)
    X2, y2 = datasets.make(name, 101, 0.1, seed=7)
    X3, _ = datasets.make(name, 101, 0.1, seed=8)
    assert X.shape == (101, 2) and y.shape == (101,) and X.dtype == np.float64
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(X, X3)
    assert set(np.unique(y)) <= {0.0, 1.0}
    assert 0.25 < y.mean() < 0.75  # both classes present in sizeable numbers


def test_xor_labels_are_the_sign_of_xy_and_points_avoid_the_axes():
    X, y = datasets.make("xor", 500, 0.0, seed=1)
    assert np.array_equal(y, (X[:, 0] * X[:, 1] >= 0).astype(float))
    assert np.all(np.abs(X) >= datasets.XOR_PADDING) and np.all(np.abs(X) <= 5 + datasets.XOR_PADDING)


def test_xor_noise_flips_labels_near_the_axes_only():
    X, y = datasets.make("xor", 2000, 0.2, seed=1)
    wrong = y != (X[:, 0] * X[:, 1] >= 0)
    assert wrong.any()
    # noise moves a point by at most 0.2 * 5 = 1 per coordinate
    assert np.all(np.minimum(np.abs(X[wrong, 0]), np.abs(X[wrong, 1])) <= 1.0)


def test_circle_inside_radius_2_5_is_class_1():
    X, y = datasets.make("circle", 400, 0.0, seed=2)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.array_equal(y, (r < 2.5).astype(float))
    assert np.all((r <= 2.5) | ((r >= 3.5) & (r <= 5.0)))
    assert y.sum() == 200


def test_gaussian_blobs_centres_and_variance():
    X, y = datasets.make("gaussian", 4000, 0.0, seed=3)
    assert X[y == 1].mean(axis=0) == pytest.approx([2, 2], abs=0.1)
    assert X[y == 0].mean(axis=0) == pytest.approx([-2, -2], abs=0.1)
    assert X[y == 1].var(axis=0) == pytest.approx([0.5, 0.5], rel=0.1)  # Playground: variance 0.5 at noise 0
    X, y = datasets.make("gaussian", 4000, 0.5, seed=3)
    assert X[y == 0].var(axis=0) == pytest.approx([4, 4], rel=0.1)  # and 4 at noise 50%


def test_spiral_angle_follows_radius():
    X, y = datasets.make("spiral", 300, 0.0, seed=4)
    r = np.hypot(X[:, 0], X[:, 1])
    t = np.arctan2(X[:, 0], X[:, 1])  # x = r sin t, y = r cos t
    expected = 1.75 * 2 * np.pi * r / 5 + np.where(y == 1, 0.0, np.pi)
    diff = np.angle(np.exp(1j * (t - expected)))  # wrapped to (-π, π]
    keep = r > 1e-9  # the angle of the centre point is undefined
    assert np.abs(diff[keep]).max() < 1e-9
    assert r.max() < 5


def test_split_is_a_seeded_partition():
    X, y = datasets.make("circle", 50, 0.0, seed=0)
    Xtr, ytr, Xte, yte = datasets.split(X, y, 0.3, seed=5)
    assert len(Xte) == 15 and len(Xtr) == 35
    both = np.concatenate([Xtr, Xte])
    assert sorted(map(tuple, both)) == sorted(map(tuple, X))
    again = datasets.split(X, y, 0.3, seed=5)
    assert np.array_equal(again[0], Xtr)


@pytest.mark.parametrize("call", [
    lambda: datasets.make("moons", 10),
    lambda: datasets.make("xor", 1),
    lambda: datasets.make("xor", 10, float("nan")),
    lambda: datasets.split(np.zeros((3, 2)), np.zeros(3), 0.01),
])
def test_bad_arguments(call):
    with pytest.raises(ValueError):
        call()
