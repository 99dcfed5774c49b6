"""``lecture embed``: clips into a lecturer's own .pptx at marked places, and HTML/LaTeX snippets.

The deck is made here with python-pptx; the clips are a small fake build (index.json, solid-colour
mp4s, PNG posters) in the layout ``lecture build`` writes; one slow test embeds a real build.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import stat
import subprocess
import threading
import tomllib
import tracemalloc
import zipfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin
from urllib.request import urlopen

import pytest
import srt
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE, MSO_SHAPE_TYPE
from pptx.util import Inches

from tests.build.test_audio_outputs import Tags, parse_vtt
from tests.build.test_lecture_build import chromium, lecture
from tests.build.test_media import make_video

REPO = Path(__file__).resolve().parents[2]
CAPTIONS = tomllib.loads((REPO / "assets" / "captions.toml").read_text())
SCENE = "ForwardPass"
#: (index, beats, pixel size, colour, seconds) of the fake build's clips.
CLIPS = [(1, ["show_equations"], (64, 36), (200, 40, 40), 1.0),
         (2, ["ask_the_class"], (64, 48), (40, 200, 40), 2.0),
         (3, ["put_in_numbers", "show_output"], (64, 36), (40, 40, 200), 1.0)]
MARKERS = {2: ("clip: ForwardPass/put_in_numbers", 3, (Inches(2), Inches(1), Inches(8), Inches(6))),
           3: ("Clip:  ForwardPass/02 ", 2, (Inches(1), Inches(1.5), Inches(6), Inches(3)))}
VIDEO_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/video"


def stem(index: int, beats: list[str]) -> str:
    return f"{SCENE}/{index:02d}-{'-'.join(beats)}"


@pytest.fixture
def out(tmp_path):
    """A fake ``lecture build`` output: clips/index.json, one mp4 and one PNG per slide, the scene's subtitles."""
    root = tmp_path / "out"
    (root / "clips" / SCENE).mkdir(parents=True)
    entries = []
    for index, beats, size, colour, seconds in CLIPS:
        video = make_video(root / "clips" / f"{stem(index, beats)}.mp4", seconds, colour, size)
        Image.new("RGB", size, colour).save(root / "clips" / f"{stem(index, beats)}.png")
        for fmt, duration in (("mp4", seconds), ("png", 0.0)):
            path = video.with_suffix(f".{fmt}")
            entries.append({"scene": SCENE, "section": "-".join(beats), "beats": beats, "index": index, "format": fmt,
                            "file": f"{stem(index, beats)}.{fmt}", "bytes": path.stat().st_size,
                            "width": size[0], "height": size[1], "duration": duration})
    (root / "clips" / "index.json").write_text(json.dumps(entries))
    (root / "videos").mkdir()
    (root / "videos" / f"{SCENE}.srt").write_text(  # clip 2 is 1.0 s to 3.0 s of the scene
        "1\n00:00:00,000 --> 00:00:01,500\nFirst words.\n\n"
        "2\n00:00:01,500 --> 00:00:02,800\nSecond words.\n\n"
        "3\n00:00:02,800 --> 00:00:04,000\nLast words.\n\n")
    return root


