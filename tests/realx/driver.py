"""Drives the real app in a real X window, for tests/realx (run in its own process).

Usage: ``python driver.py SCENARIO DATA_DIR WORKSPACE RESULT_JSON``, with ``DISPLAY`` set to an X
server and ``QT_QPA_PLATFORM=xcb``. The app starts through its own entry point (``main``), so
start-up and shutdown are exactly those of ``nextlevel-desktop``; the driver only adds a timer
that waits for the window and then plays a scenario with real X input (``xdotool``):

- ``drag``: Activities > Pipeline, drag the first card of a stage with exit criteria onto the
  next stage's column (press, move in small steps, release: Qt's own xcb drag and drop), tick
  the exit criteria in the confirmation and press Move, wait for the board to show the card in
  its new column, then close the window.
- ``keys``: click a card, Ctrl+Shift+Right and confirm; double-click the card in its new
  column, change its value and save; then close the window.
- ``tour``: Ctrl+1, Ctrl+2 (every inner tab), Ctrl+3 and wait for the Monitor's charts, then
  Ctrl+Q.
- ``quit``: Ctrl+Q as soon as the workspace is on screen.

On the offscreen platform (no X input) keys go through Qt's test input, and File > Quit is
triggered directly (offscreen has no platform theme, so Quit has no key there).

The scenario writes what it did to RESULT_JSON; the process's exit code is the app's (a crash
shows as a negative signal number, with the faulthandler trace on stderr). If the scenario
gets stuck, a watchdog ends the process with exit code 3 and says which step it waited for.
"""

from __future__ import annotations

import faulthandler
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

faulthandler.enable()

from PySide6.QtCore import QObject, QPoint, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QCheckBox, QDialogButtonBox  # noqa: E402

from nextlevel_desktop import app as app_module  # noqa: E402
from nextlevel_desktop.__main__ import main  # noqa: E402
from nextlevel_desktop.ui.engagements.board import EngagementRole  # noqa: E402

WATCHDOG_SECONDS = float(os.environ.get("NLD_DRIVER_TIMEOUT", "60"))
Step = Iterator[tuple[str, Callable[[], Any]]]


def xdotool(*args: object) -> subprocess.Popen[bytes]:
    """Real X input, sent without blocking the event loop that has to receive it."""
    return subprocess.Popen(["xdotool", *map(str, args)])


class Script(QObject):
    """Plays a generator of ``(what is awaited, condition)`` pairs from a 50 ms timer."""

    def __init__(self, steps: Step) -> None:
        super().__init__()
        self.steps = steps
        self.waiting: tuple[str, Callable[[], Any]] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(50)
        self.timer.timeout.connect(self._tick)
        self.watchdog = threading.Timer(WATCHDOG_SECONDS, self._give_up)
        self.watchdog.daemon = True

    def start(self) -> None:
        self.watchdog.start()
        self.timer.start()

    def _tick(self) -> None:
        if self.waiting is not None:
            if not self.waiting[1]():
                return
        try:
            self.waiting = next(self.steps)
            print(f"driver: waiting for {self.waiting[0]}", flush=True)
        except StopIteration:  # the watchdog stays: the app must now quit by itself
            self.timer.stop()
            self.waiting = ("the app to quit", lambda: False)

    def _give_up(self) -> None:
        what = self.waiting[0] if self.waiting else "the first step"
        print(f"driver: stuck for {WATCHDOG_SECONDS:.0f} s waiting for {what}", flush=True)
        # What was on screen instead, for whoever reads the failure.
        from PySide6.QtWidgets import QApplication

        modal = QApplication.activeModalWidget()
        if modal is not None:
            texts = [getattr(modal, "text", lambda: "")()] if hasattr(modal, "text") else []
            print(f"driver: a modal {type(modal).__name__} is open: {texts}", flush=True)
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                handle = widget.windowHandle()
                exposed = handle.isExposed() if handle is not None else None
                print(
                    f"driver: visible {type(widget).__name__} {widget.windowTitle()!r} "
                    f"exposed={exposed} geometry={widget.geometry().getRect()}",
                    flush=True,
                )
        os._exit(3)


def center(widget: Any, rect: Any = None) -> QPoint:
    local = (rect if rect is not None else widget.rect()).center()
    return widget.mapToGlobal(local)


