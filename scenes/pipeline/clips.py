"""Per-slide clips of a scene in the formats a lecturer embeds (mp4, webm, gif, mov), a PNG of each clip's last frame.

manim-slides already cuts every scene at its pauses (``media/slides/<Scene>.json`` lists one
video per slide); a clip is one of those, named after the beats it holds. Slide videos that carry
the slide's speech (scenes/pipeline/slide_audio.py) give mp4, webm and mov clips that speak; gif and png are silent.
"""
from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import av
import click
from PIL import Image

from mathcore.output import atomic_path
from scenes.pipeline import audio, slide_frames
from scenes.pipeline.atomic import copy
from scenes.pipeline.joiner import length

FORMATS = ("mp4", "webm", "gif", "mov", "png")
#: PyAV encoder, pixel format and options per output format (opaque, transparent).
ENCODERS = {
    "webm": ("libvpx-vp9", "yuv420p", "yuva420p", {"crf": "34", "b": "0", "deadline": "realtime", "cpu-used": "8"}),
    "gif": ("gif", "pal8", "pal8", {}),  # with the clip's own palette (see gif_palette)
    "mov": ("qtrle", "rgb24", "argb", {}),
    "mp4": ("libx264", "yuv420p", "yuv420p", {"crf": "23", "preset": "veryfast"}),
}


def slide_files(slides_json: Path) -> list[Path]:
    """The video of each slide, from manim-slides' JSON for a scene."""
    data = json.loads(Path(slides_json).read_text())
    return [Path(s["file"]) for s in data["slides"] if not s.get("skip_animations")]


SAFE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def safe_name(name: str) -> str:
    """A scene or beat name as a file name: an identifier, so nothing is written outside the output folder."""
    if not SAFE_NAME.fullmatch(name or ""):
        raise ValueError(f"{name!r} is not a scene or beat name (letters, digits and _ only)")
    return name


def clip_name(index: int, beats: list[str]) -> str:
    return f"{index:02d}-" + "-".join(safe_name(b) for b in beats)  # a beat over several slides: NN tells them apart


#: Frames sampled (evenly) to choose a GIF clip's palette.
PALETTE_SAMPLES = 12


def gif_palette(src: Path) -> Image.Image:
    """One 256-colour palette for a whole clip, chosen from frames spread over it.

    A fixed 3-3-2 palette (``rgb8``) shifts the theme's colours and bands gradients; one palette
    per clip, used for every frame without dithering, keeps flat colours exact and does not flicker.
    """
    with av.open(str(src)) as source:
        count = source.streams.video[0].frames or sum(1 for _ in source.decode(video=0))
    wanted = {round(i * (count - 1) / max(1, PALETTE_SAMPLES - 1)) for i in range(PALETTE_SAMPLES)}
    with av.open(str(src)) as source:  # again, keeping only the sampled frames (a 1080p clip is GBs)
        picks = [f.to_image() for i, f in enumerate(source.decode(video=0)) if i in wanted]
    width, height = picks[0].size
    sheet = Image.new("RGB", (width, height * len(picks)))
    for i, im in enumerate(picks):
        sheet.paste(im.convert("RGB"), (0, i * height))
    return sheet.quantize(256, method=Image.Quantize.MEDIANCUT)


def _pal8(image: Image.Image, palette: Image.Image) -> av.VideoFrame:
    import numpy as np

    index = np.asarray(image.convert("RGB").quantize(palette=palette, dither=Image.Dither.NONE))
    rgb = np.zeros((256, 3), np.uint8)
    colours = np.frombuffer(bytes(palette.getpalette()[:768]), np.uint8).reshape(-1, 3)
    rgb[:len(colours)] = colours
    argb = np.concatenate([np.full((256, 1), 255, np.uint8), rgb], axis=1)
    return av.VideoFrame.from_ndarray((np.ascontiguousarray(index), argb), format="pal8")


