"""Optimiser runs drawn on a cost surface (``SurfaceContours``), each path built once.

``Race(surface, entrants)``: every entrant of mathcore's race as a ``RacePath``, its stroke width set by how long
its drawn path is (``length_widths``: a short direct path wide, a long wandering one thin), so that overlaid paths
all show. ``race.run(name, seconds)`` returns the animation of one racer's run: as it starts, the
racer is on the start over the paths run before it (which step back), under the race's ``marks`` (minima, start);
a dot takes every step with a fading trail (its last steps bright, the rest dim); as it ends, the whole path stays
drawn and the finished paths are restacked (``draw_order``), end markers on top. ``race.overlay()`` brings every
path back to full strength. A scene plays these; it never orders the paths itself.

``RacePath(surface, thetas, color, width)``: one run's path, one segment per step. A thin dark outline (a
background-coloured casing) under each path keeps crossing paths apart and a path that runs on top of another one
from hiding it: the wider one underneath shows on both sides; where that rim would be too thin to see (Adam's path
along gradient descent's), ``apart`` moves the one underneath a little sideways. ``legend_row`` writes an
optimiser's name in its colour (``scenes.theme.optimisers``) with its settings; ``label_side`` puts a label beside a
point, clear of every drawn stroke and end marker (``Race.obstacles``), with a leader line when it had to move away.
"""
from __future__ import annotations

import numpy as np
from manim import (
    DL,
    DOWN,
    DR,
    LEFT,
    RIGHT,
    UL,
    UP,
    UR,
    Dot,
    Line,
    MathTex,
    Text,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    config,
    linear,
)

from scenes import theme
from scenes.components import roles, tex
from scenes.theme import optimisers as otheme

SETTLED = 0.02  # steps after a run stays this close to its end (about a pixel at 480p) are not drawn
END_RADIUS, END_SHRINK = 0.15, 0.68  # stacked end markers: each a little under half the area of the one below
TAIL = 0.06  # share of the path drawn bright behind the moving dot
DIM = 0.3  # opacity of the path behind the tail while it runs
OUTLINE = 1.0  # width of the dark outline on each side of a path (stroke units: 0.01 manim units)
NOISY_OPACITY = 0.7  # a noisy path's scribble: the contours under it show through
#: Stroke widths by drawn length: the shortest path WIDEST, each doubling of length PER_DOUBLING thinner, down to
#: NARROWEST (the wandering noisy paths).
WIDEST, NARROWEST, PER_DOUBLING = 14.0, 3.5, 3.25
FLOOR_STEP = 0.5
#: A noisy path is drawn under the others unless this share of it lies under them (it would vanish there).
ON_TOP_SHARE = 0.8
STROKE_UNIT = theme.STROKE_UNIT
#: Where a noise-free path runs under another one, this much of it (stroke units, each side's casing aside) shows
#: beside it: the path underneath is moved sideways that far where it has to (``apart``), up to MOST_APART.
RIM, MOST_APART = 4.0, 0.08
PARALLEL = 0.8  # |cos| of the angle between two paths that run together (a crossing is not shared)
SAMPLES = 8  # points looked at along each step
TAPER = 0.15  # a moved path comes back to its own points this close to its start and end (manim units)
LEADER_AFTER = 0.35  # a label this far from its point's edge or farther (moved off the paths) gets a leader line
FRAME_MARGIN = 0.3  # a label keeps this far inside the frame (its backing rectangle too)


def steps_pace(alpha: float) -> float:
    """The share of the steps taken by time share ``alpha``: optimisers move most in their first steps."""
    return alpha**3


