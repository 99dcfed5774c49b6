"""The rule game (part 7): which hypothesis about the hidden "good number" rule each revealed number rules out.

The slides reveal 4-digit numbers (strings, leading zeros kept) with their outcome,
"win" (a good number) or "lose". Each hypothesis the class wrote on the board is read
as a candidate rule "good iff <predicate>"; a rule is contradicted by the first
revealed number whose outcome differs from the rule's verdict, and a hypothesis is
eliminated once all of its rules are contradicted. "odd/even" is one hypothesis with
two rules ("good iff even", "good iff odd"): the class guessed "parity decides", so it
lives as long as either parity rule explains the data.

Where a slide's wording admits another reading (e.g. "Contains 2^6": 2^6 divides the
number, or the digits "64" appear), the other readings are computed and reported too,
but only the main reading decides.

A scene calls:

- ``from_config(cfg) -> Game``; ``Game.to_dict()`` is the ``mathcore rule-game --json``
  document: ``reveals`` (number, outcome, round, the hypotheses it eliminates),
  ``hypotheses`` (name, ``eliminated_by`` number or None, per rule, other readings,
  the slide's mark), ``survivors``, ``rounds`` (survivors after each slide's reveals)
  and ``differs_from_slides`` (hypothesis, slide's mark, computed verdict, why).
- ``play(reveals, hypotheses) -> list[Verdict]``: the elimination logic on any game.
- ``rival(reveals, hidden_rule(cfg)) -> Rival | None``: another rule ("divisible by d") that fits every
  revealed number as well as the hidden rule, and the number that would tell the two apart.
- ``HYPOTHESES``: the slides' hypotheses by id (``Hypothesis.rules``, each a ``Rule``
  whose ``verdict(number)`` is True (good), False (bad) or None (no claim)).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .errors import ConfigError

SECTION = "rule_game"
OUTCOMES = ("win", "lose")
#: An outcome in a sentence ("but it was a loss", not "a lose").
AS_NOUN = {"win": "a win", "lose": "a loss"}


def is_prime(n: int) -> bool:
    if n < 2:
        return False
    k = 2
    while k * k <= n:
        if n % k == 0:
            return False
        k += 1
    return True


def smallest_factor(n: int) -> int:
    """The smallest prime factor of n >= 2 (n itself when prime)."""
    k = 2
    while k * k <= n:
        if n % k == 0:
            return k
        k += 1
    return n


def digit_sum(s: str) -> int:
    return sum(int(c) for c in s)


PRIME_DIGITS = "2357"


@dataclass(frozen=True)
class Rule:
    """A candidate hidden rule: ``verdict(number)`` is True (good), False (bad) or None (the rule says nothing)."""

    text: str
    verdict: Callable[[str], bool | None] = field(compare=False)
    fact: Callable[[str], str] = field(compare=False)  # what about the number matters to this rule, in words

    def contradicted_by(self, number: str, outcome: str) -> bool:
        says = self.verdict(number)
        return says is not None and says != (outcome == "win")


def _iff(text: str, predicate: Callable[[str], bool], fact: Callable[[str], str]) -> Rule:
    return Rule(text, lambda s: bool(predicate(s)), fact)


def _prime_fact(s: str) -> str:
    n = int(s)
    if is_prime(n):
        return f"{s} is prime"
    if n < 2:
        return f"{s} is not prime"
    p = smallest_factor(n)
    return f"{s} = {p} × {n // p} is not prime"


def _mod_fact(d: int, label: str = "") -> Callable[[str], str]:
    def fact(s: str) -> str:
        n = int(s)
        extra = f" (digit sum {digit_sum(s)})" if d == 3 else label
        if n % d == 0:
            return f"{s} = {d} × {n // d} is divisible by {d}{extra}"
        return f"{s} = {d} × {n // d} + {n % d} is not divisible by {d}{extra}"

    return fact


def _first_two_prime_fact(s: str) -> str:
    head = int(s[:2])  # the number is named, as every other fact names it
    return f"the first two digits of {s} make {head}, {'a prime' if is_prime(head) else 'not a prime'}"


@dataclass(frozen=True)
class Hypothesis:
    id: str
    name: str  # as the slide writes it
    rules: tuple[Rule, ...]  # eliminated when every one of these is contradicted
    other_readings: tuple[Rule, ...] = ()  # reported, not deciding
    note: str = ""
    means: str = ""  # what the board's words mean, for a student, where they are terse ("Contains 2^6")


_EVEN = _iff("good iff the number is even", lambda s: int(s) % 2 == 0,
             lambda s: f"{s} is {'even' if int(s) % 2 == 0 else 'odd'}")
_ODD = _iff("good iff the number is odd", lambda s: int(s) % 2 == 1,
            lambda s: f"{s} is {'odd' if int(s) % 2 == 1 else 'even'}")

#: The slides' hypotheses ("Guess what is my rule"), in the slides' order, by id.
HYPOTHESES: dict[str, Hypothesis] = {h.id: h for h in (
    Hypothesis("odd_even", "odd/even", (_EVEN, _ODD),
               note="one hypothesis 'parity decides': lives while 'good iff even' or 'good iff odd' fits"),
    Hypothesis("prime", "prime", (_iff("good iff the number is prime", lambda s: is_prime(int(s)), _prime_fact),)),
    Hypothesis("above_6000", ">6000", (_iff("good iff the number is above 6000", lambda s: int(s) > 6000,
                                            lambda s: f"{s} is {'above' if int(s) > 6000 else 'not above'} 6000"),)),
    Hypothesis("div3", "div3", (_iff("good iff the number is divisible by 3", lambda s: int(s) % 3 == 0,
                                     _mod_fact(3)),)),
    Hypothesis(
        "last_two_even", "last 2 digit even",
        (_iff("good iff both of the last two digits are even", lambda s: int(s[-2]) % 2 == 0 and int(s[-1]) % 2 == 0,
              lambda s: f"its last two digits are {s[-2]} and {s[-1]}"),),
        (_iff("good iff the last two digits form an even number (the same as 'even')",
              lambda s: int(s[-2:]) % 2 == 0, lambda s: f"its last two digits make {s[-2:]}"),),
        note="read as 'both last digits even'; 'the number they form is even' is just 'even'",
    ),
    Hypothesis("div12", "div12", (_iff("good iff the number is divisible by 12", lambda s: int(s) % 12 == 0,
                                       _mod_fact(12)),)),
    Hypothesis(
        "include_3_bad", "include 3 -> bad",
        (_iff("good iff no digit is 3", lambda s: "3" not in s,
              lambda s: f"{s} {'has' if '3' in s else 'has no'} digit 3"),),
        (Rule("a digit 3 makes it bad (nothing said about numbers without a 3)",
              lambda s: False if "3" in s else None,
              lambda s: f"{s} {'has' if '3' in s else 'has no'} digit 3"),),
    ),
    Hypothesis("digit_sum_le_21", "sum digit <=21",
               (_iff("good iff the digit sum is at most 21", lambda s: digit_sum(s) <= 21,
                     lambda s: f"the digits of {s} sum to {digit_sum(s)}"),)),
    Hypothesis("has_2", "have 2 as a digit",
               (_iff("good iff some digit is 2", lambda s: "2" in s,
                     lambda s: f"{s} {'has' if '2' in s else 'has no'} digit 2"),)),
    Hypothesis(
        "first_two_prime", "first 2 digit is prime",
        (_iff("good iff the first two digits, read as a number, are prime", lambda s: is_prime(int(s[:2])),
              _first_two_prime_fact),),
        (_iff("good iff each of the first two digits is prime (2, 3, 5 or 7)",
              lambda s: s[0] in PRIME_DIGITS and s[1] in PRIME_DIGITS,
              lambda s: f"its first two digits are {s[0]} and {s[1]}"),),
    ),
    Hypothesis(
        "contains_2_6", "Contains 2^6",
        (_iff("good iff 2^6 = 64 divides the number (its factors contain 2^6)", lambda s: int(s) % 64 == 0,
              _mod_fact(64)),),
        (_iff("good iff the digits '64' appear in it", lambda s: "64" in s,
              lambda s: f"{s} {'contains' if '64' in s else 'does not contain'} the digits 64"),),
        note="the slides' answer: 1728 = 2^6·27, 5952 = 2^6·93, 0064 = 2^6",
        means="has 2^6 = 64 as a factor",
    ),
)}


@dataclass(frozen=True)
class Reveal:
    number: str
    outcome: str  # "win" or "lose"


@dataclass(frozen=True)
class RuleVerdict:
    rule: Rule
    eliminated_by: str | None  # the first revealed number contradicting the rule
    at: int | None  # its index in the reveal order

    def why(self, reveals: Sequence[Reveal]) -> str:
        if self.at is None:
            return "every revealed number fits: " + "; ".join(self.rule.fact(r.number) for r in reveals)
        r = reveals[self.at]
        says = "good" if self.rule.verdict(r.number) else "bad"
        return f"{self.rule.fact(r.number)}, so the rule calls it {says}, but it was {AS_NOUN[r.outcome]}"

    def to_dict(self) -> dict:
        return {"rule": self.rule.text, "eliminated_by": self.eliminated_by}


@dataclass(frozen=True)
class Verdict:
    hypothesis: Hypothesis
    rules: tuple[RuleVerdict, ...]
    other_readings: tuple[RuleVerdict, ...]

    @property
    def at(self) -> int | None:
        """Index of the reveal that eliminated the hypothesis (its last surviving rule), or None."""
        ats = [v.at for v in self.rules if v.at is not None]
        return None if len(ats) < len(self.rules) else max(ats)

    @property
    def deciding(self) -> RuleVerdict:
        """The rule whose fall eliminated the hypothesis (or a surviving rule)."""
        return next(v for v in self.rules if v.at == self.at)

    def why(self, reveals: Sequence[Reveal]) -> str:
        if len(self.rules) == 1 or self.at is None:
            return self.deciding.why(reveals)
        # several rules: say how each one fell, in the order they fell
        fell = sorted(self.rules, key=lambda v: v.at or 0)  # all fell: self.at is not None
        return "; ".join(f"'{v.rule.text}' falls: {v.why(reveals)}" for v in fell)


def _judge(rule: Rule, reveals: Sequence[Reveal]) -> RuleVerdict:
    for i, r in enumerate(reveals):
        if rule.contradicted_by(r.number, r.outcome):
            return RuleVerdict(rule, r.number, i)
    return RuleVerdict(rule, None, None)


def play(reveals: Sequence[Reveal], hypotheses: Sequence[Hypothesis]) -> list[Verdict]:
    """Each hypothesis's verdict: the reveal that eliminates it (in reveal order), or survival."""
    return [
        Verdict(h, tuple(_judge(r, reveals) for r in h.rules), tuple(_judge(r, reveals) for r in h.other_readings))
        for h in hypotheses
    ]


