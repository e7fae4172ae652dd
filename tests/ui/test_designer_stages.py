"""The designer's stage list and stage editor, through the real widgets and workspace."""

from __future__ import annotations

import pytest
import shiboken6
from designer_keys import redo, undo
from logger_testing import settle
from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QColorDialog, QLineEdit

from nextlevel_desktop.domain.models import ProcessKind
from nextlevel_desktop.ui.designer.stage_model import StageColumn, StageTableModel
from nextlevel_desktop.ui.designer.stages_panel import MoveEngagementsDialog
from nextlevel_desktop.ui.kit.tables import current_id, current_row

HUNTING = ["Suspect", "Prospect", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]


@pytest.fixture
def designer(main_window):  # type: ignore[no-untyped-def]
    main_window.show_area(0)
    area = main_window.designer
    area.select_process(area.services.processes.processes_of_kind(ProcessKind.HUNTING)[0].id)
    return area


def stored(area) -> list[str]:  # type: ignore[no-untyped-def]
    pid = area.current_process_id()
    return [s.name for s in area.services.processes.process(pid).active_stages]


def shown(area) -> list[str]:  # type: ignore[no-untyped-def]
    m = area.stages.model
    return [m.data(m.index(r, 0)) for r in range(m.rowCount())]


def test_stage_model_passes_qt_model_tester(qtmodeltester, demo_services) -> None:  # type: ignore[no-untyped-def]
    model = StageTableModel()
    model.set_rows(demo_services.processes.processes()[0].active_stages)
    qtmodeltester.check(model)
    assert model.data(model.index(0, StageColumn.EXPECTED_DAYS)) == "14 d"
    assert model.flags(model.index(0, StageColumn.NAME)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsDropEnabled
    assert not model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 1)  # onto itself: no move
    assert not model.moveRows(QModelIndex(), 9, 1, QModelIndex(), 0)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PySide6 flags the QPoint drag events
def test_reorder_by_drag_and_drop_then_undo_redo(qtbot, main_window, designer) -> None:  # type: ignore[no-untyped-def]
    table, model = designer.stages.table, designer.stages.model
    table.resize(700, 400)
    mime = model.mimeData([model.index(0, 0)])
    # Drop "Suspect" just above the Proposal row, as a user's drag does.
    rect = table.visualRect(model.index(3, StageColumn.CATEGORY))
    target = QPoint(rect.center().x(), rect.top() + 3)
    viewport = table.viewport()
    action, buttons = Qt.DropAction.MoveAction, Qt.MouseButton.LeftButton
    mods = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(target, action, mime, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    move = QDragMoveEvent(target, action, mime, buttons, mods)
    QApplication.sendEvent(viewport, move)
    drop = QDropEvent(target.toPointF(), action, mime, buttons, mods)
    QApplication.sendEvent(viewport, drop)
    settle(designer)
    expected = ["Prospect", "Qualified", "Suspect", "Proposal", "Negotiation", "Won", "Lost"]
    assert stored(designer) == expected
    assert shown(designer) == expected
    assert main_window.undo_stack.undoText() == "Move stage “Suspect”"
    undo(qtbot, main_window)
    assert stored(designer) == HUNTING and shown(designer) == HUNTING
    redo(qtbot, main_window)
    assert stored(designer) == expected


def test_drop_at_the_end_through_the_model(designer) -> None:  # type: ignore[no-untyped-def]
    model = designer.stages.model
    mime = model.mimeData([model.index(1, 0)])
    assert model.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, QModelIndex())
    # False tells the view not to remove a source row: the model already moved it.
    assert not model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, QModelIndex())
    settle(designer)
    assert stored(designer)[-1] == "Prospect"


