"""Work that waits for the screen: changes a hidden panel receives, kept until it is shown;
slow work started only after a widget has been painted.

A tab nobody looks at should not re-read the database on every write: it collects the
``Changes`` (combined with ``|``, so an activity list can still adjust its total from the
rows they name) and applies them once, when shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from ..domain.changes import Changes


class WhenShown(QObject):
    """Calls ``apply(changes)`` now if ``widget`` is visible, else when it is next shown."""

    def __init__(self, widget: QWidget, apply: Callable[[Changes], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._apply = apply
        self.pending: Changes | None = None
        widget.installEventFilter(self)

    def add(self, changes: Changes) -> None:
        self.pending = changes if self.pending is None else self.pending | changes
        if self._widget.isVisible():
            self.flush()

    def drop(self) -> None:
        """Forget what is pending (the panel has just read everything afresh)."""
        self.pending = None

    def flush(self) -> None:
        if self.pending is not None:
            changes, self.pending = self.pending, None
            self._apply(changes)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Show:
            self.flush()
        return False


class AfterPaint(QObject):
    """Calls ``callback`` once, from the event loop just after ``widget`` is next painted, so
    what is already on screen shows before slow work (opening a workspace, importing
    matplotlib) starts."""

    def __init__(self, widget: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(widget)
        self.callback = callback
        widget.installEventFilter(self)
        widget.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.callback)
        return False
