"""Quick log (Ctrl+L from anywhere), activity editing and rescheduling dialogs."""

from __future__ import annotations

from datetime import datetime

import shiboken6
from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTime, QTimer
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.changes import Changes
from ...domain.errors import NextLevelError, ValidationError
from ...domain.models import Activity
from ...services.container import Services
from ...services.revisions import Revision
from ..errors import show_error
from ..kit.busy import BUSY_AFTER_MS
from ..kit.form_dialog import FormDialog, ask
from ..kit.ops import Host, Op, run_op
from ..plain_text import plain_label
from ..user_settings import UserSettings
from ..wording import counted
from .activity_form import ActivityForm, _datetime_edit, to_utc

SHOW_WAITING_AFTER_MS = BUSY_AFTER_MS  # a save answered sooner never greys the form


def me_of(services: Services, settings: UserSettings) -> int | None:
    """The "I am" person of this workspace, if still active."""
    me = settings.me(services.path)
    return me if me in {p.id for p in services.people.people()} else None


class QuickLogDialog(QDialog):
    """Compact, non-modal logging form. Enter logs and keeps the form ready; Esc closes."""

    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.setWindowTitle(self.tr("Quick log"))
        self.setObjectName("QuickLogDialog")
        layout = QVBoxLayout(self)
        self.form = ActivityForm(host.services, me_of(host.services, host.settings), extras=True)
        layout.addWidget(self.form)
        self.status = plain_label()  # names the account and type just logged
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #2e9d5b;")
        layout.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.log_button = QPushButton(self.tr("&Log"))
        self.log_button.setDefault(True)
        buttons.addButton(self.log_button, QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Close"))  # Esc closes; the platform's "&Close" took Alt+C
        close.setToolTip(self.tr("Close (Esc)"))
        buttons.rejected.connect(self.reject)
        self.log_button.clicked.connect(self.save)
        self.form.submitted.connect(self.save)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())
        self._focus: QWidget | None = None  # where the typing was when the form greyed
        self._saving = False
        # While a save is on its way the form takes no input; it shows that it waits (greyed)
        # only once the answer is slow: greying it and back repainted the whole dialog twice
        # per save (~8 ms of a 30 ms save), for a wait nobody could see.
        self._hold = _HoldInput(self, self.form, self.log_button)
        self._waiting = QTimer(self)
        self._waiting.setSingleShot(True)
        self._waiting.timeout.connect(self._show_waiting)
        host.bus.changed.connect(self._on_changes)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("people", "processes", "activity_types", "engagements", "accounts"):
            self.form.reload_lists()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.form.account.setFocus()

    def save(self) -> None:
        """Log on the writer thread; the form waits for the answer, taking no input (greyed
        if the answer is slow): success clears it for the next entry, a problem keeps
        everything typed and shows under its field."""
        form = self.form
        if self._saving:
            return  # the last entry is still being saved
        draft = form.draft()
        note = ""
        close = None
        outcome = form.close_outcome()
        # What the move was, read before the write: the write reloads the form's lists.
        moved_to = form.move_stage.currentText()
        if outcome is not None:
            from ...services.engagements import CloseRequest
            from ..engagements.dialogs import CloseDialog

            eng, process = form.current_engagement(), form.engagement_process()
            if eng is None or process is None:
                return
            dialog = CloseDialog(self.host.services, eng, process, outcome, self)
            if not ask(dialog):
                return
            note = dialog.note()
            close = CloseRequest(outcome, dialog.lost_reason(), dialog.wants_handover())
        elif (forward := form.forward_move()) is not None:
            from ..engagements.dialogs import MoveDialog

            checklist = MoveDialog(*forward, parent=self)
            if not ask(checklist):
                return
            note = checklist.note()
        move_to, next_step, new = form.move_to(), form.next_step(), form.new_engagement()
        what, account = form.type.currentText(), form.account.text().strip()

        def done(rev: Revision) -> None:
            self._ready()
            parts = [
                self.tr("Logged {0} with {1}.").format(what, account)
                if draft.status.value == "done"
                else self.tr("Planned {0} with {1}.").format(what, account)
            ]
            if "account" in rev.ids:
                parts.append(self.tr("New account created."))
            if close is not None:
                parts.append(self.tr("Closed as {0}.").format(close.outcome.value))
                if "handover" in rev.ids:
                    parts.append(self.tr("Handed over to farming."))
            elif "stage_change" in rev.ids:
                parts.append(self.tr("Moved to {0}.").format(moved_to))
            if "next" in rev.ids:
                parts.append(self.tr("Next activity planned."))
            parts.append(self.tr("Ctrl+Z undoes it."))
            self.status.setText(" ".join(parts))
            form.clear()

        def invalid(exc: ValidationError) -> None:
            self._ready()
            self.status.clear()
            form.errors.show(exc)

        def failed(exc: NextLevelError) -> None:
            self._ready()
            show_error(self, exc, self.windowTitle())

        self._saving = True
        self._hold.hold(True)
        self._waiting.start(SHOW_WAITING_AFTER_MS)
        run_op(
            self.host,
            self,
            self.tr("Log activity"),
            lambda s: s.activities.log(draft, move_to, next_step, new, move_note=note, close=close),
            on_done=done,
            on_invalid=invalid,
            on_failed=failed,
        )

    def _show_waiting(self) -> None:
        self._focus = QApplication.focusWidget()
        self.form.setEnabled(False)
        self.log_button.setEnabled(False)

    def _ready(self) -> None:
        self._saving = False
        self._waiting.stop()
        self._hold.hold(False)
        if self.form.isEnabled():
            return
        self.form.setEnabled(True)
        self.log_button.setEnabled(True)
        # Disabling the form moved the focus on (to Close, where Enter would close): back.
        if self._focus is not None and shiboken6.isValid(self._focus):
            self._focus.setFocus()


