"""The Log tab reads off the GUI thread: a slow count shows the quiet busy bar, a newer filter's
answer is never overwritten by an older one, and the list keeps its place across a write."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from logger_testing import OFFSCREEN_NOISE, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from nextlevel_desktop.domain.activities import ActivityDraft, ActivityFilter
from nextlevel_desktop.domain.models import ActivityStatus
from nextlevel_desktop.ui.kit.busy import Busy
from nextlevel_desktop.ui.kit.ops import run_op

pytestmark = OFFSCREEN_NOISE


def _log(window):  # type: ignore[no-untyped-def]
    window.show_area(1)
    panel = window.activities.log
    window.activities.tabs.setCurrentWidget(panel)
    settle(window)
    return panel


def _hold_reader(window) -> threading.Event:  # type: ignore[no-untyped-def]
    """Keep the reader thread busy until the returned gate is set (a slow read)."""
    gate, started = threading.Event(), threading.Event()
    blocker = QWidget()

    def hold(_s: object) -> bool:
        started.set()
        return gate.wait(10)

    window.ops.read(blocker, "hold", hold, lambda _r: None)
    window._test_blocker = blocker  # kept alive until the answer is in
    # Running before the list asks: a read for a widget on screen goes before a hidden one's.
    assert started.wait(10)
    return gate


def test_a_slow_count_shows_the_busy_bar_over_the_list(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    panel = _log(main_window)
    before = panel.model.rowCount()
    gate = _hold_reader(main_window)
    panel.status.setCurrentIndex(0)  # any status: counted again, behind the slow read
    bar = panel.table.findChild(Busy)
    assert bar is not None and not bar.isVisible()  # quiet for the first 150 ms
    assert panel.model.rowCount() == before  # the old rows stay until the answer
    qtbot.waitUntil(bar.isVisible, timeout=3000)
    gate.set()
    settle(main_window)
    assert not bar.isVisible()
    assert panel.model.rowCount() == main_window.services.activities.count(ActivityFilter())


def test_a_superseded_read_never_overwrites_the_newer_answer(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    panel = _log(main_window)
    services = main_window.services
    people = [p.id for p in services.people.people()]
    gate = _hold_reader(main_window)
    panel.person.setCurrentIndex(panel.person.findData(people[0]))
    panel.person.setCurrentIndex(panel.person.findData(people[1]))  # asked for before the first
    gate.set()  # answered
    settle(main_window)
    flt = ActivityFilter(person_id=people[1], status=ActivityStatus.DONE)
    assert panel.model.filter == flt == panel.current_filter()
    total = services.activities.count(flt)
    assert panel.model.rowCount() == total
    assert panel.count_label.text() == f"{total:,} activities"
    shown = panel.model.ids(list(range(min(50, total))))
    assert shown == [r.id for r in services.activities.page(flt, 0, 50)]


def test_the_list_keeps_its_selection_and_place_across_a_write(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    panel = _log(main_window)
    table, model = panel.table, panel.model
    table.scrollTo(model.index(60, 0), table.ScrollHint.PositionAtTop)
    settle(main_window)
    top = model.ids([table.rowAt(0)])[0]
    table.selectRow(63)
    chosen = model.ids([63])[0]
    first = model.ids([0])[0]  # deleted below: every row after it moves up one

    run_op(main_window, None, "Delete", lambda s: s.activities.delete([first]))
    settle(main_window)
    assert model.ids([0]) != [first]
    selected = [i.row() for i in table.selectionModel().selectedRows()]
    assert selected == [62] and model.ids(selected) == [chosen]
    assert model.ids([table.rowAt(0)]) == [top]  # the same row still at the top of the view


def test_a_list_at_the_top_stays_there_and_shows_the_newest(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    panel = _log(main_window)
    table, model = panel.table, panel.model
    newest = model.ids([0])[0]
    table.selectRow(0)
    services = main_window.services
    draft = ActivityDraft(
        type_id=services.activities.activity_types()[0].id,
        occurred_at=datetime.now(UTC),
        account_name="Newest Ltd",
    )
    logged: list[int] = []
    run_op(
        main_window,
        None,
        "Log",
        lambda s: s.activities.log(draft),
        on_done=lambda rev: logged.append(rev.ids["activity"]),
    )
    settle(main_window)
    assert table.verticalScrollBar().value() == 0
    assert model.ids([0, 1]) == [logged[0], newest]
    assert [i.row() for i in table.selectionModel().selectedRows()] == [1]  # still the same


def test_ctrl_end_jumps_to_the_last_row_and_loads_just_its_page(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    panel = _log(main_window)
    table, model = panel.table, panel.model
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    settle(main_window)
    last = model.rowCount() - 1
    assert table.currentIndex().row() == last
    assert model.data(model.index(last, 0))  # its page arrived
    flt = panel.current_filter()
    expected = main_window.services.activities.page(flt, last, 1)
    assert model.row(last) is not None and model.row(last).id == expected[0].id
