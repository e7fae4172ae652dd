"""How errors reach the user: a clear message for what they can act on, a crash dialog (with
a copyable traceback, also logged to a file) for bugs."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import NextLevelError
from .plain_text import message, plain_label

log = logging.getLogger("nextlevel_desktop")


def setup_logging(log_file: Path) -> logging.Handler:
    """The app's log: rotated, private (0600), and with ``faulthandler`` writing into it, so
    that a native crash leaves a trace there too."""
    from ..logs import setup_logging as setup

    return setup(log_file, crash_trace=True)


class CrashDialog(QDialog):
    """Shows an unexpected error with its traceback, which the user can copy into a report."""

    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Something went wrong"))
        self.resize(680, 420)
        layout = QVBoxLayout(self)
        text = self.tr(
            "Next Level Desktop hit an unexpected error. Your saved work is safe: every change "
            "is saved in its own transaction, and the one that failed was rolled back."
        )
        if log_file is not None:
            text += " " + self.tr("The details are also written to {0}.").format(log_file)
        intro = plain_label(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(self.tr("Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
    """A clear message for errors the user can act on."""
    message(parent, QMessageBox.Icon.Warning, title or "Next Level Desktop", str(exc))


def install_excepthook(
    log_file: Path | None, on_damage: Callable[[BaseException], None] | None = None
) -> None:
    """Known errors → message box; anything else → logged and shown in the crash dialog.

    A damaged workspace (SQLite's SQLITE_CORRUPT or SQLITE_NOTADB, however wrapped) goes to
    ``on_damage``, which shows one message per session instead of a crash dialog per paint.
    """
    from ..storage.integrity import is_corruption

    showing: list[CrashDialog] = []  # at most one: a failure repeating per paint gives one dialog

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        parent = QApplication.activeWindow()
        if on_damage is not None and is_corruption(exc):
            log.error("Damage met: %s", exc)
            on_damage(exc)
            return
        if isinstance(exc, NextLevelError):
            log.warning("%s", exc)
            show_error(parent, exc)
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("Unexpected error:\n%s", details)
        if QApplication.instance() is None:
            sys.__excepthook__(exc_type, exc, tb)
            return
        if showing:  # already in front of the user; this one is in the log
            return
        showing.append(CrashDialog(details, log_file, parent))
        try:
            showing[0].exec()
        finally:
            showing.clear()

    sys.excepthook = hook
