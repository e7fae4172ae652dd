"""Undo and redo by the keyboard, as a user does (shared by the designer's GUI tests); each
waits until the step has run on the operation road and the panels have refreshed."""

from __future__ import annotations

from logger_testing import settle
from PySide6.QtCore import Qt


def _activate(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()  # a dialog may have taken activation (shortcuts need it)
    qtbot.waitUntil(window.isActiveWindow)


def undo(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(window)


def redo(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _activate(qtbot, window)
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_Z, mods)
    settle(window)
