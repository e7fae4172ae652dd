"""``--self-test``: open a temporary demo workspace, show the main window, visit every area, open
the main dialogs and every menu command ending in "…" (each dialog is cancelled), render charts,
write and read back a backup, export every file format and read a Shift-JIS file, then exit 0
(or print what failed and exit 1).

CI runs it against the frozen bundle, so a bundle missing a module, a Qt plugin, a matplotlib
backend or a data file (assets, migrations) cannot land. Each step prints ``ok`` or ``FAIL`` with
the traceback; exceptions raised inside Qt slots during a step count as failures of that step.
A watchdog ends the process (exit 3) if a step hangs, so CI never waits forever.

Set ``NLD_SELFTEST_SCREENSHOTS`` to a folder to save a picture of every area there (used to
make the AppStream screenshots).
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QMenuBar, QWidget

from .paths import Paths

#: Further ``(name, function(controller))`` checks, run after the built-in steps.
EXTRA_STEPS: list[tuple[str, Callable[[Any], None]]] = []

WATCHDOG_SECONDS = 300.0  # NLD_SELFTEST_TIMEOUT overrides it
SCREENSHOT_SIZE = (1280, 800)


class SelfTestError(Exception):
    """A check of the self-test failed (the message says which)."""


@contextmanager
def _closing_dialogs(app: QApplication, seen: list[str]) -> Iterator[None]:
    """While inside, reject every dialog that opens (modal ones included) and note its title."""

    def close() -> None:
        for widget in app.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                seen.append(widget.windowTitle() or type(widget).__name__)
                widget.reject()

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(close)
    timer.start()
    try:
        yield
    finally:
        timer.stop()
        close()
        app.processEvents()


@contextmanager
def _slot_errors() -> Iterator[list[str]]:
    """Collect exceptions that Qt slots raise (PySide hands them to ``sys.excepthook``)."""
    errors: list[str] = []
    previous = sys.excepthook

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        errors.append("".join(traceback.format_exception(kind, value, tb)))

    sys.excepthook = hook
    try:
        yield errors
    finally:
        sys.excepthook = previous


def _dialog_actions(window: QWidget) -> list[QAction]:
    """The enabled menu-bar commands of ``window`` whose text ends with an ellipsis."""
    found: list[QAction] = []

    def walk(menu: QMenu) -> None:
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                walk(submenu)
            elif action.isEnabled() and action.text().rstrip().endswith(("…", "...")):
                found.append(action)

    for menu in window.findChildren(QMenu):
        if menu.parent() is not None and isinstance(menu.parent(), QMenuBar):
            walk(menu)
    return found


def _check_picture(widget: QWidget, name: str) -> None:
    """The widget draws; with NLD_SELFTEST_SCREENSHOTS set, its picture is saved as name.png."""
    pixmap = widget.grab()
    if pixmap.isNull() or pixmap.width() < 10 or pixmap.height() < 10:
        raise SelfTestError(f"{name} could not be drawn")
    shots = os.environ.get("NLD_SELFTEST_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        stem = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
        pixmap.save(str(Path(shots) / f"{stem}.png"))


def render_chart_offscreen() -> dict[str, bytes]:
    """Draw a small target-vs-actual chart as the app does (Agg, off the Qt canvas) and export it.

    Exercises the Agg, PDF and SVG backends that the bundle ships; returns the exports.
    """
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from .ui.theme import PALETTE

    figure = Figure(figsize=(4, 3), dpi=100, layout="constrained")
    canvas = FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    weeks = ["W45", "W46", "W47", "W48"]
    axes.bar(weeks, [14, 22, 18, 25], color=PALETTE.hunting, label="Calls done")
    axes.axhline(20, color=PALETTE.target, linestyle="--", label="Target")
    axes.set_title("Self-test: calls per week")
    axes.legend(loc="upper left")
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    if pixels.size == 0 or len(np.unique(pixels.reshape(-1, 4), axis=0)) < 3:
        raise SelfTestError("the chart rendered blank")
    exports: dict[str, bytes] = {}
    for fmt in ("png", "pdf", "svg"):
        out = BytesIO()
        figure.savefig(out, format=fmt)
        exports[fmt] = out.getvalue()
    if not exports["pdf"].startswith(b"%PDF") or b"<svg" not in exports["svg"]:
        raise SelfTestError("the chart could not be exported to PDF and SVG")
    return exports


def run_self_test(app: QApplication, paths: Paths) -> int:
    from .app import AppController
    from .services import files
    from .services.workspace import open_workspace
    from .storage.db import inspect_file
    from .ui.user_settings import UserSettings

    # Qt's own dialogs (never the platform's file dialogs), so every dialog can be cancelled.
    native_dialogs = Qt.ApplicationAttribute.AA_DontUseNativeDialogs
    was_set = QCoreApplication.testAttribute(native_dialogs)
    QCoreApplication.setAttribute(native_dialogs, True)
    timeout = float(os.environ.get("NLD_SELFTEST_TIMEOUT", WATCHDOG_SECONDS))
    watchdog = threading.Timer(timeout, lambda: _give_up(timeout))
    watchdog.daemon = True
    watchdog.start()
    failures = 0
    with tempfile.TemporaryDirectory(prefix="nld-selftest-") as tmp:
        tmp_path = Path(tmp)
        settings = UserSettings(tmp_path / "settings.ini")
        controller = AppController(Paths(tmp_path, tmp_path / "logs"), settings)
        workspace = tmp_path / "Demo.nlw"

        def window() -> Any:
            if controller.window is None:
                raise SelfTestError("there is no main window")
            return controller.window

        def open_ws() -> None:
            if not controller.open_workspace(workspace, demo=True):
                raise SelfTestError("the demo workspace did not open")

        def show_window() -> None:
            win = window()
            win.resize(*SCREENSHOT_SIZE)
            win.show()
            app.processEvents()
            if not win.isVisible():
                raise SelfTestError("the main window is not visible")
            if app.windowIcon().isNull():
                raise SelfTestError("the application icon is missing")

        def visit_areas() -> None:
            win = window()
            for i, name in enumerate(win.AREAS):
                win.show_area(i)
                app.processEvents()
                if win.stack.currentWidget() is not win.areas[i]:
                    raise SelfTestError(f"the {name} area did not come up")
                _check_picture(win, name)

        def dialogs() -> None:
            win = window()
            for show in (win.show_preferences, win.show_guide, win.show_about):
                before = len(seen)
                show()
                if len(seen) == before:
                    raise SelfTestError(f"{show.__name__} showed no dialog")
            # Every other menu command that opens a dialog ("…" by convention), whichever
            # area added it; each dialog is cancelled, so nothing is changed.
            for action in _dialog_actions(win):
                action.trigger()
                app.processEvents()

        def charts() -> None:
            from .ui.monitor.canvas import ChartView

            win = window()
            for i in range(len(win.areas)):  # every chart on screen in every area
                win.show_area(i)
                for _ in range(20):  # drawn in the drawing process; a drawing may ask for more
                    win.ops.wait_idle()
                    app.processEvents()
                    if win.ops.idle:
                        break
                for view in win.findChildren(ChartView):
                    if view.isVisible() and view.image is None:
                        raise SelfTestError(f"a chart in area {win.AREAS[i]} did not draw")
            render_chart_offscreen()

        def backup_roundtrip() -> None:
            db = window().services.db
            for dest in (
                files.save_copy(db, tmp_path / "copy.nlw"),
                files.daily_backup(db, tmp_path / "daily-check"),
            ):
                if dest is None:
                    raise SelfTestError("no daily backup was written")
                inspect_file(dest)
                copy, _ = open_workspace(dest, create=False)
                try:
                    from .domain.activities import ActivityFilter
                    from .services.activities import ActivityService

                    if ActivityService(copy).count(ActivityFilter()) == 0:
                        raise SelfTestError(f"the backup {dest.name} has no activities")
                finally:
                    copy.close()

        def files_in_and_out() -> None:
            """The optional libraries are bundled: every export format, a Shift-JIS file."""
            from .domain.csv_read import parse_csv
            from .services.exporting import ExportService

            exports = ExportService(window().services.db)
            for what, suffix in (
                ("engagements", "xlsx"),
                ("contacts", "vcf"),
                ("activities", "ics"),
            ):
                dest = tmp_path / f"{what}.{suffix}"
                if exports.export(what, dest) == 0 or not dest.stat().st_size:
                    raise SelfTestError(f"the {suffix} export of {what} is empty")
            table = parse_csv("会社名,金額\n山田商事,1500\n東京電機,2500\n".encode("shift_jis"))
            if table.rows[0] != ("山田商事", "1500"):
                raise SelfTestError(f"a Shift-JIS file was read as {table.encoding}")

        steps: list[tuple[str, Callable[[], None]]] = [
            ("open a demo workspace", open_ws),
            ("show the main window", show_window),
            ("visit every area", visit_areas),
            ("open the main dialogs", dialogs),
            ("render charts", charts),
            ("write and read a backup", backup_roundtrip),
            ("export every format, read a Shift-JIS file", files_in_and_out),
        ]
        steps += [(n, functools.partial(f, controller)) for n, f in EXTRA_STEPS]
        seen: list[str] = []  # titles of the dialogs cancelled so far
        for name, step in steps:
            started = time.perf_counter()
            try:
                # Any dialog a step opens is cancelled: a modal one can never stall the test.
                with _slot_errors() as errors, _closing_dialogs(app, seen):
                    step()
                    app.processEvents()
                if errors:
                    raise SelfTestError("an error was raised in the window:\n" + errors[0])
                print(f"self-test: ok    {name} ({time.perf_counter() - started:.2f} s)")
            except Exception:  # report every failure, then go on with the next step
                failures += 1
                print(f"self-test: FAIL  {name}\n{traceback.format_exc()}", file=sys.stderr)
                if controller.window is None:
                    break  # nothing else can run without a window
        if controller.window is not None:
            controller.window.close()
        controller.close()
    watchdog.cancel()
    QCoreApplication.setAttribute(native_dialogs, was_set)
    if failures:
        print(f"self-test: {failures} step(s) failed", file=sys.stderr)
        return 1
    print("self-test: passed")
    return 0


def _give_up(timeout: float) -> None:
    print(
        f"self-test: FAIL  a step did not finish within {timeout:.0f} s",
        file=sys.stderr,
        flush=True,
    )
    os._exit(3)
