"""The deck plays: its page is heard from the first slide and captioned, and its PPTX movies start on their own.

Two synthetic scenes of slide videos that speak (a tone each) and start as a scene does, on an empty
black frame, then draw a picture. The page is opened in headless Chromium driven over the DevTools
protocol (a pipe: no port, no extra package), with the autoplay policy a desktop browser has: sound
only after a click on the page. The PPTX is read as XML: every movie has PowerPoint's "Start:
Automatically" effect, in the deck and in ``lecture embed``'s output.
"""
from __future__ import annotations

import fcntl
import io
import json
import os
import select
import subprocess
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from lxml import etree
from PIL import Image

from scenes.pipeline import deck
from tests.build.test_embed import embed_ok, make_deck, movies, out  # noqa: F401 (out: the fake build fixture)
from tests.build.test_lecture_build import CHROMIUM

RATE, HZ, SIZE = 15, 22_050, (160, 90)
TITLE = "Backprop & <b>you</b> <img src=x onerror=\"document.title='RAN'\">"
#: scene: [(seconds, tone in Hz, notes, loops)] per slide.
SCENES = {
    "Welcome": [(4.0, 440, "Welcome! Here σ'(z) & <b>tags</b> </script> stay *text*.", False),
                (1.0, 660, "The second slide\nsays this.", True)],
    "Next": [(1.0, 880, "", False), (0.6, 990, "Last words.", False)],
}
NS = {"p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}


def speaking_slide(path: Path, seconds: float, hz: float, colour: tuple[int, int, int]) -> Path:
    """A slide video as a scene's first slide is: a black first frame, then a rectangle of ``colour`` growing
    on black; an AAC tone of ``hz`` throughout."""
    frames = round(seconds * RATE)
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=RATE)
        video.width, video.height = SIZE
        video.pix_fmt = "yuv420p"
        sound = container.add_stream("aac", rate=HZ, layout="mono")
        t = np.arange(round(seconds * HZ)) / HZ
        wave = (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32)[None]
        samples = av.AudioFrame.from_ndarray(wave, format="fltp", layout="mono")
        samples.sample_rate, samples.pts, samples.time_base = HZ, 0, Fraction(1, HZ)
        container.mux(sound.encode(samples))
        container.mux(sound.encode(None))
        for i in range(frames):
            rgb = np.zeros((SIZE[1], SIZE[0], 3), np.uint8)
            rgb[20:70, 10:10 + 140 * i // max(frames - 1, 1)] = colour
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
            frame.pts, frame.time_base = i, Fraction(1, RATE)
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
    return path


def make_slides(root: Path) -> Path:
    """The slide videos and manim-slides' JSON of every scene in SCENES, under ``root``; the JSON's folder."""
    folder = root / "slides"
    folder.mkdir(parents=True)
    colours = iter([(230, 80, 40), (40, 200, 90), (60, 90, 240), (220, 200, 40)])
    for name, slides in SCENES.items():
        entries = []
        for i, (seconds, hz, notes, loop) in enumerate(slides):
            video = speaking_slide(root / f"{name}-{i}.mp4", seconds, hz, next(colours))
            entries.append({"file": str(video), "rev_file": str(video), "notes": notes, "loop": loop})
        (folder / f"{name}.json").write_text(json.dumps({"slides": entries}))
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("deckplay")
    with ThreadPoolExecutor(deck.WORKERS) as pool:
        return deck.build(list(SCENES), make_slides(root), root / "out", pool, title=TITLE)


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: it reads
    commands on fd 3 and answers on fd 4, each message JSON ended by a NUL byte)."""

    def __init__(self, profile: Path, *flags: str):
        assert CHROMIUM, "chromium is not installed (make setup installs Debian's chromium package)"
        to_browser, self._commands = os.pipe()
        self._answers, from_browser = os.pipe()
        # above 4, so that putting them at 3 and 4 overwrites neither (bash: dash takes one-digit fds only)
        to_browser, from_browser = (self._above(fd, 10) for fd in (to_browser, from_browser))
        self.process = subprocess.Popen(
            ["bash", "-c", f'exec "$0" "$@" 3<&{to_browser} 4>&{from_browser}', CHROMIUM, "--headless", "--no-sandbox",
             "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", "--remote-debugging-pipe",
             *flags], pass_fds=(to_browser, from_browser), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser)
        os.close(from_browser)
        self._buffer, self._id, self.session = b"", 0, None

    @staticmethod
    def _above(fd: int, lowest: int) -> int:
        moved = fcntl.fcntl(fd, fcntl.F_DUPFD, lowest)
        os.close(fd)
        return moved

    def call(self, method: str, timeout: float = 30.0, **params):
        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            message["sessionId"] = self.session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                answer = json.loads(raw)
                if answer.get("id") == self._id:
                    assert "error" not in answer, f"{method}: {answer['error']}"
                    return answer["result"]
            ready, _, _ = select.select([self._answers], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, f"{method}: no answer from chromium in {timeout} s"
            chunk = os.read(self._answers, 1 << 16)
            assert chunk, f"{method}: chromium closed the pipe"
            self._buffer += chunk

    def open(self, url: str) -> None:
        target = self.call("Target.createTarget", url=url)["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    def js(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def wait(self, expression: str, timeout: float = 20.0):
        deadline = time.monotonic() + timeout
        while not (value := self.js(f"!!({expression})")):
            assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
            time.sleep(0.1)
        return value

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element (the page gets a user gesture, as from a person)."""
        middle = self.js(f"(e => e && (r => [r.x + r.width / 2, r.y + r.height / 2])(e.getBoundingClientRect()))"
                         f"(document.querySelector({json.dumps(selector)}))")
        assert middle, f"no {selector} on the page"
        x, y = middle
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def key(self, key: str, code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=key, code=f"Key{key.upper()}", text=key,
                      windowsVirtualKeyCode=code)

    def screenshot(self, path: Path) -> Path:
        import base64

        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))
        return path

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=10)
        except AssertionError:
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._answers)


