"""What the lecturer says in a beat: its text with mathcore's numbers filled in, shown as digits, said as words.

A beat's text (``captions.toml``) may name values, ``"the output is {output}"``; the scene gives
them (``LectureScene.narration_values()``, from the mathcore results it draws). The same filled
text is the subtitle and the speaker notes; :func:`spoken` is what the voice reads: numbers as
words ("-0.1" is "minus zero point one"), a course code letter by letter ("B S six two oh seven"),
and the symbols and terms of the slides as the lexicon (``assets/lexicon.toml``) spells them for piper.
"""
from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from mathcore.config import REPO_ROOT
from mathcore.display import fmt
from mathcore.errors import ConfigError

ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen").split()
TENS = "- - twenty thirty forty fifty sixty seventy eighty ninety".split()
SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))
PLACEHOLDER = re.compile(r"\{(\w+)\}")
#: A number standing alone in text (not the 1 of w1, not inside a longer token): sign, digits, fraction, exponent.
NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\w])")
NUMBER_TEXT = re.compile(r"([-−+]?)(\d*)(?:\.(\d+))?(?:e([-+]?\d+))?")
#: A course code (BS6207, TEST101): said letter by letter, then digit by digit with 0 as "oh".
COURSE_CODE = re.compile(r"(?<![\w.])([A-Z]{2,4})(\d{3,5})(?![\w])")
DIGIT_NAMES = ("oh",) + tuple(ONES[1:10])
LEXICON = REPO_ROOT / "assets" / "lexicon.toml"


@dataclass(frozen=True)
class Lexicon:
    """How the voice says what is written: patterns (regular expressions), whole words, then symbols, in order."""

    patterns: tuple[tuple[re.Pattern, str], ...]
    words: tuple[tuple[re.Pattern, str], ...]
    symbols: tuple[tuple[str, str], ...]

    def apply(self, text: str) -> str:
        for pattern, said in self.patterns + self.words:
            text = pattern.sub(said, text)
        for symbol, said in self.symbols:
            text = text.replace(symbol, said)
        return text


def lexicon(path: Path | None = None) -> Lexicon:
    """The lexicon (the shipped file unless ``path``), checked: one line naming the file and entry if it is
    not what :class:`Lexicon` takes (the CLI asks before rendering, through voice.validate)."""
    return _lexicon(path or LEXICON)


@functools.cache
def _lexicon(path: Path) -> Lexicon:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(path, "lexicon", "a readable TOML file", str(err)) from None
    unknown = set(data) - {"patterns", "words", "symbols"}
    if unknown:
        raise ConfigError(path, f"[{sorted(unknown)[0]}]", "one of the tables [[patterns]], [words], [symbols]")
    patterns = []
    for i, entry in enumerate(data.get("patterns", [])):
        where = f"[[patterns]] #{i + 1}"
        if not isinstance(entry, dict) or set(entry) != {"match", "say"} or not all(
                isinstance(v, str) for v in entry.values()):
            raise ConfigError(path, where, 'match = "regular expression" and say = "spoken form"')
        try:
            pattern = re.compile(entry["match"])
            pattern.sub(entry["say"], "")  # a bad group reference in `say` fails here, not mid-render
        except re.error as err:
            raise ConfigError(path, where, "a Python regular expression and its replacement", str(err)) from None
        patterns.append((pattern, entry["say"]))
    for table in ("words", "symbols"):
        entries = data.get(table, {})
        if not isinstance(entries, dict) or not all(isinstance(v, str) and k for k, v in entries.items()):
            raise ConfigError(path, f"[{table}]", '"written" = "spoken" lines')
    words = tuple((re.compile(rf"(?<![\w-]){re.escape(w)}(?![\w-])", re.IGNORECASE), said.replace("\\", r"\\"))
                  for w, said in data.get("words", {}).items())
    return Lexicon(tuple(patterns), words, tuple(data.get("symbols", {}).items()))


def course_code(match: re.Match) -> str:
    """BS6207 -> "B S six two oh seven"."""
    return " ".join([*match.group(1), *(DIGIT_NAMES[int(d)] for d in match.group(2))])


def integer_words(n: int) -> str:
    """0 -> "zero", 2031 -> "two thousand thirty one"."""
    if n < 0:
        return "minus " + integer_words(-n)
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    if n < 1000:
        return ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + integer_words(n % 100))
    for size, name in SCALES:
        if n >= size:
            rest = n % size
            return integer_words(n // size) + " " + name + ("" if rest == 0 else " " + integer_words(rest))
    raise AssertionError(n)  # unreachable: SCALES ends at a thousand


def number_words(value: float | int | str) -> str:
    """A number as a lecturer says it, from the digits shown: 0.192 -> "zero point one nine two",
    -0.1 -> "minus zero point one", 1.2e-05 -> "one point two times ten to the minus five"."""
    text = value if isinstance(value, str) else fmt(value)
    match = NUMBER_TEXT.fullmatch(text.strip())
    if not match or not (match.group(2) or match.group(3)):
        raise ValueError(f"not a number: {text!r}")
    sign, whole, fraction, exponent = match.groups()
    words = ["minus"] if sign in ("-", "−") else []
    words.append(integer_words(int(whole or "0")))
    if fraction:
        words += ["point", *(ONES[int(d)] for d in fraction)]
    if exponent:
        words += ["times ten to the", number_words(exponent)]
    return " ".join(words)


def shown(value) -> str:
    """A placeholder's value as the subtitles write it: numbers as on screen, lists as "a, b and c"."""
    if isinstance(value, (list, tuple)):
        items = [shown(v) for v in value]
        return " and ".join(filter(None, [", ".join(items[:-1]), items[-1]])) if items else ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return fmt(value)


def marked(name: str, values) -> list[str]:
    """A list's items as shown, each after its own mark (``[[name1]]``, ``[[name2]]``, ...): a scene can move
    each item's picture as the voice says it, and captions that write the list still read as numbers."""
    return [f"[[{name}{k}]]{shown(v)}" for k, v in enumerate(values, start=1)]


def check(template: str, names, where: str = "captions") -> None:
    """Refuse, in one line, a ``{name}`` in the text that is not among ``names`` (what the scene gives)."""
    for name in PLACEHOLDER.findall(template):
        if name not in names:
            known = ", ".join(sorted(names)) or "none"
            raise ConfigError(where, "{" + name + "}", f"a value the scene gives ({known})")


def fill(template: str, values: dict, where: str = "captions") -> str:
    """The text with each ``{name}`` replaced by its value, written as shown. An unknown name is the file's error."""
    check(template, values, where)
    return PLACEHOLDER.sub(lambda match: shown(values[match.group(1)]), template)


def spoken(text: str) -> str:
    """What the voice reads for a shown text: the lexicon's spoken forms, course codes spelt, numbers in words."""
    text = lexicon().apply(text)
    text = COURSE_CODE.sub(course_code, text)
    text = NUMBER.sub(lambda m: number_words(m.group(0)), text)
    return " ".join(text.split())
