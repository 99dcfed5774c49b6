"""``lecture render``: render the scenes that changed since their last render."""
from __future__ import annotations

from pathlib import Path

import click

from scenes.pipeline.options import (
    check_scenes,
    config_option,
    executor_for,
    jobs_option,
    media_dir_option,
    quality_option,
    scenes_argument,
    scheduler_option,
    shown_path,
    use_config,
    use_voice,
    voice_options,
)


@click.command()
@scenes_argument
@quality_option()
@jobs_option
@click.option("--force", is_flag=True, help="Render even the scenes that are up to date.")
@click.option("--explain", is_flag=True, help="Say which scenes would be rendered and why; render nothing.")
@scheduler_option
@config_option
@media_dir_option()
@voice_options
def render(scenes, quality, jobs, force, explain, scheduler, config_file, media_dir, voice_kind, voice_model,
           speech_rate):
    """Render SCENES (all, in lecture order, by default) that changed since their last render."""
    from rich.console import Console
    from rich.table import Table

    use_config(config_file)
    use_voice(voice_kind, voice_model, speech_rate)
    names = check_scenes(scenes)
    from scenes.pipeline import render as renderer

    if explain:
        for d in renderer.plan(names, quality, Path(media_dir).resolve(), force=force):
            click.echo(f"{d.scene:<24} {'render' if d.render else 'skip  '}  {'; '.join(d.reasons)}")
        return
    with executor_for(scheduler) as executor:
        results = renderer.render_lecture(names, quality, media_dir, Console(stderr=True), jobs, force,
                                          executor=executor)
    table = Table(title=f"lecture render -q {quality}")
    for col in ("scene", "status", "video (s)", "render (s)", "peak MB"):
        table.add_column(col)
    table.add_column("output", overflow="fold")
    for r in results:
        table.add_row(r.scene, r.status, f"{r.video_seconds:.1f}", f"{r.seconds:.1f}",
                      f"{r.peak_mb:.0f}" if r.peak_mb else "",
                      shown_path(r.path) if r.ok and r.path else f"{r.error} (log: {shown_path(r.log)})")
    Console().print(table)
    if any(not r.ok for r in results):
        raise SystemExit(1)