def make_deck(path: Path, markers=MARKERS) -> Path:
    """Three slides: an ordinary text box with notes; a text-box marker with notes; a rectangle marker under a label."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    first = prs.slides.add_slide(blank)
    first.shapes.add_textbox(Inches(1), Inches(1), Inches(6), Inches(1)).text_frame.text = "Why gradients?"
    first.notes_slide.notes_text_frame.text = "Ask who has trained a network."
    for n in (2, 3):
        slide = prs.slides.add_slide(blank)
        text, _, box = markers[n]
        shape = slide.shapes.add_textbox(*box) if n == 2 else slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *box)
        shape.text_frame.text = text
    label = prs.slides[2].shapes.add_textbox(Inches(1), Inches(4), Inches(3), Inches(0.5))  # over the marker
    label.text_frame.text = "Figure 2"
    prs.slides[1].notes_slide.notes_text_frame.text = "Lecturer's own note.\nSecond line."
    prs.save(path)
    return path


def clip_file(out: Path, index: int, fmt: str = "mp4") -> Path:
    beats = next(b for i, b, *_ in CLIPS if i == index)
    return out / "clips" / f"{stem(index, beats)}.{fmt}"


def movies(slide) -> list:
    return [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.MEDIA]


def video_blob(slide) -> bytes:
    blobs = [r.target_part.blob for r in slide.part.rels.values() if r.reltype == VIDEO_REL]
    assert len(blobs) == 1
    return blobs[0]


def media_in_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("ppt/media/")}


def notes_lines(slide) -> list[str]:
    return slide.notes_slide.notes_text_frame.text.splitlines()


#: What each clip says: the fake subtitles whose middle falls in the clip (clip 2 is 1-3 s, clip 3 is 3-4 s).
SAID = {2: "Second words.", 3: "Last words."}


def expected_notes(ref: str, index: int) -> list[str]:
    return [f"[clip {ref}]", SAID[index], "[/clip]"]


def embed_ok(deck: Path, out: Path, *args: str) -> None:
    assert lecture("embed", str(deck), "--clips", str(out), *args) == 0


def test_markers_become_the_named_clips_and_nothing_else_changes(out, tmp_path):
    deck = make_deck(tmp_path / "talk.pptx")
    before = deck.read_bytes()
    embed_ok(deck, out)
    assert deck.read_bytes() == before, "the lecturer's deck was changed"
    result = Presentation(tmp_path / "talk-with-clips.pptx")
    original = Presentation(deck)
    assert [s.slide_id for s in result.slides] == [s.slide_id for s in original.slides]
    first = result.slides[0]
    assert [(s.shape_type, s.text_frame.text, s.left, s.top, s.width, s.height) for s in first.shapes] == [
        (s.shape_type, s.text_frame.text, s.left, s.top, s.width, s.height) for s in original.slides[0].shapes]
    assert notes_lines(first) == ["Ask who has trained a network."]
    for n, (text, index, (left, top, width, height)) in MARKERS.items():
        slide = result.slides[n - 1]
        (movie,) = movies(slide)
        others = [(s.shape_type, s.text_frame.text, s.left, s.top, s.width, s.height) for s in slide.shapes
                  if s.has_text_frame]
        assert others == [(s.shape_type, s.text_frame.text, s.left, s.top, s.width, s.height)
                          for s in original.slides[n - 1].shapes if s.text_frame.text != text]
        assert list(slide.shapes)[0] == movie  # in the marker's place in the z-order: under the label
        assert movie.name == "clip: " + text.split(":")[1].strip()
        assert movie._element.xpath("./p:nvPicPr/p:cNvPr/@descr") == [SAID[index]]  # alt text: what it says
        _, size, *_ = next(c[1:] for c in CLIPS if c[0] == index)
        # inside the marker's box, centred, touching two opposite sides, with the clip's aspect ratio
        assert left <= movie.left and movie.left + movie.width <= left + width + 1
        assert top <= movie.top and movie.top + movie.height <= top + height + 1
        assert abs((movie.left - left) - (left + width - movie.left - movie.width)) <= 1
        assert abs((movie.top - top) - (top + height - movie.top - movie.height)) <= 1
        assert movie.width == pytest.approx(width, abs=1) or movie.height == pytest.approx(height, abs=1)
        assert movie.width / movie.height == pytest.approx(size[0] / size[1], rel=1e-4)
        assert video_blob(slide) == clip_file(out, index).read_bytes()
        assert movie.poster_frame.blob == clip_file(out, index, "png").read_bytes()
    assert notes_lines(result.slides[1]) == ["Lecturer's own note.", "Second line.",
                                             *expected_notes("ForwardPass/put_in_numbers", 3)]
    assert notes_lines(result.slides[2]) == expected_notes("ForwardPass/02", 2)
    videos = sorted(b for n, b in media_in_zip(tmp_path / "talk-with-clips.pptx").items() if n.endswith(".mp4"))
    assert videos == sorted(clip_file(out, i).read_bytes() for i in (2, 3))


def test_a_rerun_after_a_rebuild_replaces_the_media_and_duplicates_nothing(out, tmp_path):
    deck = make_deck(tmp_path / "talk.pptx")
    embed_ok(deck, out)
    result = tmp_path / "talk-with-clips.pptx"
    first = Presentation(result)
    boxes = [[(s.shape_id, s.name, s.left, s.top, s.width, s.height) for s in slide.shapes] for slide in first.slides]
    old = clip_file(out, 3).read_bytes()
    make_video(clip_file(out, 3), 1.4, (250, 250, 0), (64, 36))  # the lecture was rebuilt: clip 3 changed
    assert clip_file(out, 3).read_bytes() != old
    embed_ok(result, out)  # on its own output: updated in place
    again = Presentation(result)
    assert [[(s.shape_id, s.name, s.left, s.top, s.width, s.height) for s in slide.shapes]
            for slide in again.slides] == boxes
    assert video_blob(again.slides[1]) == clip_file(out, 3).read_bytes()
    media = media_in_zip(result)
    assert old not in media.values(), "the old clip is still in the package"
    assert sorted(b for b in media.values() if b[4:8] == b"ftyp") == sorted(
        clip_file(out, i).read_bytes() for i in (2, 3))
    assert len(media) == 4  # two clips, two posters
    assert notes_lines(again.slides[1]) == ["Lecturer's own note.", "Second line.",
                                            *expected_notes("ForwardPass/put_in_numbers", 3)]
    assert notes_lines(again.slides[2]) == expected_notes("ForwardPass/02", 2)
    for slide in again.slides:  # one play control per movie, pointing at it
        targets = slide._element.xpath(".//p:timing//p:video//p:spTgt/@spid")
        assert sorted(targets) == sorted(str(m.shape_id) for m in movies(slide))
    # the original deck, embedded again, gives the same deck
    embed_ok(deck, out)
    third = [[(s.name, s.left, s.top, s.width, s.height) for s in slide.shapes]
             for slide in Presentation(result).slides]
    assert third == [[b[1:] for b in slide] for slide in boxes]


def test_without_subtitles_the_notes_are_the_caption_text_of_the_beats(out, tmp_path):
    (out / "videos" / f"{SCENE}.srt").unlink()
    embed_ok(make_deck(tmp_path / "talk.pptx"), out)
    result = Presentation(tmp_path / "talk-with-clips.pptx")
    spoken = [" ".join(CAPTIONS[SCENE][b].split()) for b in CLIPS[2][1]]
    assert notes_lines(result.slides[1])[2:] == ["[clip ForwardPass/put_in_numbers]", *spoken, "[/clip]"]
    (movie,) = movies(result.slides[2])
    assert movie._element.xpath("./p:nvPicPr/p:cNvPr/@descr")[0] == " ".join(CAPTIONS[SCENE]["ask_the_class"].split())


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


def test_unknown_clip_names_the_closest_and_writes_nothing(out, tmp_path, capsys):
    markers = dict(MARKERS)
    markers[3] = ("clip: ForwardPass/put_in_number", 3, MARKERS[3][2])
    deck = make_deck(tmp_path / "talk.pptx", markers)
    assert lecture("embed", str(deck), "--clips", str(out)) == 2
    err = one_line_error(capsys)
    assert "ForwardPass/put_in_number" in err and "slide 3" in err and "ForwardPass/put_in_numbers" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "talk.pptx"]


def test_a_beat_over_several_slides_must_be_named_by_number(out, tmp_path, capsys):
    index = json.loads((out / "clips" / "index.json").read_text())
    for e in index:
        if e["index"] == 2:
            e["beats"], e["section"] = ["put_in_numbers"], "put_in_numbers"
    (out / "clips" / "index.json").write_text(json.dumps(index))
    deck = make_deck(tmp_path / "talk.pptx", {2: MARKERS[2], 3: ("clip: ForwardPass/03", 3, MARKERS[3][2])})
    assert lecture("embed", str(deck), "--clips", str(out)) == 2
    err = one_line_error(capsys)
    assert "ForwardPass/02, ForwardPass/03" in err
    assert not (tmp_path / "talk-with-clips.pptx").exists()


@pytest.mark.parametrize("content", [b"", b"not a deck at all", "zip"])
def test_a_file_that_is_not_a_pptx_is_one_line(out, tmp_path, capsys, content):
    deck = tmp_path / "talk.pptx"
    if content == "zip":
        with zipfile.ZipFile(deck, "w") as z:
            z.writestr("word/document.xml", "<w/>")
    else:
        deck.write_bytes(content)
    assert lecture("embed", str(deck), "--clips", str(out)) == 2
    assert "talk.pptx" in one_line_error(capsys)
    assert not (tmp_path / "talk-with-clips.pptx").exists()


def test_a_missing_deck_and_a_missing_build_are_one_line(out, tmp_path, capsys):
    assert lecture("embed", str(tmp_path / "nope.pptx"), "--clips", str(out)) == 2
    assert "nope.pptx" in one_line_error(capsys)
    deck = make_deck(tmp_path / "talk.pptx")
    assert lecture("embed", str(deck), "--clips", str(tmp_path / "no-build")) == 2
    assert "lecture build" in one_line_error(capsys)
    assert lecture("embed") == 2
    assert "--snippets" in one_line_error(capsys)


@pytest.mark.parametrize("index", ["null", "{}", "[1]", "zero width", "outside"])
def test_a_broken_clip_index_is_one_line(out, tmp_path, capsys, index):
    path = out / "clips" / "index.json"
    if index == "zero width":
        index = json.dumps([{**e, "width": 0} for e in json.loads(path.read_text())])
    if index == "outside":  # a file the deck would carry away
        (tmp_path / "secret.mp4").write_bytes(clip_file(out, 3).read_bytes())
        index = json.dumps([{**e, "file": "../../secret.mp4"} if e["format"] == "mp4" else e
                            for e in json.loads(path.read_text())])
    path.write_text(index)
    deck = make_deck(tmp_path / "talk.pptx")
    assert lecture("embed", str(deck), "--clips", str(out)) == 2
    err = one_line_error(capsys)
    assert "index.json" in err and ("inside the clips folder" in err) == (index == "outside")
    assert not (tmp_path / "talk-with-clips.pptx").exists()


def test_output_that_cannot_be_written(out, tmp_path, capsys):
    deck = make_deck(tmp_path / "talk.pptx")
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert lecture("embed", str(deck), "--clips", str(out), "--out", str(blocker / "talk.pptx")) == 2
    assert "file/talk.pptx" in one_line_error(capsys)
    (tmp_path / "folder.pptx").mkdir()
    assert lecture("embed", str(deck), "--clips", str(out), "--out", str(tmp_path / "folder.pptx")) == 2
    assert "folder.pptx" in one_line_error(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "folder.pptx", "out", "talk.pptx"]
    assert not list((tmp_path / "folder.pptx").iterdir())


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_an_output_that_is_not_a_regular_file_is_refused_and_left_as_it_was(out, tmp_path, capsys, nothing_replaced,
                                                                                kind):
    deck = make_deck(tmp_path / "talk.pptx")
    target = Path("/dev/null") if kind == "device" else tmp_path / "fifo.pptx"
    if kind == "fifo":
        os.mkfifo(target)
    assert lecture("embed", str(deck), "--clips", str(out), "--out", str(target)) == 2
    assert f"{target}: output: expected a regular file or a new path" in one_line_error(capsys)
    assert (stat.S_ISCHR if kind == "device" else stat.S_ISFIFO)(os.stat(target).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out", "talk.pptx"] + (["fifo.pptx"] * (
        kind == "fifo")))


def test_an_output_on_a_full_disk_is_one_line_and_leaves_nothing(out, tmp_path, capsys, full_disk):
    deck = make_deck(tmp_path / "talk.pptx")
    (tmp_path / "talks").mkdir()
    full_disk(tmp_path / "talks")
    assert lecture("embed", str(deck), "--clips", str(out), "--out", str(tmp_path / "talks" / "Monday.pptx")) == 2
    err = one_line_error(capsys)
    assert "talks/Monday.pptx: output: " in err and "No space left on device" in err
    assert list((tmp_path / "talks").iterdir()) == []


@pytest.mark.parametrize("text", ["clip: ../../etc/passwd", "clip: /etc/passwd", "Clip: ForwardPass/03.",
                                  "clip:ForwardPass"])
def test_a_marker_naming_no_clip_stops_with_one_line(out, tmp_path, capsys, text):
    """README: 'A marker naming no clip stops with one line naming the closest clips, and nothing is written.'"""
    deck = make_deck(tmp_path / "talk.pptx", {2: MARKERS[2], 3: (text, 2, MARKERS[3][2])})
    assert lecture("embed", str(deck), "--clips", str(out)) == 2
    err = one_line_error(capsys)
    assert "slide 3" in err and text.split(":", 1)[1].strip() in err and ("closest: " in err or "scenes built" in err)
    assert "root:" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "talk.pptx"]


def test_text_that_only_begins_with_clip_is_the_lecturers_own(out, tmp_path):
    deck = make_deck(tmp_path / "talk.pptx", {2: MARKERS[2], 3: ("Clip: the one from last week", 2, MARKERS[3][2])})
    embed_ok(deck, out)
    result = Presentation(tmp_path / "talk-with-clips.pptx")
    assert len(movies(result.slides[1])) == 1 and movies(result.slides[2]) == []
    assert "Clip: the one from last week" in [s.text_frame.text for s in result.slides[2].shapes]


def _stretch(group, sx: float, sy: float) -> None:
    """Show ``group`` ``sx`` times wider and ``sy`` times taller than its child space (as a resized group is)."""
    ext = group._element.xpath("./p:grpSpPr/a:xfrm/a:ext")[0]
    ext.set("cx", str(round(int(ext.get("cx")) * sx)))
    ext.set("cy", str(round(int(ext.get("cy")) * sy)))


def _on_slide(shape) -> tuple[float, float, float, float]:
    """``shape``'s box in slide units, through every group it is in (their offsets and stretches)."""
    x, y, w, h = shape.left, shape.top, shape.width, shape.height
    element = shape._element.getparent()
    while element.tag.endswith("}grpSp"):
        (xfrm,) = element.xpath("./p:grpSpPr/a:xfrm")
        off, ext, ch_off, ch_ext = (xfrm.xpath(f"./a:{n}")[0] for n in ("off", "ext", "chOff", "chExt"))
        sx, sy = int(ext.get("cx")) / int(ch_ext.get("cx")), int(ext.get("cy")) / int(ch_ext.get("cy"))
        x, y = int(off.get("x")) + (x - int(ch_off.get("x"))) * sx, int(off.get("y")) + (y - int(ch_off.get("y"))) * sy
        w, h = w * sx, h * sy
        element = element.getparent()
    return x, y, w, h