@pytest.fixture
def browser(tmp_path):
    # sound only after a click on the page, as a desktop browser plays it (not headless' own default)
    b = Browser(tmp_path / "profile", "--window-size=1280,720", "--autoplay-policy=document-user-activation-required",
                "--allow-file-access-from-files")
    yield b
    b.close()


#: The first slide's background video (reveal.js makes it when it starts).
FIRST_VIDEO = "Reveal.getSlideBackground(0, 0).querySelector('video')"
CAPTION = ".deck-caption"


def caption(b: Browser) -> str | None:
    """The caption bar's text while it shows, else None."""
    return b.js(f"(e => e && e.checkVisibility() ? e.textContent : null)(document.querySelector('{CAPTION}'))")


@pytest.mark.slow
def test_the_deck_is_heard_from_its_first_slide_after_one_click(built, browser, tmp_path):
    browser.open(built["html"].as_uri())
    browser.wait("document.querySelector('.reveal.ready') && " + FIRST_VIDEO)
    assert browser.js("document.title") == TITLE  # the config's title, as text: the markup in it did not run
    assert browser.js(f"{FIRST_VIDEO}.muted"), "manim-slides' template mutes the first slide, so it may autoplay"
    browser.screenshot(tmp_path / "before.png")
    browser.js(f"window.heard = []; {FIRST_VIDEO}.addEventListener('timeupdate', e => "
               "heard.push([e.target.muted, e.target.paused, e.target.currentTime]))")
    browser.click(".deck-start")  # "Click to start"
    browser.wait("heard.some(([muted, paused, t]) => !muted && !paused && t > 0.3)")
    video = browser.js(f"(v => ({{muted: v.muted, paused: v.paused, volume: v.volume, "
                       f"audio: v.webkitAudioDecodedByteCount}}))({FIRST_VIDEO})")
    assert video["muted"] is False and video["paused"] is False and video["volume"] > 0, video
    assert video["audio"] > 0, "the tone was not decoded"
    assert browser.js("[...heard].filter(([muted]) => !muted)[0][2]") < 1.0, "the welcome did not start from its start"
    assert browser.js("document.querySelector('.deck-start')") is None
    browser.screenshot(tmp_path / "playing.png")


#: Records each text the caption bar takes, in order, from the one it shows now.
SEEN = (f"window.seen = [document.querySelector('{CAPTION}').textContent]; new MutationObserver(() => {{"
        f"const t = document.querySelector('{CAPTION}').textContent; if (seen[seen.length - 1] !== t) seen.push(t);"
        f"}}).observe(document.querySelector('{CAPTION}'), {{childList: true, characterData: true, subtree: true}})")