class RacePath(VGroup):
    """``casing``, ``trace`` (the path so far), ``tail`` (its last steps, bright) and ``dot`` of one run."""

    def __init__(self, surface, thetas, color, width: float = 3.0, dot_radius: float = 0.08, opacity: float = 1.0):
        super().__init__()
        self.opacity = opacity
        pts = np.array([surface.axes.c2p(*t) for t in thetas])
        far = np.flatnonzero(np.linalg.norm(pts - pts[-1], axis=1) > SETTLED)
        pts = list(pts[: far[-1] + 2] if len(far) else pts[:2])  # a settled run's last steps lie under its end
        if len(pts) < 2:
            pts = [pts[0], pts[0]]
        self.corners = np.array(pts)  # one per step drawn
        self.points_drawn = resampled(self.corners)
        self.whole = VMobject(stroke_color=color, stroke_width=width).set_points_as_corners(pts)
        self.whole.set_fill(opacity=0)
        self.width = width
        self.casing = self.whole.copy().set_stroke(theme.BACKGROUND, width=width + 2 * OUTLINE, opacity=opacity)
        self.trace = self.whole.copy()
        self.tail = self.whole.copy().set_stroke(width=width + 1.5)
        self.dot = Dot(pts[0], radius=dot_radius, color=color)
        self.end = Dot(pts[-1], radius=dot_radius, color=color).set_stroke(theme.BACKGROUND, width=2)
        for m in (self.casing, self.trace, self.tail):
            m.pointwise_become_partial(self.whole, 0, 0)
        roles.path(self.trace, end=self.end)
        roles.context(self.casing)
        self.add(self.casing, self.trace, self.tail, self.dot)

    def move_sideways(self, offsets: np.ndarray) -> RacePath:
        """Each step's point moved by ``offsets`` (one vector per point, manim units): see ``apart``."""
        self.corners = self.corners + offsets
        self.points_drawn = resampled(self.corners)
        self.whole.set_points_as_corners(self.corners)
        for m in (self.casing, self.trace, self.tail):
            m.pointwise_become_partial(self.whole, 0, 0)
        self.dot.move_to(self.corners[0])
        self.end.move_to(self.corners[-1])
        return self

    def set_width(self, width: float) -> RacePath:
        """The path's stroke ``width`` (its outline and bright tail follow)."""
        self.width = width
        for m, w in ((self.whole, width), (self.trace, width), (self.casing, width + 2 * OUTLINE),
                     (self.tail, width + 1.5)):
            m.set_stroke(width=w)
        return self

    def _at(self, share: float) -> None:
        share = min(max(share, 1e-6), 1.0)
        self.casing.pointwise_become_partial(self.whole, 0, share)
        self.trace.pointwise_become_partial(self.whole, 0, share)
        self.tail.pointwise_become_partial(self.whole, max(share - TAIL, 0.0), share)
        self.dot.move_to(self.trace.get_end())

    def finish(self) -> VGroup:
        """The whole path drawn (no tail, no dot), after its run has played; ``end`` goes on top of it."""
        self._at(1.0)
        self.trace.set_stroke(opacity=self.opacity)
        self.remove(self.tail, self.dot)
        return self

    def fade_to(self, share: float) -> VGroup:
        """The finished path at ``share`` of its own opacity (1: as drawn)."""
        self.trace.set_stroke(opacity=share * self.opacity)
        self.end.set_opacity(share)
        return self


