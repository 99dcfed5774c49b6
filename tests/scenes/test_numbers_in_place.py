"""The scene tests check each number in its place: a scene that shows z2's value on z1's line fails them,
though the set of numbers on screen is the same."""
from __future__ import annotations

import dataclasses

import pytest

from mathcore import chain
from mathcore.display import fmt
from scenes.forward_pass import ForwardPass

from .harness import check_fields, run_dry
from .test_scenes_follow_config import chain_fields

pytestmark = pytest.mark.slow


def test_a_swapped_value_fails_though_the_set_of_numbers_matches(monkeypatch, shipped):
    def swapped_setup(self):
        ForwardPass.__base__.setup(self)
        r = chain.from_config(self.cfg)
        self.result = dataclasses.replace(r, z=[r.z[1], r.z[0], *r.z[2:]])  # z2's value on z1's line

    monkeypatch.setattr(ForwardPass, "setup", swapped_setup)
    shown = run_dry(ForwardPass)
    expected = chain_fields(shipped)
    assert {fmt(v) for v in expected.values()} <= shown.numbers  # what the set check saw: nothing wrong
    with pytest.raises(AssertionError, match=r"z\[0\] showed"):
        check_fields(shown, expected)