@pytest.mark.slow
def test_the_deck_captions_each_slide_line_by_line_with_its_notes_and_a_toggle(built, browser):
    browser.open(built["html"].as_uri())
    browser.wait("document.querySelector('.reveal.ready')")
    notes = [" ".join(n.split()) for slides in SCENES.values() for _, _, n, _ in slides]
    browser.click(".deck-start")
    browser.wait(f"(v => !v.muted && !v.paused && v.currentTime < 0.5)({FIRST_VIDEO})")
    first = caption(browser)
    assert first and first != notes[0] and notes[0].startswith(first)  # the first sentence, as text
    browser.js(SEEN)
    browser.wait(f"(v => v.ended || v.currentTime > 3.8)({FIRST_VIDEO})")
    assert " ".join(browser.js("seen")) == notes[0]  # then the rest, while the slide plays
    assert browser.js(f"document.querySelector('{CAPTION}').children.length") == 0  # no <b> element
    for kind in ("controls", "progress"):  # reveal.js' arrows and progress bar are on
        assert browser.js(f"document.querySelector('.reveal .{kind}').checkVisibility()"), kind
    browser.click(".reveal .controls .navigate-right")
    browser.wait("Reveal.getIndices().h === 1")
    browser.wait(f"document.querySelector('{CAPTION}').textContent === {json.dumps(notes[1])}")
    browser.click(".deck-cc")  # off
    assert caption(browser) is None
    assert browser.js("document.querySelector('.deck-cc').getAttribute('aria-pressed')") == "false"
    browser.key("c", 67)  # on again, from the keyboard
    assert caption(browser) == notes[1]
    browser.js("Reveal.slide(2)")  # a slide without notes: no empty bar
    browser.wait("Reveal.getIndices().h === 2")
    browser.wait(f"document.querySelector('{CAPTION}').textContent === ''")
    assert caption(browser) is None
    browser.js("Reveal.slide(3)")
    browser.wait(f"document.querySelector('{CAPTION}').textContent === {json.dumps(notes[3])}")
    assert caption(browser) == notes[3]