class Race:
    """The entrants of one race (mathcore's ``race()["entrants"]``) as paths on ``surface``, run one at a time.

    ``paths`` (by optimiser, in the entrants' order), ``widths`` (each path's stroke, for the legend's swatches),
    ``points_drawn`` (every path's points), ``obstacles()`` (those points and how far each one's ink reaches, for
    placing labels clear of them). ``marks``: what stays drawn over every path and under the end markers (the
    minima and the start); set it before the first run."""

    STEP_BACK = 0.6  # the paths run before the current one, while it runs: dimmed, still in sight

    def __init__(self, surface, entrants: list[dict]):
        names = [e["optimiser"] for e in entrants]
        self.paths = {n: RacePath(surface, e["theta"], otheme.OPTIMISER_COLORS[n], opacity=path_opacity(n))
                      for n, e in zip(names, entrants)}
        self.widths = length_widths({n: drawn_length(p.points_drawn) for n, p in self.paths.items()})
        for n, p in self.paths.items():
            p.set_width(self.widths[n])
        self.points_drawn = np.concatenate([p.points_drawn for p in self.paths.values()])
        self.order = draw_order({n: p.points_drawn for n, p in self.paths.items()}, self.widths)
        for n, offsets in apart({n: p.corners for n, p in self.paths.items()}, self.widths, self.order).items():
            self.paths[n].move_sideways(offsets)
        self.points_drawn = np.concatenate([p.points_drawn for p in self.paths.values()])
        self.marks: tuple = ()
        self.finished: list[str] = []

    def obstacles(self) -> tuple[np.ndarray, np.ndarray]:
        """Every drawn path point and how far its ink reaches (half the stroke and its outline; at a path's end,
        its end marker's radius): what a label must stay clear of."""
        reach = [np.full(len(p.points_drawn), (p.width / 2 + OUTLINE) * STROKE_UNIT) for p in self.paths.values()]
        ends = [p.points_drawn[-1:] for p in self.paths.values()]
        return (np.concatenate([self.points_drawn, *ends]),
                np.concatenate([*reach, np.full(len(ends), END_RADIUS)]))

    def enter(self, name: str) -> list:
        """Line ``name`` up on the start: the paths before it step back; what to bring to the front, in order (its
        path with its dot on the start, the marks over it). ``run`` does this as it starts; a scene that shows the
        racer waiting (until the voice names it) adds these first."""
        for other in list(self.paths.values())[: list(self.paths).index(name)]:
            other.fade_to(self.STEP_BACK)
        return [self.paths[name], *self.marks]

    def run(self, name: str, run_time: float = otheme.RACE_SECONDS) -> RaceRun:
        """The animation of ``name``'s run (see :class:`RaceRun`)."""
        return RaceRun(self, name, run_time)

    def finish(self, name: str) -> list:
        """``name``'s whole path drawn; the finished paths bottom to top (the widest first), the marks over them,
        their end markers on top, each smaller than the one under it: what to bring to the front, in order."""
        self.paths[name].finish()
        self.finished.append(name)
        order = [n for n in self.order if n in self.finished]
        stack_ends([self.paths[n] for n in order])
        return [*[self.paths[n] for n in order], *self.marks, *[self.paths[n].end for n in order]]

    def overlay(self) -> list:
        """Animations: every path back to its full strength (play them together)."""
        return [self.paths[n].animate.fade_to(1.0) for n in self.order]


class RaceRun(UpdateFromAlphaFunc):
    """One racer's run: its dot takes every step (most in the first ones, ``steps_pace``), the path behind it dims
    and its last steps stay bright. Like manim's introducers and removers it sets the scene's drawing order itself:
    as it starts, ``race.enter``; as it ends, ``race.finish`` (the whole path drawn, the race restacked)."""

    def __init__(self, race: Race, name: str, run_time: float, pace=steps_pace):
        self.race, self.racer = race, name
        path = race.paths[name]
        path.trace.set_stroke(opacity=DIM)
        super().__init__(path, lambda _, alpha: path._at(pace(alpha)), run_time=run_time, rate_func=linear)

    def _setup_scene(self, scene) -> None:
        super()._setup_scene(scene)
        scene.add(*self.race.enter(self.racer))

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        scene.add(*self.race.finish(self.racer))


def stack_ends(paths: list) -> None:
    """End markers of overlaid paths, bottom to top, each smaller than the one under it: paths that end in the
    same minimum show as rings around one another."""
    for k, p in enumerate(paths):
        p.end.set(width=2 * END_RADIUS * END_SHRINK**k)


def resampled(pts: np.ndarray, spacing: float = 0.04) -> np.ndarray:
    """Points along a polyline no further apart than ``spacing`` (a fast step leaves no gap to put a label in)."""
    out = [pts[:1]]
    for a, b in zip(pts[:-1], pts[1:]):
        n = max(1, int(np.ceil(np.linalg.norm(b - a) / spacing)))
        out.append(a + (b - a) * (np.arange(1, n + 1)[:, None] / n))
    return np.concatenate(out)


