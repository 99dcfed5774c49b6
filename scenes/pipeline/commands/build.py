"""``lecture build``: the lecture video, the deck, the clips and the page (scenes/pipeline/lecture_build.py)."""
from __future__ import annotations

import contextlib
from pathlib import Path

import click

from scenes.pipeline.options import (
    check_scenes,
    config_option,
    executor_for,
    jobs_option,
    media_dir_option,
    quality_option,
    scheduler_option,
    shown_path,
    shown_size,
    use_config,
    use_voice,
    voice_options,
)


@click.command()
@click.option("--scenes", "scene_list", default="", help="Comma-separated scenes to build (default: all).")
@quality_option()
@click.option("--format", "formats", default="mp4,png", show_default=True,
              help="Clip formats, comma-separated: mp4, webm, gif, mov, png.")
@click.option("--transparent", is_flag=True, help="Clips with an alpha channel (webm or mov) to lay over a slide.")
@click.option("--background", default=None,
              help="Background colour (#rrggbb or a manim colour name), or 'light' for the light theme.")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Output folder (updated in place).")
@config_option
@media_dir_option()
@jobs_option
@scheduler_option
@click.option("--no-wait", is_flag=True,
              help="If another build is writing to --out, exit (status 2) instead of waiting.")
@voice_options
def build(scene_list, quality, formats, transparent, background, out_dir, config_file, media_dir, jobs, scheduler,
          no_wait, voice_kind, voice_model, speech_rate):
    """The lecture video with chapters and captions, the slide deck, clips and an index page."""
    from rich.console import Console
    from rich.table import Table

    use_config(config_file)
    use_voice(voice_kind, voice_model, speech_rate)
    names = check_scenes(tuple(n for n in scene_list.split(",") if n.strip()))
    fmts = check_formats(formats, transparent)
    use_background(background)
    out = check_writable(Path(out_dir))
    from scenes.pipeline import deck
    from scenes.pipeline import lecture_build as pipeline

    deck.check_assets()  # before minutes of rendering
    console = Console(stderr=True)
    from scenes.pipeline.folder_lock import FolderBusy

    try:
        with executor_for(scheduler) as executor:
            outcome = pipeline.run(pipeline.Build(names, quality, fmts, out, Path(media_dir), transparent, jobs),
                                   console, executor, wait=not no_wait)
    except FolderBusy as busy:
        console.print(f"lecture build: {busy}", soft_wrap=True)
        raise SystemExit(2) from None
    table = Table(title=f"lecture build -q {quality}: {outcome.seconds:.0f} s")
    table.add_column("output")
    table.add_column("size", justify="right")
    for path in outcome.outputs.values():
        table.add_row(shown_path(path), shown_size(path))
    clips = sorted((out / "clips").rglob("*.*")) if (out / "clips").exists() else []
    table.add_row(f"{shown_path(out / 'clips')}/ ({len(clips)} files)", shown_size(*clips))
    Console().print(table)
    for line in outcome.failed:
        console.print(f"[red]failed[/] {line}")
    if outcome.failed:
        raise SystemExit(1)


def check_formats(formats: str, transparent: bool) -> list[str]:
    from scenes.pipeline.clips import FORMATS

    fmts = [f.strip().lower() for f in formats.split(",") if f.strip()]
    bad = [f for f in fmts if f not in FORMATS]
    if bad or not fmts:
        raise click.BadParameter(f"unknown format {bad[0] if bad else formats!r}; "
                                 f"expected some of {', '.join(FORMATS)}", param_hint="--format")
    if transparent and not {"webm", "mov"} & set(fmts):
        raise click.BadParameter("--transparent needs webm or mov among the formats (mp4 has no alpha)",
                                 param_hint="--format")
    return fmts


def use_background(background: str | None) -> None:
    """Pick the theme before any scene module is imported (they take their colours at import)."""
    if background is None:  # the default palette, and manim need not load for a build with nothing to do
        return
    from scenes import theme

    if background == "light":
        theme.use("light")
        return
    try:
        theme.use("dark", background)
    except ValueError:
        raise click.BadParameter(f"{background!r} is not a colour (#rrggbb, a manim colour name, or 'light')",
                                 param_hint="--background") from None


def check_writable(out: Path) -> Path:
    probe = out / ".write-test"
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe.write_text("")
    except OSError as err:
        raise click.BadParameter(f"cannot write to {out}: {err.strerror}", param_hint="--out") from None
    finally:
        with contextlib.suppress(OSError):  # a full disk makes the file, then refuses its byte
            probe.unlink(missing_ok=True)
    return out
