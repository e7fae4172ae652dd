"""The Log and Due tabs keep their totals and rows right after each write, its undo and redo,
with a filter active (counted again on the reader thread); hidden tabs catch up when shown."""

from __future__ import annotations

from logger_testing import OFFSCREEN_NOISE, on_modal, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from nextlevel_desktop.domain.activities import ActivityDraft
from nextlevel_desktop.domain.models import Activity, ActivityStatus
from nextlevel_desktop.services.accounts import AccountDraft
from nextlevel_desktop.ui.kit.ops import Op, run_op
from nextlevel_desktop.ui.logger.dialogs import ActivityDialog

pytestmark = OFFSCREEN_NOISE


def _log_tab(window, person_id: int):  # type: ignore[no-untyped-def]
    """The Log tab, shown, filtered to one person's done work."""
    window.show_area(1)
    panel = window.activities.log
    window.activities.tabs.setCurrentWidget(panel)
    panel.person.setCurrentIndex(panel.person.findData(person_id))
    assert panel.current_filter().status is ActivityStatus.DONE
    settle(window)
    return panel


def _check(panel) -> int:  # type: ignore[no-untyped-def]
    """The panel shows exactly what a fresh count and first page say (once the road is idle)."""
    settle(panel.host)
    services = panel.host.services
    flt = panel.current_filter()
    total = services.activities.count(flt)
    assert panel.model.rowCount() == total
    label = panel.count_label
    assert label.text() == f"{total:,} activities"
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
    expected = [r.id for r in services.activities.page(flt, 0, 5)]
    assert panel.model.ids(list(range(min(5, total)))) == expected
    return total


def _activate(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Keys reach only the active window (a dialog may just have closed)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _quick_log(qtbot, window, person_id: int) -> int:  # type: ignore[no-untyped-def]
    """Log a done activity for ``person_id`` with the quick log; its id."""
    services = window.services
    _activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = window.quick_log_dialog()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    form = dialog.form
    form.account.set_account(services.accounts.page("", 0, 1)[0])
    form.person.setCurrentIndex(form.person.findData(person_id))
    form.outcome.setText("Counted")
    qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    settle(window)
    assert "Logged" in dialog.status.text()
    dialog.close()
    return int(window.undo_stack.command(window.undo_stack.index() - 1).revision.ids["activity"])


def test_log_undo_redo_keep_the_filtered_count(qtbot, main_window) -> None:
    people = [p.id for p in main_window.services.people.people()]
    panel = _log_tab(main_window, people[0])
    before = _check(panel)

    logged = _quick_log(qtbot, main_window, people[0])
    assert _check(panel) == before + 1
    assert panel.model.ids([0]) == [logged]  # the newest, at the top

    _quick_log(qtbot, main_window, people[1])  # someone else's: not in this list
    assert _check(panel) == before + 1
    stack = main_window.undo_stack
    stack.undo()
    assert _check(panel) == before + 1
    stack.undo()
    assert _check(panel) == before
    stack.redo()
    assert _check(panel) == before + 1
    assert panel.model.ids([0]) == [logged]


def test_edit_moving_a_row_out_of_the_filter_and_delete(qtbot, main_window) -> None:
    people = [p.id for p in main_window.services.people.people()]
    panel = _log_tab(main_window, people[0])
    total = _check(panel)
    panel.table.setFocus()
    panel.table.selectRow(0)
    moved = panel.model.ids([0])[0]

    def to_someone_else(dialog: QDialog) -> None:
        assert isinstance(dialog, ActivityDialog)
        dialog.form.person.setCurrentIndex(dialog.form.person.findData(people[1]))
        dialog.accept()

    seen = on_modal(to_someone_else)
    panel.activity_actions.open_current()
    assert seen
    assert _check(panel) == total - 1
    assert moved not in panel.model.ids(list(range(5)))
    stack = main_window.undo_stack
    stack.undo()
    assert _check(panel) == total and panel.model.ids([0]) == [moved]
    stack.redo()
    assert _check(panel) == total - 1

    _activate(qtbot, main_window)
    panel.table.setFocus()
    panel.table.selectRow(0)
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert _check(panel) == total - 2
    stack.undo()
    assert _check(panel) == total - 1
    stack.redo()
    assert _check(panel) == total - 2


def test_count_label_fits_large_figures_without_resizing(qtbot, main_window) -> None:
    """The count never resizes its label (a resize would repaint the whole tab) and the
    widest figure still fits unclipped."""
    panel = _log_tab(main_window, main_window.services.people.people()[0].id)
    label = panel.count_label
    size = label.size()
    for n in (0, 7, 12_345, 987_654_321, 9_999_999_999):
        label.setText(panel.tr("{0} activities").format(f"{n:,}"))
        assert label.size() == size
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)
    assert label.width() > size.width()  # sized again for a bigger font
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()


