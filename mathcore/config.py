"""Load and validate the lecture's config (``assets/lecture.toml``).

Every bad value becomes one ConfigError naming the file, the key and what was
expected. A user's file may leave out sections or keys: they fall back to the
shipped defaults, so a lecturer's config only has to say what differs.
"""
from __future__ import annotations

import math
import os
import re
import stat
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_type_hints

from .closure import json_digest
from .errors import ConfigError
from .expression import Program, parse_steps

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = REPO_ROOT / "assets" / "lecture.toml"
ENV_VAR = "LECTURE_CONFIG"
ACTIVATIONS = ("relu", "sigmoid", "tanh", "linear")
#: The optimisers of the lecture (mathcore/optim.py steps them; [optim] race names them).
OPTIMISERS = ("gd", "sgd", "minibatch", "momentum", "adam")

Check = Callable[[Any], Any]  # returns the cleaned value or raises ValueError(expected)
Floats = tuple[float, ...]  # a list of numbers, as validated
Pair = tuple[float, float]  # [low, high] or [x, y]


class Expected(ValueError):
    """Raised by a check: a value did not fit; carries what was expected and what was found."""

    def __init__(self, expected: str, got: object = ...):
        super().__init__(expected)
        self.expected, self.got = expected, _shown(got)


def _shown(got: object) -> object:
    """``got`` as a one-line error shows it: an integer too large for a float64 by its size, not its digits."""
    if isinstance(got, list):
        return [_shown(v) for v in got]
    if isinstance(got, dict):
        return {k: _shown(v) for k, v in got.items()}
    if isinstance(got, int) and got.bit_length() > 1024:
        return _digits(got)
    return got


def _digits(value: int) -> str:
    return f"an integer of {len(str(abs(value)))} digits"


def number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Expected("a number", value)
    try:  # TOML integers have any size; a float64 holds up to 1.8e308
        value = float(value)
    except OverflowError:
        raise Expected(f"a number of at most 1.8e308 in size, not {_digits(value)}") from None
    if not math.isfinite(value):
        raise Expected("a finite number", value)
    return value


def number_list(min_len: int = 1, max_len: int | None = None) -> Check:
    return list_of(number, min_len, max_len, what="numbers")


def integer(low: int, high: int) -> Check:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise Expected(f"a whole number from {low} to {high}", value)
        return value

    return check


def positive(value: Any) -> float:
    value = number(value)
    if value <= 0:
        raise Expected("a number above 0", value)
    return value


def non_negative(value: Any) -> float:
    value = number(value)
    if value < 0:
        raise Expected("a number of at least 0", value)
    return value


def in_range(low: float, high: float, *, open_high: bool = False) -> Check:
    def check(value: Any) -> float:
        value = number(value)
        if not (low <= value and (value < high if open_high else value <= high)):
            raise Expected(f"a number in [{low}, {high}{')' if open_high else ']'}", value)
        return value

    return check


def list_of(item: Check, min_len: int = 1, max_len: int | None = None, what: str = "items") -> Check:
    def check(value: Any) -> tuple:
        span = f"{min_len} to {max_len}" if max_len else f"at least {min_len}"
        if not isinstance(value, list) or not (min_len <= len(value) <= (max_len or len(value))):
            raise Expected(f"a list of {span} {what}", value)
        out = []
        for v in value:
            try:
                out.append(item(v))
            except Expected as exc:
                raise Expected(f"a list of {span} {what}, each {exc.expected}", value) from None
        return tuple(out)

    return check


def increasing(check: Check, what: str) -> Check:
    """``check``, then the values must be strictly increasing."""

    def inner(value: Any) -> tuple:
        values = check(value)
        if any(a >= b for a, b in zip(values, values[1:])):
            raise Expected(what, value)
        return values

    return inner


interval = increasing(number_list(2, 2), "two numbers [low, high] with low < high")


def choice(options: tuple[str, ...]) -> Check:
    def check(value: Any) -> str:
        if value not in options:
            raise Expected("one of " + ", ".join(options), value)
        return value

    return check


#: C0 and C1 control characters (Unicode category Cc), tab and newline included: on screen they draw nothing or
#: cut a line, and Pango renders a string with a NUL as nothing at all; and the bidirectional embeddings,
#: overrides and isolates and the line and paragraph separators, which reorder or break unseen the text
#: wherever it is shown (U+202E shows "abc" as "cba" in the title card, the page and the deck).
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def control_character(value: str) -> str | None:
    """What :data:`CONTROL` finds first in ``value``, said as "control character U+XXXX at character N"."""
    found = CONTROL.search(value)
    return found and f"control character U+{ord(found.group()):04X} at character {found.start() + 1}"


def _no_control(value: str, expected: str) -> str:
    if found := control_character(value):
        raise Expected(f"{expected} without control characters ({found})", value)
    return value


def text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise Expected("a string of at most 200 characters", value)
    return _no_control(value, "a string")


def string_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Expected("a list of strings", value)
    return tuple(_no_control(v, "strings") for v in value)


@dataclass(frozen=True)
class LectureInfo:
    title: str
    course: str
    year: str
    lecturer: str