@dataclass(frozen=True)
class Game:
    reveals: tuple[Reveal, ...]
    rounds: tuple[int, ...]  # how many numbers each slide has revealed
    verdicts: tuple[Verdict, ...]
    slide_eliminated: frozenset[str]  # ids the slides mark "eliminate(d)"

    @property
    def survivors(self) -> list[str]:
        return [v.hypothesis.name for v in self.verdicts if v.at is None]

    def survivors_after(self, k: int) -> list[str]:
        return [v.hypothesis.name for v in self.verdicts if v.at is None or v.at >= k]

    def differences(self) -> list[dict]:
        out = []
        for v in self.verdicts:
            marked = v.hypothesis.id in self.slide_eliminated
            if marked == (v.at is not None):
                continue
            computed = f"eliminated by {self.reveals[v.at].number}" if v.at is not None else "not eliminated"
            out.append({
                "name": v.hypothesis.name,
                "slide": "eliminated" if marked else "not marked",
                "computed": computed,
                "why": v.why(self.reveals),
            })
        return out

    def to_dict(self) -> dict:
        round_of = [next(j + 1 for j, k in enumerate(self.rounds) if i < k) for i in range(len(self.reveals))]
        reveals = [
            {"number": r.number, "outcome": r.outcome, "round": round_of[i],
             "eliminates": [v.hypothesis.name for v in self.verdicts if v.at == i]}
            for i, r in enumerate(self.reveals)
        ]
        hypotheses = [
            {
                "id": v.hypothesis.id,
                "name": v.hypothesis.name,
                "eliminated_by": self.reveals[v.at].number if v.at is not None else None,
                "why": v.why(self.reveals),
                "rules": [r.to_dict() for r in v.rules],
                "other_readings": [r.to_dict() for r in v.other_readings],
                "slide_mark": "eliminated" if v.hypothesis.id in self.slide_eliminated else "not marked",
                "note": v.hypothesis.note,
            }
            for v in self.verdicts
        ]
        return {
            "reveals": reveals,
            "hypotheses": hypotheses,
            "survivors": self.survivors,
            "rounds": [{"revealed": k, "survivors": self.survivors_after(k)} for k in self.rounds],
            "differs_from_slides": self.differences(),
        }


