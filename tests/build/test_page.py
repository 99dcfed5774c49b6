"""The student's page, ``out/index.html``, built from small hand-made inputs and driven in headless Chromium.

Each browser test appends a probe script to a copy of the page: it acts as a student would (clicks a sentence,
types in the search box, presses keys on the player), waits for the player, and writes what it saw as JSON into
the DOM, which ``--dump-dom`` hands back. Pages are opened from disk (file://, no flags a student's browser would
not have) and over a local web server that answers byte ranges.
"""
from __future__ import annotations

import contextlib
import html
import json
import re
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
import srt
from PIL import Image

from scenes.pipeline import index_page, transcript
from tests.build.test_embed import serve
from tests.build.test_injection import Page
from tests.build.test_lecture_build import chromium, serving
from tests.build.test_media import make_video

MARKUP = "Now the backward pass: </script><img src=x onerror=\"document.title='RAN'\"> & <b>co</b>."
#: The lecture's captions, as the build's lecture.srt has them: a sentence may span cues.
CUES = [(0.0, 1.5, "Welcome to the course."), (1.5, 2.5, "We start with a few lines of torch code,"),
        (2.5, 3.0, "and build a tree."), (3.0, 4.5, MARKUP), (4.5, 6.0, "Gradients flow down the tree.")]
#: What the transcript shows: every sentence, with the start of its first cue.
SENTENCES = [(0.0, "Welcome to the course."), (1.5, "We start with a few lines of torch code, and build a tree."),
             (3.0, MARKUP), (4.5, "Gradients flow down the tree.")]
TITLE = "Back-propagation (CS 101, Dr Ada)"
LECTURE = {"video": "lecture.mp4", "captions": "lecture.srt", "vtt": "lecture.vtt", "chapters": "chapters.vtt",
           "deck": "slides/index.html", "pptx": "slides/lecture.pptx", "pdf": "slides/lecture.pdf",
           "clips": "clips/index.json"}
ROWS = [{"scene": "ForwardPass", "title": "Forward pass", "start": 0.0, "video": "videos/ForwardPass.mp4",
         "captions": "videos/ForwardPass.srt", "thumbnail": "clips/ForwardPass/thumbnail.png",
         "clips": [("01 show_equations-ask_the_class", {"mp4": "clips/ForwardPass/01.mp4"}),
                   ("02 put_in_numbers", {"mp4": "clips/ForwardPass/02.mp4", "png": "clips/ForwardPass/02.png"})]},
        {"scene": "BackwardPass", "title": "Backward pass", "start": 3.0, "video": "videos/BackwardPass.mp4",
         "captions": "videos/BackwardPass.srt", "thumbnail": "clips/BackwardPass/thumbnail.png",
         "clips": [("01 last_layer", {"mp4": "clips/BackwardPass/01.mp4"})]}]
EXPLORABLES = [{"scene": "BackwardPass", "title": "Gradient descent, live", "href": "explore/gradient-descent.html"}]


@pytest.fixture
def site(tmp_path) -> Path:
    """An output folder as a build leaves it (a 6 s lecture, its captions as .srt and .vtt, thumbnails), its page."""
    out = tmp_path / "out"
    out.mkdir()
    make_video(out / "lecture.mp4", 6.0, (40, 40, 200), size=(320, 180))
    subtitles = [srt.Subtitle(i, timedelta(seconds=a), timedelta(seconds=b), text)
                 for i, (a, b, text) in enumerate(CUES, 1)]
    (out / "lecture.srt").write_text(srt.compose(subtitles))
    transcript.captions_vtt(subtitles, out / "lecture.vtt")
    transcript.chapters_vtt([(r["title"], r["start"], e) for r, e in zip(ROWS, (3.0, 6.0))], out / "chapters.vtt")
    for row, colour in zip(ROWS, ((200, 40, 40), (40, 160, 40))):
        (out / row["thumbnail"]).parent.mkdir(parents=True)
        Image.new("RGB", (320, 180), colour).save(out / row["thumbnail"])
    index_page.render(TITLE, LECTURE, ROWS, out / "index.html", explorables=EXPLORABLES,
                      cues=transcript.cues(out / "lecture.srt"))
    return out