def drawn_length(points: np.ndarray) -> float:
    return float(np.linalg.norm(np.diff(points, axis=0), axis=1).sum())


def length_widths(lengths: dict, widest: float = WIDEST, narrowest: float = NARROWEST,
                  per_doubling: float = PER_DOUBLING, floor_step: float = FLOOR_STEP) -> dict:
    """Stroke widths by drawn length: the shortest path ``widest``, each doubling of length ``per_doubling``
    thinner. A short direct path drawn wide under a long wandering thin one still shows on both sides of it; the
    thin one, drawn over it, is not hidden. Paths that would be thinner than ``narrowest`` (the noisy scribbles)
    get ``narrowest``, the longer ``floor_step`` wider each: drawn under the shorter one (``draw_order``), it shows
    beside it where they wander together."""
    shortest = max(min(lengths.values()), 1e-9)
    widths = {n: float(widest - per_doubling * np.log2(max(length, shortest) / shortest))
              for n, length in lengths.items()}
    floor = sorted((n for n in widths if widths[n] < narrowest), key=lambda n: lengths[n])
    widths.update({n: narrowest + floor_step * k for k, n in enumerate(floor)})
    return widths


def path_opacity(name: str) -> float:
    return NOISY_OPACITY if name in otheme.NOISY else 1.0


def share_under(points: np.ndarray, others: list[tuple[np.ndarray, float]]) -> float:
    """The share of ``points`` that lie inside the ink of ``others`` (points and their stroke's half width)."""
    if not len(points) or not others:
        return 0.0
    under = np.zeros(len(points), bool)
    for pts, reach in others:
        for i in range(0, len(points), 512):  # blocks keep the distance matrix small
            d = np.linalg.norm(points[i:i + 512, None, :2] - pts[None, :, :2], axis=2)
            under[i:i + 512] |= (d < reach).any(axis=1)
    return float(under.mean())


def draw_order(points: dict, widths: dict) -> list:
    """Bottom to top: the noisy paths (they wander over everything and would bury the others), the longest
    first (a shorter scribble stays in sight over a longer one); then the noise-free ones widest first, so each
    later path runs inside the earlier ones and the one below shows on both sides. A noisy path that lies
    ``ON_TOP_SHARE`` or more under the noise-free ones goes on top of them instead (under them it would vanish)."""
    smooth = sorted((n for n in points if n not in otheme.NOISY), key=lambda n: -widths[n])
    ink = [(points[m], (widths[m] / 2 + OUTLINE) * STROKE_UNIT) for m in smooth]
    noisy = sorted((n for n in points if n in otheme.NOISY), key=lambda n: -drawn_length(points[n]))
    over = [n for n in noisy if share_under(points[n], ink) >= ON_TOP_SHARE]
    return [n for n in noisy if n not in over] + smooth + over


