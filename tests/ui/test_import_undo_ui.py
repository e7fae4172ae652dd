"""A CSV import is one undo command: Ctrl+Z in the window takes it all back, redo puts it back."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from designer_keys import redo, undo
from logger_testing import OFFSCREEN_NOISE, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from test_import_wizard import next_page, open_wizard

from nextlevel_desktop.domain.activities import ActivityFilter
from nextlevel_desktop.domain.changes import Changes
from nextlevel_desktop.services.revisions import Revision
from nextlevel_desktop.ui.kit.busy import Busy

pytestmark = [
    OFFSCREEN_NOISE,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_ctrl_z_takes_an_import_back(qtbot, main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = main_window
    window.show_area(1)
    panel = window.activities.log
    window.activities.tabs.setCurrentWidget(panel)
    panel.status.setCurrentIndex(0)  # any status: every activity
    settle(window)
    total = window.services.activities.count(ActivityFilter())
    assert panel.model.rowCount() == total

    src = tmp_path / "calls.csv"
    rows = [
        f"2026-03-{1 + i % 28:02d} 09:00,Call,Ann New,Undo Ltd,done,note {i}" for i in range(500)
    ]
    src.write_text("Date,Activity Type,Assigned To,Company,Status,Notes\n" + "\n".join(rows))
    wizard = open_wizard(window)  # (the processes and mappings read)
    qtbot.waitExposed(wizard)
    page = wizard.file_page
    page.kind.setCurrentIndex(page.kind.findData("activities"))
    page.path.setText(str(src))
    page.load(src)
    next_page(qtbot, wizard)  # columns
    next_page(qtbot, wizard)  # check
    qtbot.waitUntil(lambda: wizard.check_result is not None, timeout=20000)
    next_page(qtbot, wizard)  # import
    qtbot.waitUntil(lambda: wizard.outcome is not None, timeout=30000)
    assert wizard.outcome.created == 500
    assert "Ctrl+Z" in wizard.import_page.subTitle()  # said once, above the result
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    settle(window)
    assert window.undo_stack.count() == 1  # one command for the whole import
    assert window.undo_action.text() == "&Undo Import 500 activities from calls.csv"
    assert panel.model.rowCount() == total + 500

    # Ctrl+Z: the undo runs on the writer thread (here behind a slow write), the window shows
    # the quiet busy state meanwhile.
    gate = threading.Event()
    window.ops.write("slow", lambda _s: (gate.wait(10), Revision(Changes()))[1])
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    bar = window.centralWidget().findChild(
        Busy, "busyBar", Qt.FindChildOption.FindDirectChildrenOnly
    )
    assert bar is not None
    qtbot.waitUntil(bar.isVisible, timeout=3000)
    assert panel.model.rowCount() == total + 500  # not yet undone: the GUI did not wait
    gate.set()
    settle(window)
    assert not bar.isVisible()
    assert window.services.activities.count(ActivityFilter()) == total
    assert panel.model.rowCount() == total  # the list shows the old total
    people = {p.name for p in window.services.people.people()}
    assert "Ann New" not in people  # the person it added went too

    redo(qtbot, window)  # Ctrl+Shift+Z
    assert panel.model.rowCount() == total + 500
    undo(qtbot, window)
    assert panel.model.rowCount() == total
