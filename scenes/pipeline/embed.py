"""``lecture embed``: the built lecture's clips in a lecturer's own PowerPoint deck, at places they marked.

A marker is a shape (in a group too) whose whole text is ``clip: Scene/slide``, naming a clip of ``clips/index.json``
by a beat of its slide, the slide's beats joined by ``-``, its number or its file name
(``clip: ForwardPass/put_in_numbers``, ``clip: ForwardPass/03``). It becomes a movie of the clip
(python-pptx ``add_movie``) fitted in the marker's box, aspect ratio kept, with the clip's last
frame as poster and what it says (its subtitles) as alt text. The movie is named
``clip: Scene/slide``, so a re-run on the written deck finds and refreshes it; the slide's notes
hold the clip's text between ``[clip Scene/slide]`` and ``[/clip]``, which a re-run replaces.
"""
from __future__ import annotations

import difflib
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from mathcore.errors import ConfigError
from mathcore.output import atomic_write, file_target
from scenes.pipeline.pptx_timing import play_on_entry

#: The name of a movie this command made.
MARKER = re.compile(r"\s*(?i:clip):\s*([A-Za-z_][A-Za-z0-9_]*/[A-Za-z0-9_-]+)\s*")  # "Clip:": autocorrect
#: The whole text of a marker shape: "clip:" and one word, which must then name a clip ("Clip: see below" is text).
MARKER_TEXT = re.compile(r"\s*(?i:clip):\s*(\S+)\s*")
MIME = {"mp4": "video/mp4", "webm": "video/webm", "mov": "video/quicktime"}
VIDEO_FORMATS = tuple(MIME)
NOTES_OPEN, NOTES_CLOSE = "[clip {ref}]", "[/clip]"
R_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
P_NS = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


@dataclass
class Clip:
    """One slide's clip, in every format the build wrote (paths under the clip folder)."""
    scene: str
    index: int
    beats: list[str]
    files: dict[str, Path] = field(default_factory=dict)
    width: int = 0
    height: int = 0
    duration: float = 0.0

    @property
    def section(self) -> str:
        return "-".join(self.beats)

    @property
    def name(self) -> str:
        """``Scene/NN-beats``: the clip's path below the clip folder, without a suffix."""
        return f"{self.scene}/{self.index:02d}-{self.section}"

    def video(self, fmt: str) -> Path:
        if fmt not in self.files:
            raise ConfigError(self.name, "format", f"a clip built as {fmt} (lecture build --format {fmt},png)",
                              ", ".join(sorted(self.files)))
        return self.files[fmt]


class ClipIndex:
    """The clips a build wrote, read from ``clips/index.json`` (``root`` is the build's folder or its clips/)."""

    def __init__(self, root: Path):
        root = Path(root)
        self.path = root / "index.json" if (root / "index.json").exists() else root / "clips" / "index.json"
        self.folder = self.path.parent
        self.out = self.folder.parent
        try:
            entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ConfigError(self.path, "clips", "the clip index of a build (run `lecture build` first)",
                              getattr(err, "strerror", None) or str(err)) from None
        if not isinstance(entries, list):
            raise ConfigError(self.path, "clips", "a list of clips, as `lecture build` writes it",
                              type(entries).__name__)
        clips: dict[tuple[str, int], Clip] = {}
        for n, e in enumerate(entries):
            try:
                key = (e["scene"], int(e["index"]))
                clip = clips.setdefault(key, Clip(*key, list(e["beats"])))
                clip.files[e["format"]] = path = self.folder / e["file"]
                if not path.resolve().is_relative_to(self.folder.resolve()):  # an index from elsewhere
                    raise ConfigError(self.path, f"entry {n + 1}", "a file inside the clips folder", e["file"])
                if e["format"] in VIDEO_FORMATS or not clip.width:
                    clip.width, clip.height = int(e["width"]), int(e["height"])
                if min(clip.width, clip.height) <= 0:
                    raise ValueError  # no picture to fit in a marker's box
                clip.duration = max(clip.duration, float(e.get("duration", 0.0)))
            except (KeyError, TypeError, ValueError):
                raise ConfigError(self.path, f"entry {n + 1}",
                                  "scene, index, beats, format, file, and a width and height above 0") from None
        self.clips = sorted(clips.values(), key=lambda c: (c.scene, c.index))

    def names(self, clip: Clip) -> list[str]:
        """Every name a marker may use for ``clip``."""
        short = [f"{clip.index:02d}", str(clip.index), f"{clip.index:02d}-{clip.section}", clip.section, *clip.beats]
        return [f"{clip.scene}/{s}" for s in dict.fromkeys(short)]

    def find(self, ref: str) -> Clip:
        """The one clip ``ref`` names; else a LookupError saying which names are close."""
        hits = [c for c in self.clips if ref in self.names(c)]
        if len(hits) == 1:
            return hits[0]
        if hits:  # a beat that pauses inside itself spans several slides
            numbers = ", ".join(f"{c.scene}/{c.index:02d}" for c in hits)
            raise LookupError(f"{ref} is on several slides; name one: {numbers}")
        owner = {n: c for c in self.clips for n in self.names(c)}
        nearest: dict[str, str] = {}  # the closest name of each clip
        for n in difflib.get_close_matches(ref, list(owner), n=12, cutoff=0.5):
            nearest.setdefault(owner[n].name, n)
        close = list(nearest.values())[:3]
        scenes = ", ".join(sorted({c.scene for c in self.clips}))
        hint = f"closest: {', '.join(close)}" if close else f"scenes built: {scenes}"
        raise LookupError(f"no clip {ref} in {self.path}; {hint}")


