"""The real main window on a demo workspace."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_areas_switch_by_shortcut(qtbot, main_window) -> None:
    for key, index in ((Qt.Key.Key_2, 1), (Qt.Key.Key_3, 2), (Qt.Key.Key_1, 0)):
        qtbot.keyClick(main_window, key, Qt.KeyboardModifier.ControlModifier)
        assert main_window.stack.currentIndex() == index
        assert main_window.sidebar.currentRow() == index
        assert main_window.area_actions[index].isChecked()