@dataclass(frozen=True)
class ChainConfig:
    x: float
    w: tuple[float, ...]
    b: tuple[float, ...]
    activation: str
    exercise_minutes: int
    bias_exercise_minutes: int

    @property
    def layers(self) -> int:
        return len(self.w)


@dataclass(frozen=True)
class TreeConfig:
    steps: tuple[str, ...]
    values: dict[str, float]  # leaf name -> value, in the config file's order
    program: Program = field(compare=False, repr=False)


# Fixed-key sections: key -> check. [tree] has keys named after its leaves.
SCHEMA: dict[str, dict[str, Check]] = {
    "lecture": {"title": text, "course": text, "year": text, "lecturer": text},
    "chain": {
        "x": number,
        "w": number_list(1),  # any depth: a scene that cannot draw more says so (LectureScene.LIMITS)
        "b": number_list(1),
        "activation": choice(ACTIVATIONS),
        "exercise_minutes": integer(1, 60),
        "bias_exercise_minutes": integer(1, 60),
    },
    "tree": {"steps": string_list},
}


def keys_of(section: type) -> dict[str, Check]:
    """A section dataclass's keys and their checks: each field is ``Annotated[type, check]``."""
    return {key: hint.__metadata__[0] for key, hint in get_type_hints(section, include_extras=True).items()}


#: Section name -> its declared frozen dataclass (mathcore/sections/*.py).
SECTION_TYPES: dict[str, type] = {}