PROBE = """<script>
(async () => {
  const out = {};
  const once = (el, name) => new Promise(done => el.addEventListener(name, done, {once: true}));
  const sleep = ms => new Promise(done => setTimeout(done, ms));
  try {
    const doc = await (%s);
    const video = doc.getElementById("lecture");
    const seeked = () => Promise.race([once(video, "seeked"), sleep(3000)]);
    if (video.readyState < 1) await Promise.race([once(video, "loadedmetadata"), sleep(3000)]);
    await sleep(500);  // a <track> file has had its time to load
%s
  } catch (err) { out.error = String(err && err.stack || err); }
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.append(pre);
})();
</script>"""
#: The page in a frame of a given width: headless Chromium lays a window out at least 500 px wide.
FRAME = """<!doctype html><html><head><title>frame</title><style>body{margin:0}</style></head><body>
<iframe id="page" src="index.html" style="display:block;border:0;width:%dpx;height:900px"></iframe>%s</body></html>"""
FRAMED = """new Promise(done => {
      const frame = document.getElementById("page");
      frame.addEventListener("load", () => done(frame.contentDocument));
    })"""





def probe(site: Path, body: str, where: str = "file", width: int | None = None, shot: Path | None = None) -> dict:
    """Open a copy of the page with ``body`` (JavaScript reading ``doc``, the page, and ``video``, its player,
    filling ``out``) run after the page's own script, or the page in a frame ``width`` px wide (over HTTP: a
    frame's document from file:// is another origin); ``out`` as the probe left it, with the page's title."""
    if width:
        page = site / f"frame-{width}.html"
        page.write_text(FRAME % (width, PROBE % (FRAMED, body)))
    else:
        page = site / "probe.html"
        page.write_text((site / "index.html").read_text().replace("</body>", PROBE % ("document", body) + "</body>"))
    profile = site.parent / f"profile-{where}"
    flags = ["--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", f"--window-size={max(width or 1280, 500)},900",
             "--virtual-time-budget=10000"]
    servers = {"http": serving, "no ranges": serve}  # python -m http.server's: no byte ranges
    with servers[where](site) if where in servers else contextlib.nullcontext(None) as address:
        url = address + page.name if address else page.as_uri()
        dom = chromium(*flags, "--dump-dom", url).stdout
        if shot:
            chromium(*flags, f"--screenshot={shot}", url)
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, f"the probe did not report (the page navigated away or its script failed): {dom[-400:]}"
    out = json.loads(html.unescape(found[1]))
    assert "error" not in out, out["error"]
    return out | {"title": Page(dom).title}


CAPTIONS = """
    out.warned = !doc.getElementById("no-seek").hidden;
    out.tracks = [...video.textTracks].filter(t => t.kind === "captions" || t.kind === "subtitles").map(t => ({
      mode: t.mode, cues: [...(t.cues || [])].map(c => [c.startTime, c.endTime, c.getCueAsHTML().textContent])}));
"""


@pytest.mark.slow
@pytest.mark.parametrize("where", ["file", "http"])
def test_captions_show_from_disk_and_from_a_server_once(site, where):
    """From file:// Chromium reads no <track> file; over HTTP the cues must not come twice."""
    seen = probe(site, CAPTIONS, where)
    assert seen["tracks"] == [{"mode": "showing", "cues": [list(c) for c in CUES]}]
    assert seen["title"] == TITLE, "a caption's markup ran"
    assert not seen["warned"], "it can seek here"


@pytest.mark.slow
def test_a_server_without_byte_ranges_is_named(site):
    """python -m http.server answers every request with the whole file: the player cannot seek there."""
    seen = probe(site, CAPTIONS, "no ranges")
    assert seen["tracks"][0]["cues"] and seen["warned"]


CLICK = """
    const line = [...doc.querySelectorAll("#transcript-lines .line")].find(l => l.textContent.includes(%s));
    const moved = seeked();
    line.click();
    video.pause();  // if the click started it: the position read below is the seek's
    out.at = video.currentTime;
    await moved;
    out.seeked = video.currentTime;
    out.now = [...doc.querySelectorAll(".line.now")].map(l => l.textContent);
    out.chapters = [...doc.querySelectorAll("[aria-current]")].map(el => el.textContent);
    out.lines = [...doc.querySelectorAll("#transcript-lines .line")].map(l => [Number(l.dataset.start),
                                                                                    l.textContent]);
"""


