"""The slide deck: reveal.js HTML (offline), PPTX and PDF, one slide per pause.

manim-slides' JSON of each scene is the deck's source. The HTML is manim-slides' own conversion,
titled, with navigation arrows and a progress bar, plus a start button and captions (:data:`PLAYER`).
The PPTX (python-pptx) and the PDF (Pillow) are written here as manim-slides writes them (its
defaults: 1280x720 slides, the notes; one page per slide, its last picture), but with each slide's
last picture as its movie's poster, the movie started by the slide as PowerPoint starts it
(scenes/pipeline/pptx_timing.py), and from pictures kept by content (scenes/pipeline/slide_frames.py):
after an edit only the changed scenes' slides are decoded (the whole deck took 6.6 s after a
``[chain] x`` edit).

reveal.js comes from its npm package, fetched once by ``make setup`` (``python -m
scenes.pipeline.deck fetch``) into ``.cache/reveal.js/<version>/``, and copied beside the
deck, so the HTML needs no CDN.
"""
from __future__ import annotations

import contextlib
import html
import io
import json
import multiprocessing
import os
import re
import shutil
import sys
import tarfile
import urllib.request
from concurrent.futures import Executor, Future, ProcessPoolExecutor, wait
from pathlib import Path

from mathcore.errors import ConfigError
from mathcore.output import writing
from scenes.pipeline.atomic import replace_dir
from scenes.pipeline.pptx_timing import play_on_entry
from scenes.pipeline.render import interruptible
from scenes.pipeline.slide_frames import LAST, SlideFrames

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "reveal.js"
REGISTRY = "https://registry.npmjs.org/reveal.js/-/reveal.js-{version}.tgz"
#: The files manim-slides' template links to (checked before a build).
LINKED = ["dist/reveal.css", "dist/theme/black.css", "dist/plugin/highlight/zenburn.css", "dist/reveal.js",
          "dist/plugin/notes.js", "dist/plugin/markdown.js"]


def reveal_version() -> str:
    """The reveal.js version manim-slides' template is written for, remembered per manim-slides version
    (reading it imports manim: seconds a build with nothing to redo should not spend)."""
    from importlib.metadata import version

    memo = CACHE / f"manim-slides-{version('manim-slides')}.reveal-version"
    if memo.is_file():
        return memo.read_text().strip()
    from manim_slides.convert import RevealJS

    found = RevealJS.model_fields["reveal_version"].default
    with contextlib.suppress(OSError):
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.write_text(found)
    return found


def reveal_dir() -> Path:
    return CACHE / reveal_version()