def test_a_marker_in_a_group_becomes_a_movie_in_the_group_with_the_clips_shape_on_the_slide(out, tmp_path):
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    outer = slide.shapes.add_group_shape()
    outer.shapes.add_textbox(Inches(0.5), Inches(0.5), Inches(2), Inches(0.5)).text_frame.text = "Figure 1"
    inner = outer.shapes.add_group_shape()
    marker = inner.shapes.add_textbox(Inches(1), Inches(1), Inches(3), Inches(3))
    marker.text_frame.text = "clip: ForwardPass/03"
    inner.shapes.add_textbox(Inches(1), Inches(4.2), Inches(3), Inches(0.5)).text_frame.text = "caption"
    _stretch(inner, 1.0, 0.5)
    _stretch(outer, 2.0, 1.0)  # the marker shows 2:1 wide; the clip is 16:9
    deck = tmp_path / "talk.pptx"
    prs.save(deck)
    box = _on_slide(Presentation(deck).slides[0].shapes[0].shapes[1].shapes[0])
    embed_ok(deck, out)
    shown = Presentation(tmp_path / "talk-with-clips.pptx").slides[0]
    outer_after = shown.shapes[0]
    inner_after = outer_after.shapes[1]
    movie, caption = inner_after.shapes  # in the marker's group, in its place
    assert movie.shape_type == MSO_SHAPE_TYPE.MEDIA and caption.text_frame.text == "caption"
    assert outer_after.shapes[0].text_frame.text == "Figure 1"
    x, y, w, h = _on_slide(movie)
    assert w / h == pytest.approx(64 / 36, rel=1e-3)  # the clip's aspect ratio as the audience sees it
    assert h == pytest.approx(box[3], rel=1e-3) and w < box[2]  # as large as fits
    assert x - box[0] == pytest.approx(box[0] + box[2] - x - w, abs=2) and y == pytest.approx(box[1], abs=2)
    assert video_blob(shown) == clip_file(out, 3).read_bytes()
    embed_ok(tmp_path / "talk-with-clips.pptx", out)  # a re-run finds the movie in its group and keeps it there
    again = Presentation(tmp_path / "talk-with-clips.pptx").slides[0].shapes[0].shapes[1].shapes
    assert [(s.shape_type, s.name, s.left, s.top, s.width, s.height) for s in again] == [
        (s.shape_type, s.name, s.left, s.top, s.width, s.height) for s in (movie, caption)]