def slide_parts(pptx: Path) -> list[etree._Element]:
    """Each slide's XML, in the deck's order."""
    with zipfile.ZipFile(pptx) as z:
        names = sorted((n for n in z.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml")),
                       key=lambda n: int(n.removeprefix("ppt/slides/slide").removesuffix(".xml")))
        return [etree.fromstring(z.read(n)) for n in names]


def started_with_the_slide(slide: etree._Element) -> list[str]:
    """The shape ids of the movies PowerPoint starts when ``slide`` is shown: a ``playFrom`` call of the main
    sequence's first group, when that group begins with the sequence (``onBegin``)."""
    found = []
    for sequence in slide.xpath(".//p:timing//p:seq/p:cTn[@nodeType='mainSeq']", namespaces=NS):
        first = sequence.xpath("./p:childTnLst/p:par[1]/p:cTn", namespaces=NS)
        if not first or first[0].xpath(f"p:stCondLst/p:cond[@evt='onBegin'][p:tn/@val='{sequence.get('id')}']",
                                       namespaces=NS) == []:
            continue
        for effect in first[0].xpath(".//p:cTn[@presetClass='mediacall']", namespaces=NS):
            assert effect.get("nodeType") in ("afterEffect", "withEffect")
            found += effect.xpath("./p:childTnLst/p:cmd[@type='call'][@cmd='playFrom(0.0)']/p:cBhvr/p:tgtEl"
                                  "/p:spTgt/@spid", namespaces=NS)
    return found


def movie_ids(slide: etree._Element) -> list[str]:
    return slide.xpath(".//p:pic[p:nvPicPr/p:nvPr/a:videoFile]/p:nvPicPr/p:cNvPr/@id", namespaces=NS)


def unique_time_node_ids(slide: etree._Element) -> bool:
    ids = slide.xpath(".//p:timing//p:cTn/@id", namespaces=NS)
    return len(ids) == len(set(ids))


@pytest.mark.slow
def test_every_pptx_movie_starts_when_its_slide_is_shown_and_loops_if_asked(built):
    slides = slide_parts(built["pptx"])
    loops = [loop for s in SCENES.values() for *_, loop in s]
    assert len(slides) == len(loops)
    for n, (slide, loop) in enumerate(zip(slides, loops), start=1):
        (movie,) = movie_ids(slide)
        assert started_with_the_slide(slide) == [movie], n
        assert unique_time_node_ids(slide), n
        media = slide.xpath(f".//p:video/p:cMediaNode[p:tgtEl/p:spTgt/@spid='{movie}']/p:cTn", namespaces=NS)
        assert (media[0].get("repeatCount") == "indefinite") == loop, n


@pytest.mark.slow
def test_pptx_posters_show_the_slide_s_picture_not_its_empty_start(built):
    import pptx

    for n, slide in enumerate(pptx.Presentation(str(built["pptx"])).slides, start=1):
        (movie,) = [s for s in slide.shapes if s.shape_type == pptx.enum.shapes.MSO_SHAPE_TYPE.MEDIA]
        poster = np.asarray(Image.open(io.BytesIO(movie.poster_frame.blob)).convert("L"), float)
        assert poster.std() > 30, f"slide {n}: a blank poster"  # black with a wide coloured rectangle


@pytest.mark.slow
def test_embedded_clips_start_when_their_slide_is_shown_once_after_a_rerun(out, tmp_path):  # noqa: F811
    from pptx import Presentation

    deck_path = make_deck(tmp_path / "talk.pptx")
    prs = Presentation(deck_path)
    label = prs.slides[2].shapes[-1]  # the lecturer's own effect on slide 3: the label appears on a click
    prs.slides[2]._element.append(etree.fromstring(LECTURERS_TIMING.format(spid=label.shape_id)))
    prs.save(deck_path)
    embed_ok(deck_path, out)
    result = tmp_path / "talk-with-clips.pptx"
    embed_ok(result, out)  # a re-run on its own output: still one start per movie
    for n, slide in enumerate(Presentation(result).slides, start=1):
        xml = etree.fromstring(etree.tostring(slide._element))
        assert started_with_the_slide(xml) == [str(m.shape_id) for m in movies(slide)], n
        assert unique_time_node_ids(xml), n
    third = etree.fromstring(etree.tostring(Presentation(result).slides[2]._element))
    clicks = third.xpath(".//p:cTn[@nodeType='mainSeq']/p:childTnLst/p:par", namespaces=NS)
    assert len(clicks) == 2  # the movie's group, then the lecturer's click, kept
    assert clicks[1].xpath(".//p:set//p:spTgt/@spid", namespaces=NS) == [str(label.shape_id)]
    assert clicks[1].xpath("./p:cTn/p:stCondLst/p:cond/@delay", namespaces=NS) == ["indefinite"]


#: A click effect as PowerPoint writes "Appear, On Click" (no media on the slide yet).
LECTURERS_TIMING = """<p:timing xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:tnLst><p:par>
<p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot"><p:childTnLst><p:seq concurrent="1" nextAc="seek">
<p:cTn id="2" dur="indefinite" nodeType="mainSeq"><p:childTnLst><p:par><p:cTn id="3" fill="hold"><p:stCondLst>
<p:cond delay="indefinite"/></p:stCondLst><p:childTnLst><p:par><p:cTn id="4" fill="hold"><p:stCondLst>
<p:cond delay="0"/></p:stCondLst><p:childTnLst><p:par><p:cTn id="5" presetID="1" presetClass="entr" presetSubtype="0"
fill="hold" nodeType="clickEffect"><p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst><p:set><p:cBhvr>
<p:cTn id="6" dur="1" fill="hold"><p:stCondLst><p:cond delay="0"/></p:stCondLst></p:cTn><p:tgtEl>
<p:spTgt spid="{spid}"/></p:tgtEl><p:attrNameLst><p:attrName>style.visibility</p:attrName></p:attrNameLst></p:cBhvr>
<p:to><p:strVal val="visible"/></p:to></p:set></p:childTnLst></p:cTn></p:par></p:childTnLst></p:cTn></p:par>
</p:childTnLst></p:cTn></p:par></p:childTnLst></p:cTn><p:prevCondLst><p:cond evt="onPrev" delay="0"><p:tgtEl><p:sldTgt/>
</p:tgtEl></p:cond></p:prevCondLst><p:nextCondLst><p:cond evt="onNext" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl>
</p:cond></p:nextCondLst></p:seq></p:childTnLst></p:cTn></p:par></p:tnLst><p:bldLst><p:bldP spid="{spid}" grpId="0"/>
</p:bldLst></p:timing>"""