@pytest.mark.slow
@pytest.mark.parametrize("where", ["file", "http"])
def test_clicking_a_sentence_seeks_the_player_and_marks_its_chapter(site, where):
    seen = probe(site, CLICK % json.dumps("backward pass"), where)
    assert seen["lines"] == [list(s) for s in SENTENCES]
    assert seen["at"] == pytest.approx(3.0) and seen["seeked"] == pytest.approx(3.0, abs=0.05)
    assert seen["now"] == [MARKUP]
    assert seen["chapters"] == ["0:03 Backward pass", "Backward pass"]  # button, heading


SEARCH = """
    const input = doc.getElementById("search-words"), form = doc.getElementById("search");
    out.visible = !form.hidden;
    const search = words => { input.value = words; input.dispatchEvent(new Event("input")); };
    const marks = () => [...doc.querySelectorAll("#transcript-lines mark")].map(m => m.textContent);
    search("GRADIENTS   flow");
    out.phrase = marks();
    search("tree");
    out.word = marks();
    out.jumps = [];
    for (const _ of [1, 2, 3]) {
      form.requestSubmit();
      video.pause();
      out.jumps.push([video.currentTime, doc.querySelector("mark.at").parentElement.textContent]);
    }
    out.status = doc.getElementById("search-status").textContent;
    search("<b>co");
    out.markup = [marks(), doc.querySelectorAll("#transcript-lines b, #transcript-lines img").length];
    search("backprop");
    out.none = [marks(), doc.getElementById("search-status").textContent];
"""


@pytest.mark.slow
def test_search_finds_words_and_jumps_to_them(site):
    seen = probe(site, SEARCH)
    assert seen["visible"]
    assert seen["phrase"] == ["Gradients flow"]
    assert seen["word"] == ["tree", "tree"]
    second, fourth = SENTENCES[1], SENTENCES[3]
    assert seen["jumps"] == [[pytest.approx(second[0]), second[1]], [pytest.approx(fourth[0]), fourth[1]],
                             [pytest.approx(second[0]), second[1]]]  # and round again
    assert seen["status"].startswith("1 of 2")
    assert seen["markup"] == [["<b>co"], 0], "the query became markup"
    assert seen["none"] == [[], "not found"]


LINKS = """
    out.jumps = [];
    const seeking = a => a.querySelector("img") || /in the lecture at/i.test(a.textContent);
    for (const a of [...doc.querySelectorAll(".scene a")].filter(seeking)) {
      video.currentTime = 5.5;
      a.click();
      video.pause();
      out.jumps.push([a.textContent || a.getAttribute("aria-label"), video.currentTime]);
    }
    out.url = location.pathname.split("/").pop();
"""


@pytest.mark.slow
def test_scene_links_and_thumbnails_seek_the_inline_player(site):
    """They linked to the bare mp4, which left the page."""
    seen = probe(site, LINKS)
    assert seen["url"] == "probe.html"
    assert seen["jumps"] == [["Play Forward pass in the lecture", pytest.approx(0.0)],
                             ["In the lecture at 0:00", pytest.approx(0.0)],
                             ["Play Backward pass in the lecture", pytest.approx(3.0)],
                             ["In the lecture at 0:03", pytest.approx(3.0)]]


KEYS = """
    const key = (el, k) => el.dispatchEvent(new KeyboardEvent("keydown", {key: k, bubbles: true, cancelable: true}));
    video.currentTime = 0.5;
    await seeked();
    const stepped = [key(video, "ArrowRight"), video.currentTime];
    await seeked();
    stepped.push(key(video, "ArrowLeft"), video.currentTime);
    out.stepped = stepped;
    const track = [...video.textTracks].find(t => t.kind === "captions");
    key(video, "c");
    out.captions = [track.mode];
    key(video, "c");
    out.captions.push(track.mode);
    const lines = [...doc.querySelectorAll("#transcript-lines .line")];
    out.tabbable = lines.filter(l => l.tabIndex === 0).length;
    lines[0].focus();
    key(lines[0], "ArrowDown");
    key(doc.activeElement, "ArrowDown");
    out.focused = doc.activeElement.textContent;
    out.tabbableAfter = lines.filter(l => l.tabIndex === 0).map(l => l.textContent);
    key(doc.activeElement, "Enter");
    video.pause();
    out.entered = video.currentTime;
    out.order = [...doc.querySelectorAll("a[href], button, input, video, [tabindex='0']")]
      .filter(el => !el.closest("[hidden]") && el.tabIndex >= 0).slice(0, 16)
      .map(el => el.id || el.className || el.textContent);
    const skip = doc.querySelector("a.skip");
    out.skip = [skip.getAttribute("href"), doc.getElementById("main").tabIndex];
"""