def test_reorder_by_keyboard_and_buttons(qtbot, main_window, designer) -> None:  # type: ignore[no-untyped-def]
    panel = designer.stages
    panel.select_row(0)
    assert not panel.up_button.isEnabled() and panel.down_button.isEnabled()
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    settle(designer)
    assert stored(designer)[:2] == ["Prospect", "Suspect"]
    assert current_row(panel.table) == 1 and panel.up_button.isEnabled()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    settle(designer)
    qtbot.keyClick(panel.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    settle(designer)
    assert stored(designer)[:3] == ["Prospect", "Suspect", "Qualified"]
    qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    settle(designer)
    assert stored(designer) == HUNTING
    panel.select_row(6)
    assert panel.up_button.isEnabled() and not panel.down_button.isEnabled()
    qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    settle(designer)
    assert stored(designer)[-2:] == ["Lost", "Won"]
    undo(qtbot, main_window)
    undo(qtbot, main_window)
    assert stored(designer)[:2] == ["Prospect", "Suspect"] and stored(designer)[-1] == "Lost"


def test_buttons_follow_the_selection(designer) -> None:  # type: ignore[no-untyped-def]
    panel = designer.stages
    panel.table.selectionModel().clearCurrentIndex()
    panel._update_buttons()
    for b in (panel.insert_button, panel.up_button, panel.down_button, panel.archive_button):
        assert not b.isEnabled()
    assert panel.add_button.isEnabled()
    panel.select_row(3)
    for b in (panel.insert_button, panel.up_button, panel.down_button, panel.archive_button):
        assert b.isEnabled()


def test_edit_a_stage_then_undo_and_redo(qtbot, main_window, designer) -> None:  # type: ignore[no-untyped-def]
    panel, editor = designer.stages, designer.stages.editor
    panel.select_row(2)
    assert not editor.save_button.isEnabled()
    editor.name.selectAll()
    qtbot.keyClicks(editor.name, "Qualified lead")
    editor.expected_days.selectAll()
    qtbot.keyClicks(editor.expected_days, "30")
    editor.guidance.setPlainText("Check budget.")
    qtbot.mouseClick(editor.crit_add, Qt.MouseButton.LeftButton)
    editor.criteria.currentItem().setText("Champion found")
    editor.criteria.setCurrentRow(3)
    qtbot.mouseClick(editor.crit_up, Qt.MouseButton.LeftButton)
    editor.criteria.setCurrentRow(0)
    qtbot.mouseClick(editor.crit_remove, Qt.MouseButton.LeftButton)
    editor.category.setCurrentIndex(0)
    assert editor.save_button.isEnabled() and editor.status.text() == "Unsaved changes"
    qtbot.keyClick(editor.name, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(designer)
    stage = designer.services.processes.process(designer.current_process_id()).active_stages[2]
    assert stage.name == "Qualified lead" and stage.expected_days == 30
    assert stage.guidance == "Check budget."
    assert [c.text for c in stage.exit_criteria] == [
        "Decision process known",
        "Champion found",
        "Timeline agreed",
    ]
    assert not editor.save_button.isEnabled()
    undo(qtbot, main_window)
    assert stored(designer)[2] == "Qualified" and editor.name.text() == "Qualified"
    redo(qtbot, main_window)
    assert stored(designer)[2] == "Qualified lead" and editor.expected_days.text() == "30"


def test_revert_discards_unsaved_edits(qtbot, designer) -> None:  # type: ignore[no-untyped-def]
    editor = designer.stages.editor
    designer.stages.select_row(0)
    qtbot.keyClicks(editor.name, " X")
    qtbot.mouseClick(editor.revert_button, Qt.MouseButton.LeftButton)
    assert editor.name.text() == "Suspect" and not editor.dirty


@pytest.mark.parametrize(
    ("field", "text", "key", "message"),
    [
        ("name", "", "name", "A stage needs a name."),
        ("name", "prospect", "name", "already has a stage called “prospect”"),
        ("expected_days", "-3", "expected_days", "cannot be negative"),
        ("expected_days", "soon", "expected_days", "must be a whole number"),
        ("target_conversion", "101", "target_conversion", "between 0 and 100 %"),
        ("probability", "-1", "probability", "Win probability must be between 0 and 100"),
        ("color", "red", "color", "A colour is written like #4f7bbf"),
    ],
)
def test_each_validation_message_is_shown_inline(  # type: ignore[no-untyped-def]
    qtbot, designer, field, text, key, message
) -> None:
    editor = designer.stages.editor
    designer.stages.select_row(0)
    edit = getattr(editor, field)
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(designer)
    label = editor.errors[key]
    assert label.isVisible() and message in label.text()
    assert stored(designer) == HUNTING  # nothing saved
    assert editor.dirty


def test_blank_exit_criterion_and_category_rules_are_shown_inline(qtbot, designer) -> None:  # type: ignore[no-untyped-def]
    panel, editor = designer.stages, designer.stages.editor
    panel.select_row(0)
    qtbot.mouseClick(editor.crit_add, Qt.MouseButton.LeftButton)
    editor.criteria.currentItem().setText("  ")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(designer)
    assert "cannot be blank" in editor.errors["exit_criteria"].text()
    editor.revert()
    panel.select_row(5)  # Won: making it open would leave no won stage
    editor.category.setCurrentIndex(0)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(designer)
    assert "no won stage" in editor.errors["category"].text()
    editor.revert()
    panel.select_row(1)  # Prospect holds open engagements
    editor.category.setCurrentIndex(2)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(designer)
    assert "before changing its category" in editor.errors["category"].text()
    assert stored(designer) == HUNTING


def test_add_insert_and_rename_in_place(qtbot, main_window, designer) -> None:  # type: ignore[no-untyped-def]
    panel = designer.stages
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    settle(designer)
    assert stored(designer)[5] == "New stage" and panel.editor.name.hasFocus()
    panel.select_row(0)
    qtbot.mouseClick(panel.insert_button, Qt.MouseButton.LeftButton)
    settle(designer)
    assert stored(designer)[0] == "New stage (2)"
    # F2 renames in place, as in any list.
    panel.select_row(0)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_F2)
    editor = panel.table.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "New stage (2)"
    editor.selectAll()
    qtbot.keyClicks(editor, "Research")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settle(designer)  # the rename is saved once the in-place editor has closed
    assert stored(designer)[0] == "Research" and shown(designer)[0] == "Research"
    undo(qtbot, main_window)
    undo(qtbot, main_window)
    assert stored(designer)[0] == "Suspect" and "New stage (2)" not in stored(designer)
    redo(qtbot, main_window)
    redo(qtbot, main_window)
    assert stored(designer)[0] == "Research"


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_archive_a_stage_with_open_engagements(qtbot, main_window, designer) -> None:  # type: ignore[no-untyped-def]
    services = designer.services
    proc = services.processes.process(designer.current_process_id())
    prospect, suspect = proc.active_stages[1], proc.active_stages[0]
    held = services.processes.open_engagement_count(prospect.id)
    in_suspect = services.processes.open_engagement_count(suspect.id)
    assert held > 0
    designer.stages.select_row(1)
    seen: list[str] = []

    def answer() -> None:
        dialog = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, MoveEngagementsDialog)
        )
        seen.append(dialog.target.currentText())
        dialog.accept()

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(designer.stages.archive_button, Qt.MouseButton.LeftButton)
    settle(designer)
    assert seen == ["Suspect"]  # the stage before it is offered first
    assert "Prospect" not in stored(designer)
    assert services.processes.open_engagement_count(suspect.id) == in_suspect + held
    assert designer.stages.restore_button.isVisibleTo(designer)
    undo(qtbot, main_window)
    assert not designer.message.isVisible(), designer.message.text()
    assert stored(designer) == HUNTING
    assert services.processes.open_engagement_count(prospect.id) == held
    redo(qtbot, main_window)
    assert "Prospect" not in stored(designer)
    restore = designer.stages.restore_menu.actions()[0]
    restore.trigger()
    settle(designer)
    assert "Prospect" in stored(designer)
    # Restoring refilled the menu (the restored stage left it); the old action is deleted
    # safely, from the event loop.
    assert restore not in designer.stages.restore_menu.actions()
    qtbot.waitUntil(lambda: not shiboken6.isValid(restore))


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_cancelling_the_move_question_archives_nothing(qtbot, designer) -> None:  # type: ignore[no-untyped-def]
    designer.stages.select_row(1)

    def cancel() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MoveEngagementsDialog):
                w.reject()

    QTimer.singleShot(0, cancel)
    qtbot.mouseClick(designer.stages.archive_button, Qt.MouseButton.LeftButton)
    settle(designer)
    assert stored(designer) == HUNTING


