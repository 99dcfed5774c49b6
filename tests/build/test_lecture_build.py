"""``lecture build`` end to end on two short scenes, and its answers to bad input.

The built page and deck are opened in headless Chromium from a local web server: every
link must resolve, reveal.js must start offline, and the screenshot must show the page.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import io
import json
import re
import shutil
import subprocess
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse
from urllib.request import urlopen

import numpy as np
import pytest
import srt

from scenes import order
from scenes.pipeline import deck, joiner
from scenes.pipeline.cli import main
from tests.construct import slides_in_construct
from tests.render.common import media_folder

SCENES = ["TitleCard", "SignsOfTrouble"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def lecture(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exc:
        return exc.code or 0
    return 0


def recorded_slides(built: Path, scene: str) -> list[list[str]]:
    """The beats of each slide, as the scene recorded them while rendering."""
    return json.loads(next((built.parent / "media").rglob(f"{scene}.beats.json")).read_text())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("build")
    out = root / "out"
    assert lecture("build", "--scenes", ",".join(SCENES), "-q", "l", "--format", "mp4,webm,png",
                   "--out", str(out), "--media-dir", str(media_folder(root / "media"))) == 0
    return out


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src", "data-src", "data-background-video", "data-background-image") and value:
                self.links.append(value)


@contextlib.contextmanager
def serving(folder: Path):
    """A local web server for ``folder``; yields its address."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def handle(self):  # chromium drops video downloads half-way; that is not an error here
            try:
                super().handle()
            except (BrokenPipeError, ConnectionResetError):
                pass

        def send_head(self):
            """Answer a byte range, as web servers do: a browser seeks in a video only then."""
            wanted = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
            path = Path(self.translate_path(self.path))
            if not wanted or not path.is_file():
                return super().send_head()
            data = path.read_bytes()
            start, end = int(wanted[1]), min(int(wanted[2] or len(data) - 1), len(data) - 1)
            if start >= len(data):
                self.send_error(416)
                return None
            self.send_response(206)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
            self.send_header("Content-Length", str(end - start + 1))
            self.end_headers()
            return io.BytesIO(data[start:end + 1])

    handler = functools.partial(Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="module")
def server(built):
    with serving(built) as address:
        yield address


def chromium(*args: str) -> subprocess.CompletedProcess:
    assert CHROMIUM, "chromium is not installed (make setup installs Debian's chromium package)"
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--disable-dev-shm-usage", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_lecture_video_chapters_start_where_each_scene_starts(built):
    lengths = [joiner.length(built / "videos" / f"{s}.mp4") for s in SCENES]
    chapters = joiner.chapters_of(built / "lecture.mp4")
    assert [c.title for c in chapters] == [order.load(s).TITLE for s in SCENES]
    assert [c.start for c in chapters] == pytest.approx([0.0, lengths[0]], abs=1e-3)
    assert joiner.length(built / "lecture.mp4") == pytest.approx(sum(lengths), abs=1e-3)


@pytest.mark.slow
def test_lecture_captions_follow_the_scenes(built):
    whole = list(srt.parse((built / "lecture.srt").read_text()))
    first = list(srt.parse((built / "videos" / f"{SCENES[0]}.srt").read_text()))
    second = list(srt.parse((built / "videos" / f"{SCENES[1]}.srt").read_text()))
    assert first and second and len(whole) == len(first) + len(second)
    offset = joiner.length(built / "videos" / f"{SCENES[0]}.mp4")
    assert whole[len(first)].start.total_seconds() == pytest.approx(second[0].start.total_seconds() + offset, abs=1e-3)
    assert whole[-1].end.total_seconds() <= joiner.length(built / "lecture.mp4") + 1e-3