def built(index: ClipIndex, clip: Clip, path: Path) -> Path:
    """``path``, a file of ``clip``, if it is there; else the ConfigError that asks for a rebuild."""
    if not path.exists():
        raise ConfigError(index.path, clip.name, "the clip's file (run `lecture build` again)", str(path))
    return path


def _scene_cues(clip: Clip, index: ClipIndex) -> list[tuple[float, float, str]] | None:
    """The scene's subtitles as the build wrote them (videos/<Scene>.srt), in seconds from the clip's start."""
    scene_srt = index.out / "videos" / f"{clip.scene}.srt"
    if not scene_srt.exists():
        return None
    import srt

    start = sum(c.duration for c in index.clips if c.scene == clip.scene and c.index < clip.index)
    return [(s.start.total_seconds() - start, s.end.total_seconds() - start, " ".join(s.content.split()))
            for s in srt.parse(scene_srt.read_text(encoding="utf-8"))]


def _caption_text(clip: Clip) -> str:
    """The captions.toml text of the clip's beats (a build without subtitles; ``{values}`` stay unfilled)."""
    from scenes import captions

    texts = captions.load().get(clip.scene, {})
    return "\n\n".join(texts[b] for b in clip.beats if b in texts)


def cues(clip: Clip, index: ClipIndex) -> list[tuple[float, float, str]]:
    """The clip's subtitles (start, end, text), in seconds from its start.

    The build's subtitles of the scene cut to the clip's stretch of it; without them, the
    caption text of the clip's beats spread over the clip.
    """
    scene = _scene_cues(clip, index)
    if scene is None:
        from scenes import captions

        text = _caption_text(clip)
        return captions.timed(text, 0.0, clip.duration) if text.strip() else []
    end = clip.duration
    return [(max(s, 0.0), min(e, end), t) for s, e, t in scene if s < end - 1e-3 and e > 1e-3]


def narration(clip: Clip, index: ClipIndex) -> str:
    """What the clip says (for speaker notes and alt text): the subtitles whose middle falls in it."""
    scene = _scene_cues(clip, index)
    if scene is None:
        return _caption_text(clip)
    return " ".join(t for s, e, t in scene if 0.0 <= (s + e) / 2 < clip.duration)


def poster(clip: Clip, fmt: str, scratch: Path) -> Path:
    """The clip's last frame as a PNG: the build's, else taken from the video into ``scratch``."""
    if "png" in clip.files and clip.files["png"].exists():
        return clip.files["png"]
    from scenes.pipeline.clips import last_frame

    target = Path(scratch) / f"{clip.index:02d}-{clip.section}.png"
    if not target.exists():
        last_frame(clip.video(fmt if fmt in clip.files else next((f for f in VIDEO_FORMATS if f in clip.files), fmt)),
                   target)
    return target


def fit(box: tuple[int, int, int, int], width: int, height: int) -> tuple[int, int, int, int]:
    """The largest ``width`` x ``height`` rectangle centred in ``box`` (left, top, width, height; EMU)."""
    left, top, w, h = box
    scale = min(w / width, h / height)
    fw, fh = round(width * scale), round(height * scale)
    return left + (w - fw) // 2, top + (h - fh) // 2, fw, fh


@dataclass
class Placement:
    """A marker or an embedded movie on a slide, and the clip it names."""
    slide_no: int
    slide: object
    element: object
    ref: str
    clip: Clip
    box: tuple[int, int, int, int]
    status: str  # "embedded" (a marker) or "refreshed" (a movie from an earlier run)
    scale: tuple[float, float] = (1.0, 1.0)  # the box's units on the slide (a group may stretch what it holds)


def movie_ref(element) -> str | None:
    """The clip a movie shape made by this command shows (its name), else None."""
    if element.tag != f"{P_NS}pic" or not element.xpath("./p:nvPicPr/p:nvPr/a:videoFile"):
        return None
    match = MARKER.fullmatch(element.xpath("./p:nvPicPr/p:cNvPr/@name")[0])
    return match.group(1) if match else None