def test_process_map_click_selects_the_stage(qtbot, designer) -> None:  # type: ignore[no-untyped-def]
    farming = designer.services.processes.processes_of_kind(ProcessKind.FARMING)[0]
    designer.map.repaint()
    rect, pid, sid = next(b for b in designer.map._boxes if b[1] == farming.id and b[0].x() > 300)
    centre = QPoint(int(rect.center().x()), int(rect.center().y()))
    qtbot.mouseClick(designer.map, Qt.MouseButton.LeftButton, pos=centre)
    assert designer.current_process_id() == farming.id
    assert current_id(designer.stages.table) == sid
    assert designer.stages.editor.stage_id == sid
    assert designer.tabs.currentWidget() is designer.stages
    tip = designer.map.tooltip_for(sid)
    stage = designer.services.processes.process(farming.id).active_stages[1]
    assert stage.name in tip and f"Expected {stage.expected_days} days" in tip


def test_keyboard_only_design(qtbot, main_window, designer) -> None:  # type: ignore[no-untyped-def]
    """Add a stage, name it, save it and move it, without the mouse."""
    alt = Qt.KeyboardModifier.AltModifier
    main_window.activateWindow()
    qtbot.waitUntil(main_window.isActiveWindow)
    qtbot.keyClick(main_window, Qt.Key.Key_A, alt)  # &Add stage (a mnemonic clicks on a timer)
    qtbot.waitUntil(lambda: "New stage" in stored(designer))
    settle(designer)
    editor = designer.stages.editor
    assert editor.name.hasFocus() and editor.name.selectedText() == "New stage"
    qtbot.keyClicks(editor.name, "Discovery")
    qtbot.keyClick(main_window, Qt.Key.Key_D, alt)  # Expected &days
    assert editor.expected_days.hasFocus()
    qtbot.keyClicks(editor.expected_days, "10")
    qtbot.keyClick(editor.expected_days, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(designer)
    assert stored(designer)[5] == "Discovery"
    designer.stages.table.setFocus()
    qtbot.keyClick(designer.stages.table, Qt.Key.Key_Up, alt)
    settle(designer)
    assert stored(designer)[4] == "Discovery"
    stage = designer.services.processes.process(designer.current_process_id()).active_stages[4]
    assert stage.expected_days == 10


def test_leaving_a_stage_saves_its_edits_or_keeps_it_when_invalid(qtbot, designer) -> None:  # type: ignore[no-untyped-def]
    panel, editor = designer.stages, designer.stages.editor
    panel.select_row(0)
    editor.target_conversion.setText("55")
    editor.target_conversion.textEdited.emit("55")
    qtbot.mouseClick(
        panel.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=panel.table.visualRect(panel.model.index(2, 0)).center(),
    )
    qtbot.waitUntil(lambda: editor.stage_id == panel.model.row(2).id)
    first = designer.services.processes.process(designer.current_process_id()).active_stages[0]
    assert first.target_conversion == 55 and not editor.dirty
    editor.expected_days.setText("-1")
    editor.expected_days.textEdited.emit("-1")
    qtbot.mouseClick(
        panel.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=panel.table.visualRect(panel.model.index(4, 0)).center(),
    )
    qtbot.waitUntil(lambda: editor.errors["expected_days"].isVisible())
    assert current_row(panel.table) == 2 and editor.dirty and editor.expected_days.text() == "-1"


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_choose_a_colour(qtbot, designer) -> None:  # type: ignore[no-untyped-def]
    editor = designer.stages.editor
    designer.stages.select_row(0)

    def pick() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QColorDialog))
        dialog.setCurrentColor(QColor("#123456"))
        dialog.accept()

    QTimer.singleShot(0, pick)
    qtbot.mouseClick(editor.color_button, Qt.MouseButton.LeftButton)
    assert editor.color.text() == "#123456" and editor.dirty
    editor.save()
    settle(designer)
    stage = designer.services.processes.process(designer.current_process_id()).active_stages[0]
    assert stage.color == "#123456"
