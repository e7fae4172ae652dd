"""Shared fixtures: offscreen Qt, and a fresh temporary workspace file for every test."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is imported anywhere

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from nextlevel_desktop.paths import Paths
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.demo import DemoSize, generate_demo
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage.db import Database

# A fixed "today" keeps demo data identical between runs.
DEMO_TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _no_held_modifiers() -> Iterator[None]:
    """Start every test with no modifier key held.

    QTest sends a key's release to the widget that got its press; when the press deletes that
    widget (a board column rebuilt by a Ctrl+Shift+Left move), the release is never seen and
    Qt keeps Ctrl+Shift as held, so the next test's ``selectRow`` would extend a selection
    instead of making one. A plain key click on a scratch widget sets the state straight.
    """
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QWidget

    if QApplication.instance() is not None and QGuiApplication.keyboardModifiers():
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        scratch = QWidget()
        QTest.keyClick(scratch, Qt.Key.Key_Shift)
        scratch.deleteLater()
    yield


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "test.nlw"


@pytest.fixture
def db(workspace_path: Path) -> Iterator[Database]:
    """A new workspace with the default templates and no demo data."""
    database, created = open_workspace(workspace_path)
    assert created
    yield database
    database.close()


@pytest.fixture
def demo_db(workspace_path: Path) -> Iterator[Database]:
    """A new workspace with the standard demo data (fixed seed and date)."""
    database, _ = open_workspace(workspace_path)
    generate_demo(database, DemoSize(), today=DEMO_TODAY)
    yield database
    database.close()


@pytest.fixture
def services(db: Database) -> Services:
    return Services.for_database(db)


@pytest.fixture
def demo_services(demo_db: Database) -> Services:
    return Services.for_database(demo_db)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "data", tmp_path / "data" / "logs")


@pytest.fixture
def user_settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    from nextlevel_desktop.ui.user_settings import UserSettings

    return UserSettings(tmp_path / "settings.ini")


@pytest.fixture
def make_controller(qtbot, paths: Paths, user_settings):  # type: ignore[no-untyped-def]
    """Build app controllers (``AppController`` or a test subclass) on this test's data folder;
    each one's window is closed and its workspace, lock and backup thread shut down after."""
    from nextlevel_desktop.app import AppController

    made: list[AppController] = []

    def make(cls: type[AppController] = AppController) -> AppController:
        controller = cls(paths, user_settings)
        made.append(controller)
        return controller

    yield make
    for controller in made:
        if controller.window is not None:
            controller.window.close()
        controller.close()


@pytest.fixture
def main_window(qtbot, demo_services: Services, user_settings):  # type: ignore[no-untyped-def]
    """The real main window on a demo workspace (no controller file actions needed)."""
    from PySide6.QtWidgets import QApplication

    from nextlevel_desktop.ui.main_window import MainWindow

    class _Controller:
        def __init__(self) -> None:
            self.opened: list[tuple[Path, bool]] = []
            self.currencies: list[str | None] = []

        def open_workspace(  # type: ignore[no-untyped-def]
            self, path: Path, demo: bool = False, parent=None, new=False, currency=None
        ) -> bool:
            self.opened.append((path, demo))
            self.currencies.append(currency)
            return True

    window = MainWindow(demo_services, user_settings, _Controller())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    # Shortcuts only reach the active window: a dialog left over from an earlier test must
    # not keep this one inactive.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    return window


@pytest.fixture
def make_road(qtbot):  # type: ignore[no-untyped-def]
    """The operation road (writer and reader threads on their own connections) over some
    services, for models tested without a window: ``road.ops``, ``road.services``; ``settle``
    from tests/ui/logger_testing works on it. Closed after the test."""
    from types import SimpleNamespace

    from PySide6.QtGui import QUndoStack

    from nextlevel_desktop.ui.kit.bus import ChangeBus
    from nextlevel_desktop.ui.kit.ops import Operations

    made: list[Operations] = []

    def make(services: Services) -> SimpleNamespace:
        ops = Operations(services, ChangeBus(), QUndoStack())
        made.append(ops)
        return SimpleNamespace(ops=ops, services=services)

    yield make
    for ops in made:
        ops.close()


@pytest.fixture
def demo_road(make_road, demo_services: Services):  # type: ignore[no-untyped-def]
    """The operation road over the demo workspace (see ``make_road``)."""
    return make_road(demo_services)
