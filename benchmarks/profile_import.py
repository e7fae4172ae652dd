"""Where an import's time goes: ``python benchmarks/profile_import.py KIND [options]``.

KIND is ``engagements``, ``activities`` or ``stage-history``. Runs that import of
``bench_import``'s files (100,000 rows by default) into a fresh workspace (as ``run.py`` times
it; a stage-history import first imports the opportunities it names, untimed), or into a copy
of ``--workspace``, and prints for each run the wall and CPU time of the database write, the
time inside SQLite statements (per statement shape) and, with ``--profile``, a cProfile top 25
by cumulative and by own time. Runs of this file under another ``PYTHONPATH`` compare
versions.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).parent))

from bench_import import write_files  # noqa: E402

from nextlevel_desktop.domain.importing import ImportKind, ImportMapping  # noqa: E402
from nextlevel_desktop.services.container import Services  # noqa: E402
from nextlevel_desktop.services.workspace import open_workspace  # noqa: E402

STAGES = {"Prospecting": "Suspect", "Engaging": "Qualified"}


class SqlClock:
    """Time spent in the driver's execute / executemany, per statement shape."""

    def __init__(self, engine: Any) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._start = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *_a: Any) -> None:
        self._start = time.perf_counter()

    def _after(self, _conn: Any, _cur: Any, statement: str, *_a: Any) -> None:
        shape = re.sub(r"\d+", "N", " ".join(statement.split()))[:110]
        self.spent[shape] += time.perf_counter() - self._start
        self.calls[shape] += 1

    def report(self, top: int = 12) -> None:
        total = sum(self.spent.values())
        print(f"  inside SQL statements: {total:.2f} s")
        for shape, spent in sorted(self.spent.items(), key=lambda x: -x[1])[:top]:
            print(f"    {spent:6.2f} s {self.calls[shape]:6d}×  {shape}")


def one_run(kind: ImportKind, folder: Path, base: Path | None, i: int, profile: bool) -> float:
    path = folder / f"{kind.value}-{i}.nlw"
    if base is not None:
        shutil.copy(base, path)
    db, _ = open_workspace(path)
    imp = Services.for_database(db).importing
    deals, acts, history = folder / "deals.csv", folder / "activities.csv", folder / "history.csv"
    if kind is ImportKind.STAGE_HISTORY:
        first = imp.read_file(deals)
        guess = imp.guess(first, ImportKind.ENGAGEMENTS)
        imp.run(first, ImportMapping(ImportKind.ENGAGEMENTS, guess, stages=STAGES))
    source = {ImportKind.ENGAGEMENTS: deals, ImportKind.ACTIVITIES: acts}.get(kind, history)
    table = imp.read_file(source)
    mapping = ImportMapping(kind, imp.guess(table, kind), stages=STAGES)
    marks: list[tuple[float, float]] = []

    def progress(fraction: float) -> None:
        if fraction >= 0.3 and not marks:
            marks.append((time.perf_counter(), time.process_time()))

    clock = SqlClock(db.engine)
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    result = imp.run(table, mapping, progress=progress)
    if profiler is not None:
        profiler.disable()
    wall, cpu = time.perf_counter() - marks[0][0], time.process_time() - marks[0][1]
    print(
        f"run {i}: database write {wall:.2f} s (CPU {cpu:.2f} s); whole import "
        f"{time.perf_counter() - start:.2f} s — {result.summary()}"
    )
    clock.report()
    if profiler is not None:
        for order in ("cumulative", "tottime"):
            pstats.Stats(profiler).sort_stats(order).print_stats(25)
    db.close()
    path.unlink()
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=[k.value for k in ImportKind])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--workspace", type=Path, help="import into a copy of this workspace")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="nl-profile-"))
    try:
        write_files(folder, args.rows)
        kind = ImportKind(args.kind)
        walls = [one_run(kind, folder, args.workspace, i, args.profile) for i in range(args.runs)]
        print(f"median database write: {statistics.median(walls):.2f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
