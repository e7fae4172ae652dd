"""The real main window on a demo workspace."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_areas_switch_by_shortcut(qtbot, main_window) -> None:
    for key, index in ((Qt.Key.Key_2, 1), (Qt.Key.Key_3, 2), (Qt.Key.Key_1, 0)):
        qtbot.keyClick(main_window, key, Qt.KeyboardModifier.ControlModifier)
        assert main_window.stack.currentIndex() == index
        assert main_window.sidebar.currentRow() == index
        assert main_window.area_actions[index].isChecked()


def test_sidebar_follows_a_switch_to_dark(main_window) -> None:  # type: ignore[no-untyped-def]
    """A style sheet's palette colours are resolved when applied: the sidebar kept the light
    scheme's white after a switch to dark."""
    from nextlevel_desktop.ui.theme import apply_colour_scheme

    def sidebar_lightness() -> int:
        image = main_window.sidebar.grab().toImage()
        return image.pixelColor(image.width() // 2, image.height() - 5).lightness()

    try:
        apply_colour_scheme("light")
        assert sidebar_lightness() > 200
        apply_colour_scheme("dark")
        assert sidebar_lightness() < 80
    finally:
        apply_colour_scheme("light")
    assert sidebar_lightness() > 200
