"""The one staleness pattern: mark a panel stale; it refreshes when it is visible.

A panel nobody looks at should not re-read the database on every write: it collects the
``Changes`` it was told about (combined with ``|``) and refreshes once, when next shown. A
visible panel refreshes once per turn of the event loop, however many writes arrived in it.
Also here: slow work started only after a widget has been painted.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from ...domain.changes import Changes


class Stale(QObject):
    """Calls ``refresh(changes)`` for the changes marked so far, when ``widget`` is visible."""

    def __init__(self, widget: QWidget, refresh: Callable[[Changes], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._refresh = refresh
        self.pending: Changes | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.flush)
        widget.installEventFilter(self)

    def mark(self, changes: Changes = Changes.everything()) -> None:  # noqa: B008 - frozen value
        """Note that ``changes`` happened; refresh soon if visible, else when next shown."""
        self.pending = changes if self.pending is None else self.pending | changes
        if self._widget.isVisible():
            self._timer.start()

    @property
    def is_stale(self) -> bool:
        return self.pending is not None

    def clear(self) -> None:
        """Forget what is pending (the panel has just read everything afresh)."""
        self.pending = None
        self._timer.stop()

    def flush(self) -> None:
        """Refresh now for what is pending (nothing if nothing is)."""
        self._timer.stop()
        if self.pending is not None:
            changes, self.pending = self.pending, None
            self._refresh(changes)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        shown = watched is self._widget and event.type() == QEvent.Type.Show
        if shown and self.pending is not None:
            self._timer.start()
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
