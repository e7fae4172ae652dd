"""Helpers for tests that drive modal dialogs (which block in ``exec``)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

# The offscreen platform cannot size, raise or grab windows; that is not an app problem.
OFFSCREEN_NOISE = pytest.mark.qt_log_ignore(
    "propagateSizeHints", "does not support raise", "does not support grabbing"
)


_generation = [0]


def on_modal(handler: Callable[[QDialog], None]) -> list[QDialog]:
    """Run ``handler`` on the next modal dialog that opens; returns the dialogs seen."""
    seen: list[QDialog] = []
    deadline = time.monotonic() + 5
    # A newer call retires older pollers: one left running (its dialog never came) would
    # otherwise grab a later test's dialog.
    _generation[0] += 1
    mine = _generation[0]

    def check() -> None:
        if mine != _generation[0]:
            return
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QDialog) and widget not in seen:
            seen.append(widget)
            handler(widget)
        elif time.monotonic() < deadline:
            QTimer.singleShot(10, check)

    QTimer.singleShot(0, check)
    return seen


def settle(host: object, timeout_ms: int = 20_000) -> None:
    """Wait until every write, undo step and read asked of ``host``'s operation road (a main
    window or an area) is answered and the panels have refreshed from it (their refresh may
    ask for more reads: waited for too)."""
    ops = host.ops  # type: ignore[attr-defined]
    for _ in range(20):
        assert ops.wait_idle(timeout_ms), "the operation road did not finish in time"
        QApplication.processEvents()  # panels marked stale refresh on a zero timer
        QApplication.processEvents()
        if ops.idle:
            return
    raise AssertionError("the panels kept asking for reads")


def run_script(script: str, *args: object, timeout: float = 120) -> str:
    """What ``script`` prints, run in a fresh interpreter (a start-up of its own) with ``args``."""
    return subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    ).stdout
