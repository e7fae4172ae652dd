"""Hooks into the desktop shell that the installers set up.

- macOS: Finder opens a workspace (a ``.nlw`` document, declared in the bundle's Info.plist) by
  sending the running app a ``QFileOpenEvent``, not a command-line argument.
- Windows: the taskbar groups windows with the Start-menu shortcut by the AppUserModelID that
  the Inno Setup script gives the shortcut; the process declares the same id.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication


class FileOpenHandler(QObject):
    """Catches the platform's "open this file" requests for the application.

    Until ``open_path`` is set (the app is still starting) the newest request is kept in
    ``requested``, so the app can open it instead of the default workspace.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.requested: Path | None = None
        self.open_path: Callable[[Path], object] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            name = event.file()
            if name:
                if self.open_path is None:
                    self.requested = Path(name)
                else:
                    self.open_path(Path(name))
            return True
        return super().eventFilter(watched, event)


def install_file_open_handler(app: QApplication, platform: str = sys.platform) -> FileOpenHandler:
    """Install the handler and take in a request that came with the launch itself.

    Only on macOS, the one platform whose Qt sends ``QFileOpenEvent``: an application-wide
    Python event filter sees every event of the app, and its first one cost 46–66 ms of CPU
    before the first paint (PySide making the event's wrapper types)."""
    handler = FileOpenHandler(app)
    if platform == "darwin":
        app.installEventFilter(handler)
        app.processEvents()
    return handler


def declare_app_user_model_id(app_id: str) -> None:
    """Windows: let the taskbar match this process to its Start-menu shortcut."""
    if sys.platform == "win32":
        import ctypes

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(app_id)
