"""Benchmark of the CSV import and export: ``python benchmarks/bench_import.py [ROWS]``.

Writes a CRM-style export of ROWS opportunities (default 100,000) and as many activities, then
times reading, checking, importing (one transaction), re-importing (no duplicates) and exporting.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from nextlevel_desktop.domain.importing import ImportKind, ImportMapping
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.workspace import open_workspace


def write_files(folder: Path, rows: int) -> tuple[Path, Path]:
    rng = random.Random(5)
    deals = ["opportunity_id,sales_agent,account,deal_stage,engage_date,close_date,close_value"]
    for i in range(rows):
        stage = rng.choice(["Prospecting", "Engaging", "Won", "Lost"])
        opened = (
            ""
            if stage == "Prospecting"
            else f"2025-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"
        )
        closed = (
            f"2025-{rng.randint(7, 12):02d}-{rng.randint(1, 28):02d}"
            if stage in ("Won", "Lost")
            else ""
        )
        value = f'"${rng.randint(100, 90000):,}.00"' if stage == "Won" else ""
        deals.append(f"D{i},Agent {i % 40},Account {i % 3000},{stage},{opened},{closed},{value}")
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
    for path, kind in ((deals, ImportKind.ENGAGEMENTS), (acts, ImportKind.ACTIVITIES)):
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
        (deals, ImportKind.ENGAGEMENTS, "100,000 opportunities"),
        (acts, ImportKind.ACTIVITIES, "100,000 activities"),
    ):
        writes = []
        for i in range(max(1, min(runs, 3))):
            db, _ = open_workspace(folder / f"{kind.value}-{i}.nlw")
            imp = Services.for_database(db).importing
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
    return results


if __name__ == "__main__":
    main()
