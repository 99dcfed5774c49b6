"""Key frames of the data-manifold and auto-encoder scenes (the last frame of construct), against control
data made on this machine.

Regenerate after a deliberate change with ``pytest tests/graphical/test_key_frames_manifolds.py --set_test``
and look at the new frames before committing them.
"""
from __future__ import annotations

import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.autoencoder import AutoencoderLatent
from scenes.data_manifold import DataManifold

__module_test__ = "manifolds"

pytestmark = pytest.mark.graphical


@frames_comparison(base_scene=DataManifold)
def test_data_manifold_its_a_cat(scene):
    DataManifold.construct(scene)


@frames_comparison(base_scene=AutoencoderLatent)
def test_autoencoder_manifold_found(scene):
    AutoencoderLatent.construct(scene)