def _add_part(deck: Path, name: str, size: int, data: bytes = b"\0") -> None:
    """Add a part of ``size`` bytes (``data`` repeated) to the deck's zip, written in pieces (no big buffer)."""
    with zipfile.ZipFile(deck, "a", zipfile.ZIP_DEFLATED) as z, z.open(name, "w", force_zip64=True) as part:
        piece = data * (2**20 // len(data))
        for start in range(0, size, len(piece)):
            part.write(piece[:size - start])


def _understate(deck: Path, name: str, size: int) -> None:
    """Make the zip's directories say ``name`` unpacks to ``size`` bytes (a crafted file's lie)."""
    with zipfile.ZipFile(deck) as z:
        info = z.getinfo(name)
        central = z.start_dir
    data = bytearray(deck.read_bytes())
    local = info.header_offset
    assert data[local:local + 4] == b"PK\x03\x04"
    data[local + 22:local + 26] = size.to_bytes(4, "little")
    at = central
    while data[at + 46:at + 46 + len(name)] != name.encode():
        at = data.index(b"PK\x01\x02", at + 4)
    data[at + 24:at + 28] = size.to_bytes(4, "little")
    deck.write_bytes(bytes(data))


def _peak_mb(run) -> float:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("bomb", ["a part over the cap", "all parts over the cap", "far more than its size",
                                  "too many parts", "a name outside the package", "an understated size"])
def test_a_deck_that_unpacks_to_too_much_is_refused_before_it_is_read(out, tmp_path, capsys, monkeypatch, bomb):
    """A small file whose parts unpack to gigabytes was read whole (3.1 GB of memory for 1.5 MB); the caps are
    sized down here (monkeypatch), the deck stays small, and the refusal must come before python-pptx reads."""
    from scenes.pipeline import embed as embedding

    deck = make_deck(tmp_path / "talk.pptx")
    expected = {"a part over the cap": "parts of at most 1.0 MB unpacked, got 'ppt/media/zeros.bin: 2.0 MB'",
                "all parts over the cap": "at most 3.0 MB unpacked, got ",
                "far more than its size": "at most 100 times its size unpacked, got '8.1 MB from ",
                "too many parts": "at most 40 parts, got ",
                "a name outside the package": "part names inside the package, got '../../evil.xml'",
                "an understated size": "a readable PowerPoint (.pptx) file, got \"Bad CRC-32 for file "}[bomb]
    if bomb == "a part over the cap":
        monkeypatch.setattr(embedding, "MAX_PART_BYTES", 2**20, raising=False)
        _add_part(deck, "ppt/media/zeros.bin", 2 * 2**20)
    elif bomb == "all parts over the cap":
        monkeypatch.setattr(embedding, "MAX_DECK_BYTES", 3 * 2**20, raising=False)
        for n in range(4):
            _add_part(deck, f"ppt/media/zeros{n}.bin", 2**20)
    elif bomb == "far more than its size":
        monkeypatch.setattr(embedding, "RATIO_FLOOR", 2**20, raising=False)
        _add_part(deck, "ppt/media/zeros.bin", 8 * 2**20)
    elif bomb == "too many parts":
        monkeypatch.setattr(embedding, "MAX_PARTS", 40, raising=False)
        for n in range(40):
            _add_part(deck, f"ppt/media/part{n}.bin", 1)
    elif bomb == "a name outside the package":
        _add_part(deck, "../../evil.xml", 10, b"<x/>")
    else:  # with the caps as shipped: the zip says 100 bytes, the part unpacks to 60 MB
        _add_part(deck, "ppt/media/zeros.bin", 60 * 2**20)
        _understate(deck, "ppt/media/zeros.bin", 100)
    assert deck.stat().st_size < 2**20
    peak = _peak_mb(lambda: lecture("embed", str(deck), "--clips", str(out)) == 2 or pytest.fail("not refused"))
    err = one_line_error(capsys)
    assert err.startswith(f"lecture: error: {deck}: deck: expected ") and expected in err, err
    assert peak < 24, f"{peak:.0f} MB of memory to refuse it"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "talk.pptx"]