@dataclass(frozen=True)
class Rival:
    """Another rule, "divisible by ``divisor``", that gives every revealed number its outcome, though it is not the
    hidden rule: the data cannot tell the two apart. ``apart`` is the smallest number (as wide as the revealed
    ones) on which they disagree: revealing it would tell them apart."""

    divisor: int
    rule: Rule
    apart: str

    @property
    def name(self) -> str:
        return f"divisible by {self.divisor}"

    def sorts(self, reveals: Sequence[Reveal]) -> str:
        """How it sorts the revealed numbers, in words (every win divisible, no loss)."""
        wins = [r.number for r in reveals if r.outcome == "win"]
        losses = [r.number for r in reveals if r.outcome != "win"]
        said = f"{_the('win', wins)} divisible by {self.divisor}"
        return said + (f"; {_the('loss', losses)} not" if losses else "")


def _the(kind: str, numbers: Sequence[str]) -> str:
    """'the wins 1728, 5952 and 0064 are', 'the loss 0001 is'."""
    if len(numbers) == 1:
        return f"the {kind} {numbers[0]} is"
    return f"the {kind}{'es' if kind.endswith('s') else 's'} {_listed(numbers)} are"


def _listed(numbers: Sequence[str]) -> str:
    return ", ".join(numbers[:-1]) + (" and " if len(numbers) > 1 else "") + numbers[-1]


