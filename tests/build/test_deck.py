"""The deck's PPTX and PDF are what manim-slides' own converter writes (but for the PPTX's posters and movie
starts), and a rebuild decodes only changed slides.

Two scenes of synthetic slide videos (160x90; every frame one solid colour, darker frame by frame, so
a slide's first and last pictures differ) with notes and a looping slide. ``python -m manim_slides
convert`` writes the reference PPTX and PDF from the same JSON files.
"""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, PdfParser

from scenes.pipeline import deck, slide_frames
from tests.build.test_audio_outputs import make_scene, slide_videos

#: scene: [(seconds, colour of its first frame, notes, loops)] per slide; no two slides alike.
SCENES = {
    "Alpha": [(0.2, (220, 40, 40), "", False),
              (0.27, (40, 200, 60), "Alpha: the second slide", True),
              (0.33, (50, 70, 230), "Alpha: σ'(z) & <tags> stay text", False)],
    "Beta": [(0.4, (230, 200, 40), "Beta: one line\nand another", False),
             (0.2, (200, 60, 220), "", False)],
}
NOTES = [notes for slides in SCENES.values() for _, _, notes, _ in slides]


def make_slides(root: Path) -> Path:
    """The slide videos and manim-slides' JSON of every scene in SCENES, under ``root``; the JSON's folder."""
    for name, slides in SCENES.items():
        path = slide_videos(root, Path(f"{name}.mp4"), [s for s, *_ in slides], [c for _, c, *_ in slides])
        data = json.loads(path.read_text())
        for entry, (_, _, notes, loop) in zip(data["slides"], slides):
            entry.update(notes=notes, loop=loop)
        path.write_text(json.dumps(data))
    return root / "slides"


def slide_files(folder: Path) -> list[Path]:
    return [Path(s["file"]) for name in SCENES for s in json.loads((folder / f"{name}.json").read_text())["slides"]]


def theirs(folder: Path, to: str, dest: Path) -> Path:
    """manim-slides' own conversion of the scenes (its defaults)."""
    subprocess.run([sys.executable, "-m", "manim_slides", "convert", "--folder", str(folder), "--to", to, *SCENES,
                    str(dest)], check=True, capture_output=True)
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("deck")
    folder = make_slides(root)
    outputs = deck.build(list(SCENES), folder, root / "out")
    return folder, outputs, {to: theirs(folder, to, root / f"theirs.{to}") for to in ("pptx", "pdf")}


