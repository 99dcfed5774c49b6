"""How the picture keeps up with the voice, measured on built videos (``lecture pacing``).

For each scene video: which frames move (the picture differs from the one before), the share of
frames that move, the longest stretch with no motion, and each spoken beat's *frozen talk*: the
seconds its voice goes on after the beat's picture last moved (a picture that stops while the voice
explains it, the fault the speech-bound beats remove). The beats' times come from the scene's
speech log (``<Scene>.speech.json`` beside its slides, written by a voiced render).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

#: A frame moves when a pixel of its grey, quarter-size picture differs from the frame before by more
#: than this (out of 255): the encoder's noise on a still picture stays below it.
MOTION_LEVEL = 12
#: A beat whose voice talks longer than this over a still last picture is counted as frozen.
FROZEN_SECONDS = 3.0


@dataclass
class BeatPace:
    beat: str
    start: float
    speech_end: float
    last_motion: float  # seconds into the scene; the beat's start if nothing moved in it
    frozen_talk: float  # seconds the voice talks after the last motion


@dataclass
class ScenePace:
    scene: str
    seconds: float
    fps: float
    moving_share: float
    longest_still: float
    longest_still_at: float
    beats: list[BeatPace] = field(default_factory=list)

    @property
    def frozen_beats(self) -> list[BeatPace]:
        return [b for b in self.beats if b.frozen_talk > FROZEN_SECONDS]


def motion(video: Path) -> tuple[np.ndarray, float]:
    """One flag per frame, True where the picture moved since the frame before; and the frame rate."""
    import av

    moved, previous = [], None
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate or stream.guessed_rate or 15)
        for frame in container.decode(stream):
            grey = frame.reformat(width=max(2, frame.width // 4), height=max(2, frame.height // 4),
                                  format="gray").to_ndarray().astype(np.int16)
            moved.append(previous is not None and int(np.abs(grey - previous).max()) > MOTION_LEVEL)
            previous = grey
    return np.asarray(moved, dtype=bool), fps


def longest_run(still: np.ndarray) -> tuple[int, int]:
    """The length and start index of the longest run of True values."""
    best, best_at, run = 0, 0, 0
    for i, s in enumerate(still):
        run = run + 1 if s else 0
        if run > best:
            best, best_at = run, i - run + 1
    return best, best_at


def pace(scene: str, video: Path, speech_log: Path | None) -> ScenePace:
    moved, fps = motion(video)
    n = len(moved)
    still_frames, still_at = longest_run(~moved[1:]) if n > 1 else (0, 0)
    result = ScenePace(scene, n / fps, fps, float(moved[1:].mean()) if n > 1 else 0.0,
                       still_frames / fps, (still_at + 1) / fps)
    log = json.loads(speech_log.read_text()) if speech_log and speech_log.is_file() else []
    for beat in log:
        # rounded: a time is frames with float noise (655.0000000000043); its ceiling took the next beat's first frame
        first, last = int(round(beat["start"] * fps)), min(n, int(round(beat["end"] * fps)))
        moving = np.flatnonzero(moved[first:last])
        last_motion = (first + moving[-1]) / fps if moving.size else beat["start"]
        speech_end = max(s[1] for s in beat["sentences"]) if beat["sentences"] else beat["start"]
        result.beats.append(BeatPace(beat["beat"], beat["start"], speech_end, last_motion,
                                     max(0.0, speech_end - last_motion)))
    return result


def summary(paces: list[ScenePace]) -> dict:
    """The lecture's figures: motion share (by frames), beats frozen over FROZEN_SECONDS, the longest still."""
    frames = sum(p.seconds * p.fps for p in paces)
    longest = max(paces, key=lambda p: p.longest_still, default=None)
    frozen = [(p.scene, b) for p in paces for b in p.frozen_beats]
    return {
        "seconds": round(sum(p.seconds for p in paces), 1),
        "moving_share": round(sum(p.moving_share * p.seconds * p.fps for p in paces) / frames, 3) if frames else 0.0,
        "frozen_beats": len(frozen),
        "beats": sum(len(p.beats) for p in paces),
        "longest_still": round(longest.longest_still, 1) if longest else 0.0,
        "longest_still_in": f"{longest.scene} at {longest.longest_still_at:.1f} s" if longest else "",
        "frozen": [{"scene": s, **{k: round(v, 2) if isinstance(v, float) else v for k, v in asdict(b).items()}}
                   for s, b in frozen],
    }
