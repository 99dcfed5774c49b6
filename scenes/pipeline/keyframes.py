"""Key frames: the screen at every pause and at the end of a scene, as PNG.

Runs the scene with animations skipped (each play jumps to its end), so a whole
scene's key frames cost about as much as one still.
"""
from __future__ import annotations

from pathlib import Path

from manim import tempconfig
from PIL import Image

from scenes import order


def render_keyframes(scene_cls, out_dir: Path, quality: str = "l") -> list[Path]:
    """Write ``<Scene>_NN.png`` for each pause and the end; return the paths."""
    return _run(scene_cls, out_dir, quality)[0]


def slide_frames(scene_cls, out_dir: Path, quality: str = "l") -> tuple[list[Path], list[list[str]]]:
    """The key frame of every slide (a pause after which something played) and the beats each slide holds,
    as the clips of a build are cut and named."""
    written, played, scene = _run(scene_cls, out_dir, quality)
    return [p for p, fresh in zip(written, played) if fresh], scene._log.slides


def _run(scene_cls, out_dir: Path, quality: str):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    played: list[bool] = []  # did anything play since the pause before (else no slide ends here)

    def grab(scene) -> None:
        scene.renderer.update_frame(scene, ignore_skipping=True)
        path = out_dir / f"{scene_cls.__name__}_{len(written) + 1:02d}.png"
        Image.fromarray(scene.renderer.get_frame()).save(path)
        written.append(path)
        played.append(scene.renderer.num_plays > scene._plays_at_pause)

    observed = type(scene_cls.__name__, (scene_cls,), {"beat_observers": [*scene_cls.beat_observers, grab]})
    settings = {"quality": order.QUALITIES[quality], "dry_run": True, "disable_caching": True, "progress_bar": "none",
                "verbosity": "WARNING"}  # no "Rendered ..." line per scene between the paths printed
    with tempconfig(settings):
        scene = observed(skip_animations=True)
        scene.render()
    return written, played, scene
