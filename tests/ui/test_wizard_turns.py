"""The import wizard and File > Export keep the GUI thread's turns short (issue 14: no stall
over 50 ms): no workspace reads on the GUI thread while the wizard opens, no column fitting
at every layout, the file's rows freed off the GUI thread, no unseen tab built by an export."""

from __future__ import annotations

import gc
import sys
import threading
from pathlib import Path

from logger_testing import settle
from PySide6.QtWidgets import QApplication
from sqlalchemy import event
from test_import_wizard import CSV, open_wizard

from nextlevel_desktop.services.people import PersonDraft
from nextlevel_desktop.ui.kit.busy import GuiCollector, Worker, free_later, start_guarded
from nextlevel_desktop.ui.logger.activity_list import ActivityListPanel
from nextlevel_desktop.ui.logger.area import ActivitiesArea


def gui_statements(window) -> list[str]:  # type: ignore[no-untyped-def]
    """The SQL the GUI thread runs on the window's own connection, from now on."""
    gui, seen = threading.get_ident(), []

    def note(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        if threading.get_ident() == gui:
            seen.append(statement)

    event.listen(window.services.db.engine, "before_cursor_execute", note)
    return seen


def test_the_wizard_opens_without_reading_on_the_gui_thread(main_window) -> None:  # type: ignore[no-untyped-def]
    # It read the processes (twice) and the saved mappings on the GUI thread as it opened.
    seen = gui_statements(main_window)
    wizard = main_window.file_actions.import_file()
    assert seen == []
    settle(main_window)  # the processes and saved mappings, read on the reader thread
    page = wizard.file_page
    assert page.process.count() >= 2 and page.process_name() == "New business"
    assert page.saved.count() == 1  # "None: guess from the column names"
    wizard.reject()


def test_the_preview_keeps_a_column_width_the_user_set(qtbot, main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Its columns were fitted to every row again at each layout and resize (20-40 ms each).
    src = tmp_path / "deals.csv"
    src.write_text(CSV, encoding="utf-8")
    wizard = open_wizard(main_window)
    qtbot.waitExposed(wizard)
    wizard.file_page.load(src)
    head = wizard.file_page.preview.horizontalHeader()
    assert head.sectionSize(2) > 0  # fitted once to what the file holds
    head.resizeSection(2, 211)
    wizard.resize(wizard.width() + 60, wizard.height())
    QApplication.processEvents()
    assert head.sectionSize(2) == 211
    wizard.reject()


def test_the_files_rows_are_freed_off_the_gui_thread(qtbot, main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    freed_on: set[int] = set()

    class Row:
        def __del__(self) -> None:
            freed_on.add(threading.get_ident())

    rows = tuple(Row() for _ in range(20_000))
    thread = free_later(rows)
    del rows
    thread.join(10)
    assert freed_on and threading.get_ident() not in freed_on
    src = tmp_path / "deals.csv"
    src.write_text(CSV, encoding="utf-8")
    wizard = open_wizard(main_window)
    wizard.file_page.load(src)
    assert wizard.table is not None
    wizard.reject()
    assert wizard.table is None  # handed to a thread of its own


def test_workers_hand_over_the_interpreter_lock_quickly(main_window) -> None:  # type: ignore[no-untyped-def]
    # With the window's threads running, a paint's Python callbacks waited up to 5 ms each for
    # a busy worker to let go of the lock.
    assert sys.getswitchinterval() == GuiCollector.SWITCH_INTERVAL_S


def test_exporting_activities_builds_no_other_tab(main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # The export asked the Pipeline tab for its process even for activities: the tab, never
    # shown, was built then (45-56 ms on a large workspace).
    area = main_window.activities
    written: list[int] = []
    main_window.file_actions.export("activities", tmp_path / "a.csv", on_done=written.append)
    settle(main_window)
    assert written and written[0] > 0
    assert area.pages.built(ActivitiesArea.PIPELINE) is None
    assert area.pages.built(ActivitiesArea.ACCOUNTS) is None


def test_the_logs_pickers_follow_a_change_read_off_the_gui_thread(main_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # After an import the pickers' three lists were read on the GUI thread as the wizard closed.
    main_window.show_area(1)
    log = main_window.activities.log
    settle(main_window)
    gui, threads = threading.get_ident(), []
    read = ActivityListPanel._pickers

    def reading(services):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident() != gui)
        return read(services)

    monkeypatch.setattr(ActivityListPanel, "_pickers", staticmethod(reading))
    main_window.publish(main_window.services.people.add(PersonDraft(name="Zoë New")).changes)
    settle(main_window)
    assert threads == [True]
    assert log.person.findText("Zoë New") >= 0


def test_what_a_bulk_job_leaves_is_not_walked_again(qtbot) -> None:  # type: ignore[no-untyped-def]
    # The first collection after an import's check walked the file's 100,000 rows on the GUI
    # thread (30-45 ms of CPU); they are frozen instead, and still freed when dropped.
    kept: list[tuple[str, ...]] = []
    frozen = gc.get_freeze_count()
    worker = Worker(lambda _p, _c: kept.extend((str(i), "x") for i in range(50_000)))
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        start_guarded(worker, bulk=True)
    qtbot.waitUntil(lambda: GuiCollector._quiet == 0, timeout=5000)
    assert gc.get_freeze_count() - frozen >= len(kept)
    worker.wait()