def fetch(timeout: float = 60.0) -> Path:
    """Download the npm package's ``dist/`` once (set-up step); return its folder."""
    target = reveal_dir()
    if all((target / f).exists() for f in LINKED):
        return target
    url = REGISTRY.format(version=reveal_version())
    with urllib.request.urlopen(url, timeout=timeout) as response:
        data = response.read()
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        with writing(target, tmp), tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            members = [m for m in tar.getmembers() if m.name.startswith("package/dist/") and m.isfile()]
            for m in members:
                m.name = m.name.removeprefix("package/")
            tar.extractall(tmp, members=members, filter="data")
            target.parent.mkdir(parents=True, exist_ok=True)
            replace_dir(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def check_assets() -> Path:
    """The reveal.js folder, or one clear error saying how to get it."""
    source = reveal_dir()
    missing = [f for f in LINKED if not (source / f).exists()]
    if missing:
        raise ConfigError(source, "reveal.js", "the npm package's assets (run `make setup`)", f"missing {missing[0]}")
    return source


#: The HTML deck's options: reveal.js beside it (no CDN), slide numbers, navigation arrows, a progress bar.
HTML_OPTIONS = {"cdn_url": "reveal.js", "slide_number": "true", "controls": "true", "progress": "true"}
#: CommonMark's backslash escapes: any ASCII punctuation stands for itself after a backslash.
MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def notes_html(text: str) -> str:
    """Speaker notes as the deck's HTML must hold them to show ``text`` as written: manim-slides' template
    puts them in an ``<aside data-markdown>`` as they are (no escaping), and reveal.js' Markdown plugin
    turns that element's text into HTML (so escaping HTML alone would be undone). A line's indent goes: in
    Markdown it would make a code block, which shows backslashes as written."""
    text = "\n".join(line.lstrip() for line in text.split("\n"))
    return html.escape(MARKDOWN_SPECIAL.sub(r"\\\1", text), quote=False)


#: What the deck's page adds to manim-slides' template (before ``</body>``). A start button: browsers play
#: sound only after a click on the page, so the template mutes the first slide's video and the welcome
#: went unheard; the click unmutes it and starts it again. A caption bar: the current slide's notes (what
#: it says) line by line, each line shown over its share of the slide video's time (the cues are in the
#: ``#deck-captions`` JSON, one list per slide), on and off with its button or the C key. The speaker
#: view's previews (``?receiver``) get neither.
PLAYER = """<style>
.deck-start{position:fixed;inset:0;z-index:40;width:100%;border:0;cursor:pointer;color:#fff;
  background:rgba(0,0,0,.6);font:600 2.6rem system-ui,sans-serif}
.deck-caption{position:fixed;left:50%;bottom:2.2rem;transform:translateX(-50%);z-index:30;max-width:90vw;
  width:max-content;padding:.2em .6em;border-radius:.2em;background:rgba(0,0,0,.75);color:#fff;
  text-align:center;font:1.3rem/1.3 system-ui,sans-serif}
.deck-caption:empty,.deck-caption[hidden]{display:none}
.deck-cc{position:fixed;left:1rem;bottom:1rem;z-index:30;padding:.15em .5em;border:2px solid #fff;
  border-radius:.25em;cursor:pointer;color:#fff;background:rgba(0,0,0,.6);font:700 1rem system-ui,sans-serif}
.deck-cc[aria-pressed=false]{opacity:.45}
</style>
<button class="deck-start" type="button" autofocus>&#9654; Click to start</button>
<div class="deck-caption" role="status" aria-live="polite"></div>
<button class="deck-cc" type="button" aria-pressed="true" title="Captions on/off (C)">CC</button>
<script>
(() => {
  const start = document.querySelector(".deck-start"), caption = document.querySelector(".deck-caption"),
        toggle = document.querySelector(".deck-cc");
  if (/receiver/i.test(window.location.search)) {
    [start, caption, toggle].forEach(e => e.remove());
    return;
  }
  const cues = JSON.parse(document.getElementById("deck-captions").textContent);
  const show = () => {
    const slide = Reveal.getCurrentSlide(), mine = cues[Reveal.getSlides().indexOf(slide)] || [];
    const video = Reveal.getSlideBackground(slide)?.querySelector("video");
    const t = video ? video.currentTime : 0;
    const cue = mine.find(([, end]) => t < end) || mine[mine.length - 1];
    const text = cue ? cue[2] : "";
    if (caption.textContent !== text) caption.textContent = text;
  };
  const captions = on => { caption.hidden = !on; toggle.setAttribute("aria-pressed", String(on)); };
  toggle.addEventListener("click", () => captions(caption.hidden));
  Reveal.addKeyBinding({keyCode: 67, key: "C", description: "Captions on / off"}, () => captions(caption.hidden));
  start.addEventListener("keydown", e => e.stopPropagation());  // Space and Enter press the button, not the deck
  const play = () => {
    for (const slide of document.querySelectorAll(".reveal .slides section[data-background-video-muted]")) {
      slide.removeAttribute("data-background-video-muted");  // a video reveal.js makes anew is not muted either
    }
    const video = Reveal.getSlideBackground(Reveal.getCurrentSlide())?.querySelector("video");
    if (video) {
      video.muted = false;
      video.currentTime = 0;
      video.play();
    }
  };
  start.addEventListener("click", () => {
    start.remove();
    Reveal.isReady() ? play() : Reveal.on("ready", play);
  });
  const follow = () => { show(); Reveal.on("slidechanged", show); setInterval(show, 100); };
  Reveal.isReady() ? follow() : Reveal.on("ready", follow);
})();
</script>
"""


def caption_cues(notes: str, seconds: float) -> list[tuple[float, float, str]]:
    """A slide's caption bar: its notes as subtitle lines, each over its share of the slide's ``seconds``."""
    from scenes.captions import timed

    return [(round(a, 3), round(b, 3), line) for a, b, line in timed(notes, 0.0, seconds)] if notes.strip() else []


def add_player(page: str, cues: list[list[tuple[float, float, str]]]) -> str:
    """manim-slides' page with the caption ``cues`` of each slide and :data:`PLAYER` before its ``</body>``."""
    head, body_end, tail = page.rpartition("</body>")
    if not body_end:
        raise ValueError("manim-slides' page has no </body>")
    data = json.dumps(cues, ensure_ascii=False)
    for char in "<>&":  # JSON's own escapes: no text can end the script element
        data = data.replace(char, f"\\u{ord(char):04x}")
    script = f'<script type="application/json" id="deck-captions">{data}</script>\n'
    return head + script + PLAYER + body_end + tail


@interruptible()
def _html_apart(scenes: list[str], slides_folder: Path, dest: Path, title: str) -> None:
    """manim-slides' reveal.js conversion (what ``manim-slides convert --to html`` runs) of the slides with
    their notes escaped, titled ``title`` (its template does not escape it), with the captions and
    :data:`PLAYER` added; in a deck worker that has manim-slides imported."""
    from manim_slides.config import PresentationConfig
    from manim_slides.convert import RevealJS

    from scenes.pipeline.joiner import length

    presentations = [PresentationConfig.from_file(slides_folder / f"{s}.json") for s in scenes]
    slides = [slide for p in presentations for slide in p.slides]
    cues = [caption_cues(slide.notes, length(slide.file)) for slide in slides]
    for slide in slides:
        slide.notes = notes_html(slide.notes)
    RevealJS(presentation_configs=presentations, title=html.escape(title), **HTML_OPTIONS).convert_to(dest)
    dest.write_text(add_player(dest.read_text(encoding="utf-8"), cues), encoding="utf-8")


#: manim-slides' PowerPoint defaults: the slide's size in pixels (9525 EMU each).
PPTX_SIZE = (1280, 720)
EMU_PER_PIXEL = 9525
#: manim-slides' PDF default: pages at 100 dpi.
PDF_RESOLUTION = 100.0


@interruptible()
def prepare() -> None:
    """Import what writing the deck needs (about 0.6 s), so a build can do it while the scenes render."""
    import manim_slides.config  # noqa: F401
    import manim_slides.convert  # noqa: F401
    import pptx  # noqa: F401
    from PIL import PdfImagePlugin  # noqa: F401


def slides_of(scenes: list[str], slides_folder: Path) -> list:
    """Every slide of ``scenes`` in order, as manim-slides reads them from its JSON files."""
    from manim_slides.config import PresentationConfig

    return [slide for s in scenes for slide in PresentationConfig.from_file(slides_folder / f"{s}.json").slides]


def write_pptx(slides: list, frames: SlideFrames, dest: Path) -> None:
    """One slide per video, full size, playing on entry (looping if asked), with its notes. Its poster is its
    last picture: the first is the empty start of a scene's first slide, and the end of a slide is always
    its finished picture."""
    import mimetypes

    import pptx
    from pptx.util import Emu

    from scenes.pipeline.joiner import length

    prs = pptx.Presentation()
    width, height = (Emu(n * EMU_PER_PIXEL) for n in PPTX_SIZE)
    prs.slide_width, prs.slide_height = width, height
    blank = prs.slide_layouts[6]
    for s in slides:
        slide = prs.slides.add_slide(blank)
        movie = slide.shapes.add_movie(str(s.file), 0, 0, width, height, mime_type=mimetypes.guess_type(s.file)[0],
                                       poster_frame_image=str(frames.png(s.file, LAST)))
        play_on_entry(slide._element, movie.shape_id, length(s.file), s.loop)
        if s.notes:
            slide.notes_slide.notes_text_frame.text = s.notes
    prs.save(str(dest))


def write_pdf(slides: list, frames: SlideFrames, dest: Path) -> None:
    """One page per slide: its last picture."""
    from PIL import Image

    pages = [Image.open(frames.png(s.file, LAST)).convert("RGB") for s in slides]
    pages[0].save(dest, "PDF", resolution=PDF_RESOLUTION, save_all=True, append_images=pages[1:])


#: The deck's worker processes: the PPTX and the HTML at once.
WORKERS = 2


def workers() -> ProcessPoolExecutor:
    """Processes for the PPTX and the HTML, forked from the render workers' fork server (manim and
    manim-slides imported) and set importing the rest of what they need (:func:`prepare`) at once:
    python-pptx's pure-Python work then runs beside the build's threads (the joined lecture, clips,
    the PDF), not under their lock, and the HTML needs no new interpreter. They die with the process that
    started them (a build killed by SIGKILL left them idle for good: each holds its task queue's write end)."""
    from scenes.pipeline.render import die_with_build, interrupt_after, start_workers

    with interrupt_after() as interrupted:  # Ctrl-C once they are up (it waits while the fork server imports)
        start_workers()
        pool = ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("forkserver"),
                                   initializer=die_with_build, initargs=(os.getpid(),))
        for _ in range(WORKERS):  # one task each: the pool starts a process per task while none is idle
            pool.submit(prepare)
    if interrupted:
        pool.shutdown(cancel_futures=True)
        raise KeyboardInterrupt
    return pool


