"""Activity list and quick log on the large workspace, in the real window.

Every time runs from the user's action until its result is on screen: the operation road idle
(every read and write asked for has answered on its thread) and the event loop gone round with
nothing pending, so the views have repainted (``stall.measure``).

- activity list: open it (a new list of the done work in a view: counted, first page read and
  painted), change a filter in the Log tab (a person), Ctrl+End to the last row (until its page
  is read and shown); each against the same by hand in raw sqlite3 (the obvious query: COUNT,
  then the joined page with ORDER BY … LIMIT/OFFSET).
- log an activity: Enter in the quick log. Two figures: the GUI thread's part (Enter → control
  back to the event loop), and the whole (written and committed on the writer thread, the undo
  entry, every open view refreshed and repainted, the form ready again); against one raw
  sqlite3 INSERT + COMMIT.
- the Pipeline tab: another process on the board, and the list with the closed ones too (every
  engagement of the process), each until shown (read on the reader thread, shown after).
- the GUI thread's worst stall (``stall.py``) during each: a filter change, Ctrl+End, the save,
  the Pipeline's board and list.
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

from common import Result, gui_app, median_ms
from stall import StallProbe, measure, settled, spin_until, stall_result

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
    _app = gui_app()  # keep it alive while we run
    from nextlevel_desktop.services.container import Services
    from nextlevel_desktop.services.workspace import open_workspace

    db, _ = open_workspace(workspace)
    services = Services.for_database(db)
    people = [p.id for p in services.people.people()]
    db.close()
    n = max(runs, 1)
    con, raw_first, raw_last = _raw(workspace)
    raw_people = itertools.cycle(people)
    baselines = {
        "open": median_ms(raw_first, n),
        "filter": median_ms(lambda: raw_first("AND a.person_id = ?", (next(raw_people),)), n),
        "last": median_ms(raw_last, n),
    }
    con.close()
    return _in_the_window(workspace, n, baselines)


def _in_the_window(workspace: Path, runs: int, baselines: dict[str, float]) -> list[Result]:
    """The Log tab and the quick log in the real window, on a copy of the workspace (the
    original stays as generated). Every time runs from the user's action until its result is
    on screen: the operation road idle (every read and write answered) and the event loop gone
    round with nothing pending, so the views have repainted (``stall.measure``)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QTableView

    from nextlevel_desktop.domain.activities import ActivityFilter
    from nextlevel_desktop.domain.models import ActivityStatus
    from nextlevel_desktop.services.container import Services
    from nextlevel_desktop.services.workspace import open_workspace
    from nextlevel_desktop.ui.logger.activity_model import ActivityTableModel
    from nextlevel_desktop.ui.logger.dialogs import QuickLogDialog
    from nextlevel_desktop.ui.main_window import MainWindow
    from nextlevel_desktop.ui.user_settings import UserSettings

    _app = gui_app()
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
    done = settled(window)
    spin_until(done)
    log = window.activities.log
    model = log.model

    # Open the list: a new list of the done activities in a view of the window's size, until
    # it is counted, its first page read and painted.
    open_times = []
    flt = ActivityFilter(status=ActivityStatus.DONE)
    for _ in range(runs):
        view = QTableView()
        view.resize(1200, 600)
        shown: list[ActivityTableModel] = []

        def open_list(view: QTableView = view, shown: list[ActivityTableModel] = shown) -> None:
            shown.append(ActivityTableModel(window.ops, view, flt))
            view.setModel(shown[0])
            view.show()

        took, _ = measure(open_list, settled(window, lambda s=shown: bool(s) and not s[0].loading))
        open_times.append(took)
        view.close()
        view.deleteLater()
        spin_until(done)

    # A filter in the Log tab (a person, then everyone again), and Ctrl+End to the last row.
    counted = settled(window, lambda: not model.loading)

    def last_shown() -> bool:
        last = model.row_count() - 1
        return not model.loading and any(True for _ in model.loaded_ids(last, last))

    filter_times, filter_stalls, end_times, end_stalls = [], [], [], []
    ctrl = Qt.KeyboardModifier.ControlModifier
    for i in range(runs):
        for person in (1 + i % 5, 0):  # one person, then everyone again
            took, stall = measure(lambda p=person: log.person.setCurrentIndex(p), counted)
            filter_stalls.append(stall)
            if person:
                filter_times.append(took)
        log.table.setFocus()
        QTest.keyClick(log.table, Qt.Key.Key_Home, ctrl)
        spin_until(counted)
        took, stall = measure(
            lambda: QTest.keyClick(log.table, Qt.Key.Key_End, ctrl), settled(window, last_shown)
        )
        end_times.append(took)
        end_stalls.append(stall)

    # The quick log: Enter in the form. The GUI thread's part (Enter → control back to the
    # event loop), and the whole (→ committed on the writer thread → every open view refreshed
    # and repainted, the form ready for the next entry).
    dialog = QuickLogDialog(window)
    dialog.show()
    spin_until(done)
    form = dialog.form
    account = services.accounts.page("", 0, 1)[0]
    ready = settled(window, form.isEnabled)
    con = sqlite3.connect(copy)
    before = con.execute("SELECT count(*) FROM activity").fetchone()[0]
    busy, times, save_stalls = [], [], []
    for _ in range(runs + 1):  # the first is a warm-up
        form.account.set_account(account)
        form.outcome.setText("benchmark")
        spin_until(done)
        probe = StallProbe()
        with probe:
            start = time.perf_counter()
            QTest.keyClick(form.outcome, Qt.Key.Key_Return)
            busy.append((time.perf_counter() - start) * 1000)
            done_at = spin_until(ready)
        times.append((max(done_at, probe.busy_until) - start) * 1000)
        save_stalls.append(probe.worst_ms)
    busy, times, save_stalls = busy[1:], times[1:], save_stalls[1:]
    logged = con.execute("SELECT count(*) FROM activity").fetchone()[0] - before
    if logged != runs + 1:
        raise RuntimeError(f"the quick log saved {logged} activities, not {runs + 1}")
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
    pipeline = _pipeline(window, runs)
    window.close()
    db.close()
    shutil.rmtree(folder, ignore_errors=True)
    raw = "raw sqlite3, same by hand"
    results = [
        _timed("open the list (counted, first page shown)", open_times, baselines["open"], raw),
        _timed("change a filter (a person) until shown", filter_times, baselines["filter"], raw),
        _timed("Ctrl+End until the last row is shown", end_times, baselines["last"], raw),
        stall_result("activity list", "change a filter (a person, everyone)", filter_stalls),
        stall_result("activity list", "Ctrl+End to the last row (until shown)", end_stalls),
    ]
    b, t = statistics.median(busy), statistics.median(times)
    return [
        *results,
        Result(
            "log an activity",
            "quick log save: GUI thread busy (Enter → back to the event loop)",
            b,
            "ms",
            runs,
            "≤ 30 ms",
            b <= 30,
            baseline,
            "raw sqlite3 INSERT + COMMIT",
        ),
        Result(
            "log an activity",
            "quick log save → committed → open views refreshed and shown",
            t,
            "ms",
            runs,
            "≤ 30 ms",
            t <= 30,
            baseline,
            "raw sqlite3 INSERT + COMMIT",
        ),
        stall_result(
            "log an activity", "quick log save (until the views are refreshed)", save_stalls
        ),
        *pipeline,
    ]


