"""``out/index.html``: the lecture playing inline with its captions and a transcript beside it, then every scene
with its thumbnail, video, captions and clips.

Opened from disk (a student's downloaded folder) or from a server alike: the captions and the transcript come
from data in the page (scenes/pipeline/page_assets.py), since a browser reads no ``<track>`` file from file://.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import quote

from scenes.pipeline.atomic import write_text
from scenes.pipeline.page_assets import SCRIPT, STYLE

#: A cue ending so ends its sentence (the captions split a sentence into cues only inside it).
SENTENCE_END = re.compile(r"[.!?:…][\"'”’)\]]*$")
#: A clip's name as the build gives it: the slide's number, then its beats (identifiers) joined by "-".
CLIP_NAME = re.compile(r"\d+ ([A-Za-z_]\w*(?:-[A-Za-z_]\w*)*)")
#: The download links at the top: key in ``lecture``, text, whether the browser should save it rather than show it.
DOWNLOADS = (("video", "Lecture video (mp4)", True), ("vtt", "Captions (.vtt)", True),
             ("captions", "Captions (.srt)", True), ("deck", "Slide deck (HTML)", False),
             ("pptx", "PowerPoint (.pptx)", True), ("pdf", "Slides (PDF)", True), ("clips", "Clip index (JSON)", False))
#: The player's WebVTT tracks: kind, key in ``lecture``, label, attributes (for a server and no JavaScript).
TRACKS = (("captions", "vtt", "English", " default"), ("chapters", "chapters", "Chapters", ""))


def link(href: str, text: str, download: bool = False, extra: str = "") -> str:
    return f'<a href="{quote(href, safe="/#=.")}"{" download" if download else ""}{extra}>{html.escape(text)}</a>'


def seek_link(lecture: dict, start: float, inner: str, label: str = "") -> str:
    """A link into the whole lecture at ``start``: the page's script seeks the inline player instead (the file
    when there is no script, or in a new tab)."""
    aria = f' aria-label="{html.escape(label)}"' if label else ""
    return (f'<a href="{quote(lecture["video"])}#t={start:.1f}" data-seek="{start:.3f}"{aria}>{inner}</a>')


def clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def clip_title(name: str) -> str:
    """A clip's name as a title: "01 put_in_numbers" -> "Put in numbers"; any other name as it is."""
    found = CLIP_NAME.fullmatch(name)
    if not found:
        return name
    text = ", ".join(" ".join(beat.split("_")) for beat in found[1].split("-"))
    return text[:1].upper() + text[1:]


def sentences(cues: list[tuple[float, float, str]], starts: list[float]) -> list[list[tuple[float, float, str]]]:
    """The cues joined into sentences, [(start, end, text)] per chapter (chapters begin at ``starts``)."""
    chapters: list[list[tuple[float, float, str]]] = [[] for _ in starts] or [[]]
    pending: tuple[float, float, str] | None = None
    chapter = 0

    def flush():
        nonlocal pending
        if pending:
            chapters[chapter].append(pending)
            pending = None

    for start, end, text in sorted(cues):
        text = " ".join(text.split())
        while chapter + 1 < len(starts) and start >= starts[chapter + 1] - 1e-3:
            flush()  # a sentence never runs across a chapter
            chapter += 1
        pending = (pending[0], end, f"{pending[2]} {text}") if pending else (start, end, text)
        if SENTENCE_END.search(text):
            flush()
    flush()
    return chapters


def player(lecture: dict, scenes: list[dict]) -> str:
    """The whole lecture in a <video>, its captions and chapters as WebVTT tracks, a button per chapter."""
    tracks = "".join(f'<track kind="{kind}" src="{quote(lecture[key])}" srclang="en" label="{label}"{extra}>'
                     for kind, key, label, extra in TRACKS if lecture.get(key))
    buttons = "".join(f'<button type="button" data-start="{s["start"]:.3f}">{clock(s["start"])} '
                      f'{html.escape(s["title"])}</button>' for s in scenes)
    poster = f' poster="{quote(scenes[0]["thumbnail"])}"' if scenes else ""  # the first scene's finished picture
    video = (f'<video id="lecture" controls preload="metadata"{poster} src="{quote(lecture["video"])}" '
             f'aria-label="The lecture">{tracks}</video>')
    no_seek = ('<p id="no-seek" class="note" role="status" hidden>This web server cannot jump within the video '
               "(it answers no byte ranges): download the folder and open index.html, or serve it with a server that "
               "answers ranges.</p>")
    return f'<div class="player">{video}\n{no_seek}<nav class="chapters" aria-label="Chapters">{buttons}</nav></div>'


