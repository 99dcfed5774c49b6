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
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def grab(scene) -> None:
        scene.renderer.update_frame(scene, ignore_skipping=True)
        path = out_dir / f"{scene_cls.__name__}_{len(written) + 1:02d}.png"
        Image.fromarray(scene.renderer.get_frame()).save(path)
        written.append(path)

    observed = type(scene_cls.__name__, (scene_cls,), {"beat_observers": [*scene_cls.beat_observers, grab]})
    with tempconfig({"quality": order.QUALITIES[quality], "dry_run": True, "disable_caching": True, "progress_bar": "none"}):
        observed(skip_animations=True).render()
    return written