def drag(controller: Any, result: dict[str, Any]) -> Step:
    yield from pipeline(controller)
    panel = controller.window.activities.pipeline
    board = panel.board
    stages = panel.current_process().open_stages
    source = next(
        i
        for i, column in enumerate(board.columns[:-1])
        if column.count() and stages[i].exit_criteria
    )
    column, target = board.columns[source], board.columns[source + 1]
    item = column.item(0)
    eng = item.data(EngagementRole)[0]
    result.update(engagement=eng.id, from_stage=stages[source].id, to_stage=stages[source + 1].id)
    start = center(column.viewport(), column.visualItemRect(item))
    end = center(target.viewport())
    # Press, then move in small steps (past the drag distance) and release over the column.
    moves: list[object] = ["mousemove", start.x(), start.y(), "sleep", 0.3, "mousedown", 1]
    for n in range(1, 13):
        x = start.x() + (end.x() - start.x()) * n // 12
        y = start.y() + (end.y() - start.y()) * n // 12
        moves += ["sleep", 0.08, "mousemove", x, y]
    moves += ["sleep", 0.3, "mouseup", 1]
    mouse = xdotool(*moves)
    yield from confirm_move(result)

    def moved() -> bool:
        found = card_at(panel.board, eng.id)
        return (
            mouse.poll() is not None
            and QApplication.activeModalWidget() is None
            and found is not None
            and found[0] == source + 1
        )

    yield "the card in the next column", moved
    result["board_shows_move"] = True
    shot = os.environ.get("NLD_DRIVER_SCREENSHOT")
    if shot:
        controller.window.grab().save(shot)
    yield "a moment on screen", lambda: True
    controller.window.close()


def pipeline(controller: Any) -> Step:
    """Activities > Pipeline, as the user gets there; the board is on screen afterwards."""
    yield "the workspace to open", lambda: controller.window and controller.window._built
    window = controller.window
    yield "the window to be exposed", lambda: window.windowHandle().isExposed()
    window.show_area(1)
    area = window.activities
    panel = area.pipeline
    area.tabs.setCurrentWidget(panel)
    yield "the board", lambda: panel.isVisible() and panel.board.columns and panel.board.isVisible()


def card_at(board: Any, engagement_id: int) -> tuple[int, QPoint] | None:
    """The column index and screen position of an engagement's card, scrolled into view."""
    for n, column in enumerate(board.columns):
        for i in range(column.count()):
            if column.item(i).data(EngagementRole)[0].id == engagement_id:
                column.scrollToItem(column.item(i))
                return n, center(column.viewport(), column.visualItemRect(column.item(i)))
    return None


def confirm_move(result: dict[str, Any]) -> Step:
    """Tick every exit criterion in the move's confirmation and press Move."""
    from nextlevel_desktop.ui.engagements.dialogs import MoveDialog

    def confirming() -> bool:
        return isinstance(QApplication.activeModalWidget(), MoveDialog)

    yield "the exit criteria dialog", confirming
    dialog = QApplication.activeModalWidget()
    result["criteria"] = [c.text() for c in dialog.findChildren(QCheckBox)]
    for check in dialog.findChildren(QCheckBox):
        check.setChecked(True)
    yield "the dialog to paint its ticks", lambda: True
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def keys_and_double_click(controller: Any, result: dict[str, Any]) -> Step:
    """Click a card, Ctrl+Shift+Right (confirm the criteria), then double-click the card in its
    new column and press OK in its dialog: each rebuilds the board the card was in."""
    yield from pipeline(controller)
    window = controller.window
    panel = window.activities.pipeline
    board = panel.board
    stages = panel.current_process().open_stages
    source = next(
        i
        for i, column in enumerate(board.columns[:-1])
        if column.count() and stages[i].exit_criteria
    )
    eng = board.columns[source].item(0).data(EngagementRole)[0]
    result.update(engagement=eng.id, from_stage=stages[source].id, to_stage=stages[source + 1].id)
    _, where = card_at(board, eng.id)
    click = xdotool("mousemove", where.x(), where.y(), "sleep", 0.2, "click", 1)
    yield (
        "the card to be current",
        lambda: (
            click.poll() is not None
            and (board.current() is not None and board.current().id == eng.id)
        ),
    )
    sent = press(window, "ctrl+shift+Right")
    yield "Ctrl+Shift+Right to be sent", sent
    yield from confirm_move(result)

    def in_next_column() -> bool:
        # The move is written on the writer thread: wait for its answer and the board's refresh.
        settled = window.ops.idle and not panel.stale.is_stale
        found = card_at(panel.board, eng.id)
        return QApplication.activeModalWidget() is None and settled and found is not None

    yield "the card in the next column", in_next_column
    column, where = card_at(panel.board, eng.id)
    result["moved_by_key"] = column == source + 1
    before = list(panel.board.columns)
    click = xdotool("mousemove", where.x(), where.y(), "sleep", 0.2, "click", "--repeat", 2, 1)
    yield "the card's dialog", lambda: QApplication.activeModalWidget() is not None
    dialog = QApplication.activeModalWidget()
    result["dialog"] = type(dialog).__name__
    result["value"] = dialog.value.value() + 1000
    dialog.value.setValue(result["value"])  # something to save
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    yield (
        "the board rebuilt after the edit",
        lambda: (
            click.poll() is not None
            and QApplication.activeModalWidget() is None
            and panel.board.columns[0] is not before[0]
        ),
    )
    result["edited"] = True
    yield "a moment on screen", lambda: True
    window.close()