def transcript(scenes: list[dict], cues: list[tuple[float, float, str]]) -> str:
    """Every sentence under its chapter's title; the page's script highlights, seeks and searches them."""
    parts, first = [], True
    titles = [s["title"] for s in scenes] or [""]
    for title, said in zip(titles, sentences(cues, [s["start"] for s in scenes])):
        spans = []
        for start, _, text in said:
            spans.append(f'<span class="line" role="button" tabindex="{0 if first else -1}" data-start="{start:.3f}">'
                         f'{html.escape(text)}</span>')
            first = False
        heading = f"<h3>{html.escape(title)}</h3>" if scenes else ""  # one per chapter button: marked together
        parts.append(f'<section>{heading}<p>{" ".join(spans)}</p></section>')
    body = "".join(parts) if cues else "<p>This lecture has no captions.</p>"
    return f"""<aside class="transcript" aria-labelledby="transcript-title"><h2 id="transcript-title">Transcript</h2>
<form id="search" role="search" hidden><label for="search-words">Find words</label>
<input type="search" id="search-words" autocomplete="off"><button type="submit">Next</button>
<output id="search-status" for="search-words" aria-live="polite"></output></form>
<div id="transcript-lines" class="lines">{body}</div></aside>"""


def page_data(cues: list[tuple[float, float, str]]) -> str:
    """The captions as JSON inside <script>: "<" escaped, so no text can close the element or open a comment."""
    data = {"cues": [[round(a, 3), round(b, 3), text] for a, b, text in cues]}
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def render(title: str, lecture: dict, scenes: list[dict], out: Path, explorables: list[dict] | None = None,
           cues: list[tuple[float, float, str]] | None = None) -> Path:
    """Write the page. ``lecture``: video, captions, vtt, chapters, deck, pptx, pdf, clips (paths);
    ``scenes``: dicts with scene, title, start, video, captions, thumbnail, clips [(name, {fmt: file})];
    ``explorables``: dicts with scene, title, href; ``cues``: the lecture's captions [(start s, end s, text)]."""
    explorables = explorables or []
    cues = cues or []
    rows = []
    for s in scenes:
        clips = "\n".join(
            f"<li>{html.escape(clip_title(name))}: "
            + " ".join(link(f, fmt, download=True) for fmt, f in files.items()) + "</li>"
            for name, files in s["clips"]
        )
        tries = "".join(f"<li>{link(e['href'], 'Try it yourself: ' + e['title'])}</li>"
                        for e in explorables if e["scene"] == s["scene"])
        thumb = seek_link(lecture, s["start"], f'<img src="{quote(s["thumbnail"])}" alt="">',
                          f"Play {s['title']} in the lecture")
        rows.append(f"""<section class="scene" id="{html.escape(s['scene'])}">
<div>{thumb}</div>
<div><h3>{html.escape(s['title'])}</h3>
<ul class="links"><li>{seek_link(lecture, s['start'], f"In the lecture at {clock(s['start'])}")}</li>\
<li>{link(s['video'], 'Scene video (mp4)', True)}</li>\
<li>{link(s['captions'], 'Captions (.srt)', True)}</li>{tries}</ul>
<ol class="clips" aria-label="Clips of {html.escape(s['title'])}">{clips}</ol></div></section>""")
    downloads = "".join(f"<li>{link(lecture[key], text, download)}</li>" for key, text, download in DOWNLOADS
                        if lecture.get(key))
    tries = ""
    if explorables:
        items = "".join(f"<li>{link(e['href'], e['title'])}</li>" for e in explorables)
        tries = f'<section class="try" id="try" aria-labelledby="try-title"><h2 id="try-title">Try it yourself</h2>\n' \
                f'<ul>{items}</ul></section>'
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{STYLE}</style></head>
<body><a class="skip" href="#main">Skip to the lecture</a>
<header><h1>{html.escape(title)}</h1>
<nav aria-label="Downloads"><ul class="links">{downloads}</ul></nav></header>
<main id="main" tabindex="-1">
<section class="lecture" aria-label="The lecture">{player(lecture, scenes)}
{transcript(scenes, cues)}</section>
{tries}
<section aria-labelledby="scenes-title"><h2 id="scenes-title">Scenes</h2>
{''.join(rows)}</section>
</main>
<script type="application/json" id="lecture-data">{page_data(cues)}</script>
<script>{SCRIPT}</script>
</body></html>
"""
    return write_text(out, page)