def _group_scale(group) -> tuple[float, float]:
    """How much a group stretches its shapes: its size on the slide over the size of its child space."""
    def ratio(axis: str) -> float:
        shown = group.xpath(f"./p:grpSpPr/a:xfrm/a:ext/@{axis}")
        inner = group.xpath(f"./p:grpSpPr/a:xfrm/a:chExt/@{axis}")
        return int(shown[0]) / int(inner[0]) if shown and inner and int(inner[0]) > 0 else 1.0

    return ratio("cx"), ratio("cy")


def _shapes(shapes, scale: tuple[float, float] = (1.0, 1.0)):
    """Every shape with its scale to the slide, those inside groups (and groups in groups) too."""
    for shape in shapes:
        if shape._element.tag == f"{P_NS}grpSp":
            sx, sy = _group_scale(shape._element)
            yield from _shapes(shape.shapes, (scale[0] * sx, scale[1] * sy))
        else:
            yield shape, scale


def find_places(prs, index: ClipIndex, deck: Path) -> list[Placement]:
    """Every marker and every earlier movie in the deck (in groups too), each with its clip; a marker naming
    no clip is a ConfigError."""
    found = []
    for n, slide in enumerate(prs.slides, start=1):
        for shape, scale in _shapes(slide.shapes):
            ref = movie_ref(shape._element)
            status = "refreshed"
            if ref is None and shape.has_text_frame:
                match = MARKER_TEXT.fullmatch(shape.text_frame.text)
                ref, status = (match.group(1) if match else None), "embedded"
            if ref is None:
                continue
            try:
                clip = index.find(ref)
            except LookupError as err:
                raise ConfigError(deck, f"slide {n}", f"a marker naming a built clip ({err})", f"clip: {ref}") from None
            box = (shape.left or 0, shape.top or 0, shape.width or 0, shape.height or 0)
            if box[2] <= 0 or box[3] <= 0:
                raise ConfigError(deck, f"slide {n}", "a marker with a width and a height", f"clip: {ref}")
            found.append(Placement(n, slide, shape._element, ref, clip, box, status, scale))
    return found


def _r_ids(element) -> set[str]:
    return {v for node in element.iter() for k, v in node.attrib.items() if k.startswith(R_NS) and v}


def _replace(place: Placement, fmt: str, poster_png: Path, text: str) -> None:
    """Put the clip's movie where the marker (or the old movie) is: same z-order, same shape id, no leftovers."""
    slide, old = place.slide, place.element
    shape_id = old.xpath("./*/p:cNvPr/@id")[0]
    sx, sy = place.scale  # the clip's aspect ratio as shown on the slide, in the box's own units
    movie = slide.shapes.add_movie(str(place.clip.video(fmt)),
                                   *fit(place.box, place.clip.width * sy, place.clip.height * sx),
                                   poster_frame_image=str(poster_png), mime_type=MIME[fmt])
    new = movie._element
    new_id = new.xpath("./p:nvPicPr/p:cNvPr/@id")[0]
    old.addprevious(new)  # in the marker's group, if it is in one
    old_rids = _r_ids(old)
    old.getparent().remove(old)
    sld = slide._element
    for media in sld.xpath(f".//p:timing//p:video[.//p:spTgt/@spid='{shape_id}']"):
        media.getparent().remove(media)  # the old movie's play control
    for build in sld.xpath(f".//p:bldLst/p:bldP[@spid='{shape_id}']"):
        build.getparent().remove(build)  # a text build of the marker: a movie has no paragraphs
    # the movie takes the marker's id: the lecturer's own animations of the marker now apply to it
    for target in sld.xpath(f".//p:timing//p:video//p:spTgt[@spid='{new_id}']"):
        target.set("spid", shape_id)
    c_nv_pr = new.xpath("./p:nvPicPr/p:cNvPr")[0]
    c_nv_pr.set("id", shape_id)
    c_nv_pr.set("name", f"clip: {place.ref}")
    c_nv_pr.set("descr", " ".join(text.split()) or place.clip.name)
    play_on_entry(sld, shape_id, place.clip.duration)  # as PowerPoint's "Start: Automatically"; a kept start stays
    for rid in old_rids - _r_ids(sld):  # the old media and poster: unreferenced parts are not saved
        slide.part.drop_rel(rid)


