"""The speech travels from scene videos into every output: the lecture, the deck's slide videos, the clips, the page.

Synthetic scene videos (160x90) carry a sine tone whose pitch differs per scene and per slide, so
an FFT of a window tells which speech landed where.
"""
from __future__ import annotations

import html
import json
import re
from datetime import timedelta
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import av
import numpy as np
import pytest
import srt

from scenes.pipeline import audio, clips, index_page, joiner, slide_audio, transcript
from tests.build.test_lecture_build import chromium, serving
from tests.build.test_media import packets

RATE = 15  # video frames per second
HZ = 22_050  # the voice's sample rate
SIZE = (160, 90)


def make_scene(path: Path, tones: list[tuple[float, float]] | None, seconds: float | None = None,
               colour: tuple[int, int, int] | None = None) -> Path:
    """A video of a grey picture (or of ``colour``, darker by 7 each frame); with ``tones`` [(Hz, seconds)] an AAC
    track playing them one after another."""
    seconds = seconds if seconds is not None else sum(s for _, s in tones)
    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=RATE)
        video.width, video.height = SIZE
        video.pix_fmt = "yuv420p"
        if tones:
            sound = out.add_stream("aac", rate=HZ, layout="mono")
            t = np.arange(round(seconds * HZ)) / HZ
            edges = np.cumsum([0.0] + [s for _, s in tones])
            wave = np.zeros_like(t)
            for (hz, _), a, b in zip(tones, edges[:-1], edges[1:]):
                wave[(t >= a) & (t < b)] = 0.3 * np.sin(2 * np.pi * hz * t[(t >= a) & (t < b)])
            frame = av.AudioFrame.from_ndarray(wave.astype(np.float32)[None], format="fltp", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = HZ, 0, Fraction(1, HZ)
            out.mux(sound.encode(frame))
            out.mux(sound.encode(None))
        for i in range(round(seconds * RATE)):
            level = (i * 7) % 255 if colour is None else np.maximum(np.subtract(colour, i * 7), 0)
            rgb = np.full((SIZE[1], SIZE[0], 3), level, np.uint8)
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
            frame.pts, frame.time_base = i, Fraction(1, RATE)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
    return path


def samples(path: Path) -> tuple[np.ndarray, int]:
    """The first audio track decoded to mono float samples, and its rate."""
    with av.open(str(path)) as c:
        stream = c.streams.audio[0]
        parts = [f.to_ndarray().astype(np.float64) for f in c.decode(stream)]
        rate = stream.codec_context.sample_rate
    parts = [p.reshape(-1) if p.shape[0] == 1 else p.mean(axis=0) for p in parts]  # packed s16 mono is (1, n)
    x = np.concatenate(parts)
    if np.abs(x).max() > 2:  # integer PCM
        x = x / 32768
    return x, rate


def pitch(x: np.ndarray, rate: int, a: float, b: float) -> float | None:
    """The strongest frequency between ``a`` and ``b`` seconds, or None if that window is silent."""
    w = x[int(a * rate):int(b * rate)]
    if len(w) == 0 or np.sqrt(np.mean(w ** 2)) < 0.02:
        return None
    spectrum = np.abs(np.fft.rfft(w * np.hanning(len(w))))
    return float(np.argmax(spectrum) * rate / len(w))


def audio_seconds(path: Path) -> float:
    x, rate = samples(path)
    return len(x) / rate


def has_audio(path: Path) -> bool:
    with av.open(str(path)) as c:
        return bool(c.streams.audio)


def write_srt(path: Path, cues: list[tuple[float, float, str]]) -> Path:
    path.write_text(srt.compose([srt.Subtitle(i + 1, timedelta(seconds=a), timedelta(seconds=b), t)
                                 for i, (a, b, t) in enumerate(cues)]))
    return path


@pytest.fixture
def scenes(tmp_path):
    """Three scenes: a spoken one (440 Hz), a silent one, a spoken one in two slides (700 then 1200 Hz)."""
    a = make_scene(tmp_path / "A.mp4", [(440, 1.0)])
    b = make_scene(tmp_path / "B.mp4", None, seconds=0.8)
    c = make_scene(tmp_path / "C.mp4", [(700, 0.6), (1200, 1.0)])
    write_srt(a.with_suffix(".srt"), [(0.0, 0.5, "One & <two>"), (0.5, 1.0, "line\nbreak")])
    write_srt(b.with_suffix(".srt"), [(0.1, 0.7, "Silent scene")])
    write_srt(c.with_suffix(".srt"), [(0.0, 1.6, "σ'(z) = 1/4")])
    return [("Alpha", a), ("Beta", b), ("Gamma", c)]


def join(scenes, out):
    return joiner.join(scenes, out, captions=[p.with_suffix(".srt") for _, p in scenes])


def test_lecture_audio_spans_it_with_each_scene_speaking_at_its_offset(scenes, tmp_path):
    out = tmp_path / "lecture.mp4"
    chapters = join(scenes, out)
    total = joiner.length(out)
    assert total == pytest.approx(1.0 + 0.8 + 1.6, abs=1e-6)
    assert audio_seconds(out) == pytest.approx(total, abs=0.05)  # one AAC frame of padding at most
    x, rate = samples(out)
    assert pitch(x, rate, 0.2, 0.8) == pytest.approx(440, abs=5)
    assert pitch(x, rate, 1.1, 1.7) is None  # the silent scene: silence, and the track goes on
    assert pitch(x, rate, 1.9, 2.3) == pytest.approx(700, abs=5)
    assert pitch(x, rate, 2.6, 3.3) == pytest.approx(1200, abs=5)
    assert [(c.title, c.start) for c in joiner.chapters_of(out)] == [
        ("Alpha", 0.0), ("Beta", pytest.approx(1.0, abs=1e-3)), ("Gamma", pytest.approx(1.8, abs=1e-3))]
    assert [c.start for c in chapters] == pytest.approx([0.0, 1.0, 1.8])
    assert packets(out) == [p for _, path in scenes for p in packets(path)]  # video copied


def test_lecture_carries_the_captions_as_a_subtitle_track(scenes, tmp_path):
    out = tmp_path / "lecture.mp4"
    chapters = join(scenes, out)
    merged = transcript.merge([(p.with_suffix(".srt"), c.start) for (_, p), c in zip(scenes, chapters)],
                              tmp_path / "lecture.srt")
    found = []
    with av.open(str(out)) as c:
        stream = c.streams.subtitles[0]
        assert stream.codec_context.name == "mov_text"
        for packet in c.demux(stream):
            for rect in (stream.codec_context.decode2(packet) if packet.size > 2 else None) or []:
                text = rect.ass.decode().split(",", 8)[8].replace("\\N", "\n")  # ASS dialogue: 8 fields, then text
                found.append((round(float(packet.pts * stream.time_base), 3), text))
    assert found == [(round(s.start.total_seconds(), 3), s.content) for s in merged]
    assert [t for _, t in found] == ["One & <two>", "line\nbreak", "Silent scene", "σ'(z) = 1/4"]


def test_silent_scenes_give_a_lecture_without_audio(tmp_path):
    parts = [("A", make_scene(tmp_path / "a.mp4", None, 0.6)), ("B", make_scene(tmp_path / "b.mp4", None, 0.4))]
    out = tmp_path / "lecture.mp4"
    joiner.join(parts, out)
    assert not has_audio(out)
    with av.open(str(out)) as c:
        assert not c.streams.subtitles  # no captions given: no subtitle track


def slide_videos(tmp_path, scene: Path, lengths: list[float], colours: list[tuple[int, int, int]] | None = None
                 ) -> Path:
    """What manim-slides makes of ``scene``: one silent video per slide (grey, or of ``colours``), and its JSON."""
    files = [make_scene(tmp_path / f"{scene.stem}-slide{i}.mp4", None, s, colours[i] if colours else None)
             for i, s in enumerate(lengths)]
    path = tmp_path / "slides" / f"{scene.stem}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({"slides": [{"file": str(f), "rev_file": str(f), "skip_animations": False}
                                           for f in files]}))
    return path