@pytest.mark.slow
def test_keyboard_reaches_and_drives_the_player_and_the_transcript(site):
    seen = probe(site, KEYS)
    # handled (the default prevented); a seek may land on the frame after
    assert seen["stepped"] == [False, pytest.approx(5.5, abs=0.1), False, pytest.approx(0.5, abs=0.1)]
    assert seen["captions"] == ["hidden", "showing"]
    assert seen["tabbable"] == 1, "every sentence in the Tab order"
    assert seen["focused"] == SENTENCES[2][1]
    assert seen["tabbableAfter"] == [SENTENCES[2][1]]
    assert seen["entered"] == pytest.approx(SENTENCES[2][0])
    order = seen["order"]
    assert order[0] == "skip" and seen["skip"] == ["#main", -1]  # the first stop skips to the player
    assert order.index("lecture") < order.index("search-words") < order.index("line now")
    assert order[1:order.index("lecture")] == ["Lecture video (mp4)", "Captions (.vtt)", "Captions (.srt)",
                                                "Slide deck (HTML)", "PowerPoint (.pptx)", "Slides (PDF)",
                                                "Clip index (JSON)"]


LAYOUT = """
    const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    out.width = [doc.defaultView.innerWidth, doc.documentElement.scrollWidth];
    out.video = box(video);
    out.transcript = box(doc.querySelector(".transcript"));
"""


@pytest.mark.slow
@pytest.mark.parametrize("width", [390, 1280])
def test_page_fits_a_phone_and_a_laptop(site, width):
    shot = site.parent / f"page-{width}.png"
    seen = probe(site, LAYOUT, "http", width=width, shot=shot)
    assert seen["width"][0] == width and seen["width"][1] <= width, "the page scrolls sideways"
    video, text = seen["video"], seen["transcript"]
    if width < 600:  # the transcript under the player, as wide
        assert text[1] >= video[3] and video[2] - video[0] > width * 0.8
    else:  # beside it
        assert text[0] >= video[2] and text[1] < video[3]
    image = np.asarray(Image.open(shot).convert("RGB"))[:, :width].astype(float)
    assert image.std() > 20, "the screenshot is blank"
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in (site / "index.html").read_text()


def test_scene_and_clip_names_are_titles_with_their_explorables(site):
    text = (site / "index.html").read_text()
    scenes = Page(text, "scene")
    assert [scenes.text(i).split(" In the lecture")[0] for i in range(2)] == ["Forward pass", "Backward pass"]
    assert "ForwardPass" not in " ".join(scenes.texts) and "_" not in " ".join(scenes.texts)
    clips = Page(text, "clips")
    assert [clips.text(i) for i in range(2)] == ["Show equations, ask the class: mp4 Put in numbers: mp4 png",
                                                 "Last layer: mp4"]
    tried = Page(text, "try")
    assert tried.text(0) == "Try it yourself Gradient descent, live"
    assert "Try it yourself: Gradient descent, live" in scenes.text(1) and "Try" not in scenes.text(0)
    hrefs = [a.get("href") for tag, a in scenes.tags if tag == "a"]
    assert hrefs.count("explore/gradient-descent.html") == 2
    for key in ("video", "vtt", "captions", "deck", "pptx", "pdf"):
        assert hrefs.count(LECTURE[key]) == 1, f"no download link for {key}"


def test_embedded_captions_cannot_close_their_script(site):
    text = (site / "index.html").read_text()
    data = re.search(r'<script type="application/json" id="lecture-data">(.*?)</script>', text, re.S)[1]
    assert "<" not in data
    assert json.loads(data)["cues"] == [list(c) for c in CUES]


def test_cues_read_from_the_lecture_captions(tmp_path):
    path = tmp_path / "lecture.srt"
    path.write_text("1\n00:00:01,250 --> 00:00:02,500\nTwo\nlines\n\n2\n00:01:00,000 --> 00:01:01,000\nA <b>\n")
    assert transcript.cues(path) == [(1.25, 2.5, "Two\nlines"), (60.0, 61.0, "A <b>")]
    assert transcript.cues(tmp_path / "none.srt") == []
