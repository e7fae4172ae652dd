"""The one signal that carries every ``Changes`` value to the panels of a window."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..domain.changes import Changes


class ChangeBus(QObject):
    """Panels connect to ``changed`` and refresh only what a ``Changes`` value names."""

    changed = Signal(object)

    def publish(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(changes)