def apart(corners: dict, widths: dict, order: list) -> dict:
    """Sideways moves (per point, manim units) that keep every noise-free path in sight where it runs together
    with one drawn over it (Adam's path along gradient descent's at the start): there, RIM of it shows beside the
    upper one's ink. Worked from the top down, each path moves to one side only (where it peeks out most), by no
    more than MOST_APART, and not within TAPER of its ends (the start and its minimum stay where they are); a
    path that only crosses another one does not move."""
    smooth = [n for n in order if n not in otheme.NOISY]
    moves: dict[str, np.ndarray] = {}
    for k in reversed(range(len(smooth))):
        name, pts = smooth[k], corners[smooth[k]]
        if len(pts) < 2:
            continue
        # points along each step (a step is one straight segment: a corner moves with both of its segments)
        share = np.linspace(0.0, 1.0, SAMPLES)[None, :, None]
        along = (pts[:-1, None] + (pts[1:] - pts[:-1])[:, None] * share).reshape(-1, 3)
        step = np.repeat(np.arange(len(pts) - 1), SAMPLES)
        normal = _normals(pts, steps=True)
        under = []  # per upper path: where this one runs under it, how far it must reach, its side of it
        for upper in smooth[k + 1:]:
            q = resampled(corners[upper] + moves.get(upper, 0.0))
            reach = (widths[upper] / 2 + OUTLINE + RIM - widths[name] / 2) * STROKE_UNIT
            nearest = np.argmin(np.linalg.norm(along[:, None, :2] - q[None, :, :2], axis=2), axis=1)
            away = along[:, :2] - q[nearest, :2]
            together = np.abs(np.sum(_normals(q)[nearest] * normal[step], axis=1)) > PARALLEL
            under.append((together & (np.linalg.norm(away, axis=1) < reach), reach,
                          np.sum(away * normal[step, :2], axis=1)))
        if not any(shared.any() for shared, _, _ in under):
            continue
        sign = 1.0 if sum(np.sum(lateral[shared]) for shared, _, lateral in under) >= 0 else -1.0
        need = np.zeros(len(along))
        for shared, reach, lateral in under:
            need = np.where(shared, np.maximum(need, reach - sign * lateral), need)
        per_step = np.clip(need.reshape(-1, SAMPLES).max(axis=1), 0.0, MOST_APART)
        shift = np.maximum(np.append(per_step, 0.0), np.insert(per_step, 0, 0.0))  # a corner: both its steps' need
        run = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(pts[:, :2], axis=0), axis=1))])
        shift *= np.clip(np.minimum(run, run[-1] - run) / TAPER, 0.0, 1.0)
        moves[name] = sign * shift[:, None] * _normals(pts)
    return moves


def _normals(pts: np.ndarray, steps: bool = False) -> np.ndarray:
    """Unit normals (left of the direction of travel) at each point of a polyline, or of each of its ``steps``
    (segments); (0, 1) where it stands still."""
    if steps:
        tangent = np.diff(pts[:, :2], axis=0)
    else:
        tangent = np.gradient(pts[:, :2], axis=0) if len(pts) > 1 else np.zeros((len(pts), 2))
    length = np.linalg.norm(tangent, axis=1, keepdims=True)
    unit = np.where(length > 1e-9, tangent / np.maximum(length, 1e-9), [[1.0, 0.0]])
    return np.column_stack([-unit[:, 1], unit[:, 0], np.zeros(len(unit))])


def settings_tex(optimiser: str, hyper: dict, keys=("lr", "momentum", "batch_size", "beta1", "beta2", "eps")) -> str:
    """η = 0.05, μ = 0.9 ...: an optimiser's settings as TeX (Adam's step size is α, as in Algorithm 1)."""
    symbols = {"lr": r"\alpha" if optimiser == "adam" else r"\eta", "momentum": r"\mu", "beta1": r"\beta_1",
               "beta2": r"\beta_2", "eps": r"\epsilon", "batch_size": "B"}
    return r",\ ".join(f"{symbols[k]} = {tex.num(v)}" for k, v in hyper.items() if k in keys)


def legend_row(optimiser: str, settings: str, size: int = theme.LABEL_SIZE, width: float = 6) -> VGroup:
    """A swatch (``width``: the path's own stroke width) and the optimiser's name in its colour, its settings
    (TeX) below."""
    color = otheme.OPTIMISER_COLORS[optimiser]
    swatch = Line(LEFT * 0.25, RIGHT * 0.25, color=color, stroke_width=width)
    name = Text(otheme.OPTIMISER_NAMES[optimiser], font=theme.FONT, font_size=size, color=color)
    head = VGroup(swatch, name).arrange(RIGHT, buff=0.2)
    body = MathTex(settings, font_size=otheme.TEX_SIZE, color=theme.TEXT)
    body.next_to(head, DOWN, buff=0.1).align_to(name, LEFT)
    return VGroup(head, body)