class _HoldInput(QObject):
    """An application event filter, installed while a save is on its way: no key press (but
    Esc) or click reaches ``widgets`` or their children (the form keeps what was saved)."""

    INPUT = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.KeyRelease,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick,
            QEvent.Type.Wheel,
            QEvent.Type.InputMethod,
        }
    )

    def __init__(self, parent: QObject, *widgets: QWidget) -> None:
        super().__init__(parent)
        self._widgets = widgets

    def hold(self, on: bool) -> None:
        app = QApplication.instance()
        if app is not None:
            (app.installEventFilter if on else app.removeEventFilter)(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() not in self.INPUT or not isinstance(watched, QWidget):
            return False
        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            return False  # Esc still closes the dialog
        return any(w is watched or w.isAncestorOf(watched) for w in self._widgets)


class ActivityDialog(FormDialog):
    """Edit one activity (opened by double-click or Enter in a list)."""

    def __init__(self, host: Host, activity: Activity, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.activity = activity
        self.setWindowTitle(self.tr("Edit activity"))
        layout = QVBoxLayout(self)
        self.form = ActivityForm(host.services, me_of(host.services, host.settings), extras=False)
        self.form.load(activity)
        self.errors = self.form.errors
        layout.addWidget(self.form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.form.submitted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(540, self.sizeHint().height())

    def edit(self) -> bool:
        """Show the dialog until the edit is saved or cancelled."""
        activity_id = self.activity.id

        def op() -> Op:
            draft = self.form.draft()
            return lambda s: s.activities.update(activity_id, draft)

        return self.save_with(self.host, self.tr("Edit activity"), op)


class RescheduleDialog(QDialog):
    """Pick a new due date and time, with one-key shortcuts for the usual choices."""

    def __init__(self, due: QDateTime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reschedule"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("New due date and time:")))
        self.when = _datetime_edit(due)
        layout.addWidget(self.when)
        quick = QHBoxLayout()
        today = QDateTime.currentDateTime().date()
        for label, days in ((self.tr("&Tomorrow"), 1), (self.tr("Next &week"), 7)):
            button = QPushButton(label)
            button.setAutoDefault(False)
            button.clicked.connect(
                lambda _=False, d=days: self.when.setDateTime(
                    QDateTime(today.addDays(d), self.when.time() or QTime(9, 0))
                )
            )
            quick.addWidget(button)
        layout.addLayout(quick)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def due_at(self) -> datetime:
        return to_utc(self.when.dateTime())


class MarkDoneDialog(QDialog):
    """Mark planned work done: what came of it, confirmed (the activity is dated now)."""

    def __init__(self, count: int, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Mark done"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                counted(
                    count,
                    self.tr("Mark “{1}” done, dated now."),
                    self.tr("Mark {0} activities done, dated now."),
                    what,
                )
            )
        )
        label = QLabel(self.tr("&Outcome:"))
        self.outcome = QLineEdit()
        self.outcome.setMaxLength(200)
        self.outcome.setPlaceholderText(self.tr("What came of it, e.g. Agreed a demo next week"))
        label.setBuddy(self.outcome)
        layout.addWidget(label)
        layout.addWidget(self.outcome)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Mark done"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def outcome_text(self) -> str:
        return self.outcome.text().strip()


def open_activity(host: Host, activity_id: int, parent: QWidget) -> None:
    try:
        activity = host.services.activities.get(activity_id)
    except NextLevelError as exc:
        show_error(parent, exc)
        return
    ActivityDialog(host, activity, parent).edit()
