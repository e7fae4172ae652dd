"""Helpers for tests that drive modal dialogs (which block in ``exec``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

# The offscreen platform cannot size, raise or grab windows; that is not an app problem.
OFFSCREEN_NOISE = pytest.mark.qt_log_ignore(
    "propagateSizeHints", "does not support raise", "does not support grabbing"
)


def on_modal(handler: Callable[[QDialog], None]) -> list[QDialog]:
    """Run ``handler`` on the next modal dialog that opens; returns the dialogs seen."""
    seen: list[QDialog] = []

    def check() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QDialog) and widget not in seen:
            seen.append(widget)
            handler(widget)
        else:
            QTimer.singleShot(10, check)

    QTimer.singleShot(0, check)
    return seen
