"""The real main window on a demo workspace."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer


def test_areas_switch_by_shortcut(qtbot, main_window) -> None:
    for key, index in ((Qt.Key.Key_2, 1), (Qt.Key.Key_3, 2), (Qt.Key.Key_1, 0), (Qt.Key.Key_2, 1)):
        qtbot.keyClick(main_window, key, Qt.KeyboardModifier.ControlModifier)
        assert main_window.sidebar.currentRow() == index  # at once
        assert main_window.area_actions[index].isChecked()
        qtbot.waitUntil(lambda i=index: main_window.stack.currentIndex() == i)


def test_an_area_chosen_for_the_first_time_is_built_and_shown_in_steps(qtbot, main_window) -> None:
    """Built and shown in one turn, an area held the GUI thread for 40 ms of CPU: it is built
    hidden on one turn and shown on the next; a choice made meanwhile wins."""
    index = next(i for i, built in enumerate(main_window._built) if built is None)
    other = next(i for i, built in enumerate(main_window._built) if built is not None)
    shown = main_window.stack.currentIndex()
    turns: list[tuple[bool, int]] = []  # each turn: built yet, the area shown
    each_turn = QTimer()
    each_turn.setInterval(0)
    each_turn.timeout.connect(
        lambda: turns.append(
            (main_window._built[index] is not None, main_window.stack.currentIndex())
        )
    )
    each_turn.start()
    main_window.area_actions[index].trigger()
    # not yet: built on a later turn
    assert main_window._built[index] is None and main_window.stack.currentIndex() == shown
    qtbot.waitUntil(lambda: main_window.stack.currentIndex() == index)
    each_turn.stop()
    assert (True, shown) in turns  # a turn with it built, still hidden
    # A choice of an area not built yet, then of another one before it is shown: the last one
    later = next(i for i, built in enumerate(main_window._built) if built is None)
    main_window.area_actions[later].trigger()
    main_window.area_actions[other].trigger()
    assert main_window.stack.currentIndex() == other
    qtbot.wait(100)
    assert main_window.stack.currentIndex() == other and main_window.sidebar.currentRow() == other


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
