"""The slide deck: reveal.js HTML (offline), PPTX and PDF, one slide per pause.

manim-slides' JSON of each scene is the deck's source. The HTML is manim-slides' own conversion.
The PPTX (python-pptx) and the PDF (Pillow) are written here as manim-slides writes them (its
defaults: 1280x720 slides, the video playing on entry, the notes; one page per slide, its last
picture), but from pictures kept by content (scenes/pipeline/slide_frames.py): after an edit only
the changed scenes' slides are decoded (the whole deck took 6.6 s after a ``[chain] x`` edit).

reveal.js comes from its npm package, fetched once by ``make setup`` (``python -m
scenes.pipeline.deck fetch``) into ``.cache/reveal.js/<version>/``, and copied beside the
deck, so the HTML needs no CDN.
"""
from __future__ import annotations

import contextlib
import io
import multiprocessing
import shutil
import sys
import tarfile
import urllib.request
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

from mathcore.errors import ConfigError
from scenes.pipeline.atomic import replace_dir
from scenes.pipeline.render import interruptible
from scenes.pipeline.slide_frames import FIRST, LAST, SlideFrames

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
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        members = [m for m in tar.getmembers() if m.name.startswith("package/dist/") and m.isfile()]
        for m in members:
            m.name = m.name.removeprefix("package/")
        tar.extractall(tmp, members=members, filter="data")
    target.parent.mkdir(parents=True, exist_ok=True)
    replace_dir(tmp, target)
    return target


def check_assets() -> Path:
    """The reveal.js folder, or one clear error saying how to get it."""
    source = reveal_dir()
    missing = [f for f in LINKED if not (source / f).exists()]
    if missing:
        raise ConfigError(source, "reveal.js", "the npm package's assets (run `make setup`)", f"missing {missing[0]}")
    return source


#: The HTML deck's options: reveal.js beside it (no CDN), slide numbers.
HTML_OPTIONS = ("cdn_url=reveal.js", "slide_number=true")


@interruptible()
def _html_apart(scenes: list[str], slides_folder: Path, dest: Path) -> None:
    """``manim-slides convert --to html`` (its CLI command), in a deck worker that has manim-slides imported."""
    import click
    from manim_slides.convert import convert as command

    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            command.main(["--folder", str(slides_folder), "--to", "html", *[f"-c{o}" for o in HTML_OPTIONS],
                          *scenes, str(dest)], standalone_mode=False)
    except click.ClickException as exc:
        raise RuntimeError(f"manim-slides convert --to html failed: {exc.format_message()}") from None
    if not dest.exists():
        raise RuntimeError("manim-slides convert --to html failed: no output")


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


def _play_on_entry(movie, loop: bool) -> None:
    """Start the movie when its slide shows (python-pptx adds it to be started by a click), looping if asked."""
    from lxml import etree

    def find(element, query: str):
        return etree.XPath(query, namespaces={"p": "http://schemas.openxmlformats.org/presentationml/2006/main"})(element)

    shape_id = find(movie.element, ".//p:cNvPr")[0].get("id")
    slide = movie.element.getparent().getparent().getparent()
    media = find(slide, f'.//p:timing//p:video//p:spTgt[@spid="{shape_id}"]')[0].getparent().getparent()
    find(media, ".//p:cond")[0].set("delay", "0")
    if loop:
        find(media, ".//p:cTn")[0].set("repeatCount", "indefinite")


def write_pptx(slides: list, frames: SlideFrames, dest: Path) -> None:
    """One slide per video, full size, its first picture as poster, playing on entry, with its notes."""
    import mimetypes

    import pptx
    from pptx.util import Emu

    prs = pptx.Presentation()
    width, height = (Emu(n * EMU_PER_PIXEL) for n in PPTX_SIZE)
    prs.slide_width, prs.slide_height = width, height
    blank = prs.slide_layouts[6]
    for s in slides:
        slide = prs.slides.add_slide(blank)
        movie = slide.shapes.add_movie(str(s.file), 0, 0, width, height, mime_type=mimetypes.guess_type(s.file)[0],
                                       poster_frame_image=str(frames.png(s.file, FIRST)))
        _play_on_entry(movie, s.loop)
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
    the PDF), not under their lock, and the HTML needs no new interpreter."""
    from scenes.pipeline.render import start_workers

    start_workers()
    pool = ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("forkserver"))
    for _ in range(WORKERS):  # one task each: the pool starts a process per task while none is idle
        pool.submit(prepare)
    return pool


@interruptible()
def _pptx_apart(scenes: list[str], slides_folder: Path, dest: Path) -> set[str]:
    """``write_pptx`` in a worker process; the pictures it used (the parent prunes the rest)."""
    frames = SlideFrames(slides_folder / "frames")
    write_pptx(slides_of(scenes, slides_folder), frames, dest)
    return frames.used


def build(scenes: list[str], slides_folder: Path, out_dir: Path, pool: Executor | None = None) -> dict[str, Path]:
    """index.html (+ its video assets and reveal.js), lecture.pptx and lecture.pdf under ``out_dir``.
    ``pool``: where the PPTX and the HTML are made (default :func:`workers`; a build starts them while
    the scenes render)."""
    source = check_assets()
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(f".{out_dir.name}.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    shutil.copytree(source / "dist", tmp / "reveal.js" / "dist")
    slides = slides_of(scenes, slides_folder)
    frames = SlideFrames(slides_folder / "frames")
    own = pool is None
    pool = pool or workers()
    try:  # the PPTX and the HTML in the workers, the PDF here, all at once
        pptx = pool.submit(_pptx_apart, scenes, slides_folder, tmp / "lecture.pptx")
        html = pool.submit(_html_apart, scenes, slides_folder, tmp / "index.html")
        write_pdf(slides, frames, tmp / "lecture.pdf")
        html.result()
        frames.prune(also=pptx.result())
    finally:
        if own:
            pool.shutdown(cancel_futures=True)
    replace_dir(tmp, out_dir)
    return {"html": out_dir / "index.html", "pptx": out_dir / "lecture.pptx", "pdf": out_dir / "lecture.pdf"}


if __name__ == "__main__":
    if sys.argv[1:] != ["fetch"]:
        sys.exit("usage: python -m scenes.pipeline.deck fetch")
    print(fetch())
