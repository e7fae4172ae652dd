"""Undo and redo by the keyboard, as a user does (shared by the designer's GUI tests)."""

from __future__ import annotations

from PySide6.QtCore import Qt


def _activate(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()  # a dialog may have taken activation (shortcuts need it)
    qtbot.waitUntil(window.isActiveWindow)


def undo(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def redo(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _activate(qtbot, window)
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_Z, mods)