def press(window: Any, key: str) -> Callable[[], bool]:
    """Press ``key`` ("ctrl+2") in ``window``: real X input on xcb, else Qt's test input (it
    goes through the same shortcut map). Returns "has it been delivered"."""
    if QGuiApplication.platformName() == "xcb":
        sent = xdotool("windowfocus", "--sync", int(window.winId()), "key", key)
        return lambda: sent.poll() is not None
    *mods, name = key.split("+")
    modifiers = Qt.KeyboardModifier.NoModifier
    for mod in mods:
        modifiers |= {"ctrl": Qt.KeyboardModifier.ControlModifier}[mod]
    QTimer.singleShot(
        0, lambda: QTest.keyClick(window, getattr(Qt.Key, f"Key_{name.upper()}"), modifiers)
    )
    return lambda: True


def tour(controller: Any, result: dict[str, Any]) -> Step:
    yield "the workspace to open", lambda: controller.window and controller.window._built
    window = controller.window
    yield "the window to be exposed", lambda: window.windowHandle().isExposed()
    visited: list[str] = []
    for i, name in enumerate(window.AREAS):
        sent = press(window, f"ctrl+{i + 1}")
        yield (
            f"the {name} area (Ctrl+{i + 1})",
            lambda i=i, sent=sent: (
                sent()
                and window._built[i] is not None
                and window.stack.currentWidget() is window._built[i]
            ),
        )
        built = window._built[i]
        tabs = getattr(built, "tabs", None)
        for t in range(tabs.count() if tabs is not None else 0):
            tabs.setCurrentIndex(t)
            yield f"tab {t} of {name}", lambda tabs=tabs: tabs.currentWidget().isVisible()
        if name == "Monitor":
            from nextlevel_desktop.ui.monitor.canvas import ChartView

            built.tabs.setCurrentIndex(0)  # the scorecards' charts (the last tab, Plan, has none)
            yield (
                "a chart on the Monitor",
                lambda b=built: any(v.image is not None for v in b.findChildren(ChartView)),
            )
        visited.append(name)
    result["visited"] = visited
    if QGuiApplication.platformName() == "xcb":
        sent = press(window, "ctrl+q")
    else:  # offscreen has no platform theme, so File > Quit has no key there
        QTimer.singleShot(0, window.quit_action.trigger)
        sent = lambda: True  # noqa: E731
    yield "File > Quit", sent


def quit_at_once(controller: Any, result: dict[str, Any]) -> Step:
    yield "the workspace to open", lambda: controller.window and controller.window._built
    window = controller.window
    yield "the window to be exposed", lambda: window.windowHandle().isExposed()
    result["area"] = window.stack.currentIndex()
    if QGuiApplication.platformName() == "xcb":
        sent = press(window, "ctrl+q")
    else:
        QTimer.singleShot(0, window.quit_action.trigger)
        sent = lambda: True  # noqa: E731
    yield "File > Quit", sent


SCENARIOS = {"drag": drag, "keys": keys_and_double_click, "tour": tour, "quit": quit_at_once}


def run(argv: list[str]) -> int:
    scenario, data_dir, workspace, out = argv
    result: dict[str, Any] = {"scenario": scenario}
    original = app_module.AppController.start
    scripts: list[Script] = []

    def start(controller: Any, path: Path, demo: bool = False) -> Any:
        window = original(controller, path, demo)
        script = Script(SCENARIOS[scenario](controller, result))
        scripts.append(script)
        script.start()
        return window

    app_module.AppController.start = start  # type: ignore[method-assign]
    code = main(["--data-dir", data_dir, "--workspace", workspace])
    Path(out).write_text(json.dumps(result))
    return code


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