def test_slide_videos_carry_their_slice_of_the_speech(tmp_path):
    scene = make_scene(tmp_path / "C.mp4", [(700, 0.6), (1200, 1.0)])
    source = slide_videos(tmp_path, scene, [0.6, 1.0])
    narrated = slide_audio.narrate(source, scene, tmp_path / "slides" / "narrated")
    files = clips.slide_files(narrated)
    assert files != clips.slide_files(source) and all(f.exists() for f in files)
    for f, hz, seconds, original in zip(files, (700, 1200), (0.6, 1.0), clips.slide_files(source)):
        assert audio_seconds(f) == pytest.approx(seconds, abs=0.05)
        x, rate = samples(f)
        assert pitch(x, rate, 0.1, seconds - 0.1) == pytest.approx(hz, abs=5)
        assert packets(f) == packets(original)
    again = slide_audio.narrate(source, scene, tmp_path / "slides" / "narrated")
    assert clips.slide_files(again) == files  # nothing changed: the same files, not written again


def test_a_silent_scene_keeps_its_slide_videos(tmp_path):
    scene = make_scene(tmp_path / "S.mp4", None, 1.0)
    source = slide_videos(tmp_path, scene, [0.4, 0.6])
    narrated = slide_audio.narrate(source, scene, tmp_path / "slides" / "narrated")
    assert json.loads(narrated.read_text()) == json.loads(source.read_text())


