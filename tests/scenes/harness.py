"""Run a lecture scene without rendering video and record what it shows.

The scene runs under manim's dry run with animations skipped (each play jumps
to its end). After every play and at every pause we note the text on screen and,
for mobjects a scene tagged with the mathcore field they show (scenes.components.fields),
which text each field had; at every pause and at the end we run the layout check (and, for the scenes
of EVERY_PLAY, the text rules after every play too: a label out of the frame mid-slide is seen as well).
"""
from __future__ import annotations

import copy
import functools
import hashlib
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from manim import Animation, AnimationGroup, FadeIn, Indicate, Mobject, tempconfig

from mathcore import config
from mathcore.display import fmt
from mathcore.output import atomic_path
from scenes import captions, voice
from scenes.components.fields import field_of
from scenes.manim_patches import locked
from scenes.pipeline import layout_check

#: Scenes whose text stays inside the frame and off other text after every animation, not only at pauses.
EVERY_PLAY = frozenset({"ForwardPass", "BackwardPass", "ComputeTree", "GradientDescentUpdate", "SignsOfTrouble"})
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
# Subscripts, superscripts and the names of things are not numbers the scene shows.
NOT_NUMBERS = re.compile(r"_\{[^{}]*\}|_[0-9A-Za-z]|\^\{[^{}]*\}|\^[0-9A-Za-z]|\\[A-Za-z]+|(?<![\d.])[A-Za-z_]+[0-9]+")


