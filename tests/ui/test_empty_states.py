"""A new, empty workspace: each screen says what to do next instead of showing bare zeros."""

from __future__ import annotations

import pytest
from logger_testing import OFFSCREEN_NOISE, settle
from PySide6.QtWidgets import QApplication

from nextlevel_desktop.domain.models import ProcessKind

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def empty_window(qtbot, services, user_settings):  # type: ignore[no-untyped-def]
    from nextlevel_desktop.ui.main_window import MainWindow

    class _Controller:
        def open_workspace(self, *_a, **_k) -> bool:  # type: ignore[no-untyped-def]
            return True

    window = MainWindow(services, user_settings, _Controller())
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_empty_log_says_how_to_log(empty_window) -> None:  # type: ignore[no-untyped-def]
    empty_window.show_area(1)
    settle(empty_window)
    log = empty_window.activities.log
    assert log.views.currentWidget() is log.empty_state
    assert "Ctrl+L" in log.empty_state.text() and "Nothing logged yet" in log.empty_state.text()


def test_empty_board_says_how_to_start(empty_window) -> None:  # type: ignore[no-untyped-def]
    empty_window.show_area(1)
    area = empty_window.activities
    area.tabs.setCurrentWidget(area.pipeline)
    hunting = empty_window.services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    area.pipeline.select_process(hunting.id)
    settle(empty_window)
    text = area.pipeline.summary.text()
    assert text.startswith("0 open opportunities") and "Ctrl+Shift+N" in text


def test_empty_monitor_says_what_fills_it(empty_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    empty_window.show_area(2)
    qtbot.waitUntil(lambda: empty_window.monitor.dashboard is not None)
    dashboard = empty_window.monitor.dashboard
    qtbot.waitUntil(lambda: bool(dashboard.cards))
    assert dashboard.empty_hint.isVisibleTo(dashboard)
    assert "Ctrl+L" in dashboard.empty_hint.text()
    assert QApplication.instance() is not None


def test_a_demo_monitor_shows_no_empty_hint(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    main_window.show_area(2)
    qtbot.waitUntil(lambda: main_window.monitor.dashboard is not None)
    dashboard = main_window.monitor.dashboard
    qtbot.waitUntil(lambda: bool(dashboard.cards))
    assert not dashboard.empty_hint.isVisibleTo(dashboard)
    log = main_window.activities.log
    assert log.views.currentWidget() is log.table