def refused_in_one_line(capsys, action) -> str:
    """``action`` run as a `lecture` command: exit 2 and one line on stderr (returned)."""
    import click

    from mathcore.errors import run_cli

    with pytest.raises(SystemExit) as exited:
        run_cli(click.Command("build", callback=action), "lecture", [])
    assert exited.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


def test_slides_that_do_not_add_up_to_the_scene_are_refused_in_one_line(tmp_path, capsys):
    scene = make_scene(tmp_path / "C.mp4", [(700, 1.0)])
    source = slide_videos(tmp_path, scene, [0.4])
    folder = tmp_path / "slides" / "narrated"
    err = refused_in_one_line(capsys, lambda: slide_audio.narrate(source, scene, folder))
    assert "slides last 0.40 s" in err and "1.00 s" in err and "lecture render C --force" in err
    assert not folder.exists()  # nothing written


def test_clips_of_slides_that_do_not_match_their_beats_are_refused_in_one_line(tmp_path, capsys):
    slides = clips.slide_files(slide_videos(tmp_path, make_scene(tmp_path / "C.mp4", None, 1.0), [0.4, 0.6]))
    out = tmp_path / "clips" / "C"
    err = refused_in_one_line(capsys, lambda: clips.export_scene("C", slides, [["only"]], ["mp4"], out, "k"))
    assert "2 slide videos for 1 slides" in err and "lecture render C --force" in err
    assert not out.exists()


def test_clips_speak_in_mp4_webm_and_mov_and_not_in_gif_or_png(tmp_path):
    scene = make_scene(tmp_path / "C.mp4", [(700, 0.6), (1200, 1.0)])
    narrated = slide_audio.narrate(slide_videos(tmp_path, scene, [0.6, 1.0]), scene, tmp_path / "slides" / "narrated")
    out = tmp_path / "clips" / "C"
    entries = clips.export_scene("C", clips.slide_files(narrated), [["first"], ["second"]],
                                 ["mp4", "webm", "mov", "gif", "png"], out, "k")
    tones = {1: (700, 0.6), 2: (1200, 1.0)}
    for e in entries:
        path = out.parent / e["file"]
        assert e["audio"] == (e["format"] in ("mp4", "webm", "mov"))
        if e["format"] == "png":
            continue
        assert has_audio(path) == e["audio"], path
        if e["audio"]:
            hz, seconds = tones[e["index"]]
            assert audio_seconds(path) == pytest.approx(seconds, abs=0.05), path
            x, rate = samples(path)
            assert pitch(x, rate, 0.1, seconds - 0.1) == pytest.approx(hz, abs=5), path
    with av.open(str(out / "01-first.webm")) as c:
        assert c.streams.audio[0].codec_context.name == "opus"
    with av.open(str(out / "01-first.mov")) as c:
        assert c.streams.audio[0].codec_context.name == "pcm_s16le"


