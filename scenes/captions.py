"""Captions and speaker notes: one text per beat, from ``captions.toml`` beside the lecture config.

A scene's beats are the methods it marks ``@beat`` (:func:`beat`); ``construct()`` calls them
between pauses. Each beat's text is what the lecturer says; ``{name}`` in it is a value the
scene gives from mathcore (scenes/narration.py). While a scene runs, each beat becomes
subcaptions over exactly the time it took: with a voice, each sentence shows while it is
spoken; silent, each for a share of the beat proportional to its length. The captions of the
beats that played between two pauses become that slide's speaker notes.

The file has one table per scene and one key per beat::

    [ForwardPass]
    show_network = "A chain of three neurons ..."
"""
from __future__ import annotations

import functools
import re
import stat
import tomllib
from pathlib import Path

from mathcore import config as lecture_config
from mathcore.errors import ConfigError
from scenes import narration, order

FILE_NAME = "captions.toml"
#: A subtitle line longer than this is split after a comma or at a space (a longer word stays whole).
MAX_LINE = 90
#: Reading speed of subtitles (characters per second); a beat shorter than its caption is held.
READING_RATE = 17.0
#: Control characters a caption may hold: the whitespace every line is folded from (a TOML line break, a tab).
WHITESPACE = re.compile("[\t\n\r]")
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=(?:\[\[\w+\]\]\s*)?[A-Z0-9\"'(“])")  # a mark may open a sentence


def captions_path() -> Path:
    """``captions.toml`` beside the config in use, else the shipped one."""
    here = lecture_config.config_path().parent / FILE_NAME
    return here if here.exists() else lecture_config.DEFAULT_CONFIG.parent / FILE_NAME


@functools.cache
def _load(path: Path, mtime: float) -> dict[str, dict[str, str]]:
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block the read forever
            raise ConfigError(path, "captions", "a regular file (not a FIFO, device or folder)")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as err:
        raise ConfigError(path, "captions", "UTF-8 text", f"byte {err.object[err.start]:#04x} at {err.start}") from None
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(path, "captions", "a readable TOML file", str(err)) from None
    for scene, beats in data.items():
        if not isinstance(beats, dict) or not all(isinstance(v, str) for v in beats.values()):
            raise ConfigError(path, f"[{scene}]", 'beat = "caption text" lines')
        for name, text in beats.items():  # a NUL failed the voice mid-render; ESC and U+202E went into the outputs
            if found := lecture_config.control_character(WHITESPACE.sub(" ", text)):
                raise ConfigError(path, f"[{scene}] {name}", f"a caption without control characters ({found})",
                                  text)
            if "-->" in text:  # FFmpeg's .srt reader took "00:00:09,000 --> 00:00:10,000 is ..." for a cue's times
                raise ConfigError(path, f"[{scene}] {name}", "a caption without '-->', which subtitle files keep for "
                                  "a cue's times (write → instead)", text)
    return data


def load(path: Path | None = None) -> dict[str, dict[str, str]]:
    """Every scene's captions, {scene: {beat: text}}."""
    path = path or captions_path()
    return _load(path, path.stat().st_mtime if path.exists() else 0.0)


def check(cls: type) -> None:
    """Refuse, in one line, captions the scene cannot play (before it renders): no table for a scene of
    the lecture, a beat with no caption or a caption for no beat, or a ``{name}`` the scene does not give.
    A captions.toml beside the config replaces the shipped one whole, so a scene it leaves out would be silent."""
    path, name = captions_path(), cls.__name__
    own = load(path).get(name)
    if own is None:
        if name in order.names():  # scenes outside the lecture (tests, the bench's floor) may have none
            raise ConfigError(path, f"[{name}]", "a table (the scene is missing; this file replaces the shipped "
                              "captions.toml, so it needs every scene of the lecture)")
        return
    beats = beats_of(cls)
    for beat in beats:
        if beat not in own:
            raise ConfigError(path, f"[{name}] {beat}", "a caption (the beat is missing)")
    for beat, text in own.items():
        if beat not in beats:
            raise ConfigError(path, f"[{name}] {beat}", f"one of the scene's beats ({', '.join(beats)})",
                              "unknown beat")
        narration.check(text, cls.NARRATION | colour_words(), f"{path} [{name}] {beat}")


def colour_words() -> frozenset[str]:
    """The ``{<role>_colour}`` placeholders every scene gives (imported here, not at the top: a module that holds
    the theme is one theme.use() refuses to follow)."""
    from scenes import theme

    return theme.COLOUR_WORDS


def beat(method):
    """Declare a scene method a beat: it is captioned (and spoken) by the caption of its name, from its start,
    and lasts at least as long as its speech. ``construct()`` is a list of beats and ``next_slide()`` pauses."""
    method.is_beat = True
    return method


