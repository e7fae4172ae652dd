"""Designer edits: each one is saved at once by a service and pushed on the undo stack.

The first ``do`` runs before the command is pushed, so an edit that fails validation never
reaches the stack; redo after undo runs ``do`` again and undo runs ``undo``, each publishing the
``Changes`` the service returned.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ...domain.changes import Changes
from ...domain.errors import NextLevelError, ValidationError
from ..kit.bus import ChangeBus

Step = Callable[[], Changes]


class EditCommand(QUndoCommand):
    def __init__(self, text: str, do: Step, undo: Step, edits: Edits) -> None:
        super().__init__(text)
        self._do, self._undo, self._edits = do, undo, edits
        self._first = True

    def redo(self) -> None:
        if self._first:  # already done by Edits.run
            self._first = False
            return
        self._edits.apply(self.text(), self._do)

    def undo(self) -> None:
        self._edits.apply(self.text(), self._undo)


class Edits(QObject):
    """Runs designer edits; reports failures through ``failed`` (shown inline by the area)."""

    failed = Signal(str)
    succeeded = Signal()

    def __init__(self, stack: QUndoStack, bus: ChangeBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stack = stack
        self.bus = bus

    def apply(self, text: str, step: Step) -> bool:
        try:
            changes = step()
        except NextLevelError as exc:
            self.failed.emit(self.tr("{0}: {1}").format(text, exc))
            return False
        self.succeeded.emit()
        self.bus.publish(changes)
        return True

    def run(
        self,
        text: str,
        do: Step,
        undo: Step,
        on_invalid: Callable[[ValidationError], None] | None = None,
    ) -> bool:
        """Do an edit now and make it undoable; ``on_invalid`` shows validation inline."""
        try:
            changes = do()
        except ValidationError as exc:
            if on_invalid is None:
                self.failed.emit(str(exc))
            else:
                on_invalid(exc)
            return False
        except NextLevelError as exc:
            self.failed.emit(str(exc))
            return False
        self.stack.push(EditCommand(text, do, undo, self))
        self.succeeded.emit()
        self.bus.publish(changes)
        return True
