"""Workers share manim's caches under one lock: TeX compilation, text rendering and SVG parsing.

manim parses an SVG through a temporary ``<hash>_.svg`` beside the cached file and deletes it
afterwards, so two workers parsing the same MathTex at once lost the file (seen in a bench run).
"""
from __future__ import annotations

import threading
import time

import pytest
from manim.mobject.svg import svg_mobject
from manim.mobject.text import tex_mobject, text_mobject

from scenes.pipeline import render

SQUARE = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="{w}" height="10"/></svg>'


def _keep_manim_unpatched(monkeypatch):
    """Undo the worker's patches when the test ends (other tests in this process use manim)."""
    monkeypatch.setattr(tex_mobject, "tex_to_svg_file", tex_mobject.tex_to_svg_file)
    for cls in (text_mobject.Text, text_mobject.MarkupText):
        monkeypatch.setattr(cls, "_text2svg", cls._text2svg)
    monkeypatch.setattr(svg_mobject.SVGMobject, "generate_mobject", svg_mobject.SVGMobject.generate_mobject)


@pytest.mark.parametrize("earlier_runs", [0, 1], ids=["first run", "worker reused for a second media folder"])
def test_svg_parsing_waits_for_the_lock_another_worker_holds(tmp_path, monkeypatch, earlier_runs):
    _keep_manim_unpatched(monkeypatch)
    for run in range(earlier_runs):  # a Dask worker outlives one run: the lock follows the media folder
        render._share_caches_safely(tmp_path / f"earlier-{run}")
    media = tmp_path / "media"
    render._share_caches_safely(media)
    svg = tmp_path / "square.svg"
    svg.write_text(SQUARE.format(w=3 + earlier_runs))  # manim caches parsed SVGs by content and name
    finished: dict = {}

    def parse():
        try:
            finished["mobject"] = svg_mobject.SVGMobject(str(svg))
        finally:
            finished["at"] = time.monotonic()

    with render._locked(media / ".cache.lock"):  # another descriptor, as another process would hold it
        worker = threading.Thread(target=parse)
        worker.start()
        worker.join(timeout=1.0)
        released_at = time.monotonic()
    worker.join(timeout=30)
    assert "at" in finished, "parsing never finished after the lock was released"
    assert finished["at"] >= released_at, "the SVG was parsed while another worker held the cache lock"
    assert len(finished["mobject"].submobjects) == 1
