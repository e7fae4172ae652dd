"""Preferences, help, about, save a copy, crash dialog: driven through the real widgets."""

from __future__ import annotations

from pathlib import Path

from designer_keys import redo, undo
from logger_testing import settle
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLabel, QPushButton

from nextlevel_desktop import __version__
from nextlevel_desktop.domain.changes import Changes
from nextlevel_desktop.storage.db import inspect_file
from nextlevel_desktop.ui.dialogs.help import AboutDialog, GuideDialog
from nextlevel_desktop.ui.dialogs.preferences import PreferencesDialog
from nextlevel_desktop.ui.errors import CrashDialog


def test_preferences_save_business_and_personal_settings(qtbot, main_window) -> None:
    services = main_window.services
    dialog = PreferencesDialog(main_window, main_window)
    qtbot.addWidget(dialog)
    dialog.me.setCurrentIndex(2)
    me_id = dialog.me.currentData()
    dialog.currency.setText("usd")
    dialog.week_start.setCurrentIndex(6)
    dialog.on_track.setValue(110)
    dialog.at_risk.setValue(85)
    dialog.handover.setCurrentIndex(1)
    received: list[Changes] = []
    main_window.bus.changed.connect(lambda changes: received.append(changes))
    dialog.accept()
    settle(main_window)
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = services.workspace.settings()
    assert (saved.currency, saved.week_start, saved.on_track_pct, saved.at_risk_pct) == (
        "USD",
        6,
        110,
        85,
    )
    assert saved.handover == "ask"
    assert main_window.settings.me(services.db.path) == me_id
    assert received and received[0].settings  # published once, by the operation road
    assert main_window.undo_stack.undoText() == "Change preferences"
    undo(qtbot, main_window)
    assert services.workspace.settings().currency == "EUR"
    assert received[-1].settings
    redo(qtbot, main_window)
    assert services.workspace.settings().currency == "USD"


def test_preferences_refuse_bad_thresholds_inline(qtbot, main_window) -> None:
    services = main_window.services
    dialog = PreferencesDialog(main_window, main_window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.on_track.setValue(70)
    dialog.at_risk.setValue(90)
    dialog.accept()
    settle(main_window)
    assert dialog.isVisible() and dialog.isEnabled()
    assert "below the ‘on track’ threshold" in dialog.error.text()
    assert services.workspace.settings().on_track_pct == 100  # nothing saved


def test_preferences_shortcut_opens_dialog(qtbot, main_window) -> None:
    seen: list[str] = []

    def close_it() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, PreferencesDialog) and w.isVisible():
                seen.append(w.windowTitle())
                w.reject()

    QTimer.singleShot(100, close_it)
    main_window.preferences_action.trigger()
    assert seen == ["Preferences"]


def test_guide_and_about(qtbot, main_window) -> None:
    guide = GuideDialog(main_window)
    qtbot.addWidget(guide)
    text = guide.browser.toPlainText()
    assert "Hunting" in text and "Farming" in text and "Ctrl+3" in text
    about = AboutDialog(main_window.services.db.path, main_window)
    qtbot.addWidget(about)
    text = " ".join(label.text() for label in about.findChildren(QLabel))
    assert __version__ in text
    assert str(main_window.services.db.path) in text


def test_save_a_copy_writes_a_consistent_workspace(
    qtbot, main_window, tmp_path, monkeypatch
) -> None:
    dest = tmp_path / "copy.nlw"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    main_window.save_copy_action.trigger()
    assert inspect_file(dest) is not None
    assert "Saved a copy" in main_window.statusBar().currentMessage()


def test_new_workspace_asks_for_currency_and_demo_and_opens(
    qtbot, main_window, tmp_path, monkeypatch
) -> None:
    from nextlevel_desktop.ui.dialogs.new_workspace import NewWorkspaceDialog, locale_currency

    dest = tmp_path / "Client B"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewWorkspaceDialog)
        seen.append(dialog.currency.currentText())  # the locale's currency is offered first
        dialog.currency.setCurrentText("dollars")
        dialog.accept()  # refused: not a currency code; the dialog stays open and says so
        assert (
            dialog.isVisible() and "not a currency code" in dialog.fields["currency"].error.text()
        )
        dialog.currency.setCurrentText("usd")
        dialog.demo.setChecked(True)
        dialog.accept()

    QTimer.singleShot(0, answer)
    main_window.new_action.trigger()
    assert seen == [locale_currency()]
    assert main_window.controller.opened == [(tmp_path / "Client B.nlw", True)]
    assert main_window.controller.currencies == ["USD"]
    # The closed dialog is deleted now, not under a later test's modal loop.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    main_window.activateWindow()


def test_crash_dialog_shows_and_copies_traceback(qtbot) -> None:
    dialog = CrashDialog("Traceback (most recent call last):\nValueError: boom", Path("/tmp/x.log"))
    qtbot.addWidget(dialog)
    assert "ValueError: boom" in dialog.details.toPlainText()
    copy = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Copy details")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert "ValueError: boom" in QApplication.clipboard().text()


def test_a_failure_repeating_behind_the_crash_dialog_opens_no_second_one(
    qtbot, tmp_path: Path
) -> None:
    """A read failing on every paint used to stack crash dialogs, each in the last one's loop."""
    import sys

    from nextlevel_desktop.ui.errors import install_excepthook

    old_hook = sys.excepthook
    install_excepthook(tmp_path / "log.txt")
    opened: list[CrashDialog] = []

    def raise_again() -> None:
        try:
            raise ValueError("again")
        except ValueError:
            sys.excepthook(*sys.exc_info())

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, CrashDialog):
            if widget not in opened:
                opened.append(widget)
                raise_again()  # the same failure, met again while the first dialog shows
                raise_again()
                QTimer.singleShot(50, widget.reject)
            return
        QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    try:
        try:
            raise ValueError("first")
        except ValueError:
            sys.excepthook(*sys.exc_info())  # returns when the dialog closes
    finally:
        sys.excepthook = old_hook
    assert len(opened) == 1
    assert "ValueError: first" in opened[0].details.toPlainText()
