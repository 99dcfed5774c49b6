"""The highlight of a drawn symbol or number while the voice names it (one look for every speech-bound beat)."""
from __future__ import annotations

from manim import AnimationGroup, Indicate, ScaleInPlace, VGroup, VMobject, there_and_back

from scenes import theme

FLASH = 0.5  # seconds: about as long as a number takes to say
SWELL = 1.12  # how much swell() grows a mobject at its height


def lit(*mobjects, run_time: float = FLASH) -> Indicate | AnimationGroup:
    """Each mobject grows a little and takes the highlight colour, then returns (manim's Indicate). Play it
    after a mobject's own fade-in: begun with it, it ends by restoring the mobject faded."""
    if len(mobjects) == 1:
        return Indicate(mobjects[0], color=theme.HIGHLIGHT, run_time=run_time)
    # held together in a VGroup, which manim adds to the scene: a later fade of the scene's VMobjects takes it too
    group = VGroup(*mobjects) if all(isinstance(m, VMobject) for m in mobjects) else None
    return AnimationGroup(*[Indicate(m, color=theme.HIGHLIGHT) for m in mobjects], group=group, run_time=run_time)


def swell(*mobjects, run_time: float = FLASH) -> ScaleInPlace:
    """The mobjects, together, grow a little and return, keeping their colours: lit() for a picture whose colours
    carry values (z's colour ramp), which the highlight colour would hide while the voice names it."""
    group = VGroup(*mobjects) if len(mobjects) > 1 else mobjects[0]
    return ScaleInPlace(group, SWELL, rate_func=there_and_back, run_time=run_time)


def one_by_one(scene, name: str, mobjects) -> None:
    """Light each of ``mobjects`` as the voice says its item of a list marked ``[[name1]]``, ``[[name2]]``, ...
    (narration.marked); each highlight is over before the next item is said, however fast the list goes."""
    mobjects = list(mobjects)
    for k, mobject in enumerate(mobjects, start=1):
        scene.at(f"{name}{k}")
        run_time = min(FLASH, scene.until(f"{name}{k + 1}", default=FLASH)) if k < len(mobjects) else FLASH
        scene.play(lit(mobject, run_time=run_time))
