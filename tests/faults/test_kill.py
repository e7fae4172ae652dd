"""kill -9 during every kind of write: nothing acknowledged is lost, nothing is half-written.

Each trial starts ``writer.py`` on a copy of a demo workspace, kills it with SIGKILL after a
seeded random delay, and checks the file (see ``killing.py``); then one acknowledged write is
taken out of the file behind the app's back, and the same check must report it, so a check that
cannot fail does not pass unnoticed. The short run (CI) makes ``NLD_FAULT_TRIALS`` kills per
kind, 3 by default; the long run is ``python benchmarks/fault_run.py --trials 40`` (or
``NLD_FAULT_TRIALS=40 python -m pytest tests/faults/test_kill.py``). ``NLD_FAULT_SEED`` changes
the seeds.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from killing import KINDS, Trial, check_trial, kill_writer, make_template, tamper

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX-only")

TRIALS = int(os.environ.get("NLD_FAULT_TRIALS", "3"))
SEED = int(os.environ.get("NLD_FAULT_SEED", "1127"))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_template(tmp_path_factory.mktemp("template") / "demo.nlw")


@pytest.mark.parametrize("kind", KINDS)
def test_kill_9_loses_no_acknowledged_write(kind: str, template: Path, tmp_path: Path) -> None:
    checked = tampered = 0
    for i in range(TRIALS):
        folder = tmp_path / f"trial-{i}"
        trial, events = kill_writer(kind, template, folder, SEED + 1000 * KINDS.index(kind) + i)
        check_trial(trial, folder / "workspace.nlw", template, events)
        where = f"{kind}, seed {trial.seed}, killed after {trial.delay_s:.3f} s, {trial.acked} acks"
        assert trial.problems == [], f"{where}: {trial.problems}"
        assert trial.integrity_ok, where
        checked += trial.checked

        if tamper(kind, folder / "workspace.nlw", events):
            tampered += 1
            again = Trial(kind, trial.seed, trial.delay_s)
            check_trial(again, folder / "workspace.nlw", template, events)
            assert again.problems, f"{where}: the check missed a write taken out of the file"
    if kind != "create":  # a kill may land before the first new workspace is finished
        assert checked > 0, f"{kind}: no write was acknowledged before the kills"
        assert tampered > 0, f"{kind}: no acknowledged write to take out"
