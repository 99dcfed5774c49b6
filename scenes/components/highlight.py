"""A drawn symbol or number lighting up as the voice names it."""
from __future__ import annotations

from manim import Indicate

from scenes import theme

FLASH = 0.5  # seconds: seen, and over before the next named word


def flash(mob, run_time: float = FLASH) -> Indicate:
    """Light ``mob`` up (start it after the mobject's own fade-in: begun with it, it ends restoring it faded)."""
    return Indicate(mob, color=theme.HIGHLIGHT, run_time=run_time)
