"""The page's style and script (``out/index.html``, written by scenes/pipeline/index_page.py).

The script reads the lecture's captions from JSON in the page (``#lecture-data``): opened from disk,
Chromium reads no ``<track>`` file, so the captions, the transcript and the search all come from that data,
with or without a server. Without JavaScript the page still has its links and, over HTTP, the ``<track>``.
"""

STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:82rem;padding:.5rem 1rem 2rem;color:#1b1d22;
  background:#fbfaf7;line-height:1.45;overflow-wrap:anywhere}
h1{margin:.6rem 0 .3rem;font-size:clamp(1.3rem,4vw,2rem)} h2{font-size:1.25rem;margin:.4rem 0}
h3{font-size:1.05rem;margin:.2rem 0}
a{color:#1a56b0} a:focus-visible,button:focus-visible,input:focus-visible,video:focus-visible,.line:focus-visible,
main:focus-visible{outline:3px solid #e3a21a;outline-offset:2px}
.skip{position:absolute;left:.5rem;top:-3rem;background:#1b1d22;color:#fff;padding:.4rem .8rem;border-radius:4px;
  z-index:1}
.skip:focus{top:.5rem}
.links{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;margin:.4rem 0;padding:0;list-style:none}
.lecture{display:grid;grid-template-columns:minmax(0,1fr);gap:1rem;align-items:start;margin:1rem 0 2rem}
@media (min-width:64rem){.lecture{grid-template-columns:minmax(0,2fr) minmax(18rem,1fr)}}
.player video{display:block;width:100%;max-height:70vh;background:#14161c;border-radius:4px}
.chapters{display:flex;flex-wrap:wrap;gap:.4rem;margin:.6rem 0}
.chapters button{font:inherit;font-size:.85rem;cursor:pointer;padding:.25rem .5rem;border:1px solid #b9bcc4;
  border-radius:4px;background:#fff;color:inherit;text-align:left}
.chapters button[aria-current]{background:#1b1d22;color:#fff;border-color:#1b1d22}
.transcript form{display:flex;flex-wrap:wrap;gap:.3rem;align-items:center;margin:.3rem 0}
.transcript input{font:inherit;flex:1 1 8rem;min-width:0;padding:.25rem .4rem}
.transcript button{font:inherit}
.transcript output{flex-basis:100%;font-size:.85rem;color:#5f6368;min-height:1.2em}
.lines{position:relative;max-height:45vh;overflow-y:auto;border:1px solid #ddd;border-radius:4px;padding:.2rem .6rem;
  background:#fff}
@media (min-width:64rem){.lines{max-height:min(70vh,34rem)}}
.lines h3[aria-current]{color:#a35f00} .lines p{margin:.2rem 0 .8rem}
.line{cursor:pointer;border-radius:3px} .line:hover{background:#eef2f8} .line.now{background:#ffe8a8}
mark{background:#ffd34d;color:inherit} mark.at{outline:2px solid #a35f00}
.scene{display:grid;grid-template-columns:minmax(0,1fr);gap:.6rem 1rem;border-top:1px solid #ddd;padding:1rem 0}
@media (min-width:40rem){.scene{grid-template-columns:16rem minmax(0,1fr)}}
.scene img{display:block;width:100%;max-width:24rem;height:auto;border-radius:4px;background:#14161c}
.clips{font-size:.9rem;padding-left:1.4rem;margin:.3rem 0} .clips li{break-inside:avoid}
@media (min-width:60rem){.clips{columns:2}}
.try{border-top:1px solid #ddd;padding:.6rem 0}
small{color:#5f6368} .note{background:#fff4d6;border-left:4px solid #e3a21a;padding:.4rem .6rem;margin:.4rem 0}
"""

#: Captions, transcript, search, chapters and seeking links; written for Chromium, Firefox and Safari (no build step).
SCRIPT = r"""
(() => {
"use strict";
const data = JSON.parse(document.getElementById("lecture-data").textContent);
const video = document.getElementById("lecture");
const box = document.getElementById("transcript-lines");
const lines = [...document.querySelectorAll("#transcript-lines .line")];
const starts = lines.map(l => Number(l.dataset.start));
const texts = lines.map(l => l.textContent);
const chapterButtons = [...document.querySelectorAll(".chapters button")];
const chapterHeads = [...document.querySelectorAll("#transcript-lines h3")];
const chapterStarts = chapterButtons.map(b => Number(b.dataset.start));

// One caption track, from the page's data: a <track> file is not read from file:// (and two would double the cues)
for (const t of video.querySelectorAll('track[kind="captions"]')) t.remove();
const track = video.addTextTrack("captions", "English", "en");
const cueText = s => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");  // VTTCue reads markup
for (const [a, b, text] of data.cues) track.addCue(new VTTCue(a, b, cueText(text)));
track.mode = "showing";

const clock = t => `${Math.floor(t / 60)}:${String(Math.floor(t % 60)).padStart(2, "0")}`;
function lastAtOrBefore(list, t) {  // index of the last start <= t (list ascending), -1 if none
  let lo = 0, hi = list.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] <= t + 0.01) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

let touched = 0;  // when the reader last scrolled the transcript: do not pull it away from them
for (const kind of ["wheel", "touchmove"]) box.addEventListener(kind, () => { touched = Date.now(); }, {passive: true});
function reveal(el, always) {  // scroll the transcript (not the page) so that el is in view
  if (!always && Date.now() - touched < 4000) return;
  const top = el.offsetTop, bottom = top + el.offsetHeight;
  if (top < box.scrollTop || bottom > box.scrollTop + box.clientHeight) box.scrollTop = top - box.clientHeight / 3;
}

let roving = 0;  // the one sentence in the Tab order; arrows move between sentences
function setRoving(i, focus) {
  if (!lines.length) return;
  lines[roving].tabIndex = -1;
  roving = i;
  lines[i].tabIndex = 0;
  if (focus) lines[i].focus();
}

let current = -1, chapter = -2;
function follow() {
  const t = video.currentTime, i = lastAtOrBefore(starts, t), c = lastAtOrBefore(chapterStarts, t);
  if (i !== current) {
    if (current >= 0) lines[current].classList.remove("now");
    current = i;
    if (i >= 0) {
      lines[i].classList.add("now");
      if (!box.contains(document.activeElement)) setRoving(i, false);
      reveal(lines[i], false);
    }
  }
  if (c !== chapter) {
    chapter = c;
    for (const list of [chapterButtons, chapterHeads])
      list.forEach((el, k) => k === c ? el.setAttribute("aria-current", "true") : el.removeAttribute("aria-current"));
  }
}
video.addEventListener("timeupdate", follow);
video.addEventListener("seeked", follow);

function seek(t) {
  video.currentTime = t;
  follow();
  const playing = video.play();
  if (playing) playing.catch(() => {});  // autoplay refused: the player is still at t
}

box.addEventListener("click", e => {
  const line = e.target.closest(".line");
  if (line) { setRoving(lines.indexOf(line), false); seek(Number(line.dataset.start)); }
});
box.addEventListener("keydown", e => {
  const line = e.target.closest(".line");
  if (!line) return;
  const i = lines.indexOf(line);
  const to = {ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: lines.length - 1}[e.key];
  if (e.key === "Enter" || e.key === " ") seek(Number(line.dataset.start));
  else if (to !== undefined) setRoving(Math.max(0, Math.min(lines.length - 1, to)), true);
  else return;
  e.preventDefault();
});

// Search: every match marked (text nodes only: the query never becomes markup); Enter jumps to the next one
const form = document.getElementById("search"), input = document.getElementById("search-words");
const status = document.getElementById("search-status");
let hits = [], hit = -1, searched = "";
function mark(i, pattern) {
  const line = lines[i], text = texts[i];
  line.textContent = "";
  let from = 0;
  if (pattern) for (const m of text.matchAll(pattern)) {
    line.append(text.slice(from, m.index));
    const el = document.createElement("mark");
    el.textContent = m[0];
    line.append(el);
    from = m.index + m[0].length;
  }
  line.append(text.slice(from));
}
function find() {
  searched = input.value;
  const words = input.value.trim().split(/\s+/).filter(Boolean);
  const literal = w => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = words.length ? new RegExp(words.map(literal).join("\\s+"), "giu") : null;  // the words, any spacing
  hits = [];
  texts.forEach((text, i) => {
    const found = pattern !== null && text.search(pattern) >= 0;
    if (found || lines[i].firstElementChild) mark(i, found ? pattern : null);
    if (found) hits.push(i);
  });
  hit = -1;
  status.textContent = !pattern ? "" : hits.length ? `${hits.length} found: press Enter to go to each` : "not found";
  if (hits.length) reveal(lines[hits[0]], true);
}
input.addEventListener("input", find);
form.addEventListener("submit", e => {
  e.preventDefault();
  if (input.value !== searched) find();
  if (!hits.length) return;
  hit = (hit + 1) % hits.length;
  const line = lines[hits[hit]];
  for (const m of box.querySelectorAll("mark.at")) m.classList.remove("at");
  line.querySelector("mark").classList.add("at");
  reveal(line, true);
  setRoving(hits[hit], false);
  seek(Number(line.dataset.start));
  status.textContent = `${hit + 1} of ${hits.length}, at ${clock(starts[hits[hit]])}`;
});
form.hidden = false;

for (const b of chapterButtons) b.addEventListener("click", () => seek(Number(b.dataset.start)));
// "In the lecture at 0:17" and the thumbnails: the inline player, unless the reader asks for a new tab or the file
for (const a of document.querySelectorAll("a[data-seek]")) a.addEventListener("click", e => {
  if (e.button || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  seek(Number(a.dataset.seek));
  video.scrollIntoView({block: "nearest"});
  video.focus({preventScroll: true});
});

// The player's keys, as video sites have them: space or k plays and pauses, arrows step 5 s, c shows the captions
video.addEventListener("keydown", e => {
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  const step = {ArrowLeft: -5, ArrowRight: 5}[e.key];
  if (e.key === " " || e.key === "k") {
    if (video.paused) video.play().catch(() => {}); else video.pause();
  } else if (step !== undefined) {
    const end = Number.isFinite(video.duration) ? video.duration : Infinity;
    video.currentTime = Math.max(0, Math.min(end, video.currentTime + step));
  } else if (e.key === "c") {
    track.mode = track.mode === "showing" ? "hidden" : "showing";
  } else return;
  e.preventDefault();
});
// A server that answers no byte ranges (python -m http.server) leaves a video unseekable: say so, once
video.addEventListener("loadedmetadata", () => {
  const s = video.seekable;
  if (video.duration > 0 && !(s.length && s.end(s.length - 1) > 0))
    document.getElementById("no-seek").hidden = false;
});
follow();
})();
"""