def set_notes(slide, ref: str, text: str) -> None:
    """Put ``text`` in the slide's notes between ``[clip ref]`` and ``[/clip]``, replacing an earlier block."""
    frame = slide.notes_slide.notes_text_frame
    if frame is None:  # a notes page without a body placeholder
        return
    paras = list(frame.paragraphs)
    opening = NOTES_OPEN.format(ref=ref)
    start = next((i for i, p in enumerate(paras) if p.text.strip() == opening), None)
    anchor = None
    if start is not None:
        end = next((j for j in range(start, len(paras)) if paras[j].text.strip() == NOTES_CLOSE), len(paras) - 1)
        anchor = paras[end]._p.getnext()
        doomed = paras[start:end + 1]
    else:
        doomed = paras if not frame.text.strip() else []  # empty notes: no blank line before the block
    for p in doomed:
        p._p.getparent().remove(p._p)
    for line in [opening, *[t for t in text.split("\n\n") if t.strip()], NOTES_CLOSE]:
        para = frame.add_paragraph()
        para.text = " ".join(line.split())
        if anchor is not None:
            anchor.addprevious(para._p)


#: What a deck may unpack to: python-pptx holds every part of it in memory.
MAX_PART_BYTES = 512 * 2**20
MAX_DECK_BYTES = 2 * 2**30
MAX_PARTS = 20_000
#: Unpacked over packed size, for a deck that unpacks to more than RATIO_FLOOR (media barely compress, XML ~10x).
MAX_RATIO = 100
RATIO_FLOOR = 64 * 2**20


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size / 2**10:.0f} kB"


def check_package(deck: Path) -> None:
    """Refuse a deck that would unpack to more than it should (a zip bomb) before python-pptx reads it whole:
    each part's and the total declared size, their ratio to the file's size, part names that climb out of
    the package; then every part is read in bounded pieces (a size the zip's directory understates fails
    its check, rather than unpacking in one piece)."""
    with zipfile.ZipFile(deck) as z:
        infos = z.infolist()
        if len(infos) > MAX_PARTS:
            raise ConfigError(deck, "deck", f"at most {MAX_PARTS} parts", len(infos))
        for info in infos:
            name = info.filename
            if name.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", name) or re.match(r"[A-Za-z]:", name):
                raise ConfigError(deck, "deck", "part names inside the package", name)
            if info.file_size > MAX_PART_BYTES:
                raise ConfigError(deck, "deck", f"parts of at most {_mb(MAX_PART_BYTES)} unpacked",
                                  f"{name}: {_mb(info.file_size)}")
        total = sum(i.file_size for i in infos)
        if total > MAX_DECK_BYTES:
            raise ConfigError(deck, "deck", f"at most {_mb(MAX_DECK_BYTES)} unpacked", _mb(total))
        packed = Path(deck).stat().st_size
        if total > max(RATIO_FLOOR, MAX_RATIO * packed):
            raise ConfigError(deck, "deck", f"at most {MAX_RATIO} times its size unpacked",
                              f"{_mb(total)} from {_mb(packed)}")
        for info in infos:
            with z.open(info) as part:
                while part.read(2**20):
                    pass


def open_deck(deck: Path):
    from pptx import Presentation

    try:
        check_package(deck)
        return Presentation(str(deck))
    except ConfigError:
        raise
    except Exception as err:  # python-pptx raises zip, KeyError or ValueError for what is not a .pptx
        reason = getattr(err, "strerror", None) or (str(err).splitlines() or [type(err).__name__])[0]
        raise ConfigError(deck, "deck", "a readable PowerPoint (.pptx) file", reason) from None


def default_output(deck: Path) -> Path:
    """``talk.pptx`` -> ``talk-with-clips.pptx``; a deck already named so is updated in place."""
    stem = deck.stem if deck.stem.endswith("-with-clips") else f"{deck.stem}-with-clips"
    return deck.with_name(f"{stem}.pptx")


def embed(deck: Path, out: Path, index: ClipIndex, fmt: str = "mp4") -> list[Placement]:
    """Write ``deck`` to ``out`` with every marker (and earlier movie) showing its clip; return what was placed.

    Everything is checked before anything is written; ``out`` appears only complete.
    """
    file_target(out)  # a device, a FIFO or a folder: refused before the work
    prs = open_deck(deck)
    places = find_places(prs, index, deck)
    for place in places:
        built(index, place.clip, place.clip.video(fmt))
    with tempfile.TemporaryDirectory(prefix="lecture-embed-") as scratch:
        texts = {p.clip.name: narration(p.clip, index) for p in places}
        for place in places:
            _replace(place, fmt, poster(place.clip, fmt, Path(scratch)), texts[place.clip.name])
        for slide in {id(p.slide): p.slide for p in places}.values():
            for ref, clip in {p.ref: p.clip for p in places if p.slide is slide}.items():
                set_notes(slide, ref, texts[clip.name])
        atomic_write(out, lambda tmp: prs.save(str(tmp)))  # an output that cannot be written: one line
    return places