def test_due_tab_mark_done_and_hidden_log_catches_up_when_shown(qtbot, main_window) -> None:
    window = main_window
    window.show_area(1)
    area = window.activities
    due, log = area.due, area.log
    area.tabs.setCurrentWidget(due)
    due.person.setCurrentIndex(0)  # everyone
    settle(window)
    due_total = due.model.rowCount()
    assert due_total == window.services.activities.count(due.model.filter) > 0
    log_total = log.model.rowCount()

    due.table.setFocus()
    due.table.selectRow(0)
    done = due.model.ids([0])[0]
    on_modal(lambda dialog: dialog.accept())  # "Mark done": no outcome given
    qtbot.keyClick(due.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    settle(window)
    assert window.services.activities.get(done).status is ActivityStatus.DONE
    assert due.model.rowCount() == due_total - 1
    assert due.title.text().startswith(f"{due_total - 1:,} planned")
    # The hidden Log tab has not refreshed; shown, it counts the activity done just now.
    assert log.model.rowCount() == log_total
    area.tabs.setCurrentWidget(log)
    assert _check(log) == log_total + 1
    assert log.model.ids([0]) == [done]  # done now: the newest

    window.undo_stack.undo()  # the Log tab is shown, the Due tab is hidden
    assert _check(log) == log_total
    area.tabs.setCurrentWidget(due)
    settle(window)
    assert due.model.rowCount() == due_total
    assert due.model.ids(list(range(due_total))).count(done) == 1


def _edit_outcome(activity: Activity, outcome: str) -> Op:
    a = activity
    draft = ActivityDraft(
        a.type_id, a.occurred_at, a.status, a.duration_min, a.person_id, a.account_id, "",
        a.engagement_id, outcome, a.notes,
    )  # fmt: skip
    return lambda s: s.activities.update(a.id, draft)


def test_a_write_of_activities_alone_reads_only_the_rows_it_wrote(qtbot, main_window) -> None:
    """Logging keeps the rows already shown (the very same row objects: not read again) and
    reads the new one; an edit reads its row again; a rename of an account (not an activity
    write) reads every row again, even when an activity is logged before that read answers."""
    window, services = main_window, main_window.services
    people = [p.id for p in services.people.people()]
    panel = _log_tab(window, people[0])
    _check(panel)
    before = [panel.model.row(r) for r in range(5)]
    logged = _quick_log(qtbot, window, people[0])
    _check(panel)
    assert panel.model.ids([0]) == [logged]
    assert all(panel.model.row(r + 1) is before[r] for r in range(4))

    shown = before[0]
    assert shown is not None
    run_op(
        window.activities,
        window,
        "Edit",
        _edit_outcome(services.activities.get(shown.id), "Re-read"),
    )
    _check(panel)
    assert panel.model.row(1).outcome == "Re-read"
    assert panel.model.row(0) is not None and panel.model.row(2) is before[1]

    account = services.accounts.get(shown_account := services.activities.get(logged).account_id)
    with qtbot.waitSignal(window.bus.changed):
        run_op(window.activities, window, "Rename", lambda s: s.accounts.update(
            shown_account, AccountDraft("Renamed Ltd", account.industry)
        ))  # fmt: skip
    panel.stale.flush()  # the full read is on its way…
    run_op(window.activities, window, "Edit", _edit_outcome(services.activities.get(logged), "x"))
    _check(panel)  # … and the quick read of the edit did not replace it
    assert panel.model.row(0).account_name == "Renamed Ltd"
    assert panel.model.row(0).outcome == "x"
