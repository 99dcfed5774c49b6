"""The build's media steps on small synthetic videos: joining, captions, clips, atomic writes."""
from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
import srt

from mathcore.output import atomic_path
from scenes.pipeline import clips, joiner, transcript

RATE = 15


def make_video(path: Path, seconds: float, colour: tuple[int, int, int], size=(64, 48), alpha=False) -> Path:
    """A solid-colour clip; with ``alpha`` a qtrle .mov whose left half is transparent."""
    codec, pix = ("qtrle", "argb") if alpha else ("libx264", "yuv420p")
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=RATE)
        stream.width, stream.height = size
        stream.pix_fmt = pix
        for i in range(round(seconds * RATE)):
            rgba = np.zeros((size[1], size[0], 4), np.uint8)
            rgba[..., :3] = colour
            rgba[..., 3] = 255
            if alpha:
                rgba[:, : size[0] // 2, 3] = 0
            frame = av.VideoFrame.from_ndarray(rgba, format="rgba").reformat(format=pix)
            frame.pts, frame.time_base = i, Fraction(1, RATE)
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


def packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as c:
        return [bytes(p) for p in c.demux(c.streams.video[0]) if p.size]


@pytest.fixture
def three(tmp_path):
    return [("Red", make_video(tmp_path / "a.mp4", 1.0, (200, 30, 30))),
            ("Green", make_video(tmp_path / "b.mp4", 2.0, (30, 200, 30))),
            ("Blue", make_video(tmp_path / "c.mp4", 0.6, (30, 30, 200)))]


def test_join_adds_durations_and_marks_chapters(three, tmp_path):
    out = tmp_path / "lecture.mp4"
    chapters = joiner.join(three, out)
    assert joiner.length(out) == pytest.approx(1.0 + 2.0 + 0.6, abs=1e-6)
    assert [c.title for c in chapters] == ["Red", "Green", "Blue"]
    assert [c.start for c in chapters] == pytest.approx([0.0, 1.0, 3.0])
    assert [c.end for c in chapters] == pytest.approx([1.0, 3.0, 3.6])
    stored = joiner.chapters_of(out)
    assert [(c.title, c.start, c.end) for c in stored] == [(c.title, pytest.approx(c.start, abs=1e-3),
                                                             pytest.approx(c.end, abs=1e-3)) for c in chapters]


def test_join_copies_packets_without_re_encoding(three, tmp_path):
    out = tmp_path / "lecture.mp4"
    joiner.join(three, out)
    assert packets(out) == [p for _, path in three for p in packets(path)]


def test_join_refuses_videos_of_different_sizes(three, tmp_path):
    other = make_video(tmp_path / "big.mp4", 0.5, (0, 0, 0), size=(96, 64))
    with pytest.raises(ValueError, match="cannot be joined"):
        joiner.join([*three, ("Big", other)], tmp_path / "lecture.mp4")
    assert not (tmp_path / "lecture.mp4").exists()
    assert not list(tmp_path.glob(".*"))  # no temporary file left either


def test_captions_shift_to_each_scene_start(tmp_path):
    def write(name, spans):
        subs = [srt.Subtitle(i, srt.timedelta(seconds=a), srt.timedelta(seconds=b), t)
                for i, (a, b, t) in enumerate(spans)]
        (tmp_path / name).write_text(srt.compose(subs))
        return tmp_path / name

    first = write("a.srt", [(0, 1.5, "one"), (1.5, 4, "two")])
    second = write("b.srt", [(0, 2, "three")])
    merged = transcript.merge([(first, 0.0), (second, 4.0), (tmp_path / "none.srt", 6.0)], tmp_path / "all.srt")
    parsed = list(srt.parse((tmp_path / "all.srt").read_text()))
    assert [(s.index, s.start.total_seconds(), s.end.total_seconds(), s.content) for s in parsed] == [
        (1, 0.0, 1.5, "one"), (2, 1.5, 4.0, "two"), (3, 4.0, 6.0, "three")]
    assert len(merged) == 3


def slides_json(tmp_path, files):
    path = tmp_path / "Scene.json"
    path.write_text(json.dumps({"slides": [{"file": str(f), "skip_animations": False} for f in files]}))
    return path


def test_clips_in_every_format_with_an_index(three, tmp_path):
    files = [p for _, p in three]
    beats = [["intro"], ["middle", "more"], ["end"]]
    out = tmp_path / "clips" / "Scene"
    entries = clips.export_scene("Scene", clips.slide_files(slides_json(tmp_path, files)), beats,
                                 ["mp4", "webm", "gif", "png"], out, "key1")
    assert {(e["section"], e["format"]) for e in entries} == {
        (s, f) for s in ("intro", "middle-more", "end") for f in ("mp4", "webm", "gif", "png")}
    for e in entries:
        path = out.parent / e["file"]
        assert path.exists() and e["bytes"] == path.stat().st_size > 0
        assert (e["width"], e["height"]) == (64, 48)
        assert e["audio"] is False  # silent slide videos give silent clips (no audio stream)
        want = {"intro": 1.0, "middle-more": 2.0, "end": 0.6}[e["section"]]
        assert e["duration"] == pytest.approx(0.0 if e["format"] == "png" else want, abs=1 / RATE)
    assert packets(out / "02-middle-more.mp4") == packets(files[1])  # mp4 clips are the slide videos, copied
    assert json.loads((out / "clips.json").read_text()) == entries


def test_unchanged_scene_keeps_its_clips(three, tmp_path):
    files = [p for _, p in three]
    out = tmp_path / "clips" / "Scene"
    beats = [["a"], ["b"], ["c"]]
    clips.export_scene("Scene", files, beats, ["mp4", "png"], out, "key1")
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    clips.export_scene("Scene", files, beats, ["mp4", "png"], out, "key1")
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    clips.export_scene("Scene", files[:2], beats[:2], ["mp4", "png"], out, "key2")
    assert (out / "01-a.mp4").stat().st_mtime_ns != before["01-a.mp4"]
    assert not (out / "03-c.mp4").exists() and not (out / "03-c.png").exists()  # a slide that went


def test_transparent_clips_keep_alpha(tmp_path):
    src = make_video(tmp_path / "s.mov", 0.4, (250, 250, 250), alpha=True)
    out = tmp_path / "clips" / "S"
    clips.export_scene("S", [src], [["only"]], ["webm", "mov", "png"], out, "k", transparent=True)
    from PIL import Image

    alpha = np.asarray(Image.open(out / "01-only.png"))[..., 3]
    assert alpha[:, :32].max() == 0 and alpha[:, 32:].min() == 255
    with av.open(str(out / "01-only.webm")) as c:
        assert c.streams.video[0].metadata.get("alpha_mode") == "1"
    with av.open(str(out / "01-only.mov")) as c:
        assert c.streams.video[0].codec_context.pix_fmt == "argb"


def test_a_failed_write_leaves_nothing_under_the_final_name(tmp_path):
    target = tmp_path / "lecture.mp4"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


def test_gif_clips_keep_the_theme_colours(tmp_path):
    """A clip's own palette: flat colours come out exact (a fixed 3-3-2 palette shifted them)."""
    colours = [(0x58, 0xC4, 0xDD), (0xFC, 0x62, 0x55), (0x14, 0x16, 0x1C)]  # dark theme: positive, negative, background
    parts = [make_video(tmp_path / f"{i}.mp4", 0.4, c) for i, c in enumerate(colours)]
    joined = tmp_path / "all.mp4"
    joiner.join([(str(i), p) for i, p in enumerate(parts)], joined)
    out = tmp_path / "clip.gif"
    clips.transcode(joined, out, "gif")
    from PIL import Image, ImageSequence

    with Image.open(out) as gif:
        frames = [np.asarray(f.convert("RGB")).astype(int) for f in ImageSequence.Iterator(gif)]
    centres = {tuple(f[24, 32]) for f in frames}
    for colour in colours:
        assert min(np.abs(np.array(c) - colour).max() for c in centres) <= 6, (colour, centres)
