"""Import → undo → redo of 100,000 activities on a copy of the large workspace:
``python benchmarks/import_undo.py COPY.nlw [RUNS] [--import-only | --window]``.

Prints, per run, the wall and thread CPU seconds of the import's one transaction, of the undo
(``RevisionService.revert``) and of the redo (``reapply``), and the process's peak resident
memory in each phase (``VmHWM``, reset before each phase through ``/proc/self/clear_refs``).
Each run undoes its import at the end, so the copy is as it was. ``--import-only`` (for the
code before imports were undoable) imports with fresh keys each run and undoes nothing.
``--window`` instead imports through the wizard in the real main window and measures the GUI
thread's worst stall (``stall.py``) while Edit > Undo and Redo run on the writer thread.
Never point it at the original large workspace: it writes.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from nextlevel_desktop.domain.importing import ImportKind, ImportMapping
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage.orm import AccountRow, PersonRow

ROWS = 100_000


def _memory(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024  # MB
    return 0


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def phase(label: str, fn):  # type: ignore[no-untyped-def]
    _reset_peak()
    start, cpu = time.perf_counter(), time.thread_time()
    result = fn()
    wall, used = time.perf_counter() - start, time.thread_time() - cpu
    print(
        f"{label:<10} {wall:6.2f} s wall  {used:6.2f} s CPU  "
        f"peak {_memory('VmHWM'):5,} MB  now {_memory('VmRSS'):5,} MB",
        flush=True,
    )
    return result


def write_csv(path: Path, people: list[str], accounts: list[str], seed: int, stamp: int) -> None:
    rng = random.Random(seed)
    lines = ["Activity ID,Date,Activity Type,Assigned To,Company,Notes"]
    for i in range(ROWS):
        day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(8, 17)}:00"
        kind = rng.choice(["Call", "Email", "Meeting"])
        who, where = rng.choice(people), rng.choice(accounts)
        lines.append(f"U{stamp}-{seed}-{i},{day},{kind},{who},{where},note {i}")
    path.write_text("\n".join(lines), encoding="utf-8")


def in_the_window(services: Services, csv: Path) -> None:
    """Wizard import, then Undo and Redo from the Edit menu; the worst GUI stall of each."""
    from PySide6.QtWidgets import QApplication
    from stall import StallProbe, settled, spin_until  # type: ignore[import-not-found]

    from nextlevel_desktop.ui.main_window import MainWindow
    from nextlevel_desktop.ui.user_settings import UserSettings

    app = QApplication.instance() or QApplication([])

    class _Controller:
        def open_workspace(self, *_a: object, **_k: object) -> bool:
            return True

    window = MainWindow(services, UserSettings(csv.with_suffix(".ini")), _Controller())
    window.resize(1280, 800)
    window.show()
    window.show_area(1)  # the activity list follows the import and its undo
    for names in window.startup_modules():
        for name in names:
            __import__(name)
    app.processEvents()
    done = settled(window)
    wizard = window.file_actions.import_file()
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("activities"))
    wizard.file_page.load(csv)
    wizard.next()
    wizard.next()
    spin_until(lambda: wizard.check_result is not None, 600)
    wizard.next()
    spin_until(lambda: wizard.import_page.isComplete(), 600)
    wizard.accept()
    spin_until(done, 600)
    print("undo stack:", window.undo_stack.undoText(), flush=True)
    probe = StallProbe()
    for label, action in (
        ("undo", window.undo_action),
        ("redo", window.redo_action),
        ("undo", window.undo_action),
    ):
        start = time.perf_counter()
        with probe:
            action.trigger()
            spin_until(done, 600)
        print(
            f"{label:<10} {time.perf_counter() - start:6.2f} s to the list updated; worst GUI "
            f"stall {probe.worst_ms:.0f} ms (GUI thread CPU in it {probe.worst_cpu_ms:.0f} ms)",
            flush=True,
        )
    window.close()


def main() -> None:
    path = Path(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    only_import = "--import-only" in sys.argv
    db, _ = open_workspace(path)
    services = Services.for_database(db)
    with db.read() as s:
        people = list(s.scalars(select(PersonRow.name).limit(40)))
        accounts = list(s.scalars(select(AccountRow.name).limit(3000)))
    folder = Path(tempfile.mkdtemp(prefix="nl-undo-"))
    imp = services.importing
    stamp = int(time.time())  # (fresh keys: each run creates its rows)
    if "--window" in sys.argv:
        write_csv(folder / "activities.csv", people, accounts, 0, stamp)
        in_the_window(services, folder / "activities.csv")
        db.close()
        return
    for run in range(runs):
        csv = folder / f"activities-{run}.csv"
        write_csv(csv, people, accounts, run, stamp)
        table = imp.read_file(csv)
        mapping = ImportMapping(ImportKind.ACTIVITIES, imp.guess(table, ImportKind.ACTIVITIES))
        print(f"run {run + 1}: RSS {_memory('VmRSS'):,} MB before", flush=True)
        result = phase("import", lambda t=table, m=mapping: imp.run(t, m))
        assert result.created == ROWS, result.summary()
        if only_import:
            continue
        rev = result.revision
        phase("undo", lambda r=rev: services.revisions.revert(r))
        phase("redo", lambda r=rev: services.revisions.reapply(r))
        phase("undo", lambda r=rev: services.revisions.revert(r))
        del result, rev
    db.close()


if __name__ == "__main__":
    main()