def parts(pptx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(pptx) as z:
        return {name: z.read(name) for name in z.namelist()}


def pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def numbered(names, pattern: str) -> list[str]:
    """The names matching ``pattern`` (with one number in it), in the number's order."""
    found = [n for n in names if re.fullmatch(pattern, n)]
    return sorted(found, key=lambda n: int(re.search(r"\d+", n.rsplit("/", 1)[-1]).group()))


def without_timing(xml: bytes) -> bytes:
    """A slide's XML without its ``p:timing`` (where ours and manim-slides' differ on purpose)."""
    return re.sub(rb"<p:timing>.*</p:timing>", b"", xml, flags=re.S)


@pytest.mark.slow
def test_the_pptx_is_the_one_manim_slides_writes_but_for_posters_and_starts(built):
    from manim_slides.convert import FrameIndex, read_image_from_video_file

    folder, outputs, reference = built
    ours, expected = parts(outputs["pptx"]), parts(reference["pptx"])
    assert list(ours) == list(expected)
    slides = numbered(ours, r"ppt/slides/slide\d+\.xml")
    notes = numbered(ours, r"ppt/notesSlides/notesSlide\d+\.xml")
    movies = numbered(ours, r"ppt/media/media\d+\.mp4")
    posters = numbered(ours, r"ppt/media/image\d+\.png")
    assert len(slides) == len(movies) == len(posters) == len(NOTES)  # every slide its own video and poster
    assert len(notes) == sum(1 for n in NOTES if n)  # a slide without notes gets no notes page, as theirs
    for name in [*notes, *[n.replace("slides/", "slides/_rels/") + ".rels" for n in slides]]:
        assert ours[name] == expected[name], name
    for name in slides:  # the same shapes; the timing is PowerPoint's "Start: Automatically" (test_deck_play.py)
        assert without_timing(ours[name]) == without_timing(expected[name]), name
        assert b"playFrom(0.0)" in ours[name] and b"playFrom" not in expected[name], name
    assert [ours[m] for m in movies] == [f.read_bytes() for f in slide_files(folder)]
    for name, video in zip(posters, slide_files(folder)):  # the slide's last picture (theirs: its first)
        assert np.array_equal(pixels(ours[name]), np.asarray(read_image_from_video_file(video, FrameIndex.last)))
        assert not np.array_equal(pixels(ours[name]), pixels(expected[name])), name
    different = [n for n in ours if not n.endswith(".png") and n not in slides and ours[n] != expected[n]]
    assert different == []  # the rest too (presentation, content types, sizes)
    # What the comparison rests on, read back: the notes, and each video looping if asked.
    import pptx

    shown = pptx.Presentation(str(outputs["pptx"])).slides
    assert [s.notes_slide.notes_text_frame.text if s.has_notes_slide else "" for s in shown] == NOTES
    loops = [loop for slides in SCENES.values() for *_, loop in slides]
    for name, loop in zip(slides, loops):
        assert (b'repeatCount="indefinite"' in ours[name]) == loop, name


def pdf_pages(path: Path) -> list[tuple[list, bytes]]:
    """Each page's size and the bytes of its one picture (a JPEG: Pillow writes RGB pages with DCTDecode)."""
    pdf = PdfParser.PdfParser(str(path))
    pages = []
    for ref in pdf.pages:
        page = pdf.read_indirect(ref)
        (image,) = page[b"Resources"][b"XObject"].values()
        stream = pdf.read_indirect(image)
        assert stream.dictionary.Filter == PdfParser.PdfName("DCTDecode")
        pages.append((list(page[b"MediaBox"]), bytes(stream.buf)))
    pdf.close()
    return pages


@pytest.mark.slow
def test_the_pdf_is_the_one_manim_slides_writes_each_slide_s_last_picture(built):
    from manim_slides.convert import FrameIndex, read_image_from_video_file

    folder, outputs, reference = built
    ours = pdf_pages(outputs["pdf"])
    assert ours == pdf_pages(reference["pdf"])
    assert len(ours) == len(NOTES)
    for (box, jpeg), video in zip(ours, slide_files(folder)):
        last = read_image_from_video_file(video, FrameIndex.last)
        assert box == [0, 0, last.width * 72 / 100, last.height * 72 / 100]  # 100 dpi, as manim-slides
        encoded = io.BytesIO()
        last.save(encoded, "JPEG")  # as Pillow's PDF writer encodes a page
        assert jpeg == encoded.getvalue(), video
        kept = slide_frames.SlideFrames(folder / "frames").png(video, slide_frames.LAST)
        assert np.array_equal(np.asarray(Image.open(kept).convert("RGB")), np.asarray(last)), video


@pytest.mark.slow
def test_a_rebuild_decodes_only_the_replaced_slide_and_drops_its_old_pictures(tmp_path, monkeypatch):
    from manim_slides.convert import FrameIndex, read_image_from_video_file

    folder = make_slides(tmp_path)
    deck.build(list(SCENES), folder, tmp_path / "out")
    files = slide_files(folder)
    before = sorted(p.name for p in (folder / "frames").glob("*.png"))
    assert len(before) == len(files)  # the last picture of every slide: the PPTX's poster and the PDF's page
    decoded: Counter = Counter()
    original = slide_frames.frame

    def counted(video, which):
        decoded[Path(video).name, which] += 1
        return original(video, which)

    monkeypatch.setattr(slide_frames, "frame", counted)
    old_pages = pdf_pages(tmp_path / "out" / "lecture.pdf")
    replaced = files[3]  # Beta's first slide, yellow: now cyan and longer
    make_scene(replaced, None, 0.47, (40, 210, 220))
    with ThreadPoolExecutor(2) as here:  # the PPTX and HTML in this process, so the decodes are counted
        deck.build(list(SCENES), folder, tmp_path / "out", here)
    assert decoded == Counter({(replaced.name, slide_frames.LAST): 1})
    new_pages = pdf_pages(tmp_path / "out" / "lecture.pdf")
    assert [p for i, p in enumerate(new_pages) if i != 3] == [p for i, p in enumerate(old_pages) if i != 3]
    page = pixels(new_pages[3][1]).astype(int)
    cyan = np.asarray(read_image_from_video_file(replaced, FrameIndex.last)).astype(int)
    assert np.abs(page - cyan).max() <= 3  # JPEG's rounding; the old yellow page is far off
    assert page[..., 0].mean() < page[..., 2].mean() - 100  # cyan, not yellow: blue well above red
    after = sorted(p.name for p in (folder / "frames").glob("*.png"))
    assert len(after) == len(before) and len(set(before) - set(after)) == 1  # the old slide's picture gone
