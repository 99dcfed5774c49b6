"""``lecture embed``: built clips into a lecturer's own deck, or snippets beside them."""
from __future__ import annotations

from pathlib import Path

import click

from scenes.pipeline.options import shown_path


@click.command()
@click.argument("deck", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Deck to write (default: DECK-with-clips.pptx beside DECK; re-running updates it).")
@click.option("--clips", "clips_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="A `lecture build` output folder (or its clips/).")
@click.option("--format", "fmt", type=click.Choice(["mp4", "webm", "mov"]), default="mp4", show_default=True,
              help="Clip format to embed (and to link from LaTeX snippets).")
@click.option("--snippets", "kinds", type=click.Choice(["html", "latex"]), multiple=True,
              help="Write an HTML (reveal.js, Quarto, Marp) or LaTeX (Beamer) snippet beside every clip.")
@click.option("--base", default=None, help="The clips folder as the HTML/LaTeX deck sees it (default: paths relative "
              "to each snippet).")
def embed(deck, out_file, clips_dir, fmt, kinds, base):
    """Fill the places marked `clip: Scene/slide` in DECK (.pptx) with the built clips; or write --snippets."""
    from rich.console import Console
    from rich.table import Table

    from scenes.pipeline import embed as embedding

    if deck is None and not kinds:
        raise click.UsageError("give a DECK (.pptx) to fill, or --snippets html|latex")
    index = embedding.ClipIndex(clips_dir)
    if deck is not None:
        target = out_file or embedding.default_output(deck)
        places = embedding.embed(deck, target, index, fmt)
        table = Table(title=f"{shown_path(target)}: {len(places)} clips")
        for col in ("slide", "marker", "clip", "duration (s)", "status"):
            table.add_column(col)
        for p in places:
            table.add_row(str(p.slide_no), f"clip: {p.ref}", f"{p.clip.name}.{fmt}", f"{p.clip.duration:.1f}", p.status)
        Console().print(table)
    if kinds:
        from scenes.pipeline import snippets

        written = snippets.write(index, list(kinds), base, fmt)
        table = Table(title=f"snippets beside the clips in {shown_path(index.folder)}")
        for col in ("clip", "duration (s)", "snippets"):
            table.add_column(col)
        for clip, files in written:
            table.add_row(clip.name, f"{clip.duration:.1f}", ", ".join(f.name for f in files))
        Console().print(table)
