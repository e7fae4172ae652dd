"""Benchmark of the CSV import and export: ``python benchmarks/bench_import.py [ROWS]``.

Writes a CRM-style export of ROWS opportunities (default 100,000) with HubSpot-style per-stage
dates ("Date entered/exited <stage>"), as many activities, and a stage-history file of ROWS rows
(Salesforce Opportunity History shape) for half the opportunities, then times reading, checking,
importing (one transaction), re-importing (no duplicates) and exporting.
For ``run.py`` it also measures the GUI thread's worst stall (``stall.py``) while the import
wizard imports 100,000 activities into a copy of the large workspace, and while File > Export
writes one person's activities from it.
"""

from __future__ import annotations

import gc
import importlib
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from nextlevel_desktop.domain.importing import ImportKind, ImportMapping
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.workspace import open_workspace


def write_files(folder: Path, rows: int) -> tuple[Path, Path]:
    rng = random.Random(5)
    deals = [
        "opportunity_id,sales_agent,account,deal_stage,engage_date,close_date,close_value,"
        "Date entered Engaging,Date exited Engaging,Date entered Proposal"
    ]
    history = ["OPPORTUNITYID,STAGENAME,CREATEDDATE"]
    for i in range(rows):
        stage = rng.choice(["Prospecting", "Engaging", "Proposal", "Won", "Lost"])
        month, day = rng.randint(1, 6), rng.randint(1, 28)
        opened = f"2025-{month:02d}-{day:02d}"
        closed = (
            f"2025-{rng.randint(9, 12):02d}-{rng.randint(1, 28):02d}"
            if stage in ("Won", "Lost")
            else ""
        )
        value = f'"${rng.randint(100, 90000):,}.00"' if stage == "Won" else ""
        # Per-stage dates where the deal got that far, some of them missing (unknown).
        engaged = f"2025-{month + 1:02d}-{day:02d} 10:00" if stage != "Prospecting" else ""
        proposed = (
            f"2025-{month + 2:02d}-{day:02d} 10:00"
            if stage not in ("Prospecting", "Engaging")
            else ""
        )
        if rng.random() < 0.2:
            engaged = ""
        dates = f"{engaged},{proposed if engaged else ''},{proposed}"
        deals.append(
            f"D{i},Agent {i % 40},Account {i % 3000},{stage},{opened},{closed},{value},{dates}"
        )
        if i % 2 == 0 and len(history) <= rows:
            history.append(f"D{i},Prospecting,{opened}T09:00:00.000Z")
            if engaged:
                history.append(f"D{i},Engaging,{engaged.replace(' ', 'T')}:00.000Z")
    (folder / "history.csv").write_text("\n".join(history[: rows + 1]), encoding="utf-8")
    acts = ["Activity ID,Date,Activity Type,Assigned To,Company,Notes"]
    for i in range(rows):
        day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(8, 17)}:00"
        kind = rng.choice(["Call", "Email", "Meeting"])
        acts.append(f"A{i},{day},{kind},Agent {i % 40},Account {i % 3000},note {i}")
    (folder / "deals.csv").write_text("\n".join(deals), encoding="utf-8")
    (folder / "activities.csv").write_text("\n".join(acts), encoding="utf-8")
    return folder / "deals.csv", folder / "activities.csv"


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    """Wall-clock and CPU seconds: on a busy machine the CPU time is the steadier figure."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<32} {wall:7.2f} s  (CPU {used:.2f} s)")
    return result


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    folder = Path(tempfile.mkdtemp(prefix="nl-bench-"))
    deals, acts = write_files(folder, rows)
    db, _ = open_workspace(folder / "bench.nlw")
    services = Services.for_database(db)
    imp = services.importing
    stages = {"Prospecting": "Suspect", "Engaging": "Qualified"}
    files = [
        (deals, ImportKind.ENGAGEMENTS),
        (acts, ImportKind.ACTIVITIES),
        (folder / "history.csv", ImportKind.STAGE_HISTORY),
    ]
    for path, kind in files:
        table = timed(f"read {path.name}", lambda p=path: imp.read_file(p))
        mapping = ImportMapping(kind, imp.guess(table, kind), stages=stages)
        timed(f"check {len(table.rows):,} {kind.value}", lambda t=table, m=mapping: imp.check(t, m))
        marks: list[float] = []

        def progress(fraction: float, marks: list[float] = marks) -> None:
            if fraction >= 0.3 and not marks:
                marks.append(time.perf_counter())  # rows checked; the database writes begin

        start = time.perf_counter()
        result = timed(
            f"import {kind.value}", lambda t=table, m=mapping: imp.run(t, m, progress=progress)
        )
        write = time.perf_counter() - marks[0]
        print(
            f"{'  of which database writes':<32} {write:7.2f} s ({marks[0] - start:.2f} s checks)"
        )
        print("  ", result.summary())
        result = timed(f"re-import {kind.value}", lambda t=table, m=mapping: imp.run(t, m))
        print("  ", result.summary())
    for what in ("engagements", "activities"):
        timed(
            f"export {what}", lambda w=what: services.exporting.export(w, folder / f"out-{w}.csv")
        )
    db.close()


def run(workspace: Path, runs: int = 5) -> list:  # type: ignore[type-arg]
    """For ``benchmarks/run.py``: the database write of 100,000 imported rows (median).

    Uses fresh workspaces of its own (an import changes the workspace it runs on), so
    ``workspace`` is not touched.
    """
    import statistics

    from common import Result  # type: ignore[import-not-found]

    folder = Path(tempfile.mkdtemp(prefix="nl-bench-"))
    deals, acts = write_files(folder, 100_000)
    stages = {"Prospecting": "Suspect", "Engaging": "Qualified"}
    results = []
    for path, kind, what in (
        (deals, ImportKind.ENGAGEMENTS, "100,000 opportunities with per-stage dates"),
        (acts, ImportKind.ACTIVITIES, "100,000 activities"),
        (folder / "history.csv", ImportKind.STAGE_HISTORY, "100,000 stage-history rows"),
    ):
        writes = []
        for i in range(max(1, min(runs, 3))):
            db, _ = open_workspace(folder / f"{kind.value}-{i}.nlw")
            imp = Services.for_database(db).importing
            if kind is ImportKind.STAGE_HISTORY:  # (the opportunities it names come first)
                first = imp.read_file(deals)
                guess = imp.guess(first, ImportKind.ENGAGEMENTS)
                imp.run(first, ImportMapping(ImportKind.ENGAGEMENTS, guess, stages=stages))
            table = imp.read_file(path)
            mapping = ImportMapping(kind, imp.guess(table, kind), stages=stages)
            marks: list[float] = []

            def progress(fraction: float, marks: list[float] = marks) -> None:
                if fraction >= 0.3 and not marks:
                    marks.append(time.perf_counter())

            imp.run(table, mapping, progress=progress)
            writes.append(time.perf_counter() - marks[0])
            db.close()
        median = statistics.median(writes)
        results.append(
            Result(
                area="import",
                what=f"database write of {what} (one transaction)",
                median=median,
                unit="s",
                runs=len(writes),
                target="well under 15 s",
                ok=median < 15,
            )
        )
    try:
        results += _in_the_window(workspace, acts, runs)
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)  # the CSV files and the fresh workspaces
    return results


def _in_the_window(workspace: Path, activities_csv: Path, runs: int) -> list:  # type: ignore[type-arg]
    """Import through the wizard, then export, in the real window on a copy of ``workspace``."""
    import shutil

    from common import gui_app  # type: ignore[import-not-found]
    from stall import StallProbe, settled, spin_until, stall_result  # type: ignore[import-not-found]

    from nextlevel_desktop.ui.dialogs.import_wizard import ImportWizard
    from nextlevel_desktop.ui.main_window import MainWindow
    from nextlevel_desktop.ui.user_settings import UserSettings

    app = gui_app()
    folder = Path(tempfile.mkdtemp(prefix="nl-bench-gui-"))
    copy = folder / "gui.nlw"
    shutil.copy(workspace, copy)
    db, _ = open_workspace(copy)
    services = Services.for_database(db)

    class _Controller:
        def open_workspace(self, *_a: object, **_k: object) -> bool:
            return True

    window = MainWindow(services, UserSettings(folder / "s.ini"), _Controller())
    window.resize(1280, 800)
    window.show()
    window.show_area(1)  # the activity list follows the import
    for names in window.startup_modules():  # as the app's opener thread imports them
        for name in names:
            importlib.import_module(name)
    app.processEvents()
    done = settled(window)
    spin_until(done)
    gc.freeze()  # as the app does once its first screen is shown (app.py)
    export_stalls = []
    probe = StallProbe()
    steps: list[tuple[str, float]] = []  # each step of the wizard: (what, worst stall)

    def step(what: str, action: Callable[[], object], until: Callable[[], bool]) -> None:
        with probe:
            action()
            spin_until(until)
        steps.append((what, probe.worst_ms))
        print(
            f"  {what}: worst stall {probe.worst_ms:.1f} ms, longest GUI-thread turn "
            f"{probe.worst_cpu_ms:.1f} ms of CPU",
            file=sys.stderr,
        )

    # (Only ``opened`` holds the wizard: closed, it is freed as in the app.)
    opened: list[ImportWizard] = []
    step("wizard opened", lambda: opened.append(window.file_actions.import_file()), lambda: True)

    def choose() -> None:
        page = opened[0].file_page
        page.kind.setCurrentIndex(page.kind.findData(ImportKind.ACTIVITIES.value))
        page.load(activities_csv)

    step("file chosen and read", choose, lambda: opened[0].file_page.isComplete())
    step("columns matched", lambda: opened[0].next(), lambda: True)
    step("rows checked", lambda: opened[0].next(), lambda: opened[0].check_result is not None)
    step("imported", lambda: opened[0].next(), lambda: opened[0].import_page.isComplete())
    if opened[0].outcome is None:
        raise RuntimeError(f"the import failed: {opened[0].import_page.status.text()}")
    # The window publishes what was written; the views follow.
    step("closed, list updated", lambda: opened.pop().accept(), done)
    log = window.activities.log
    log.person.setCurrentIndex(1)  # what the list shows is what is exported
    spin_until(done)
    for i in range(max(1, min(runs, 3))):
        dest = folder / f"export-{i}.csv"
        written: list[int] = []
        with probe:
            window.file_actions.export("activities", dest, on_done=written.append)
            spin_until(settled(window, lambda w=written: bool(w)))
        if not written or not dest.exists():
            raise RuntimeError("the export wrote nothing")
        export_stalls.append(probe.worst_ms)
        print(
            f"  export {i}: worst stall {probe.worst_ms:.1f} ms, longest GUI-thread turn "
            f"{probe.worst_cpu_ms:.1f} ms of CPU",
            file=sys.stderr,
        )
    window.close()
    db.close()
    shutil.rmtree(folder, ignore_errors=True)
    return [
        stall_result(
            "import",
            "wizard import of 100,000 activities (file chosen → list updated; "
            + ", ".join(f"{what} {ms:.0f}" for what, ms in steps)
            + ")",
            [max(ms for _what, ms in steps)],
        ),
        stall_result("export", "File > Export of one person's activities", export_stalls),
    ]


if __name__ == "__main__":
    main()