def test_html_and_latex_snippets_beside_each_clip(out):
    assert lecture("embed", "--snippets", "html", "--snippets", "latex", "--clips", str(out)) == 0
    for index, *_ in CLIPS:
        page = clip_file(out, index, "html")
        parser = Tags()
        parser.feed(page.read_text())
        tags = dict(parser.tags)
        assert [t for t, _ in parser.tags] == ["video", "source", "track"]
        assert {"controls", "poster"} <= tags["video"].keys() and tags["video"]["preload"] == "metadata"
        assert page.with_name(tags["video"]["poster"]).read_bytes() == clip_file(out, index, "png").read_bytes()
        assert page.with_name(tags["source"]["src"]) == clip_file(out, index)
        assert tags["source"]["type"] == "video/mp4" and tags["track"]["kind"] == "captions"
        assert page.with_name(tags["track"]["src"]).exists()
        tex = clip_file(out, index, "tex").read_text()
        assert f"\\href{{run:{clip_file(out, index).name}}}" in tex
        assert f"\\includegraphics[width=\\linewidth]{{{clip_file(out, index, 'png').name}}}" in tex
    # clip 2 is 1.0 s to 3.0 s of the scene: the subtitles over that stretch, from its start
    parser = Tags()
    parser.feed(clip_file(out, 2, "html").read_text())
    vtt = clip_file(out, 2, "html").with_name(dict(parser.tags)["track"]["src"])
    assert parse_vtt(vtt.read_text()) == [(0.0, 0.5, "First words."), (0.5, 1.8, "Second words."),
                                          (1.8, 2.0, "Last words.")]


