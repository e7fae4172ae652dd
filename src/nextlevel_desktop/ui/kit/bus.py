"""The one signal that carries every ``(changes, initiator)`` to the panels of a window."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ...domain.changes import Changes


class ChangeBus(QObject):
    """Panels connect to ``changed`` and refresh only what a ``Changes`` value names.

    ``initiator`` is the object that asked for the write (a panel, a form), or ``None``: a
    panel that already shows the result of its own edit need not read it again.
    """

    changed = Signal(object, object)

    def publish(self, changes: Changes, initiator: object = None) -> None:
        if changes:
            self.changed.emit(changes, initiator)
