"""Activity list and quick log on the large workspace.

- activity list: open it (count + first page, as the Log tab shows done work), change a filter
  (a person), jump to the last row; each against the same by hand in raw sqlite3 (the
  obvious query: COUNT, then the joined page with ORDER BY … LIMIT/OFFSET).
- log an activity: the quick log's save (validate, write, commit, undo entry, every open view
  refreshed through the change signal), against one raw sqlite3 INSERT + COMMIT.
- the GUI thread's worst stall (``stall.py``) in the real window: a filter change in the Log
  tab, Ctrl+End to the last row, the quick log's save.
"""

from __future__ import annotations

import itertools
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from common import Result, median_ms
from stall import measure, settled, spin_until, stall_result

PAGE_SQL = """
SELECT a.id, a.occurred_at, t.name, p.name, ac.name, e.name, pr.name, a.outcome, a.status
FROM activity a JOIN activity_type t ON t.id = a.type_id JOIN process pr ON pr.id = a.process_id
LEFT JOIN person p ON p.id = a.person_id LEFT JOIN account ac ON ac.id = a.account_id
LEFT JOIN engagement e ON e.id = a.engagement_id
WHERE a.status = 'done' {extra}
ORDER BY a.occurred_at DESC, a.id DESC LIMIT 200 OFFSET ?
"""


def _raw(workspace: Path):  # type: ignore[no-untyped-def]
    con = sqlite3.connect(workspace)

    def first_page(extra: str = "", args: tuple = ()) -> None:  # type: ignore[type-arg]
        con.execute(f"SELECT count(*) FROM activity a WHERE a.status = 'done' {extra}", args)
        con.execute(PAGE_SQL.format(extra=extra), (*args, 0)).fetchall()

    def last_row() -> None:
        n = con.execute("SELECT count(*) FROM activity WHERE status = 'done'").fetchone()[0]
        con.execute(PAGE_SQL.format(extra=""), (n - 1,)).fetchall()

    return con, first_page, last_row


def run(workspace: Path, runs: int = 5) -> list[Result]:
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([])  # keep it alive while we run
    from nextlevel_desktop.domain.activities import ActivityFilter
    from nextlevel_desktop.domain.models import ActivityStatus
    from nextlevel_desktop.services.container import Services
    from nextlevel_desktop.services.workspace import open_workspace
    from nextlevel_desktop.ui.logger.activity_model import ActivityTableModel

    db, _ = open_workspace(workspace)
    services = Services.for_database(db)
    done = ActivityFilter(status=ActivityStatus.DONE)
    people = itertools.cycle([p.id for p in services.people.people()])
    con, raw_first, raw_last = _raw(workspace)
    raw_people = itertools.cycle([p.id for p in services.people.people()])
    results: list[Result] = []

    def open_list() -> None:
        model = ActivityTableModel(services.activities, None, done)
        model.data(model.index(0, 0))

    model = ActivityTableModel(services.activities, None, done)

    def change_filter() -> None:
        model.set_filter(ActivityFilter(status=ActivityStatus.DONE, person_id=next(people)))
        model.data(model.index(0, 0))

    def last_row() -> None:
        # The view was just opened (counted, first page shown); then Ctrl+End.
        model.data(model.index(model.rowCount() - 1, 0))

    n = max(runs, 5)

    def fresh(fn):  # type: ignore[no-untyped-def]
        """Time ``fn`` on a freshly opened list (the reload itself is not timed)."""

        def timed() -> float:
            model.set_filter(ActivityFilter(status=ActivityStatus.PLANNED))
            model.set_filter(done)
            model.data(model.index(0, 0))
            start = time.perf_counter()
            fn()
            return (time.perf_counter() - start) * 1000

        return timed

    for what, ours, base in (
        ("open the list (count + first page)", open_list, raw_first),
        (
            "change a filter (a person)",
            change_filter,
            lambda: raw_first("AND a.person_id = ?", (next(raw_people),)),
        ),
        ("jump to the last row", last_row, raw_last),
    ):
        baseline = median_ms(base, n)
        if ours is last_row:
            median = statistics.median(fresh(ours)() for _ in range(n))
        else:
            median = median_ms(ours, n)
        results.append(
            Result(
                "activity list",
                what,
                median,
                "ms",
                n,
                "≤ 200 ms",
                median <= 200,
                baseline,
                "raw sqlite3, same by hand",
            )
        )
    con.close()
    db.close()
    results += _in_the_window(workspace, n)
    return results