def transcode(src: Path, dst: Path, fmt: str, transparent: bool = False) -> None:
    """Re-encode ``src`` as ``fmt`` (frame by frame, same rate and size), with its audio if ``fmt`` carries sound."""
    codec, opaque, alpha, options = ENCODERS[fmt]
    palette = gif_palette(src) if fmt == "gif" else None
    with atomic_path(dst) as tmp, av.open(str(src)) as source, av.open(str(tmp), "w", format=_container(fmt)) as out:
        video = source.streams.video[0]
        rate = Fraction(video.average_rate or 15).limit_denominator(1001)
        stream = out.add_stream(codec, rate=rate, options=options)
        stream.width, stream.height = video.width, video.height
        stream.pix_fmt = alpha if transparent else opaque  # gif and mp4 have no alpha: opaque either way
        sound = audio.read(src, length(src)) if fmt in audio.ENCODERS else None
        if sound is not None:  # before the video: its few packets wait in the muxer's interleaving queue
            track = audio.Track(out, fmt, sound.rate, sound.channels)
            track.write(sound)
            track.close()
        for i, frame in enumerate(source.decode(video)):
            frame = _pal8(frame.to_image(), palette) if palette else frame.reformat(format=stream.pix_fmt)
            frame.pts, frame.time_base = i, 1 / rate
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


def _container(fmt: str) -> str:
    return {"mov": "mov", "mp4": "mp4", "webm": "webm", "gif": "gif"}[fmt]


def last_frame(src: Path, dst: Path, alpha: bool = False) -> None:
    """The clip's last picture as a PNG (for handouts and thumbnails), with its alpha channel if asked."""
    image = slide_frames.picture(src, slide_frames.LAST, alpha)
    with atomic_path(dst) as tmp:
        image.save(tmp, format="PNG")


def describe(path: Path, fmt: str) -> dict:
    """Duration (s), pixel size, whether it has sound, and bytes of an exported file."""
    info = {"bytes": path.stat().st_size}
    if fmt == "png":
        with Image.open(path) as image:
            info |= {"width": image.width, "height": image.height, "audio": False, "duration": 0.0}
        return info
    with av.open(str(path)) as container:
        s = container.streams.video[0]
        info |= {"width": s.codec_context.width, "height": s.codec_context.height,
                 "audio": bool(container.streams.audio)}
    return info | {"duration": round(length(path), 3)}


def export_scene(scene: str, slides: list[Path], beats: list[list[str]], formats: list[str], out_dir: Path,
                 source_key: str, transparent: bool = False) -> list[dict]:
    """Clips of one scene in ``formats`` under ``out_dir``; a scene whose sources did not change is kept."""
    safe_name(scene)
    stamp = out_dir / ".source"
    index_file = out_dir / "clips.json"
    wanted = {"key": source_key, "formats": sorted(formats), "transparent": transparent}
    if stamp.exists() and index_file.exists() and json.loads(stamp.read_text()) == wanted:
        return json.loads(index_file.read_text())
    if len(slides) != len(beats):
        raise click.ClickException(f"{scene}: {len(slides)} slide videos for {len(beats)} slides of beats; render "
                                   f"the scene again (lecture render {scene} --force)")  # one line, exit 2
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for i, (src, names) in enumerate(zip(slides, beats), start=1):
        name = clip_name(i, names)
        for fmt in formats:
            dst = out_dir / f"{name}.{fmt}"
            if fmt == "png":
                last_frame(src, dst, alpha=transparent)
            elif fmt == src.suffix[1:]:
                copy(src, dst)
            else:
                transcode(src, dst, fmt, transparent)
            entries.append({"scene": scene, "section": "-".join(names), "beats": names, "index": i,
                            "format": fmt, "file": f"{scene}/{dst.name}", **describe(dst, fmt)})
    kept = {Path(e["file"]).name for e in entries} | {index_file.name, stamp.name, "thumbnail.png"}
    for old in out_dir.iterdir():  # clips of slides the scene no longer has
        if old.is_file() and old.name not in kept:
            old.unlink()
    with atomic_path(index_file) as tmp:
        tmp.write_text(json.dumps(entries, indent=1))
    with atomic_path(stamp) as tmp:
        tmp.write_text(json.dumps(wanted))
    return entries