def _discover_sections() -> None:
    """Add the sections declared in ``mathcore/sections/*.py`` (one module per lecture part).

    Each module defines ``NAME`` (the TOML section), its frozen dataclass ``<Name>Section`` whose fields are
    ``Annotated[type, check]``, and ``KEYS`` (key -> check) read from it. They import no torch, so validating the
    config stays cheap.
    """
    import importlib
    import pkgutil

    from . import sections

    for info in sorted(pkgutil.iter_modules(sections.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{sections.__name__}.{info.name}")
        SCHEMA[module.NAME] = module.KEYS
        SECTION_TYPES[module.NAME] = getattr(module, "".join(p.title() for p in module.NAME.split("_")) + "Section")


_discover_sections()

if TYPE_CHECKING:
    from .sections.approximation import ApproximationSection
    from .sections.autoencoder import AutoencoderSection
    from .sections.batches import BatchesSection
    from .sections.gd import GdSection
    from .sections.geometry import GeometrySection
    from .sections.manifold import ManifoldSection
    from .sections.minima import MinimaSection
    from .sections.optim import OptimSection
    from .sections.playground import PlaygroundSection
    from .sections.rule_game import RuleGameSection
    from .sections.trouble import TroubleSection
    from .sections.vanishing import VanishingSection


@dataclass(frozen=True)
class LectureConfig:
    path: Path
    raw: dict[str, dict[str, Any]]
    lecture: LectureInfo
    chain: ChainConfig
    tree: TreeConfig
    # every other section as a typed, frozen object of its validated values (lists as tuples):
    # ``cfg.optim.race_adam_lr``, the one way to read config, so grep finds every key's readers
    approximation: ApproximationSection
    autoencoder: AutoencoderSection
    batches: BatchesSection
    gd: GdSection
    geometry: GeometrySection
    manifold: ManifoldSection
    minima: MinimaSection
    optim: OptimSection
    playground: PlaygroundSection
    rule_game: RuleGameSection
    trouble: TroubleSection
    vanishing: VanishingSection

    def digest(self, *sections: str) -> str:
        """A short hash of the named sections (all if none): a cache key that changes with them."""
        names = sections or tuple(sorted(self.raw))
        return json_digest({s: self.raw.get(s) for s in names})


def config_path(path: str | os.PathLike | None = None) -> Path:
    """The file to read: ``path``, else $LECTURE_CONFIG, else the shipped file."""
    if path is None:
        path = os.environ.get(ENV_VAR) or DEFAULT_CONFIG
    return Path(path)


_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket",
          stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device"}


def read_file(path: str | os.PathLike, what: str) -> bytes:
    """The bytes of a file a user names (``what``: "TOML file"); anything but a readable regular file is a
    ConfigError naming it, key ``(file)``.

    Opened without blocking and checked before reading: reading a FIFO or a device would wait forever.
    """

    def refuse(mode: int, reason: str | None = "") -> ConfigError:
        kind = _KINDS.get(stat.S_IFMT(mode), "a special file")
        if stat.S_ISDIR(mode):
            return ConfigError(path, "(file)", f"a {what}, not {kind}")
        if mode and not stat.S_ISREG(mode):
            return ConfigError(path, "(file)", f"a regular {what}, not {kind}")
        return ConfigError(path, "(file)", f"a readable {what} ({reason})")

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise ConfigError(path, "(file)", f"an existing {what}") from None
    except OSError as exc:  # no permission, a file used as a folder, a symlink loop, a socket, ...
        try:
            mode = os.stat(path).st_mode
        except OSError:
            mode = 0
        raise refuse(mode, exc.strerror) from None
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise refuse(mode)
        try:
            return fh.read()
        except OSError as exc:
            raise refuse(0, exc.strerror) from None


def utf8(path: str | os.PathLike, data: bytes, what: str) -> str:
    """``data`` decoded as UTF-8 (a BOM dropped); a byte that is not UTF-8 is a ConfigError naming its line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(path, "(file)", f"a UTF-8 {what} (line {line} is not UTF-8)") from None


def _read(path: Path) -> dict[str, Any]:
    source = utf8(path, read_file(path, "TOML file"), "TOML file")
    try:
        return tomllib.loads(source)
    except ValueError as exc:  # TOMLDecodeError, or an integer of more than 4300 digits
        raise ConfigError(path, "(file)", f"valid TOML ({exc})") from None


def load(
    path: str | os.PathLike | None = None, overrides: dict[str, dict[str, Any]] | None = None
) -> LectureConfig:
    """Read, merge over the shipped defaults, apply ``overrides`` and validate."""
    path = config_path(path)
    user = _read(path)
    defaults = _read(DEFAULT_CONFIG) if path.resolve() != DEFAULT_CONFIG.resolve() else user
    source = str(path)
    for section, value in user.items():
        if section not in SCHEMA:
            raise ConfigError(source, section, "one of the sections " + ", ".join(SCHEMA), "unknown section")
        if not isinstance(value, dict):
            raise ConfigError(source, section, "a [section] table", value)

    merged: dict[str, dict[str, Any]] = {}
    for section in SCHEMA:
        given = dict(user.get(section, {}))
        if section == "tree" and "steps" in given:
            merged[section] = given  # a new tree brings its own leaves
        else:
            merged[section] = {**defaults.get(section, {}), **given}
    for section, values in (overrides or {}).items():
        given = {k: v for k, v in values.items() if v is not None}
        if given:  # only then can a bad value be a flag's
            merged[section].update(given)
            source = f"{path} (with command-line overrides)"

    clean: dict[str, dict[str, Any]] = {}
    for section, checks in SCHEMA.items():
        values = merged[section]
        clean[section] = {}
        for key, value in values.items():
            check = checks.get(key, number if section == "tree" else None)
            if check is None:
                raise ConfigError(source, f"{section}.{key}", "one of the keys " + ", ".join(checks), "unknown key")
            try:
                clean[section][key] = check(value)
            except Expected as exc:
                raise ConfigError(source, f"{section}.{key}", exc.expected, exc.got) from None
        for key in checks:
            if key not in clean[section]:
                raise ConfigError(source, f"{section}.{key}", "a value (the key is missing)")

    chain = clean["chain"]
    if len(chain["b"]) != len(chain["w"]):
        raise ConfigError(
            source, "chain.b", f"a list of {len(chain['w'])} numbers, one per layer like chain.w", list(chain["b"])
        )
    tree = clean["tree"]
    try:
        program = parse_steps(list(tree["steps"]))
    except ValueError as exc:
        raise ConfigError(source, "tree.steps", str(exc)) from None
    values = {k: v for k, v in tree.items() if k != "steps"}  # in the file's order
    for leaf in program.leaves:
        if leaf not in values:
            raise ConfigError(source, f"tree.{leaf}", f"a number (leaf {leaf!r} is used in tree.steps)")
    for key in values:
        if key not in program.leaves:
            raise ConfigError(
                source, f"tree.{key}", "only the leaves of tree.steps: " + ", ".join(program.leaves), "unused key"
            )

    return LectureConfig(
        path=path,
        raw=merged,
        lecture=LectureInfo(**clean["lecture"]),
        chain=ChainConfig(**chain),
        tree=TreeConfig(tree["steps"], values, program),
        **{name: section(**clean[name]) for name, section in SECTION_TYPES.items()},
    )


class _ReadLog(dict):
    """A dict of sections that notes which sections are looked at (iterating means all of them)."""

    def __init__(self, data: dict, reads: set[str]):
        super().__init__(data)
        self._reads = reads

    def __getitem__(self, key):
        self._reads.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._reads.add(key)
        return super().get(key, default)

    def __iter__(self):
        self._reads.update(self.keys())
        return super().__iter__()

    def items(self):
        self._reads.update(self.keys())
        return super().items()

    def values(self):
        self._reads.update(self.keys())
        return super().values()


@dataclass(frozen=True)
class RecordingConfig(LectureConfig):
    """A LectureConfig that notes the sections read through it (``reads``), so a renderer knows
    which config edits concern which scene."""

    reads: set[str] = field(default_factory=set, compare=False)

    def __getattribute__(self, name: str):
        if name in SCHEMA:
            object.__getattribute__(self, "reads").add(name)
        return object.__getattribute__(self, name)


def recording(cfg: LectureConfig) -> RecordingConfig:
    """A copy of ``cfg`` that records which sections are read."""
    reads: set[str] = set()
    values = {f.name: object.__getattribute__(cfg, f.name) for f in fields(LectureConfig)}
    values["raw"] = _ReadLog(cfg.raw, reads)
    return RecordingConfig(**values, reads=reads)