@pytest.mark.parametrize("kind", ["html", "latex"])
def test_snippets_of_a_build_with_a_missing_clip_are_one_line_and_write_nothing(out, capsys, kind):
    clip_file(out, 2).unlink()
    clip_file(out, 2, "png").unlink()
    before = sorted((out / "clips").rglob("*"))
    assert lecture("embed", "--snippets", kind, "--clips", str(out)) == 2
    assert clip_file(out, 2).name in one_line_error(capsys)
    assert sorted((out / "clips").rglob("*")) == before


def test_snippets_use_the_builds_own_captions_and_a_base(out):
    built = clip_file(out, 1, "vtt")
    built.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nFrom the build.\n\n")
    assert lecture("embed", "--snippets", "html", "--snippets", "latex", "--clips", str(out),
                   "--base", "https://example.org/clips/") == 0
    parser = Tags()
    parser.feed(clip_file(out, 1, "html").read_text())
    tags = dict(parser.tags)
    assert tags["track"]["src"] == f"https://example.org/clips/{stem(1, CLIPS[0][1])}.vtt"
    assert tags["source"]["src"] == f"https://example.org/clips/{stem(1, CLIPS[0][1])}.mp4"
    assert f"\\href{{https://example.org/clips/{stem(1, CLIPS[0][1])}.mp4}}" in clip_file(out, 1, "tex").read_text()


