"""manifold.band: the thin rectangle along the data that the scenes draw as the data manifold."""
from __future__ import annotations

import numpy as np
import pytest

from mathcore import config, manifold


@pytest.fixture(scope="module")
def cfg():
    return config.load(config.DEFAULT_CONFIG)


def _inside(corners, points):
    """Points inside the convex quadrilateral ``corners`` (listed around it)."""
    signs = []
    for k in range(4):
        a, b = corners[k], corners[(k + 1) % 4]
        signs.append((b[0] - a[0]) * (points[:, 1] - a[1]) - (b[1] - a[1]) * (points[:, 0] - a[0]))
    signs = np.array(signs)
    return np.all(signs > 0, axis=0) | np.all(signs < 0, axis=0)


@pytest.mark.parametrize("name", manifold.DATASETS)
def test_band_holds_every_point_and_is_thin(cfg, name):
    data = manifold.make_data(cfg, name)
    corners = manifold.band(data)
    assert corners.shape == (4, 2)
    assert _inside(corners, data.points).all()
    length = np.linalg.norm(corners[1] - corners[0])
    width = np.linalg.norm(corners[2] - corners[1])
    assert width < 0.35 * length
    assert not _inside(corners, data.blue[None, :])[0]  # the blue point is off the manifold


def test_band_follows_the_hypothetical_line(cfg):
    data = manifold.make_data(cfg, "hypothetical")
    corners = manifold.band(data, pad=0.0)
    direction = corners[1] - corners[0]
    angle = np.degrees(np.arctan2(direction[1], direction[0])) % 180
    assert angle == pytest.approx(cfg.manifold.hyp_angle, abs=3)


def test_pad_widens_the_band(cfg):
    data = manifold.make_data(cfg, "height_weight")
    tight, loose = manifold.band(data, pad=0.0), manifold.band(data, pad=0.1)
    assert np.linalg.norm(loose[1] - loose[0]) > np.linalg.norm(tight[1] - tight[0])
    assert np.linalg.norm(loose[2] - loose[1]) > np.linalg.norm(tight[2] - tight[1])