def _in_the_window(workspace: Path, runs: int) -> list[Result]:
    """The Log tab and the quick log in the real window, on a copy of the workspace (the
    original stays as generated)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from nextlevel_desktop.services.container import Services
    from nextlevel_desktop.services.workspace import open_workspace
    from nextlevel_desktop.ui.logger.dialogs import QuickLogDialog
    from nextlevel_desktop.ui.main_window import MainWindow
    from nextlevel_desktop.ui.user_settings import UserSettings

    app = QApplication.instance()
    folder = Path(tempfile.mkdtemp(prefix="nld-bench-log-"))
    copy = folder / "log.nlw"
    shutil.copy(workspace, copy)
    db, _ = open_workspace(copy)
    services = Services.for_database(db)

    class _Controller:
        def open_workspace(self, *_a: object, **_k: object) -> bool:
            return True

    window = MainWindow(services, UserSettings(folder / "s.ini"), _Controller())
    window.resize(1280, 800)
    window.show()
    window.show_area(1)  # the activity list is open behind the quick log
    app.processEvents()
    done = settled(window)
    log = window.activities.log
    filter_stalls, end_stalls = [], []
    ctrl = Qt.KeyboardModifier.ControlModifier
    for i in range(runs):
        for person in (1 + i % 5, 0):  # one person, then everyone again
            _, stall = measure(lambda p=person: log.person.setCurrentIndex(p), done)
            filter_stalls.append(stall)
        log.table.setFocus()
        QTest.keyClick(log.table, Qt.Key.Key_Home, ctrl)
        spin_until(done)
        _, stall = measure(lambda: QTest.keyClick(log.table, Qt.Key.Key_End, ctrl), done)
        end_stalls.append(stall)
    dialog = QuickLogDialog(window)
    dialog.show()
    app.processEvents()
    form = dialog.form
    account = services.accounts.page("", 0, 1)[0]

    def fill() -> None:
        form.account.set_account(account)
        form.outcome.setText("benchmark")
        app.processEvents()

    times, save_stalls = [], []
    for _ in range(runs + 1):
        fill()
        took, stall = measure(dialog.save, done)
        times.append(took)
        save_stalls.append(stall)
    times, save_stalls = times[1:], save_stalls[1:]
    con = sqlite3.connect(copy)
    type_id, process_id = con.execute("SELECT id, process_id FROM activity LIMIT 1").fetchone()

    def raw_insert() -> None:
        now = datetime.now(UTC)
        con.execute(
            "INSERT INTO activity (type_id, process_id, occurred_at, occurred_on, duration_min,"
            " status, outcome, notes, created_at) VALUES (?, ?, ?, ?, 0, 'done', '', '', ?)",
            (type_id, process_id, now.isoformat(" "), now.date().isoformat(), now.isoformat(" ")),
        )
        con.commit()

    baseline = median_ms(raw_insert, runs)
    con.close()
    dialog.close()
    window.close()
    db.close()
    shutil.rmtree(folder, ignore_errors=True)
    median = statistics.median(times)
    return [
        stall_result("activity list", "change a filter (a person, everyone)", filter_stalls),
        stall_result("activity list", "Ctrl+End to the last row (until shown)", end_stalls),
        stall_result(
            "log an activity", "quick log save (until the views are refreshed)", save_stalls
        ),
        Result(
            "log an activity",
            "quick log save → committed → open views refreshed",
            median,
            "ms",
            runs,
            "≤ 30 ms",
            median <= 30,
            baseline,
            "raw sqlite3 INSERT + COMMIT",
        ),
    ]