def test_sound_cut_pads_with_silence():
    sound = audio.Sound(np.ones((1, 100), np.float32), 100)
    piece = sound.cut(0.5, 1.5)
    assert piece.samples.shape == (1, 100)
    assert piece.samples[0, :50].tolist() == [1.0] * 50 and piece.samples[0, 50:].tolist() == [0.0] * 50


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse_vtt(text: str) -> list[tuple[float, float, str]]:
    """Cues of a WebVTT file, read independently of the writer."""
    assert text.startswith("WEBVTT")

    def seconds(stamp):
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    cues = []
    for block in re.split(r"\n\s*\n", text.strip())[1:]:
        timing, *lines = block.splitlines()
        a, b = timing.split(" --> ")
        cues.append((seconds(a), seconds(b.split()[0]), html.unescape("\n".join(lines))))
    return cues


@pytest.fixture
def page(scenes, tmp_path):
    """A small out/ as `lecture build` writes it: lecture.mp4, .srt, .vtt, chapters.vtt, index.html."""
    out = tmp_path / "out"
    out.mkdir()
    chapters = join(scenes, out / "lecture.mp4")
    merged = transcript.merge([(p.with_suffix(".srt"), c.start) for (_, p), c in zip(scenes, chapters)],
                              out / "lecture.srt")
    transcript.captions_vtt(merged, out / "lecture.vtt")
    transcript.chapters_vtt([(c.title, c.start, c.end) for c in chapters], out / "chapters.vtt")
    rows = [{"scene": c.title, "title": c.title, "start": c.start, "video": "lecture.mp4", "captions": "lecture.srt",
             "thumbnail": "none.png", "clips": []} for c in chapters]
    lecture = {"video": "lecture.mp4", "captions": "lecture.srt", "vtt": "lecture.vtt", "chapters": "chapters.vtt",
               "deck": "d", "pptx": "p", "pdf": "f", "clips": "c"}
    # the page carries its captions as data, as `lecture build` hands them (a <track> file is not read from file://)
    cues = [(c.start.total_seconds(), c.end.total_seconds(), c.content)
            for c in srt.parse((out / "lecture.srt").read_text())]
    index_page.render("Lecture", lecture, rows, out / "index.html", cues=cues)
    return out, chapters


def test_index_page_plays_the_lecture_with_captions_and_chapters(page):
    out, chapters = page
    parser = Tags()
    parser.feed((out / "index.html").read_text())
    video = [a for t, a in parser.tags if t == "video"]
    assert len(video) == 1 and video[0]["src"] == "lecture.mp4" and "controls" in video[0]
    tracks = {a["kind"]: a for t, a in parser.tags if t == "track"}
    assert tracks["captions"]["src"] == "lecture.vtt" and "default" in tracks["captions"]
    expected = [(s.start.total_seconds(), s.end.total_seconds(), s.content)
                for s in srt.parse((out / "lecture.srt").read_text())]
    assert parse_vtt((out / tracks["captions"]["src"]).read_text()) == expected
    assert parse_vtt((out / tracks["chapters"]["src"]).read_text()) == [
        (pytest.approx(c.start, abs=1e-3), pytest.approx(c.end, abs=1e-3), c.title) for c in chapters]
    starts = [float(a["data-start"]) for t, a in parser.tags if t == "button" and "data-start" in a]
    assert starts == pytest.approx([c.start for c in chapters], abs=1e-3)


#: Loads index.html in a frame, presses the second chapter button once the video knows its length, and
#: writes what the <video> reports into this page (read with --dump-dom).
PROBE = """<!doctype html><html><body><pre id="out">waiting</pre>
<iframe id="f" src="index.html" width="800" height="600"></iframe>
<script>
const f = document.getElementById("f");
f.addEventListener("load", () => {
  const v = f.contentDocument.getElementById("lecture");
  v.muted = true;
  let pressed = false;
  const report = () => {
    if (!pressed && v.duration > 0) {
      f.contentDocument.querySelectorAll(".chapters button")[1].click(); pressed = true;
    }
    document.getElementById("out").textContent = JSON.stringify({
    duration: v.duration, error: v.error && v.error.code, pressed: pressed, time: v.currentTime,
    seekable: Array.from({length: v.seekable.length}, (_, i) => [v.seekable.start(i), v.seekable.end(i)]),
    tracks: Array.from(v.textTracks, t => ({kind: t.kind, mode: t.mode, cues: t.cues ? t.cues.length : -1}))});
  };
  setInterval(report, 100);
});
</script></body></html>"""


