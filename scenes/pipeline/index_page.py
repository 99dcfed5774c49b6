"""``out/index.html``: the lecture playing inline (captions, chapters), then every scene with its thumbnail,
video, captions and clips."""
from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote

from scenes.pipeline.atomic import write_text

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1d22;background:#fbfaf7}
h1{margin-bottom:.2rem} .links a{margin-right:1.2rem}
.scene{display:grid;grid-template-columns:18rem 1fr;gap:1rem;border-top:1px solid #ddd;padding:1rem 0}
.scene img{width:18rem;border-radius:4px;background:#14161c}
.clips{font-size:.9rem;columns:2} .clips li{break-inside:avoid} small{color:#5f6368}
.player video{width:100%;max-height:70vh;background:#14161c;border-radius:4px}
.chapters{display:flex;flex-wrap:wrap;gap:.4rem;margin:.6rem 0 1.4rem}
.chapters button{font:inherit;font-size:.85rem;cursor:pointer}
"""


def link(href: str, text: str) -> str:
    return f'<a href="{quote(href, safe="/#=.")}">{html.escape(text)}</a>'


#: Chapter buttons seek the player (the <track kind="chapters"> is there for players that list chapters).
SEEK = """<script>
for (const b of document.querySelectorAll(".chapters button")) b.addEventListener("click", () => {
  const v = document.getElementById("lecture"); v.currentTime = Number(b.dataset.start); v.play();
});
</script>"""


def clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


#: The player's WebVTT tracks: kind, key in ``lecture``, label, attributes.
TRACKS = (("captions", "vtt", "English", " default"), ("chapters", "chapters", "Chapters", ""))


def player(lecture: dict, scenes: list[dict]) -> str:
    """The whole lecture in a <video>, its captions and chapters as WebVTT tracks, a button per chapter."""
    tracks = "".join(f'<track kind="{kind}" src="{quote(lecture[key])}" srclang="en" label="{label}"{extra}>'
                     for kind, key, label, extra in TRACKS if lecture.get(key))
    buttons = "".join(f'<button type="button" data-start="{s["start"]:.3f}">{clock(s["start"])} '
                      f'{html.escape(s["title"])}</button>' for s in scenes)
    poster = f' poster="{quote(scenes[0]["thumbnail"])}"' if scenes else ""  # the first scene's finished picture
    video = f'<video id="lecture" controls preload="metadata"{poster} src="{quote(lecture["video"])}">{tracks}</video>'
    return f'<section class="player">{video}\n<nav class="chapters">{buttons}</nav></section>\n{SEEK}'


def render(title: str, lecture: dict, scenes: list[dict], out: Path) -> Path:
    """Write the page. ``lecture``: video, captions, vtt, chapters, deck, pptx, pdf, clips (paths);
    ``scenes``: dicts with scene, title, start, video, captions, thumbnail, clips [(name, {fmt: file})]."""
    rows = []
    for s in scenes:
        clips = "".join(
            f"<li>{html.escape(name)}: " + " ".join(link(f, fmt) for fmt, f in files.items()) + "</li>"
            for name, files in s["clips"]
        )
        rows.append(f"""<section class="scene" id="{html.escape(s['scene'])}">
<a href="{quote(s['video'])}"><img src="{quote(s['thumbnail'])}" alt="{html.escape(s['title'])}"></a>
<div><h2>{html.escape(s['title'])} <small>{html.escape(s['scene'])}</small></h2>
<p class="links">{link(s['video'], 'video')}{link(s['captions'], 'captions (.srt)')}\
{link(lecture['video'] + f"#t={s['start']:.1f}", f"in the lecture at {clock(s['start'])}")}</p>
<ul class="clips">{clips}</ul></div></section>""")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title><style>{STYLE}</style></head>
<body><h1>{html.escape(title)}</h1>
<p class="links">{link(lecture['video'], 'whole lecture (mp4)')}{link(lecture['captions'], 'captions (.srt)')}\
{link(lecture['deck'], 'slide deck (HTML)')}{link(lecture['pptx'], 'PowerPoint')}{link(lecture['pdf'], 'PDF')}\
{link(lecture['clips'], 'clip index (JSON)')}</p>
{player(lecture, scenes)}
{''.join(rows)}
</body></html>
"""
    return write_text(out, page)
