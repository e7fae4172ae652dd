"""The designer's processes, targets, activity types and process files, through the widgets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from designer_keys import redo, undo
from logger_testing import settle
from PySide6.QtCore import Qt

from nextlevel_desktop.domain.models import ProcessKind
from nextlevel_desktop.ui.designer.activity_types_panel import ActivityTypeModel
from nextlevel_desktop.ui.designer.targets_panel import TargetTableModel
from nextlevel_desktop.ui.kit.tables import current_id


@pytest.fixture
def designer(main_window):  # type: ignore[no-untyped-def]
    main_window.show_area(0)
    return main_window.designer


def hunting_id(area) -> int:  # type: ignore[no-untyped-def]
    return area.services.processes.processes_of_kind(ProcessKind.HUNTING)[0].id


def added(designer, kind: ProcessKind, blank: bool) -> int:  # type: ignore[no-untyped-def]
    """Add a process as the New process menu does; its id once saved (it is then current)."""
    designer.add_process(kind, blank=blank)
    settle(designer)
    pid = designer.current_process_id()
    assert pid is not None
    return int(pid)


def active_names(area, kind: ProcessKind) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.name for p in area.services.processes.processes_of_kind(kind)]


def test_ctrl_1_reaches_the_designer(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    main_window.show_area(2)
    qtbot.keyClick(main_window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: main_window.stack.currentIndex() == 0)
    assert main_window.current_area() is main_window.designer


def test_processes_are_grouped_by_kind(designer) -> None:  # type: ignore[no-untyped-def]
    tree = designer.tree
    groups = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert groups == ["Hunting", "Farming"]
    assert tree.topLevelItem(0).child(0).text(0) == "New business"
    assert tree.topLevelItem(1).child(0).text(0) == "Account management"


def test_add_rename_and_archive_processes_with_undo(qtbot, main_window, designer) -> None:  # type: ignore[no-untyped-def]
    pid = added(designer, ProcessKind.HUNTING, blank=False)
    assert active_names(designer, ProcessKind.HUNTING) == ["New business", "New business (2)"]
    assert designer.name.hasFocus()
    designer.name.selectAll()
    qtbot.keyClicks(designer.name, "Partners")
    qtbot.keyClick(designer.name, Qt.Key.Key_Return)
    settle(designer)
    designer.purpose.setText("Win through partners.")
    designer.purpose.editingFinished.emit()
    settle(designer)
    designer.owner.setCurrentIndex(1)
    designer.owner.activated.emit(1)
    settle(designer)
    proc = designer.services.processes.process(pid)
    assert proc.name == "Partners" and proc.purpose == "Win through partners."
    assert proc.owner_id == designer.owner.itemData(1)
    blank = added(designer, ProcessKind.FARMING, blank=True)
    assert len(designer.services.processes.process(blank).active_stages) == 3
    qtbot.mouseClick(designer.archive_button, Qt.MouseButton.LeftButton)
    settle(designer)
    assert active_names(designer, ProcessKind.FARMING) == ["Account management"]
    undo(qtbot, main_window)
    assert "New farming process" in active_names(designer, ProcessKind.FARMING)
    for _ in range(5):
        undo(qtbot, main_window)
    assert active_names(designer, ProcessKind.HUNTING) == ["New business"]
    redo(qtbot, main_window)
    assert active_names(designer, ProcessKind.HUNTING) == ["New business", "New business (2)"]
    redo(qtbot, main_window)
    assert "Partners" in active_names(designer, ProcessKind.HUNTING)


def test_process_name_rules_and_last_process_rule(qtbot, designer) -> None:  # type: ignore[no-untyped-def]
    designer.select_process(hunting_id(designer))
    designer.name.selectAll()
    qtbot.keyClicks(designer.name, "Account management")
    qtbot.keyClick(designer.name, Qt.Key.Key_Return)
    settle(designer)
    assert designer.name_error.isVisible()
    assert "already a process called" in designer.name_error.text()
    designer.name.setText("New business")
    qtbot.mouseClick(designer.archive_button, Qt.MouseButton.LeftButton)
    settle(designer)
    assert designer.message.isVisible()
    assert "only active hunting process" in designer.message.text()
    assert active_names(designer, ProcessKind.HUNTING) == ["New business"]


def test_archived_processes_can_be_shown_and_restored(qtbot, designer) -> None:  # type: ignore[no-untyped-def]
    old = hunting_id(designer)
    new = added(designer, ProcessKind.HUNTING, blank=True)
    designer.select_process(old)
    qtbot.mouseClick(designer.archive_button, Qt.MouseButton.LeftButton)
    settle(designer)
    group = designer.tree.topLevelItem(0)
    # The archived process stays in view while it is the current one, so it can be restored.
    assert group.child(0).text(0) == "New business (archived)"
    designer.select_process(new)
    designer.refresh()
    group = designer.tree.topLevelItem(0)
    assert [group.child(i).text(0) for i in range(group.childCount())] == ["New hunting process"]
    designer.show_archived.setChecked(True)
    designer.select_process(old)
    assert designer.tree.currentItem().text(0) == "New business (archived)"
    assert designer.archive_button.text() == "Restore"
    qtbot.mouseClick(designer.archive_button, Qt.MouseButton.LeftButton)
    settle(designer)
    assert "New business" in active_names(designer, ProcessKind.HUNTING)


def test_target_and_type_models_pass_qt_model_tester(qtmodeltester, designer) -> None:  # type: ignore[no-untyped-def]
    designer.select_process(hunting_id(designer))
    assert designer.targets.model.rowCount() > 0
    assert isinstance(designer.targets.model, TargetTableModel)
    qtmodeltester.check(designer.targets.model)
    assert isinstance(designer.types.model, ActivityTypeModel)
    qtmodeltester.check(designer.types.model)


def test_targets_add_edit_remove_with_validation(qtbot, main_window, designer) -> None:  # type: ignore[no-untyped-def]
    designer.select_process(hunting_id(designer))
    panel = designer.targets
    designer.tabs.setCurrentWidget(panel)
    before = len(designer.services.design.targets(hunting_id(designer)))
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    panel.measure.setCurrentIndex(panel.measure.findData("win_rate"))
    assert not panel.activity_type.isEnabled() and panel.unit.text() == "%"
    qtbot.keyClicks(panel.value, "140")
    qtbot.keyClick(panel.value, Qt.Key.Key_Return)
    settle(designer)
    assert panel.errors["value"].isVisible()
    assert "between 0 and 100" in panel.errors["value"].text()
    panel.value.setText("lots")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert "as a number" in panel.errors["value"].text()
    panel.value.clear()
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.errors["value"].text() == "Enter the target value."
    assert len(designer.services.design.targets(hunting_id(designer))) == before
    panel.value.setText("40")
    panel.scope.setCurrentIndex(1)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    settle(designer)
    targets = designer.services.design.targets(hunting_id(designer))
    assert len(targets) == before + 1
    new = next(t for t in targets if t.measure == "win_rate" and t.person_id is not None)
    assert new.value == 40 and current_id(panel.table) == new.id
    panel.measure.setCurrentIndex(panel.measure.findData("won_value"))
    assert panel.unit.text() == "EUR"
    panel.value.setText("25000")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    settle(designer)
    edited = designer.services.design.target(new.id)
    assert edited.measure == "won_value" and edited.value == 2_500_000  # minor units
    row = panel.model.row_of(new.id)
    assert panel.model.data(panel.model.index(row, 3)) == "EUR 25,000"
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    settle(designer)
    assert len(designer.services.design.targets(hunting_id(designer))) == before
    undo(qtbot, main_window)
    assert designer.services.design.target(new.id).measure == "won_value"
    undo(qtbot, main_window)
    assert designer.services.design.target(new.id).measure == "win_rate"
    undo(qtbot, main_window)
    assert len(designer.services.design.targets(hunting_id(designer))) == before
    redo(qtbot, main_window)
    assert designer.services.design.target(new.id).value == 40


def test_activity_count_target_needs_a_type(qtbot, designer) -> None:  # type: ignore[no-untyped-def]
    designer.select_process(hunting_id(designer))
    panel = designer.targets
    panel.new_target()
    panel.measure.setCurrentIndex(panel.measure.findData("activity_count"))
    assert panel.activity_type.isEnabled()
    panel.activity_type.clear()
    panel.value.setText("10")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert "Choose the activity type" in panel.errors["activity_type"].text()


def test_activity_types_add_rename_move_archive(qtbot, main_window, designer) -> None:  # type: ignore[no-untyped-def]
    farming = designer.services.processes.processes_of_kind(ProcessKind.FARMING)[0]
    designer.select_process(farming.id)
    panel = designer.types
    designer.tabs.setCurrentWidget(panel)
    assert panel.is_review.isVisibleTo(panel)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    settle(designer)
    names = [t.name for t in designer.services.design.activity_types(ProcessKind.FARMING)]
    assert names[-1] == "New activity type" and panel.name.hasFocus()
    panel.name.selectAll()
    qtbot.keyClicks(panel.name, "QBR")
    qtbot.keyClick(panel.name, Qt.Key.Key_Return)
    settle(designer)
    assert "already an activity type" in panel.name_error.text()
    panel.name.setText("Health check")
    panel.is_review.setChecked(True)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    settle(designer)
    types = designer.services.design.activity_types(ProcessKind.FARMING)
    assert types[-1].name == "Health check" and types[-1].is_review
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    settle(designer)
    types = designer.services.design.activity_types(ProcessKind.FARMING)
    assert types[-2].name == "Health check" and current_id(panel.table) == types[-2].id
    qtbot.mouseClick(panel.archive_button, Qt.MouseButton.LeftButton)
    settle(designer)
    assert designer.services.design.activity_types(ProcessKind.FARMING)[-2].archived
    assert panel.archive_button.text() == "R&estore"
    undo(qtbot, main_window)
    assert not designer.services.design.activity_types(ProcessKind.FARMING)[-2].archived
    for _ in range(3):
        undo(qtbot, main_window)
    names = [t.name for t in designer.services.design.activity_types(ProcessKind.FARMING)]
    assert "New activity type" not in names and "Health check" not in names
    redo(qtbot, main_window)
    names = [t.name for t in designer.services.design.activity_types(ProcessKind.FARMING)]
    assert names[-1] == "New activity type"
    designer.select_process(hunting_id(designer))
    assert not panel.is_review.isVisibleTo(panel)


def test_export_then_import_in_the_gui(qtbot, main_window, designer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    designer.select_process(hunting_id(designer))
    path = tmp_path / "nb.nlprocess.json"
    assert designer.export_process(path)
    assert "Exported" in designer.message.text()
    assert json.loads(path.read_text(encoding="utf-8"))["process"]["name"] == "New business"
    designer.import_process(path)
    settle(designer)
    pid = designer.current_process_id()
    assert pid is not None and pid != hunting_id(designer)
    assert "imported as “New business (2)”" in designer.message.text()
    proc = designer.services.processes.process(pid)
    assert len(proc.active_stages) == 7
    assert designer.services.design.targets(pid)  # the team and people targets came along
    undo(qtbot, main_window)
    assert active_names(designer, ProcessKind.HUNTING) == ["New business"]
    redo(qtbot, main_window)
    assert active_names(designer, ProcessKind.HUNTING) == ["New business", "New business (2)"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{broken", "not valid JSON"),
        ('{"format": "another-app", "version": 1}', "not a Next Level process file"),
    ],
)
def test_importing_a_bad_file_says_why_and_changes_nothing(  # type: ignore[no-untyped-def]
    designer, tmp_path: Path, content: str, message: str
) -> None:
    before = designer.services.processes.processes(include_archived=True)
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    designer.import_process(path)
    settle(designer)
    assert designer.message.isVisible() and message in designer.message.text()
    assert designer.services.processes.processes(include_archived=True) == before
    assert not designer.undo_stack.canUndo()


def test_three_processes_all_show_at_1280(qtbot, main_window, designer) -> None:  # type: ignore[no-untyped-def]
    """With a third process the map scrolled Farming out of view at 1280×800: rows now get
    lower so that every process stays in view, and exit criteria wrap instead of scrolling."""
    from nextlevel_desktop.domain.changes import Changes
    from nextlevel_desktop.domain.processes import TEMPLATES
    from nextlevel_desktop.services.workspace import add_process_from_template

    with main_window.services.db.transaction() as session:
        add_process_from_template(session, TEMPLATES[ProcessKind.HUNTING], "Partner channel", 2)
    main_window.publish(Changes(processes=True, stages=True))
    main_window.resize(1280, 800)
    qtbot.waitUntil(lambda: len(designer.map._processes) == 3)
    qtbot.wait(20)
    assert designer.map_scroll.verticalScrollBar().maximum() == 0
    assert designer.map.height() <= designer.map_scroll.viewport().height()
    criteria = designer.stages.editor.criteria
    assert criteria.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert criteria.wordWrap()