def test_index_page_video_loads_in_chromium(page):
    out, chapters = page
    (out / "probe.html").write_text(PROBE)
    with serving(out) as address:
        dom = chromium("--virtual-time-budget=10000", "--autoplay-policy=no-user-gesture-required",
                       "--dump-dom", address + "probe.html").stdout
    report = json.loads(html.unescape(re.search(r'<pre id="out">(.*?)</pre>', dom, re.S).group(1)))
    assert report["error"] is None and report["duration"] == pytest.approx(joiner.length(out / "lecture.mp4"), abs=0.1)
    captions = [t for t in report["tracks"] if t["kind"] == "captions"]
    assert captions and captions[0]["mode"] == "showing"
    assert captions[0]["cues"] == len(list(srt.parse((out / "lecture.srt").read_text())))
    assert report["pressed"] and report["time"] >= chapters[1].start - 0.05  # the chapter button seeks


def test_transparent_slides_speak_and_keep_their_alpha(tmp_path):
    """--transparent: the clips come from a second render's qtrle .mov slides; the speech from the scene video."""
    from tests.build.test_media import make_video

    scene = make_scene(tmp_path / "T.mp4", [(900, 0.6)])
    slide = make_video(tmp_path / "T-slide0.mov", 0.6, (250, 250, 250), alpha=True)
    source = tmp_path / "slides" / "T.json"
    source.parent.mkdir()
    source.write_text(json.dumps({"slides": [{"file": str(slide), "rev_file": str(slide), "skip_animations": False}]}))
    narrated = slide_audio.narrate(source, scene, tmp_path / "slides" / "narrated")
    out = tmp_path / "clips" / "T"
    clips.export_scene("T", clips.slide_files(narrated), [["only"]], ["mov", "webm"], out, "k", transparent=True)
    for name, codec in (("01-only.mov", "pcm_s16le"), ("01-only.webm", "opus")):
        with av.open(str(out / name)) as c:
            assert c.streams.audio[0].codec_context.name == codec
            assert c.streams.video[0].codec_context.pix_fmt in ("argb", "yuva420p") or \
                c.streams.video[0].metadata.get("alpha_mode") == "1"
        x, rate = samples(out / name)
        assert pitch(x, rate, 0.1, 0.5) == pytest.approx(900, abs=5)


@pytest.mark.slow  # three manim-slides conversions
def test_the_deck_speaks_in_html_and_pptx(tmp_path):
    """manim-slides converts the narrated slides: the reveal.js deck's videos and the PPTX's carry each slide's tone."""
    from scenes.pipeline import deck

    scene = make_scene(tmp_path / "D.mp4", [(600, 0.6), (1100, 0.8)])
    source = slide_videos(tmp_path, scene, [0.6, 0.8])
    data = json.loads(source.read_text())
    data |= {"resolution": list(SIZE), "background_color": "#14161c"}
    for i, slide in enumerate(data["slides"]):
        slide |= {"loop": False, "auto_next": False, "notes": f"slide {i}", "type": "video", "src": None}
    source.write_text(json.dumps(data))
    narrated = slide_audio.narrate(source, scene, tmp_path / "slides" / "narrated")
    files = deck.build(["D"], narrated.parent, tmp_path / "out" / "slides")
    page = files["html"].read_text()
    videos = re.findall(r'data-background-video="([^"]+)"', page)
    assert len(videos) == 2
    for name, hz, seconds in zip(videos, (600, 1100), (0.6, 0.8)):
        x, rate = samples(files["html"].parent / name)
        assert pitch(x, rate, 0.1, seconds - 0.1) == pytest.approx(hz, abs=5)
    import zipfile

    with zipfile.ZipFile(files["pptx"]) as pptx:
        media = sorted(n for n in pptx.namelist() if n.startswith("ppt/media/") and n.endswith(".mp4"))
        assert len(media) == 2
        for name, hz in zip(media, (600, 1100)):
            embedded = tmp_path / Path(name).name
            embedded.write_bytes(pptx.read(name))
            x, rate = samples(embedded)
            assert pitch(x, rate, 0.1, 0.5) == pytest.approx(hz, abs=5), name