def _divisible_by(d: int) -> Callable[[str], bool]:
    return lambda s: int(s) % d == 0


def rival(reveals: Sequence[Reveal], hidden: Rule) -> Rival | None:
    """The smallest d >= 2 whose rule "good iff divisible by d" gives every revealed number its outcome and
    disagrees with ``hidden`` on some number as wide as the revealed ones; None if no such d (or no win: a
    divisor rule that calls nothing good is no rule a student would guess)."""
    wins = [int(r.number) for r in reveals if r.outcome == "win"]
    if not wins:
        return None
    width = max(len(r.number) for r in reveals)
    g = math.gcd(*wins)  # every win divisible by d: d divides their gcd (0 if every win is 0: any d)
    top = g if g else 10**width - 1
    for d in range(2, top + 1):
        if g % d or any(int(r.number) % d == 0 for r in reveals if r.outcome != "win"):
            continue
        for n in range(10**width):
            s = str(n).zfill(width)
            says = hidden.verdict(s)
            if says is not None and says != (n % d == 0):
                return Rival(d, _iff(f"good iff the number is divisible by {d}", _divisible_by(d), _mod_fact(d)), s)
    return None


def from_config(cfg) -> Game:
    sec = cfg.rule_game
    numbers, outcomes = sec.numbers, sec.outcomes
    if len(outcomes) != len(numbers):
        raise ConfigError(cfg.path, "rule_game.outcomes",
                          f"one outcome per number ({len(numbers)}), like rule_game.numbers", list(outcomes))
    seen: dict[str, str] = {}
    for n, o in zip(numbers, outcomes):
        if seen.setdefault(n, o) != o:
            raise ConfigError(cfg.path, "rule_game.outcomes", f"the same outcome each time {n} is revealed "
                              "(the rule does not change)", list(outcomes))
    rounds = sec.rounds
    if list(rounds) != sorted(set(rounds)) or rounds[-1] != len(numbers):
        raise ConfigError(cfg.path, "rule_game.rounds",
                          f"increasing counts of revealed numbers ending at {len(numbers)}", list(rounds))
    hyps = [HYPOTHESES[h] for h in sec.hypotheses]
    reveals = tuple(Reveal(n, o) for n, o in zip(numbers, outcomes))
    return Game(reveals, tuple(rounds), tuple(play(reveals, hyps)), frozenset(sec.slide_eliminated))


def hidden_rule(cfg) -> Rule:
    """The rule a student plays against ([rule_game] hidden_rule): one hypothesis's only rule, which must give
    every revealed number of the config its outcome (else the game would contradict the slides)."""
    sec = cfg.rule_game
    key = f"{SECTION}.hidden_rule"
    hyp = HYPOTHESES[sec.hidden_rule]
    if len(hyp.rules) != 1:
        raise ConfigError(cfg.path, key, "a hypothesis with one rule (odd/even has two)", sec.hidden_rule)
    rule = hyp.rules[0]
    for number, outcome in zip(sec.numbers, sec.outcomes):
        if rule.verdict(number) is None or rule.contradicted_by(number, outcome):
            raise ConfigError(cfg.path, key, f"a rule that gives every revealed number its outcome ({number} is a "
                              f"{outcome}; '{rule.text}' says otherwise)", sec.hidden_rule)
    return rule