def _pipeline(window, runs: int) -> list[Result]:  # type: ignore[no-untyped-def]
    """The Pipeline tab: another process on the board (its open engagements read, grouped
    and shown), and the list with the closed ones too (every engagement of the process),
    each until shown."""
    area = window.activities
    panel = area.pipeline
    area.tabs.setCurrentWidget(panel)
    done = settled(window)
    spin_until(done)
    board, board_stalls, every, every_stalls = [], [], [], []
    for i in range(runs):
        took, stall = measure(lambda i=i: panel.select_process(panel.process.itemData(i % 2)), done)
        board.append(took)
        board_stalls.append(stall)
    panel._set_view(1)
    spin_until(done)
    for _ in range(runs):
        took, stall = measure(lambda: panel.show_closed.setChecked(True), done)
        every.append(took)
        every_stalls.append(stall)
        panel.show_closed.setChecked(False)
        spin_until(done)
    return [
        Result(
            "pipeline",
            "another process on the board until shown",
            statistics.median(board),
            "ms",
            runs,
            "≤ 200 ms",
            statistics.median(board) <= 200,
        ),
        Result(
            "pipeline",
            "list with the closed ones (every engagement) until shown",
            statistics.median(every),
            "ms",
            runs,
            "—",
            None,
        ),
        stall_result("pipeline", "another process on the board (until shown)", board_stalls),
        stall_result("pipeline", "list with the closed ones (until shown)", every_stalls),
    ]


def _timed(what: str, times: list[float], baseline: float, baseline_what: str) -> Result:
    median = statistics.median(times)
    return Result(
        "activity list",
        what,
        median,
        "ms",
        len(times),
        "≤ 200 ms",
        median <= 200,
        baseline,
        baseline_what,
    )
