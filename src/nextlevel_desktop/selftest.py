"""``--self-test``: open a temporary demo workspace, visit every area and the main dialogs,
write and read back a backup, then exit 0 (or print what failed and exit 1).

CI runs it against the frozen bundle, so a bundle missing a module or a data file cannot land.
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from .paths import Paths


def _close_dialog_soon(app: QApplication) -> None:
    def close() -> None:
        for widget in app.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()

    QTimer.singleShot(50, close)


def run_self_test(app: QApplication, paths: Paths) -> int:
    from .app import AppController
    from .services import files
    from .services.workspace import open_workspace
    from .storage.db import inspect_file
    from .ui.user_settings import UserSettings

    steps: list[tuple[str, Callable[[], None]]] = []
    with tempfile.TemporaryDirectory(prefix="nld-selftest-") as tmp:
        tmp_path = Path(tmp)
        settings = UserSettings(tmp_path / "settings.ini")
        controller = AppController(Paths(tmp_path, tmp_path / "logs"), settings)
        workspace = tmp_path / "selftest.nlw"

        def open_ws() -> None:
            if not controller.open_workspace(workspace, demo=True):
                raise RuntimeError("the demo workspace did not open")

        def visit_areas() -> None:
            window = controller.window
            assert window is not None
            for i in range(len(window.areas)):
                window.show_area(i)
                app.processEvents()
                window.grab()

        def dialogs() -> None:
            window = controller.window
            assert window is not None
            for show in (window.show_preferences, window.show_guide, window.show_about):
                _close_dialog_soon(app)
                show()

        def backup_roundtrip() -> None:
            window = controller.window
            assert window is not None
            dest = files.save_copy(window.services.db, tmp_path / "copy.nlw")
            inspect_file(dest)
            db, _ = open_workspace(dest, create=False)
            try:
                from .domain.activities import ActivityFilter
                from .services.activities import ActivityService

                if ActivityService(db).count(ActivityFilter()) == 0:
                    raise RuntimeError("the backup copy has no activities")
            finally:
                db.close()

        steps = [
            ("open a demo workspace", open_ws),
            ("visit every area", visit_areas),
            ("open the main dialogs", dialogs),
            ("write and read a backup", backup_roundtrip),
        ]
        extra = getattr(sys.modules[__name__], "EXTRA_STEPS", [])
        failures = 0
        for name, step in [*steps, *[(n, (lambda f=f: f(controller))) for n, f in extra]]:
            try:
                step()
                print(f"self-test: ok    {name}")
            except Exception:  # report every failure, then go on with the next step
                failures += 1
                print(f"self-test: FAIL  {name}\n{traceback.format_exc()}", file=sys.stderr)
        if controller.window is not None:
            controller.window.close()
        controller.close()
    print("self-test: passed" if not failures else f"self-test: {failures} step(s) failed")
    return 0 if not failures else 1
