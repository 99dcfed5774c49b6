"""A build killed at any moment leaves no process behind and nothing that looks finished but is not."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.render.common import REPO
from tests.render.test_publish import _alive

#: Starts the deck's workers as a build does (while its scenes render), prints their pids, then waits.
DECK_WORKERS = """
import json, time
from scenes.pipeline import deck
pool = deck.workers()
while len(pool._processes) < deck.WORKERS:
    time.sleep(0.05)
print(json.dumps(sorted(pool._processes)), flush=True)
time.sleep(600)
"""


def test_the_deck_workers_of_a_build_killed_with_sigkill_die_with_it():
    """They are started while the scenes render; kill -9 of the build left them (and the fork server) idle for good."""
    proc = subprocess.Popen([sys.executable, "-c", DECK_WORKERS], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        workers = json.loads(proc.stdout.readline())
        assert len(workers) == 2 and all(map(_alive, workers))
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    deadline = time.time() + 20
    while any(map(_alive, workers)) and time.time() < deadline:
        time.sleep(0.2)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:  # not to leak them into the rest of the run
        Path(f"/proc/{pid}").exists() and subprocess.run(["kill", "-9", str(pid)], check=False)
    assert not left, f"deck workers outlived their build: {left}"
