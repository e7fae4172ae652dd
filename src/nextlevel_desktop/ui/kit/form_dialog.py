"""A dialog whose OK saves through the operation road (:func:`~.ops.run_form`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from ...services.container import Services
from ...services.revisions import Revision
from .fields import ErrorMap
from .ops import Host, Op, run_form

D = TypeVar("D")


def with_draft(
    draft: Callable[[], D], write: Callable[[Services, D], Revision]
) -> Callable[[], Op]:
    """A ``make_op`` for :meth:`FormDialog.save_with`: ``draft()`` read on the GUI thread,
    then ``write(services, draft)`` on the writer thread."""

    def make_op() -> Op:
        value = draft()
        return lambda s: write(s, value)

    return make_op


def ask(dialog: QDialog) -> bool:
    """Show ``dialog`` modally; True when it was accepted. Its answers can be read at once;
    it is deleted afterwards on the GUI thread (left to Python's garbage collector, which may
    run on a worker thread, a dialog would be destroyed there)."""
    try:
        return bool(dialog.exec())
    finally:
        dialog.deleteLater()


def dialog_buttons(dialog: QDialog, ok_text: str = "", save: bool = False) -> QDialogButtonBox:
    """OK (Save with ``save``; ``ok_text`` names it otherwise) and Cancel, wired to the
    dialog's ``accept`` and ``reject``."""
    box = QDialogButtonBox.StandardButton
    buttons = QDialogButtonBox((box.Save if save else box.Ok) | box.Cancel)
    if ok_text:
        buttons.button(box.Save if save else box.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


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
    ) -> bool:
        """Show the dialog until its write succeeds (returns True) or it is cancelled.
        ``make_op`` reads the fields on the GUI thread and returns the write to run."""
        self._submit = lambda: run_form(host, self, self.errors, text, make_op, on_done)
        return ask(self)

    def accept(self) -> None:
        if self._submit is None:
            super().accept()
        else:
            self._submit()
