"""A dialog whose OK saves through the operation road (:func:`~.ops.run_form`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QWidget

from ...services.revisions import Revision
from .fields import ErrorMap
from .ops import Host, Op, run_form


class FormDialog(QDialog):
    """OK (``accept``) hands the write to the writer thread; the dialog stays open, disabled,
    until it answers: it closes on success and shows problems under their fields otherwise.
    Without :meth:`save_with` it is a plain dialog (OK closes it)."""

    errors: ErrorMap

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._submit: Callable[[], None] | None = None

    def save_with(
        self,
        host: Host,
        text: str,
        make_op: Callable[[], Op],
        on_done: Callable[[Revision], None] | None = None,
    ) -> int:
        """Show the dialog until its write succeeds (returns ``Accepted``) or it is cancelled.
        ``make_op`` reads the fields on the GUI thread and returns the write to run."""
        self._submit = lambda: run_form(host, self, self.errors, text, make_op, on_done)
        return self.exec()

    def accept(self) -> None:
        if self._submit is None:
            super().accept()
        else:
            self._submit()