def beats_of(cls: type) -> list[str]:
    """The beats a scene declares (its ``@beat`` methods and those it inherits), in the order they are defined."""
    names: dict[str, None] = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if getattr(value, "is_beat", False):
                names[name] = None
    return list(names)


#: A mark in a caption, ``[[z1]]`` before the word it names: the scene can move a thing as that word is
#: spoken (``LectureScene.until`` / ``at``). Marks are never shown or spoken.
MARK = re.compile(r"\[\[([A-Za-z_][A-Za-z0-9_]*)\]\]\s*")


def unmarked(text: str) -> str:
    """The text as shown and spoken: its marks removed."""
    return MARK.sub("", text)


def marks_of(sentence: str) -> list[tuple[str, str]]:
    """Each mark of a sentence and the (unmarked) text spoken before its word, in order."""
    return [(m.group(1), " ".join(unmarked(sentence[:m.start()]).split())) for m in MARK.finditer(sentence)]


def sentences(text: str) -> list[str]:
    """The sentences of a text (each is synthesized, cached and timed on its own)."""
    return [s for s in SENTENCE_END.split(" ".join(text.split())) if s]


def lines_of(text: str) -> list[str]:
    """The text as subtitle lines: sentences, long ones split near the middle after a comma, else at a space.

    Every cut is at a space, so the lines joined by spaces are the text with its whitespace normalised,
    and each cut leaves two shorter non-empty parts, so any text splits. A word longer than MAX_LINE
    stays whole on its own line (a player wraps it; cutting it would change what it says)."""
    lines = []
    for sentence in sentences(text):
        pending = [sentence]
        while pending:
            line = pending.pop(0)
            spaces = [i for i, ch in enumerate(line) if ch == " "]
            if len(line) <= MAX_LINE or not spaces:
                lines.append(line)
                continue
            middle = len(line) // 2
            cuts = [i for i in spaces if line[i - 1] == ","] or spaces
            cut = min(cuts, key=lambda i: abs(i - middle))
            pending[:0] = [line[:cut], line[cut + 1:]]
    return lines


def reading_time(text: str) -> float:
    """Seconds a viewer needs to read ``text`` at READING_RATE."""
    return len(" ".join(unmarked(text).split())) / READING_RATE


def timed(text: str, start: float, end: float) -> list[tuple[float, float, str]]:
    """The lines of ``text`` spread over [start, end], each for a share proportional to its length."""
    lines = lines_of(text)
    total = sum(len(line) for line in lines)
    out, t = [], start
    for line in lines:
        step = (end - start) * len(line) / total
        out.append((t, t + step, line))
        t += step
    return out


class SlideLog:
    """While a scene runs: which beats play on which slide, and each slide's notes (the captions of its beats).

    A beat may pause inside itself (one slide per classifier, say); the slide after such a pause
    goes on with that beat, so its notes hold that beat's caption too.
    """

    def __init__(self, own: dict[str, str]):
        self.own = own
        self.now: str | None = None  # the running beat
        self.current: list[str] = []  # beats on the slide being played
        self.slides: list[list[str]] = []  # finished slides

    def notes(self) -> str:
        """The captions of the beats on the slide being played."""
        return "\n\n".join(self.own[b] for b in self.current if b in self.own)

    def start(self, name: str) -> None:
        self.now = name
        self.current.append(name)

    def end(self) -> None:
        self.now = None

    def pause(self, played: bool) -> str:
        """A pause: the slide so far is done (if anything played on it); returns its notes."""
        notes = self.notes()
        if played and self.current:
            self.slides.append(self.current)
        self.current = [self.now] if self.now is not None else []  # paused inside a beat: it goes on
        return notes


#: The longest stretch of a scene with no caption on screen, in seconds.
MAX_GAP = 3.0


def coverage_problems(spans: list[tuple[float, float, str]], duration: float, max_gap: float = MAX_GAP) -> list[str]:
    """What is wrong with a scene's subcaptions [(start, end, text)] over ``duration`` seconds."""
    spans = sorted(spans)
    if not spans:
        return ["no captions"]
    problems = []
    if spans[0][0] > max_gap:
        problems.append(f"no caption for the first {spans[0][0]:.1f} s")
    if duration - spans[-1][1] > max_gap:
        problems.append(f"no caption for the last {duration - spans[-1][1]:.1f} s")
    for (_, e0, _), (s1, _, _) in zip(spans, spans[1:]):
        if s1 < e0 - 1e-6:
            problems.append(f"captions overlap at {s1:.2f} s")
        elif s1 - e0 > max_gap:
            problems.append(f"no caption from {e0:.1f} s to {s1:.1f} s")
    for start, end, text in spans:
        if len(text) / max(end - start, 1e-9) > READING_RATE + 0.5:
            problems.append(f"{text!r} is on screen only {end - start:.1f} s")
    return problems