def inputs_key() -> tuple:
    """What a dry run reads besides the scene's code: the config named by $LECTURE_CONFIG and every file beside
    it or below (captions, data tables), the lecture's environment variables and the voice in use."""
    path = Path(os.environ.get(config.ENV_VAR) or config.DEFAULT_CONFIG)
    files = hashlib.sha256()
    for f in sorted(p for p in path.parent.rglob("*") if p.is_file()):
        files.update(f.relative_to(path.parent).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    env = tuple(sorted((k, v) for k, v in os.environ.items()
                       if k.startswith(("LECTURE_", "MATHCORE_")) and k != config.ENV_VAR))  # its path: above
    return path.name, files.hexdigest(), env, repr(voice.chosen()), voice.say


def _code_of(arg) -> object:
    """A scene class by what its classes hold: a test that patches a method (monkeypatch) gets its own run."""
    if isinstance(arg, type):
        return arg, tuple((k, id(v)) for c in arg.__mro__ for k, v in vars(c).items())
    return arg


#: The folder where one pytest run's worker processes share their dry runs (set per run by tests/conftest.py).
SHARED_RUNS = "LECTURE_TEST_DRY_RUNS"
#: Each scene class's attributes as collected, before a test could patch one (tests/conftest.py, at the start).
_PRISTINE: dict[type, tuple] = {}


def _attributes(cls: type) -> tuple:
    return tuple((k, id(v)) for c in cls.__mro__ for k, v in vars(c).items())


def remember_pristine(classes) -> None:
    for cls in classes:
        _PRISTINE[cls] = _attributes(cls)


def _shared_name(args) -> str | None:
    """The name every worker gives this run, or None if another process could not know it is the same run:
    no scene class among the arguments (a function that reads its scene as a global), a scene class a test
    made or patched, a stand-in voice, or no folder to share in."""
    if not os.environ.get(SHARED_RUNS) or voice.say.__module__ != voice.__name__:
        return None
    if not any(isinstance(arg, type) for arg in args):
        return None
    parts = []
    for arg in args:
        if isinstance(arg, type) and _PRISTINE.get(arg) == _attributes(arg):
            parts.append(f"{arg.__module__}.{arg.__qualname__}")
        elif isinstance(arg, str):
            parts.append(arg)
        else:
            return None
    return hashlib.sha256(repr((parts, inputs_key()[:-1])).encode()).hexdigest()[:32]


def once(fn, *, across_workers: bool = True):
    """``fn`` (a dry run and what it recorded) runs once per set of inputs (``inputs_key``) in a pytest worker,
    and once in a whole run for a collected, unpatched scene class (the workers share it on disk, the first to
    ask making it while the others wait); tests that look at the same dry run in different ways share it.
    ``across_workers=False``: once per worker only (a result that holds the scene, which cannot be pickled).
    A run that raised is not kept."""
    memo: dict = {}

    @functools.wraps(fn)
    def run(*args):
        key = (tuple(map(_code_of, args)), inputs_key())
        if key not in memo:
            memo[key] = _shared(fn, args) if across_workers else fn(*args)
        return memo[key]

    return run


def _shared(fn, args):
    name = _shared_name(args)
    if name is None:
        return fn(*args)
    folder = Path(os.environ[SHARED_RUNS])
    name = f"{fn.__module__}.{fn.__qualname__}-{name}"  # two functions of one name in two modules: two runs
    kept = folder / f"{name}.pickle"
    with locked(folder / f"{name}.lock"):
        if kept.exists():
            return pickle.loads(kept.read_bytes())
        result = fn(*args)
        with atomic_path(kept) as tmp:
            tmp.write_bytes(pickle.dumps(result))
    return result


@dataclass
class Shown:
    texts: set[str] = field(default_factory=set)
    beats: int = 0
    problems: list[str] = field(default_factory=list)
    #: (start, end, text) of every subcaption, in seconds, and the scene's length.
    captions: list[tuple[float, float, str]] = field(default_factory=list)
    duration: float = 0.0
    #: mathcore field -> every text a mobject tagged with it showed.
    fields: dict[str, set[str]] = field(default_factory=dict)
    #: The texts on screen at each pause, in order (what a student reads there).
    pauses: list[set[str]] = field(default_factory=list)
    #: The scene's time (s) at each pause: how long each slide is shown.
    pause_times: list[float] = field(default_factory=list)

    @property
    def numbers(self) -> set[str]:
        return {token for text in self.texts for token in numbers_in(text)}


def numbers_in(text: str) -> list[str]:
    # 1.2 \times 10^{-5} is how mathcore.display.tex writes 1.2e-5: read it back as one number.
    text = re.sub(r"\s*\\times\s*10\^\{(-?\d+)\}", r"e\1", text.replace("−", "-"))
    return NUMBER.findall(NOT_NUMBERS.sub(" ", text))


def text_of(m) -> str:
    return getattr(m, "tex_string", None) or getattr(m, "original_text", None) or getattr(m, "text", "")


def dry_config(quality: str = "low_quality"):
    """manim's config during a dry run (frame size, frame rate): observers of kept pauses look under it too."""
    return tempconfig({"quality": quality, "dry_run": True, "disable_caching": True, "progress_bar": "none",
                       "verbosity": "WARNING"})


def dry_scene(scene_cls, quality: str = "low_quality"):
    """The scene after a dry run with animations skipped (each play jumps to its end) and no frame painted:
    nothing here reads pixels, yet manim paints every play's frame even when skipping, a third of a dry run."""
    with dry_config(quality):
        scene = scene_cls(skip_animations=True)
        scene.renderer.update_frame = lambda *args, **kwargs: None
        scene.render()
    return scene


def indicated(animations) -> list:
    """The mobjects an animation (or group of them) lights up."""
    out = []
    for a in animations:
        if isinstance(a, Indicate):
            out.append(a.mobject)
        elif isinstance(a, AnimationGroup):
            out += indicated(a.animations)
    return out


#: Scenes whose tests look at the mobjects on screen at each pause (``run_dry``'s observers): their recordings keep
#: a copy of the screen at every pause (``Paused``), which costs 5-20 % of a dry run, so the tests share one run.
#: An observer of a scene not listed here gets a dry run of its own, as before.
PAUSES_KEPT = frozenset({"ForwardPass", "BackwardPass", "ComputeTree", "GradientDescentUpdate", "SignsOfTrouble",
                         "ReluTransform", "LocalMinima", "ActivationPlayground"})


class Paused:
    """A scene as it stood at one pause (or at its end), for an observer run after the dry run: its mobjects and
    every attribute that holds mobjects (itself, in a list or dict, or in an object's attributes, as
    ``scene.descent.tangent``) are copied together, so ``scene.plane`` is still among ``scene.mobjects`` as it
    was; other lists, dicts and sets are copied as they stood; anything else is the scene's own, as it ended.
    ``renderer.time`` is the pause's time."""

    def __init__(self, scene):
        memo: dict = {}
        for name, value in vars(scene).items():
            if name in ("renderer", "mobjects"):
                continue
            if next(held_mobjects(value), None) is not None:
                value = copy.deepcopy(value, memo)
            elif isinstance(value, (list, dict, set)):
                value = copy.copy(value)
            setattr(self, name, value)
        self.mobjects = copy.deepcopy(scene.mobjects, memo)
        self.camera = scene.camera
        self.renderer = SimpleNamespace(time=scene.renderer.time, camera=scene.renderer.camera)


def held_mobjects(value, path: str = "", depth: int = 0):
    """(path, mobject) for every mobject ``value`` holds: itself, or in a list, tuple, set, dict or plain object's
    attributes, at most two levels down; not through an animation (its mobjects are on screen)."""
    if isinstance(value, Mobject):
        yield path, value
        return
    if depth >= 2 or callable(value) or isinstance(value, Animation):
        return
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = enumerate(value)
    elif isinstance(getattr(value, "__dict__", None), dict):
        items = vars(value).items()
    else:
        return
    for key, item in items:
        yield from held_mobjects(item, f"{path}.{key}", depth + 1)


@dataclass
class Recording:
    """One dry run, as the tests look at it: what the screen showed (``shown``), each highlight's (start, texts
    lit), each fade-in's (start, texts), the texts a highlight left invisible, and the scene as it ended; each
    highlight's (start, mobject lit), when each tagged field first stood on screen after a play, when each beat
    started, and for the scenes of PAUSES_KEPT the screen at every pause and at the end (``Paused``)."""
    shown: Shown
    flashes: list[tuple[float, set[str]]]
    appearances: list[tuple[float, set[str]]]
    left_hidden: set[str]
    scene: object
    lit: list[tuple[float, object]] = field(default_factory=list)
    first_seen: dict[str, float] = field(default_factory=dict)
    beat_starts: dict[str, list[float]] = field(default_factory=dict)
    paused: list[Paused] = field(default_factory=list)


def record(scene_cls, quality: str = "low_quality", observers=()) -> Recording:
    """Run ``scene_cls`` dry and record it. ``observers``: more callables run with the scene at every pause
    and at the end."""
    shown = Shown()
    plays = [0]
    flashes: list[tuple[float, set[str]]] = []
    appearances: list[tuple[float, set[str]]] = []
    hidden: set[str] = set()
    lit: list[tuple[float, object]] = []
    first_seen: dict[str, float] = {}
    beat_starts: dict[str, list[float]] = {}
    paused: list[Paused] = []

    def note(scene) -> None:
        for m in layout_check.text_mobjects(scene.mobjects):
            shown.texts.add(text_of(m))
        for m in (m for top in scene.mobjects for m in top.get_family()):
            if (name := field_of(m)) is not None:
                shown.fields.setdefault(name, set()).add(text_of(m))

    def beat(scene) -> None:
        note(scene)
        shown.pauses.append({text_of(m) for m in layout_check.text_mobjects(scene.mobjects)})
        shown.pause_times.append(scene.renderer.time)
        shown.beats += 1
        shown.problems += [f"beat {shown.beats}: {p}" for p in layout_check.check(scene.mobjects)]
        if scene_cls.__name__ in PAUSES_KEPT:
            paused.append(Paused(scene))

    base_play = scene_cls.play

    def play(self, *animations, **kwargs):
        lights = indicated(animations)
        for m in lights:
            lit.append((self.renderer.time, m))
            flashes.append((self.renderer.time, {text_of(part) for part in m.get_family()} - {""}))
        for a in animations:
            if isinstance(a, FadeIn):
                appearances.append((self.renderer.time, {text_of(m) for m in a.mobject.get_family()} - {""}))
        base_play(self, *animations, **kwargs)
        for m in lights:
            hidden.update(text_of(part) or type(part).__name__ for part in m.family_members_with_points()
                          if max(part.get_fill_opacity(), part.get_stroke_opacity()) < 0.5)
        note(self)
        for m in (m for top in self.mobjects for m in top.get_family()):
            if (name := field_of(m)) is not None and name not in first_seen:
                first_seen[name] = self.renderer.time
        plays[0] += 1
        if scene_cls.__name__ in EVERY_PLAY:
            shown.problems += [f"after play {plays[0]} (beat {shown.beats + 1}): {p}"
                               for p in layout_check.check_texts(self.mobjects)]

    def started(name: str, method):
        def run(self, *args, **kwargs):
            beat_starts.setdefault(name, []).append(self.renderer.time)
            return method(self, *args, **kwargs)
        return functools.wraps(method)(run)

    beats = {name: started(name, getattr(scene_cls, name)) for name in captions.beats_of(scene_cls)}
    observed = type(scene_cls.__name__, (scene_cls,),
                    {"play": play, "beat_observers": [beat, *observers], **beats})
    scene = dry_scene(observed, quality)
    shown.captions = [(c.start.total_seconds(), c.end.total_seconds(), c.content)
                      for c in scene.renderer.file_writer.subcaptions]
    shown.duration = scene.renderer.time
    # Every dry run also checks the scene's captions: they must cover it and be readable.
    shown.problems += [f"captions: {p}" for p in captions.coverage_problems(shown.captions, shown.duration)]
    return Recording(shown, flashes, appearances, hidden, scene, lit, first_seen, beat_starts, paused)


#: ``record`` once per worker and inputs (``once``): the tests that read what the screen showed, the highlights
#: and the fade-ins of one scene under one config share a single dry run.
recorded = once(record, across_workers=False)


def run_dry(scene_cls, quality: str = "low_quality", observers=()) -> Shown:
    """What the screen showed in a dry run (``record``), from the worker's shared recording: ``observers`` are
    run with the screen as it stood at each pause and at the end (``Paused``; a scene not in PAUSES_KEPT gets a
    run of its own for them). A test that needs the run's side effects (files it read, say) runs ``dry_scene``
    or ``record`` itself."""
    if quality != "low_quality" or (observers and scene_cls.__name__ not in PAUSES_KEPT):
        return record(scene_cls, quality, observers).shown
    recording = recorded(scene_cls)
    with dry_config(quality):  # as the observers would have looked during the run
        for pause in recording.paused:
            for observe in observers:
                observe(pause)
    return recording.shown


#: ``run_dry`` shared by the tests of a worker that ask with the same inputs (``once``): for tests that only read
#: what it returns and need no side effect of the run.
shared_dry_run = once(run_dry)


def check(shown: Shown, must: set[str], may: set[str] | None = None, left_over: set[str] = frozenset(),
          beats: int = 0, numbers: set[str] | None = None) -> None:
    """The scene showed every number of ``must``; with ``may``, no number outside ``must | may``; none of
    ``left_over`` (the shipped config's) that those do not allow; at least ``beats`` beats; and the layout
    and caption checks found no problem. ``numbers``: what the scene showed, if not ``shown.numbers``."""
    numbers = shown.numbers if numbers is None else numbers
    assert must <= numbers, f"missing: {sorted(must - numbers)}"
    if may is not None:
        assert numbers <= must | may, f"not from mathcore: {sorted(numbers - must - may)}"
    leftovers = (left_over - must - (may or set())) & numbers
    assert not leftovers, f"numbers of the shipped config left over: {sorted(leftovers)}"
    assert shown.beats >= beats, f"only {shown.beats} beats"
    assert not shown.problems, "\n".join(shown.problems)


def check_fields(shown: Shown, expected: dict[str, float]) -> None:
    """Every field of ``expected`` (mathcore's values, by field name) was shown, and every tagged number on
    screen is its own field's value as mathcore.display writes it: a value on another's line fails."""
    missing = sorted(set(expected) - set(shown.fields))
    assert not missing, f"fields never shown: {missing}"
    wrong = []
    for name, texts in sorted(shown.fields.items()):
        assert name in expected, f"a mobject tagged {name!r}, a field the test does not know"
        want = float(fmt(expected[name]))
        for text in texts:
            got = [float(t) for t in numbers_in(text)]
            if got != [want]:
                wrong.append(f"{name} showed {text!r}, mathcore has {fmt(expected[name])}")
    assert not wrong, "\n".join(wrong)
