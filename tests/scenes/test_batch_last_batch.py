"""BatchCostSurfaces says how small the last batch of an epoch is: beside each minibatch run "last batch: N rows",
its own run's N, and once in speech, for the first larger batch size that does not divide the rows, with its N said
as that line lights. N is checked against torch's DataLoader (drop_last=False), under the shipped config and under
two others (other rows and sizes; a larger size that divides the rows before the one that does not)."""
from __future__ import annotations

import pytest
import torch

from mathcore import batches
from mathcore.errors import ConfigError
from scenes.batch_surfaces import BatchCostSurfaces

from .harness import check_fields, shared_dry_run
from .test_descent_scenes import ALT_CONFIG, ALT_TABLE
from .test_speech_bound_descent import dry_run, reached
from .test_speech_bound_optimisation import lit_with

pytestmark = pytest.mark.slow

#: The shipped table; sizes 2 and 5 divide its 10 rows, 4 does not: the voice must name 4, not 5.
DIVIDING_FIRST = "[batches]\nbatch_sizes = [1, 2, 5, 4]\n"


def last_batch(n_rows: int, batch_size: int) -> int:
    """The rows of the last batch torch's DataLoader gives for one epoch."""
    return len(list(torch.utils.data.DataLoader(torch.arange(n_rows), batch_size=batch_size, drop_last=False))[-1])


def rows(n: int) -> str:
    return f"{n} row" + ("" if n == 1 else "s")


def config_of(which: str, shipped, use_config):
    if which == "shipped":
        return shipped
    if which == "alt":
        return use_config(ALT_CONFIG, {"alt_table.csv": ALT_TABLE})
    return use_config(DIVIDING_FIRST)


#: (config, the batch size the voice names, the rows of the table)
CASES = [("shipped", 3, 10), ("alt", 5, 8), ("dividing-first", 4, 10)]


@pytest.mark.parametrize("which, size, n", CASES, ids=[c[0] for c in CASES])
def test_each_run_shows_its_last_batch_and_the_voice_names_one(which, size, n, shipped, use_config):
    cfg = config_of(which, shipped, use_config)
    sizes = list(cfg.batches.batch_sizes)
    assert len(batches.table(cfg)[0]) == n and size in sizes
    # on screen: every minibatch run's line shows its own last batch, in its place
    expected = {f"runs[{k}].last_batch": last_batch(n, b) for k, b in enumerate(sizes) if b > 1}
    shown = shared_dry_run(BatchCostSurfaces)
    check_fields(shown, expected)
    assert any(f"last batch: {rows(last_batch(n, size))}" in t for t in shown.texts)
    # in speech, once: the sentence with the rows, the size and its last batch, which lights as it is said
    scene, flashes, cues, frame = dry_run(BatchCostSurfaces)
    assert not scene.missed_marks
    said = " ".join(" ".join(text for _, text in cues).split())
    last = rows(last_batch(n, size))
    sentence = (f"When the batch size does not divide the {n} rows, the last batch of each epoch is smaller: "
                f"with batch size {size} it has {last}.")
    assert said.count(sentence) == 1, said
    assert said.count("the last batch of each epoch") == 1
    lit_with(flashes, f"last batch: {last}", reached(cues, "Now batch sizes", f"it has {last}.", last), frame)


def test_sizes_that_all_divide_the_rows_are_refused(use_config):
    """Nothing to show the sentence with: refused before rendering, naming the key."""
    cfg = use_config("[batches]\nbatch_sizes = [1, 2, 5]\n")
    with pytest.raises(ConfigError) as refused:
        BatchCostSurfaces.check_config(cfg)
    assert "batches.batch_sizes" in str(refused.value)
