"""Markup in a config string, a caption or a file name stays text in every output: the deck, the page, the snippets.

The HTML payload would, if it ran, set the page's title to ``RAN``. Each page is opened in headless Chromium
(the deck after reveal.js has started, so after its Markdown plugin has turned the speaker notes into HTML)
and the DOM it dumps must keep its own title and show the payload as the text it was.
"""
from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from scenes.pipeline import deck, index_page
from tests.build.test_audio_outputs import slide_videos
from tests.build.test_embed import one_line_error
from tests.build.test_lecture_build import chromium, lecture
from tests.build.test_media import make_video

RAN = "RAN"
PAYLOAD = f"<img src=x onerror=\"document.title='{RAN}'\">"
#: What a title or a caption may hold: markup, entities, Markdown (reveal.js reads notes as Markdown), LaTeX.
TEXT = f"Backprop & <b>friends</b> &amp; *stars* _under_ `tick` [link](x) # 50% \\o/ {PAYLOAD}"


class Page(HTMLParser):
    """A dumped DOM: its title, the text of every element of a class, the attributes of every tag."""

    def __init__(self, dom: str, cls: str = ""):
        super().__init__()
        self.cls, self.depth, self.title, self.texts, self.tags = cls, 0, None, [], []
        self._in_title = False
        self.feed(dom)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        self._in_title = tag == "title"
        if self.depth:
            self.depth += tag not in ("img", "br", "hr", "source", "track", "input", "meta", "link")
        elif self.cls and self.cls in (attrs.get("class") or "").split():
            self.depth = 1
            self.texts.append("")

    def handle_endtag(self, tag):
        self._in_title = False
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title = (self.title or "") + data
        if self.depth:
            self.texts[-1] += data

    def text(self, i: int) -> str:
        return " ".join(self.texts[i].split())


def dump(page: Path, profile: Path) -> str:
    """The DOM of ``page`` once its scripts have run (reveal.js starts within the virtual time)."""
    return chromium("--disable-background-networking", "--no-first-run", "--disable-component-update",
                    "--disable-sync", f"--user-data-dir={profile}", "--allow-file-access-from-files",
                    "--virtual-time-budget=8000", "--dump-dom", page.as_uri()).stdout


@pytest.mark.slow
def test_speaker_notes_stay_text_in_the_html_deck(tmp_path):
    """manim-slides' template puts notes and the title in the page unescaped, and reveal.js renders notes as
    Markdown."""
    notes = [TEXT, "A second slide: 1 < 2 > 0\n\n        an indented line_with_markup*"]
    path = slide_videos(tmp_path, Path("Inject.mp4"), [0.2, 0.2])
    data = json.loads(path.read_text())
    for entry, text in zip(data["slides"], notes):
        entry["notes"] = text
    path.write_text(json.dumps(data))
    with ThreadPoolExecutor(deck.WORKERS) as pool:
        built = deck.build(["Inject"], path.parent, tmp_path / "out", pool=pool, title=TEXT)
    dom = dump(built["html"], tmp_path / "profile")
    assert re.search(r'class="reveal[^"]*\bready\b', dom), "reveal.js did not start: " + dom[-500:]
    page = Page(dom, "notes")
    assert page.title == TEXT, "the payload ran"
    assert not [a for t, a in page.tags if t == "img"], "a note became an element"
    assert [page.text(i) for i in range(len(page.texts))] == [" ".join(n.split()) for n in notes]


@pytest.mark.slow
def test_titles_stay_text_on_the_index_page(tmp_path):
    lecture_files = {"video": "lecture.mp4", "captions": "lecture.srt", "deck": "slides/index.html",
                     "pptx": "slides/lecture.pptx", "pdf": "slides/lecture.pdf", "clips": "clips/index.json"}
    rows = [{"scene": "Scene", "title": TEXT, "start": 0.0, "video": "videos/Scene.mp4", "captions": "videos/Scene.srt",
             "thumbnail": "clips/Scene/thumbnail.png", "clips": [(f"01 {TEXT}", {"mp4": "clips/Scene/01.mp4"})]}]
    page_path = index_page.render(TEXT, lecture_files, rows, tmp_path / "index.html")
    page = Page(dump(page_path, tmp_path / "profile"), "scene")
    assert page.title == TEXT, "the payload ran"
    assert not [a for t, a in page.tags if t == "img" and "onerror" in a]
    assert TEXT in page.text(0) and f"01 {TEXT}" in page.text(0)


def make_clips(folder: Path, beat: str) -> str:
    """A build's clip folder with one clip of ``beat`` (so its file names carry it); the clip's name."""
    stem = f"Scene/01-{beat}"
    (folder / "Scene").mkdir(parents=True)
    make_video(folder / f"{stem}.mp4", 0.5, (200, 40, 40))
    Image.new("RGB", (64, 48), (200, 40, 40)).save(folder / f"{stem}.png")
    (folder / "index.json").write_text(json.dumps([
        {"scene": "Scene", "index": 1, "beats": [beat], "format": fmt, "file": f"{stem}.{fmt}", "width": 64,
         "height": 48, "duration": 0.5} for fmt in ("mp4", "png")]))
    return stem


@pytest.mark.slow
def test_html_snippet_keeps_a_file_name_as_text(tmp_path):
    folder = tmp_path / "clips"
    stem = make_clips(folder, f"beat {PAYLOAD}")
    assert lecture("embed", "--snippets", "html", "--clips", str(folder)) == 0
    snippet = folder / f"{stem}.html"
    probe = folder / "Scene" / "probe.html"
    probe.write_text(f"<!doctype html><html><head><title>clean</title></head><body>{snippet.read_text()}</body></html>")
    page = Page(dump(probe, tmp_path / "profile"))
    assert page.title == "clean", "the payload ran"
    (video,) = [a for t, a in page.tags if t == "video"]
    assert video["title"] == stem
    assert [a["src"] for t, a in page.tags if t == "source"] == [Path(f"{stem}.mp4").name]


@pytest.mark.parametrize("base", ["clips}\\input{hostname", "talk%clips", "a#b", "~/clips", "x\ny"])
def test_latex_snippet_refuses_a_base_latex_would_read_as_markup(tmp_path, capsys, base):
    folder = tmp_path / "clips"
    make_clips(folder, "beat")
    assert lecture("embed", "--snippets", "latex", "--clips", str(folder), "--base", base) == 2
    assert "--base" in one_line_error(capsys)
    assert not list(folder.rglob("*.tex"))


def test_latex_snippet_refuses_a_clip_name_latex_would_read_as_markup(tmp_path, capsys):
    folder = tmp_path / "clips"
    make_clips(folder, "x}\\input{hostname")
    assert lecture("embed", "--snippets", "latex", "--clips", str(folder)) == 2
    assert "index.json" in one_line_error(capsys)
    assert not list(folder.rglob("*.tex"))