def label_side(label, point, avoid: np.ndarray, buff: float = 0.12, rivals=(), placed=(), clear: float = 0.3,
               within=None, reach: np.ndarray | float = 0.0, gaps=(0.0, 0.25, 0.5, 0.8, 1.1)):
    """Put ``label`` beside ``point`` where it covers fewest ``avoid`` points (each one's ink reaching ``reach``
    around it: a stroke's half width, an end marker's radius): the nearest side and gap that cover none.
    ``rivals`` (other marks) stay ``clear`` of the label, which is nearer its own point than any of them (a label
    beside another minimum's dot names the wrong one); ``placed`` (labels already put) are not overlapped; the
    label stays inside ``within`` (a mobject: what comes beside it is not placed yet), else inside the frame.
    A label put ``LEADER_AFTER`` or farther away gets its line from ``leader``."""
    here = point.get_center()[:2]
    centres = [r.get_center()[:2] for r in rivals]
    boxes = [(r.get_corner(DL)[:2], r.get_corner(UR)[:2]) for r in placed]
    half = np.array([config.frame_width, config.frame_height]) / 2 - FRAME_MARGIN
    box_lo, box_hi = (within.get_corner(DL)[:2], within.get_corner(UR)[:2]) if within is not None else (-half, half)
    reach = np.broadcast_to(np.asarray(reach, float), (len(avoid),))
    best, fewest = (DR, buff), None
    for gap in (buff + g for g in gaps):
        for side in (DR, UR, DL, UL, DOWN, UP, RIGHT, LEFT):
            label.next_to(point, side, buff=gap)
            lo, hi = label.get_corner(DL)[:2] - 0.03, label.get_corner(UR)[:2] + 0.03
            inside = 0
            if len(avoid):  # points whose ink reaches into the label's box
                out = np.maximum(np.maximum(lo - avoid[:, :2], avoid[:, :2] - hi), 0)
                inside = int(np.sum(np.hypot(out[:, 0], out[:, 1]) < reach + 1e-9))
            middle = (lo + hi) / 2
            mine = np.linalg.norm(middle - here)
            for c in centres:  # a rival within ``clear`` of the label, or nearer it than its own point
                near = np.all((c >= lo - clear) & (c <= hi + clear))
                inside += 1000 * int(near or np.linalg.norm(middle - c) < mine)
            for b_lo, b_hi in boxes:  # overlapping a placed mobject
                inside += 1000 * int(np.all(lo <= b_hi) and np.all(b_lo <= hi))
            inside += 1000 * int(np.any(lo < box_lo) or np.any(hi > box_hi))  # outside its room
            if fewest is None or inside < fewest:
                best, fewest = (side, gap), inside
        if fewest == 0:
            break
    return label.next_to(point, best[0], buff=best[1])


def leader(label, point, color=theme.MUTED) -> VMobject:
    """A thin line from ``point``'s edge to ``label``'s nearest edge when the label sits ``LEADER_AFTER`` or more
    from that edge (it had to move off the paths); otherwise nothing (an empty mobject)."""
    here = point.get_center()
    lo, hi = label.get_corner(DL), label.get_corner(UR)
    nearest = np.clip(here, lo, hi)
    gap = float(np.linalg.norm((nearest - here)[:2]))
    if gap - point.width / 2 < LEADER_AFTER:
        return VMobject()
    direction = (nearest - here) / gap
    return Line(here + direction * (point.width / 2 + 0.04), nearest - direction * 0.04, color=color,
                stroke_width=2)


def ends_at(entrant: dict, arrow: bool = True) -> MathTex:
    """Where a racer ended (mathcore's entrant): the cost of its last point, or that it diverged, in its colour."""
    color = otheme.OPTIMISER_COLORS[entrant["optimiser"]]
    lead = r"\to " if arrow else ""
    if entrant["final_loss"] is None or entrant["diverged"]:
        return MathTex(lead + r"\text{diverged}", font_size=otheme.TEX_SIZE, color=color)
    return MathTex(lead + rf"\text{{ends at }} C = {tex.num(entrant['final_loss'])}", font_size=otheme.TEX_SIZE,
                   color=color)