@interruptible()
def _pptx_apart(scenes: list[str], slides_folder: Path, dest: Path) -> set[str]:
    """``write_pptx`` in a worker process; the pictures it used (the parent prunes the rest)."""
    frames = SlideFrames(slides_folder / "frames")
    write_pptx(slides_of(scenes, slides_folder), frames, dest)
    return frames.used


def build(scenes: list[str], slides_folder: Path, out_dir: Path, pool: Executor | None = None, *,
          title: str | None = None) -> dict[str, Path]:
    """index.html (+ its video assets and reveal.js), lecture.pptx and lecture.pdf under ``out_dir``.
    ``pool``: where the PPTX and the HTML are made (default :func:`workers`; a build starts them while the
    scenes render). ``title``: the page's (default: the config's ``[lecture] title``)."""
    source = check_assets()
    if title is None:
        from mathcore.config import load

        title = load().lecture.title
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(f".{out_dir.name}.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    own = pool is None
    jobs: list[Future] = []
    try:  # the HTML and the PPTX in the workers, the PDF here, all at once
        with writing(out_dir / "reveal.js", tmp):
            tmp.mkdir(parents=True)
            shutil.copytree(source / "dist", tmp / "reveal.js" / "dist")
        slides = slides_of(scenes, slides_folder)
        frames = SlideFrames(slides_folder / "frames")
        pool = pool or workers()
        jobs.append(pool.submit(_html_apart, scenes, slides_folder, tmp / "index.html", title))
        for s in slides:  # the PPTX's posters are the PDF's pages: decoded once, here, before either
            frames.png(s.file, LAST)
        jobs.append(pool.submit(_pptx_apart, scenes, slides_folder, tmp / "lecture.pptx"))
        with writing(out_dir / "lecture.pdf", tmp):  # a full disk: one line naming the file
            write_pdf(slides, frames, tmp / "lecture.pdf")
        with writing(out_dir / "index.html", tmp):
            jobs[0].result()
        with writing(out_dir / "lecture.pptx", tmp):
            used = jobs[1].result()
        frames.prune(also=used)
        with writing(out_dir, tmp):
            replace_dir(tmp, out_dir)
    except BaseException:
        for job in jobs:
            job.cancel()
        wait(jobs)  # a worker still writing would put files back into the folder removed here
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if own and pool is not None:
            pool.shutdown(cancel_futures=True)
    return {"html": out_dir / "index.html", "pptx": out_dir / "lecture.pptx", "pdf": out_dir / "lecture.pdf"}


if __name__ == "__main__":
    if sys.argv[1:] != ["fetch"]:
        sys.exit("usage: python -m scenes.pipeline.deck fetch")
    print(fetch())
