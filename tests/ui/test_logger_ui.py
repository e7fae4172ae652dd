"""The Activities area through real widgets: quick log by keyboard, pipeline moves, handover."""

from __future__ import annotations

from datetime import date

import shiboken6
from logger_testing import OFFSCREEN_NOISE, on_modal, settle
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QDialog, QDialogButtonBox, QWidget

from nextlevel_desktop.domain.activities import ActivityFilter
from nextlevel_desktop.domain.changes import Changes
from nextlevel_desktop.domain.engagements import TimelineKind
from nextlevel_desktop.domain.models import Outcome, ProcessKind
from nextlevel_desktop.ui.engagements.board import MAX_CARDS, MIME, board_columns
from nextlevel_desktop.ui.engagements.dialogs import CloseDialog, MoveDialog

pytestmark = OFFSCREEN_NOISE


def _open_quick_log(qtbot, window):  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = window.quick_log_dialog()
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.waitUntil(dialog.form.account.hasFocus)
    return dialog


def _focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _tab_to(qtbot, target: QWidget, limit: int = 30) -> None:  # type: ignore[no-untyped-def]
    for _ in range(limit):
        if _focus() is target:
            return
        qtbot.keyClick(_focus(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target!r}")


def test_quick_log_by_keyboard_only_then_undo(qtbot, main_window) -> None:
    services = main_window.services
    before = services.activities.count(ActivityFilter())
    dialog = _open_quick_log(qtbot, main_window)
    form = dialog.form
    account = services.accounts.page("", 0, 1)[0]
    assert _focus() is form.account
    qtbot.keyClicks(form.account, account.name)
    popup = form.account.completer_.popup()
    if popup.isVisible():
        qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert form.account.account == account
    _tab_to(qtbot, form.type)
    qtbot.keyClick(form.type, Qt.Key.Key_Down)  # the second type of the kind
    _tab_to(qtbot, form.outcome)
    qtbot.keyClicks(form.outcome, "Booked a demo")
    qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    settle(main_window)

    assert services.activities.count(ActivityFilter()) == before + 1
    row = services.activities.page(ActivityFilter(text="Booked a demo"), 0, 5)
    assert len(row) == 1 and row[0].account_name == account.name
    assert row[0].type_name == form.type.itemText(1)
    assert "Logged" in dialog.status.text()
    # Ready for the next entry: account and outcome cleared, focus back on the account.
    assert form.account.text() == "" and form.outcome.text() == ""
    assert dialog.isVisible()

    main_window.undo_stack.undo()
    settle(main_window)
    assert services.activities.count(ActivityFilter()) == before
    main_window.undo_stack.redo()
    settle(main_window)
    assert services.activities.count(ActivityFilter(text="Booked a demo")) == 1
    qtbot.keyClick(form.account, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_quick_log_creates_account_inline_with_next_step(qtbot, main_window) -> None:
    services = main_window.services
    dialog = _open_quick_log(qtbot, main_window)
    form = dialog.form
    qtbot.keyClicks(form.account, "Brand New Prospect Ltd")
    assert "will be created" in form.account_hint.text()
    form.plan.setChecked(True)
    qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    settle(main_window)
    assert services.accounts.count("Brand New Prospect") == 1
    assert "New account created" in dialog.status.text()
    assert "Next activity planned" in dialog.status.text()
    main_window.undo_stack.undo()
    settle(main_window)
    assert services.accounts.count("Brand New Prospect") == 0


def test_quick_log_shows_specific_inline_messages(qtbot, main_window) -> None:
    dialog = _open_quick_log(qtbot, main_window)
    form = dialog.form
    form.outcome.setFocus()
    qtbot.waitUntil(form.outcome.hasFocus)
    qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    settle(main_window)
    assert form.fields["account"].error.isVisibleTo(dialog)
    assert "Choose an account" in form.fields["account"].error.text()
    assert QApplication.focusWidget() is form.account  # the field with the problem has focus


def test_quick_log_moves_the_engagement_with_the_activity(qtbot, main_window) -> None:
    services = main_window.services
    process = services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    first = process.open_stages[0]
    eng = next(e for e in services.engagements.engagements(process.id) if e.stage_id == first.id)
    dialog = _open_quick_log(qtbot, main_window)
    form = dialog.form
    form.account.set_account(services.accounts.get(eng.account_id))
    form.engagement.setCurrentIndex(form.engagement.findData(eng.id))
    assert not form.process.isEnabled()
    form.moves.setChecked(True)
    form.move_stage.setCurrentIndex(0)  # the next stage: forward, so the checklist shows
    target = form.move_stage.currentData()

    def confirm(checklist: QDialog) -> None:
        assert isinstance(checklist, MoveDialog)
        assert [c.text() for c in checklist.checks] == [c.text for c in first.exit_criteria]
        for check in checklist.checks:
            check.setChecked(True)
        checklist.accept()

    seen = on_modal(confirm)
    qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    settle(main_window)
    assert seen
    assert services.engagements.get(eng.id).stage_id == target
    last = services.engagements.history(eng.id)[-1]
    assert last.activity_id is not None and "Exit criteria confirmed" in last.note
    main_window.undo_stack.undo()
    settle(main_window)
    assert services.engagements.get(eng.id).stage_id == eng.stage_id


def _pipeline(main_window, kind: ProcessKind):  # type: ignore[no-untyped-def]
    area = main_window.activities
    main_window.show_area(1)
    area.tabs.setCurrentWidget(area.pipeline)
    panel = area.pipeline
    process = main_window.services.processes.processes_of_kind(kind)[0]
    panel.select_process(process.id)
    settle(main_window)
    return panel, process


def _drop(column, engagement_id: int) -> None:  # type: ignore[no-untyped-def]
    """Drop the card on ``column`` (the event does not own its data: keep it alive here)."""
    mime = QMimeData()
    mime.setData(MIME, str(engagement_id).encode())
    column.dropEvent(
        QDropEvent(
            QPointF(QPoint(10, 10)),
            Qt.DropAction.MoveAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    )


def test_drag_a_card_forward_confirms_exit_criteria_and_undo(qtbot, main_window) -> None:
    services = main_window.services
    panel, process = _pipeline(main_window, ProcessKind.HUNTING)
    source, target = panel.board.columns[0], panel.board.columns[1]
    assert source.count() > 0
    eng = source.item(0).data(Qt.ItemDataRole.UserRole + 1)[0]
    leaving = process.open_stages[0]

    def confirm(dialog: QDialog) -> None:
        assert isinstance(dialog, MoveDialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()  # every criterion must be confirmed
        for check in dialog.findChildren(QCheckBox):
            check.setChecked(True)
        assert ok.isEnabled()
        ok.click()

    seen = on_modal(confirm)
    _drop(target, eng.id)
    # The drop only records the move: asking (a modal dialog) and rebuilding the columns wait
    # until the column's drop handler has returned.
    assert not seen and services.engagements.get(eng.id).stage_id == leaving.id
    qtbot.waitUntil(lambda: bool(seen))
    settle(main_window)
    assert seen and len(seen[0].checks) == len(leaving.exit_criteria)
    moved = services.engagements.get(eng.id)
    assert moved.stage_id == process.open_stages[1].id
    last = services.engagements.history(eng.id)[-1]
    assert last.from_stage == leaving.name and "Exit criteria confirmed" in last.note
    assert any(
        panel.board.columns[1].item(i).data(Qt.ItemDataRole.UserRole + 1)[0].id == eng.id
        for i in range(panel.board.columns[1].count())
    )
    count = len(services.engagements.history(eng.id))
    main_window.undo_stack.undo()
    settle(main_window)
    assert services.engagements.get(eng.id).stage_id == leaving.id
    assert len(services.engagements.history(eng.id)) == count - 1
    main_window.undo_stack.redo()
    settle(main_window)
    assert services.engagements.history(eng.id)[-1] == last


def test_a_drop_is_moved_after_the_drag_ends_and_old_columns_die_later(qtbot, main_window) -> None:
    """The drop-and-confirm segfault: QDrag.exec() runs the drop inside the source column's
    mouse handler, which uses the column again when the drag ends. Rebuilding the board before
    then deleted the column under it (tests/realx/ reproduce it on a real X server)."""
    services = main_window.services
    panel, process = _pipeline(main_window, ProcessKind.HUNTING)
    source, target = panel.board.columns[0], panel.board.columns[1]
    eng = source.item(0).data(Qt.ItemDataRole.UserRole + 1)[0]
    seen = on_modal(lambda dialog: dialog.accept())
    source.dragging.emit(True)  # what CardList.startDrag says before QDrag.exec()
    _drop(target, eng.id)
    main_window.publish(Changes(engagements=True))  # a refresh during the drag waits too
    assert panel.board.columns[0] is source
    for _ in range(5):
        QApplication.processEvents()
    assert not seen and services.engagements.get(eng.id).stage_id == process.open_stages[0].id
    source.dragging.emit(False)  # QDrag.exec() has returned
    qtbot.waitUntil(lambda: bool(seen))
    settle(main_window)
    assert seen and isinstance(seen[0], MoveDialog)
    assert services.engagements.get(eng.id).stage_id == process.open_stages[1].id
    # The rebuild replaced the columns; the old ones stay alive (hidden) until control is
    # back in the event loop, so a handler still running in one of them cannot crash.
    assert panel.board.columns[0] is not source
    old = panel.board.columns[0]
    # Rebuilt again (as the reader's answer does): the old column, just after, is hidden but
    # alive; it is deleted once control is back in the event loop.
    read = services.engagements.board(process, date.today(), MAX_CARDS)
    panel.board.show_columns(board_columns(process, read, date.today(), "EUR"), "EUR")
    assert shiboken6.isValid(old) and not old.isVisible() and panel.board.columns[0] is not old
    qtbot.waitUntil(lambda: not shiboken6.isValid(old))


def test_move_backward_by_action_needs_no_checklist(qtbot, main_window) -> None:
    services = main_window.services
    panel, process = _pipeline(main_window, ProcessKind.HUNTING)
    column = panel.board.columns[1]
    column.setCurrentRow(0)
    eng = panel.current()
    assert eng is not None and panel.move_action.isEnabled()
    first = [a for a in panel.move_menu.actions() if a.text() == process.open_stages[0].name]
    first[0].trigger()
    assert shiboken6.isValid(first[0])  # nothing is deleted inside the action's own trigger
    settle(main_window)
    assert services.engagements.get(eng.id).stage_id == process.open_stages[0].id
    # The move refilled the menu: the action is out of it (and deleted later).
    assert first[0] not in panel.move_menu.actions()


def test_close_won_hands_over_to_farming_and_undo(qtbot, main_window) -> None:
    services = main_window.services
    panel, _ = _pipeline(main_window, ProcessKind.HUNTING)
    column = panel.board.columns[-1]
    column.setCurrentRow(0)
    eng = panel.current()
    assert eng is not None
    before_farming = services.engagements.engagements(account_id=eng.account_id)
    # The demo account may already be managed; make sure it is not, so the handover shows.
    for other in before_farming:
        if other.process_id != eng.process_id:
            services.engagements.close(other.id, Outcome.LOST, None, "Price")
    main_window.publish(Changes(engagements=True))
    settle(main_window)
    panel.board.select(eng.id)

    seen: dict[str, object] = {}

    def accept(dialog: QDialog) -> None:
        # Winning leaves the last open stage forward: its exit criteria are confirmed first.
        assert isinstance(dialog, CloseDialog) and dialog.checklist is not None
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        seen["enabled before"] = ok.isEnabled()
        for check in dialog.checklist.checks:
            check.setChecked(True)
        seen["note"] = dialog.note()
        ok.click()

    on_modal(accept)
    panel.won_action.trigger()
    settle(main_window)
    assert seen["enabled before"] is False
    assert services.engagements.get(eng.id).outcome is Outcome.WON
    assert "Handed over" in panel.status.text()
    assert services.engagements.history(eng.id)[-1].note == seen["note"]
    farming = services.processes.processes_of_kind(ProcessKind.FARMING)[0]
    panel.select_process(farming.id)
    settle(main_window)
    first_column = panel.board.columns[0]
    accounts = [
        first_column.item(i).data(Qt.ItemDataRole.UserRole + 1)[0].account_id
        for i in range(first_column.count())
    ]
    assert eng.account_id in accounts
    # The account's timeline shows the handover.
    area = main_window.activities
    area.tabs.setCurrentWidget(area.accounts)
    settle(main_window)
    area.accounts.select_account(eng.account_id)
    settle(main_window)
    titles = [
        area.accounts.timeline.topLevelItem(i).text(1)
        for i in range(area.accounts.timeline.topLevelItemCount())
    ]
    assert any(t.startswith("Handed over to farming") for t in titles)
    assert TimelineKind.HANDOVER in [e.kind for e in services.accounts.timeline(eng.account_id)]

    main_window.undo_stack.undo()
    settle(main_window)
    assert services.engagements.get(eng.id).outcome is None
    assert all(
        e.process_id != farming.id or e.outcome is not None
        for e in services.engagements.engagements(account_id=eng.account_id)
    )


def test_keyboard_step_back_and_open_from_account(qtbot, main_window) -> None:
    services = main_window.services
    panel, process = _pipeline(main_window, ProcessKind.HUNTING)
    column = panel.board.columns[1]
    column.setFocus()
    column.setCurrentRow(0)
    eng = panel.current()
    assert eng is not None
    qtbot.keyClick(
        column,
        Qt.Key.Key_Left,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    settle(main_window)
    assert services.engagements.get(eng.id).stage_id == process.open_stages[0].id
    panel.step(-1)  # already first: a message, no move
    assert "first stage" in panel.status.text()
    # From the account's engagements, Enter opens the engagement in the pipeline.
    area = main_window.activities
    area.tabs.setCurrentWidget(area.accounts)
    settle(main_window)
    area.accounts.select_account(eng.account_id)
    settle(main_window)
    table = area.accounts.engagements
    row = next(
        r
        for r in range(area.accounts.engagement_model.rowCount())
        if area.accounts.engagement_model.rows[r].id == eng.id
    )
    table.activated.emit(area.accounts.engagement_model.index(row, 0))
    settle(main_window)
    assert area.tabs.currentWidget() is panel
    assert panel.current() is not None and panel.current().id == eng.id
