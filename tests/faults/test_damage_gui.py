"""The app meets a damaged workspace: one message with the ways out, never a dialog per paint."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from damage_tools import damage_table_page, digest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from nextlevel_desktop.app import AppController
from nextlevel_desktop.paths import Paths
from nextlevel_desktop.storage import migrate
from nextlevel_desktop.storage.backup import backup_to
from nextlevel_desktop.storage.db import Database, inspect_file, read_workspace_id
from nextlevel_desktop.ui.dialogs.damage import DamageDialog
from nextlevel_desktop.ui.errors import install_excepthook

OFFSCREEN_NOISE = pytest.mark.qt_log_ignore(
    "propagateSizeHints", "does not support raise", "does not support grabbing"
)
pytestmark = OFFSCREEN_NOISE


class Modals:
    """Answers every modal message box that opens with ``answer`` and records it."""

    def __init__(self, answer: Callable[[QMessageBox], None]) -> None:
        self.seen: list[QMessageBox] = []
        self.texts: list[str] = []
        self.answer = answer
        self.running = True
        self.deadline = time.monotonic() + 30
        QTimer.singleShot(0, self.poll)

    def poll(self) -> None:
        if not self.running or time.monotonic() > self.deadline:
            return
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QMessageBox) and widget not in self.seen:
            self.seen.append(widget)
            self.texts.append(widget.text() + "\n" + widget.informativeText())
            self.answer(widget)
        QTimer.singleShot(10, self.poll)

    def stop(self) -> None:
        self.running = False


def choose(label: str) -> Callable[[QMessageBox], None]:
    """Click the button called ``label`` on a damage dialog; close anything else."""

    def answer(box: QMessageBox) -> None:
        if isinstance(box, DamageDialog):
            button = {
                "backup": box.backup_button,
                "salvage": box.salvage_button,
                "close": box.close_button,
            }[label]
            button.click()
        else:
            box.done(0)

    return answer


@pytest.fixture
def damaged(demo_db: Database) -> Path:
    path = demo_db.path
    demo_db.close()
    damage_table_page(path, "activity")
    return path


@pytest.fixture
def controller(make_controller):  # type: ignore[no-untyped-def]
    return make_controller(AppController)


def test_opening_shows_the_damage_dialog_once_and_closes(controller, damaged: Path) -> None:  # type: ignore[no-untyped-def]
    before = digest(damaged)
    modals = Modals(choose("close"))
    try:
        assert not controller.open_workspace(damaged)
    finally:
        modals.stop()
    assert len(modals.seen) == 1 and isinstance(modals.seen[0], DamageDialog)
    assert "“test.nlw” is damaged" in modals.texts[0]
    buttons = {b.text() for b in modals.seen[0].buttons()}
    assert {"Open the newest healthy backup", "Salvage into a new file"} <= buttons
    assert digest(damaged) == before
    assert controller.window is None


def test_salvage_from_the_dialog_opens_a_new_file(controller, damaged: Path) -> None:  # type: ignore[no-untyped-def]
    modals = Modals(choose("salvage"))
    try:
        controller.open_workspace(damaged)
    finally:
        modals.stop()
    salvaged = damaged.with_name("test salvaged.nlw")
    assert inspect_file(salvaged, full_check=True)
    assert any("rows were salvaged into “test salvaged.nlw”" in t for t in modals.texts)
    assert controller.window is not None
    assert controller.window.services.db.path == salvaged


def test_newest_healthy_backup_from_the_dialog(controller, demo_db: Database, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    path = demo_db.path
    wid = read_workspace_id(path)
    backup_to(path, paths.backups_dir / str(wid) / "test-2026-11-26.nlw")
    demo_db.close()
    damage_table_page(path, "activity")
    modals = Modals(choose("backup"))
    try:
        controller.open_workspace(path)
    finally:
        modals.stop()
    restored = path.with_name("test restored.nlw")
    assert controller.window is not None
    assert controller.window.services.db.path == restored
    assert inspect_file(restored, full_check=True)
    assert len([m for m in modals.seen if isinstance(m, DamageDialog)]) == 1


def test_no_healthy_backup_is_said_plainly(controller, damaged: Path) -> None:  # type: ignore[no-untyped-def]
    modals = Modals(choose("backup"))
    try:
        controller.open_workspace(damaged)
    finally:
        modals.stop()
    assert any("There is no healthy backup of “test.nlw”" in t for t in modals.texts)
    assert controller.window is None


def test_damage_met_while_painting_gives_one_message(
    qtbot, controller, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = demo_db.path
    demo_db.close()
    assert controller.open_workspace(path)
    window = controller.window
    assert window is not None
    # The file is damaged under the open app (a failing disk); every read of the page fails.
    damage_table_page(path, "activity")
    old_hook = sys.excepthook
    install_excepthook(tmp_path / "log.txt", controller.report_damage)
    modals = Modals(choose("close"))
    try:
        errors = []
        for _ in range(50):  # fifty paints that each meet the damaged page
            try:
                with window.services.db.read() as session:
                    session.connection().exec_driver_sql("SELECT count(notes) FROM activity").all()
            except Exception as exc:  # noqa: BLE001 - handed to the hook as Qt would
                errors.append(exc)
                sys.excepthook(type(exc), exc, exc.__traceback__)
        qtbot.waitUntil(lambda: len(modals.seen) >= 1, timeout=5000)
        qtbot.wait(100)
    finally:
        modals.stop()
        sys.excepthook = old_hook
    assert len(errors) == 50
    assert len(modals.seen) == 1 and isinstance(modals.seen[0], DamageDialog)
    assert "a damaged page was met while reading" in modals.texts[0]


def test_a_zero_length_file_is_refused_by_open_but_new_creates_there(
    qtbot, paths: Paths, user_settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.nlw"
    empty.touch()
    told: list[str] = []

    class Recording(AppController):
        def _tell(self, parent: QWidget | None, message: str) -> None:
            told.append(message)

    ctl = Recording(paths, user_settings)
    try:
        assert not ctl.open_workspace(empty)
        assert told and "is empty (0 bytes): it is not a workspace" in told[0]
        assert empty.stat().st_size == 0
        assert ctl.open_workspace(empty, new=True)
        assert inspect_file(empty) == migrate.HEAD
    finally:
        if ctl.window is not None:
            ctl.window.close()
        ctl.close()


def test_the_background_check_of_a_large_workspace_reports_damage(
    qtbot, controller, damaged: Path
) -> None:  # type: ignore[no-untyped-def]
    from nextlevel_desktop.storage.db import open_database

    before = digest(damaged)
    # What the app does for a large file, on a small one: open, check in the background.
    db, _ = open_database(damaged, create=False, background_check_from=0)
    modals = Modals(choose("close"))
    try:
        db.integrity.on_damage(lambda error: controller.damage.found.emit(damaged, str(error)))
        qtbot.waitUntil(lambda: len(modals.seen) == 1, timeout=20000)
    finally:
        modals.stop()
        db.close()
    assert "“test.nlw” is damaged" in modals.texts[0]
    assert digest(damaged) == before


def test_the_activity_list_on_a_page_damaged_under_it_gives_one_message(
    qtbot, controller, demo_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from nextlevel_desktop.ui.logger.activity_list import ActivityListPanel

    path = demo_db.path
    demo_db.close()
    assert controller.open_workspace(path)
    window = controller.window
    assert window is not None
    window.show_area(1)
    panel = window.findChild(ActivityListPanel)
    assert panel is not None
    qtbot.waitUntil(panel.isVisible, timeout=5000)
    damage_table_page(path, "activity")
    old_hook = sys.excepthook
    install_excepthook(tmp_path / "log.txt", controller.report_damage)
    modals = Modals(choose("close"))
    try:
        panel.status.setCurrentIndex(0)  # every activity, read afresh
        panel.refresh()
        for _ in range(40):  # scroll through the whole list, painting as a user would
            bar = panel.table.verticalScrollBar()
            bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
            qtbot.wait(20)
        qtbot.waitUntil(lambda: len(modals.seen) >= 1, timeout=10000)
        qtbot.wait(200)
    finally:
        modals.stop()
        sys.excepthook = old_hook
    assert len(modals.seen) == 1 and isinstance(modals.seen[0], DamageDialog)
    assert "a damaged page was met while reading" in modals.texts[0]
