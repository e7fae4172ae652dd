"""A quick-log save refreshes the open Log list with no turn or paint to spare (issue 14: log
≤ 30 ms, Enter → the views refreshed and shown, on 1,000,000 activities): the list's re-read
is asked for as the write's answer arrives, not on a timer a turn later (after the dialog has
repainted), and the table repaints once. A new count changes the scroll range, whose queued
relayout repainted the whole table a second time (~17 ms). The form greys only when the answer
is slow (greying it and back repainted the whole dialog twice per save)."""

from __future__ import annotations

from logger_testing import OFFSCREEN_NOISE, settle
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from nextlevel_desktop.domain.changes import Changes
from nextlevel_desktop.ui.logger import dialogs

pytestmark = OFFSCREEN_NOISE


class Paints(QObject):
    """Counts a widget's paint events."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


class Greyed(QObject):
    """Counts a widget's changes between enabled and disabled."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.EnabledChange:
            self.count += 1
        return False


def test_a_save_reads_the_log_list_at_once_and_paints_it_once(
    qtbot, main_window, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # A save answered within the wait (however loaded the test machine) never greys the form.
    monkeypatch.setattr(dialogs, "SHOW_WAITING_AFTER_MS", 60_000)
    window = main_window
    window.show_area(1)
    panel = window.activities.log
    settle(window)
    total = panel.model.rowCount()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = window.quick_log_dialog()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    form = dialog.form
    form.account.set_account(window.services.accounts.page("", 0, 1)[0])
    form.outcome.setText("Shown at once")
    settle(window)
    for _ in range(3):
        QApplication.processEvents()

    asked: list[bool] = []

    def published(changes: Changes, _initiator: object) -> None:
        # The panels have had the write (connected before this): the list's read is out.
        asked.append(not panel.stale.is_stale and not window.ops.idle)

    window.bus.changed.connect(published)
    paints = Paints(panel.table.viewport())
    greyed = Greyed(form)
    qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    # The event loop as the app runs it (not processEvents calls, which paint before the
    # view's zero timers run) until the new row is there, and a few turns more.
    qtbot.waitUntil(lambda: panel.model.rowCount() == total + 1 and window.ops.idle)
    qtbot.wait(100)
    assert asked == [True]
    assert panel.model.rowCount() == total + 1
    assert panel.model.row(0) is not None and panel.model.row(0).outcome == "Shown at once"
    assert paints.count == 1
    assert greyed.count == 0 and form.isEnabled() and form.account.hasFocus()
