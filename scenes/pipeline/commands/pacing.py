"""``lecture pacing``: how the picture keeps up with the voice in a build (scenes/pipeline/pacing.py)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from scenes.pipeline.options import check_scenes, media_dir_option, quality_option, scenes_argument


@click.command()
@scenes_argument
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="A build's output folder (its videos/<Scene>.mp4 are measured).")
@media_dir_option(help="The build's media folder (speech logs).")
@quality_option(help="The build's quality.")
@click.option("--json", "json_file", default=None, type=click.Path(dir_okay=False), help="Also write the figures here.")
def pacing(scenes, out_dir, media_dir, quality, json_file):
    """How the picture keeps up with the voice in a build: motion share, beats frozen while the voice talks,
    the longest still stretch."""
    from rich.console import Console
    from rich.table import Table

    from mathcore.output import atomic_write
    from scenes.pipeline import incremental
    from scenes.pipeline import pacing as measure

    rows = []
    for name in check_scenes(scenes):
        video = Path(out_dir) / "videos" / f"{name}.mp4"
        manifest = incremental.manifest_path(Path(media_dir), quality, name)
        if not video.is_file():
            continue
        slides = Path(json.loads(manifest.read_text())["slides"]).parent if manifest.is_file() else Path(media_dir)
        rows.append(measure.pace(name, video, slides / f"{name}.speech.json"))
    if not rows:
        raise click.BadParameter(f"no scene videos under {Path(out_dir) / 'videos'} (run lecture build first)",
                                 param_hint="--out")
    table = Table(title=f"pacing of {out_dir}")
    for col in ("scene", "seconds", "moving", "longest still (s)", "frozen beats", "worst frozen talk (s)"):
        table.add_column(col)
    for r in rows:
        worst = max(r.beats, key=lambda b: b.frozen_talk, default=None)
        table.add_row(r.scene, f"{r.seconds:.1f}", f"{r.moving_share:.0%}", f"{r.longest_still:.1f}",
                      f"{len(r.frozen_beats)}/{len(r.beats)}", f"{worst.frozen_talk:.1f} {worst.beat}" if worst else "")
    figures = measure.summary(rows)
    Console().print(table)
    click.echo(f"lecture: {figures['seconds']} s, {figures['moving_share']:.0%} of frames move, "
               f"{figures['frozen_beats']} of {figures['beats']} beats talk over a still picture for more than "
               f"{measure.FROZEN_SECONDS:g} s, longest still {figures['longest_still']} s "
               f"({figures['longest_still_in']})")
    if json_file:
        atomic_write(Path(json_file), lambda tmp: tmp.write_text(json.dumps(figures, indent=1)))
