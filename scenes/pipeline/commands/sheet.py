"""``lecture sheet``: a contact sheet per scene."""
from __future__ import annotations

from pathlib import Path

import click

from scenes import order
from scenes.pipeline.options import check_scenes, config_option, scenes_argument, use_config


@click.command()
@scenes_argument
@click.option("--out", "out_dir", default="out/sheets", show_default=True, help="Folder for the sheets.")
@click.option("--from-clips", "clips_dir", default=None, type=click.Path(file_okay=False),
              help="A build's clip folder (out/clips); scenes without clips there use key frames.")
@config_option
def sheet(scenes, out_dir, clips_dir, config_file):
    """One contact sheet PNG per scene: the picture at every pause, labelled with its clip name."""
    from scenes.pipeline.sheet import make_sheet

    use_config(config_file)
    for name in check_scenes(scenes):
        path, labels = make_sheet(order.load(name), Path(out_dir), Path(clips_dir) if clips_dir else None)
        click.echo(f"{path}  ({len(labels)} pause{'' if len(labels) == 1 else 's'})")