@contextmanager
def serve(folder: Path):
    """``python -m http.server``'s server on ``folder`` (it answers no byte range), quiet; yields its address."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def handle(self):  # a browser drops a video download half-way: not an error here
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                super().handle()

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


#: Written into the page once the video's metadata and the captions track have loaded.
PROBE = """<script>
const v = document.querySelector('video');
function report() {
  const t = v.textTracks[0];
  const out = document.createElement('pre'); out.id = 'probe';
  out.textContent = JSON.stringify({ready: v.readyState, duration: v.duration, src: v.currentSrc,
    kind: t && t.kind, mode: t && t.mode, cues: t && t.cues ? t.cues.length : -1, error: v.error && v.error.code});
  document.body.appendChild(out);
}
let waiting = 2;
const done = () => { if (--waiting === 0) report(); };
v.addEventListener('loadedmetadata', done, {once: true});
document.querySelector('track').addEventListener('load', done, {once: true});
v.addEventListener('error', report, {once: true});
</script>"""


@pytest.mark.slow
def test_html_snippet_plays_in_chromium_from_a_local_server(out, tmp_path):
    assert lecture("embed", "--snippets", "html", "--clips", str(out)) == 0
    snippet = clip_file(out, 2, "html")
    page = snippet.with_name("probe.html")
    page.write_text(f"<!doctype html><html><body>{snippet.read_text()}{PROBE}</body></html>")
    with serve(out) as server:
        url = urljoin(server, f"clips/{SCENE}/probe.html")
        parser = Tags()
        parser.feed(snippet.read_text())
        with urlopen(urljoin(url, dict(parser.tags)["source"]["src"])) as response:
            assert response.status == 200 and response.read() == clip_file(out, 2).read_bytes()
        dom = chromium("--disable-background-networking", "--no-first-run", "--disable-component-update",
                       "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000",
                       "--dump-dom", url).stdout
    probe = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert probe, "the page never reported: " + dom[-500:]
    state = json.loads(probe.group(1).replace("&quot;", '"'))
    assert state["error"] is None and state["ready"] >= 1, state
    assert state["duration"] == pytest.approx(2.0, abs=0.1)
    assert state["src"].endswith(clip_file(out, 2).name)
    assert state["kind"] == "captions" and state["cues"] == 3, state


@pytest.mark.slow
def test_latex_snippet_makes_a_beamer_frame_with_a_link_to_the_clip(out, tmp_path):
    assert lecture("embed", "--snippets", "latex", "--clips", str(out), "--base", str(out / "clips")) == 0
    source = tmp_path / "talk.tex"
    source.write_text("\\pdfcompresslevel=0 \\pdfobjcompresslevel=0\n"  # readable link annotations
                      "\\documentclass{beamer}\n\\begin{document}\n\\begin{frame}{Forward pass}\n"
                      f"\\input{{{clip_file(out, 3, 'tex')}}}\n\\end{{frame}}\n\\end{{document}}\n")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", source.name], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]
    pdf = (tmp_path / "talk.pdf").read_bytes()
    assert b"/Launch" in pdf and clip_file(out, 3).as_posix().encode() in pdf
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf


@pytest.mark.slow
def test_embed_a_real_build(tmp_path):
    built = tmp_path / "out"
    assert lecture("build", "--scenes", "TitleCard", "-q", "l", "--format", "mp4,png", "--out", str(built),
                   "--media-dir", str(tmp_path / "media")) == 0
    deck = make_deck(tmp_path / "talk.pptx", {2: ("clip: TitleCard/show_title", 1, MARKERS[2][2]),
                                               3: ("clip: TitleCard/01", 1, MARKERS[3][2])})
    embed_ok(deck, built, "--out", str(tmp_path / "with-clips.pptx"))
    result = Presentation(tmp_path / "with-clips.pptx")
    entries = {e["format"]: e for e in json.loads((built / "clips" / "index.json").read_text())}
    for slide in list(result.slides)[1:]:
        (movie,) = movies(slide)
        assert video_blob(slide) == (built / "clips" / entries["mp4"]["file"]).read_bytes()
        assert movie.poster_frame.blob == (built / "clips" / entries["png"]["file"]).read_bytes()
        assert movie.width / movie.height == pytest.approx(entries["mp4"]["width"] / entries["mp4"]["height"], rel=1e-4)
    said = " ".join(" ".join(s.content.split()) for s in srt.parse((built / "videos" / "TitleCard.srt").read_text()))
    assert said and "{" not in said
    assert notes_lines(result.slides[2]) == ["[clip TitleCard/01]", said, "[/clip]"]
    assert len([n for n in media_in_zip(tmp_path / "with-clips.pptx") if n.endswith(".mp4")]) == 1  # one clip, shared