@pytest.mark.slow
def test_deck_has_one_slide_per_pause_with_notes(built):
    slides = [s for name in SCENES for s in recorded_slides(built, name)]
    assert slides == [s for name in SCENES for s in slides_in_construct(order.load(name))]  # no pause inside a beat
    page = (built / "slides" / "index.html").read_text()
    assert page.count("<section") == len(slides)
    assert page.count("<aside class=\"notes\"") == len(slides)
    from pptx import Presentation

    assert len(Presentation(built / "slides" / "lecture.pptx").slides) == len(slides)
    pdf = (built / "slides" / "lecture.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == len(slides)
    assert "cdn" not in page and "http" not in re.sub(r"<!--.*?-->", "", page, flags=re.S).split("<body")[0]


@pytest.mark.slow
def test_clip_index_lists_every_clip(built):
    entries = json.loads((built / "clips" / "index.json").read_text())
    slides = {name: recorded_slides(built, name) for name in SCENES}
    assert {(e["scene"], e["index"], e["format"]) for e in entries} == {
        (name, i, f) for name, beats in slides.items() for i in range(1, len(beats) + 1)
        for f in ("mp4", "webm", "png")}
    for e in entries:
        assert (built / "clips" / e["file"]).stat().st_size == e["bytes"]
        assert e["section"] == "-".join(slides[e["scene"]][e["index"] - 1])
    video = {name: joiner.length(built / "videos" / f"{name}.mp4") for name in SCENES}
    for name in SCENES:
        total = sum(e["duration"] for e in entries if e["scene"] == name and e["format"] == "mp4")
        assert total == pytest.approx(video[name], abs=0.2)


@pytest.mark.slow
def test_index_page_links_resolve_and_it_renders_in_chromium(built, server, tmp_path):
    for page in ("index.html", "slides/index.html"):
        parser = Links()
        parser.feed((built / page).read_text())
        local = [link for link in parser.links if not urlparse(link).scheme and not link.startswith("#")]
        assert local, f"{page} links to nothing"
        for link in local:
            url = urljoin(server + page, link.split("#")[0])
            with urlopen(url) as response:
                assert response.status == 200, url
                assert (built / unquote(urlparse(url).path).lstrip("/")).exists()
    parser = Links()
    parser.feed((built / "index.html").read_text())
    clips = {f"clips/{e['file']}" for e in json.loads((built / "clips" / "index.json").read_text())}
    assert clips <= {unquote(link) for link in parser.links}, "a clip is missing from the page"
    shot = tmp_path / "index.png"
    chromium(f"--screenshot={shot}", "--window-size=1280,900", server + "index.html")
    from PIL import Image

    image = np.asarray(Image.open(shot).convert("RGB")).astype(float)
    assert image.shape[:2] == (900, 1280)
    assert image.std() > 20, "the screenshot is blank"
    assert image[5, 5].mean() > 200  # the page's light background
    thumbs = (image.reshape(-1, 3).mean(axis=1) < 40).mean()
    assert thumbs > 0.02, "no scene thumbnail visible"


@pytest.mark.slow
def test_deck_starts_offline_in_chromium(built, server):
    dom = chromium("--virtual-time-budget=8000", "--dump-dom", server + "slides/index.html").stdout
    assert re.search(r'class="reveal[^"]*\bready\b', dom), "reveal.js did not start"


def test_unknown_scene_is_one_line_and_exit_2(tmp_path, capsys):
    assert lecture("build", "--scenes", "NoSuchScene", "--out", str(tmp_path / "o")) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "NoSuchScene" in err
    assert not (tmp_path / "o").exists()


def test_unknown_format_is_one_line_and_exit_2(tmp_path, capsys):
    assert lecture("build", "--format", "mp4,avi", "--out", str(tmp_path / "o")) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "avi" in err


def test_transparent_needs_an_alpha_format(tmp_path, capsys):
    assert lecture("build", "--transparent", "--format", "mp4", "--out", str(tmp_path / "o")) == 2
    assert "alpha" in capsys.readouterr().err


def test_output_folder_that_cannot_be_written(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert lecture("build", "--out", str(blocker / "out")) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "cannot write" in err


def test_bad_background_colour(tmp_path, capsys):
    assert lecture("build", "--background", "notacolour", "--out", str(tmp_path / "o")) == 2
    assert "notacolour" in capsys.readouterr().err


def test_missing_reveal_assets_stop_before_rendering(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(deck, "CACHE", tmp_path / "empty")
    assert lecture("build", "--scenes", "TitleCard", "--out", str(tmp_path / "o")) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "reveal.js" in err and "make setup" in err
    assert not list((tmp_path / "o").glob("*"))
