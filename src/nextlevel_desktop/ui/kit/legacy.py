"""TRANSITIONAL: the synchronous write helpers, until every caller is on ``ops.run_op``.

Deleted when the last caller has moved (issue 14)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QWidget

from ...domain.changes import Changes
from ...domain.errors import NextLevelError, ValidationError
from ...services.container import Services
from ...services.revisions import Revision
from ..errors import show_error
from .bus import ChangeBus
from .fields import ErrorMap
from .ops import Host


class _SyncRevisionCommand(QUndoCommand):
    """Redo re-applies the exact rows a write made; undo reverts them (same ids both ways)."""

    def __init__(self, text: str, services: Services, bus: ChangeBus, revision: Revision) -> None:
        super().__init__(text)
        self.services = services
        self.bus = bus
        self.revision = revision
        self._done = True  # the write already happened before the command was pushed

    def redo(self) -> None:
        if self._done:
            self._done = False
            self.bus.publish(self.revision.changes)
            return
        self._run(self.services.revisions.reapply)

    def undo(self) -> None:
        self._run(self.services.revisions.revert)

    def _run(self, step: Callable[[Revision], Changes]) -> None:
        try:
            changes = step(self.revision)
        except NextLevelError as exc:
            show_error(QApplication.activeWindow(), exc, self.text())
            self.setObsolete(True)
            changes = self.revision.changes  # nothing was written: refresh what it touches
        self.bus.publish(changes)


def run_undoable(
    stack: QUndoStack,
    services: Services,
    bus: ChangeBus,
    text: str,
    action: Callable[[], Revision],
) -> Revision:
    """Do a write now (errors propagate to the caller's form) and put it on the undo stack."""
    revision = action()
    if revision:
        stack.push(_SyncRevisionCommand(text, services, bus, revision))
    return revision


class FormDialog(Protocol):
    errors: ErrorMap

    def exec(self) -> int: ...

    def parentWidget(self) -> QWidget: ...


def run_dialog(
    dialog: FormDialog,
    stack: QUndoStack,
    services: Services,
    bus: ChangeBus,
    text: str,
    action: Callable[[], Revision],
) -> Revision | None:
    """Show a form until its write succeeds (problems appear under their fields) or is cancelled."""
    while dialog.exec():
        try:
            return run_undoable(stack, services, bus, text, action)
        except ValidationError as exc:
            dialog.errors.show(exc)
        except NextLevelError as exc:
            show_error(dialog.parentWidget(), exc, text)
            return None
    return None


def run_or_report(
    host: Host, parent: QWidget, text: str, action: Callable[[], Revision]
) -> Revision | None:
    """Do an undoable write; a problem the user can act on is shown in a message box."""
    try:
        return run_undoable(host.undo_stack, host.services, host.bus, text, action)
    except NextLevelError as exc:
        show_error(parent, exc, text)
        return None
