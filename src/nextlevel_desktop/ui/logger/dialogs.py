"""Quick log (Ctrl+L from anywhere), activity editing and rescheduling dialogs."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QTime
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
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
from ..errors import show_error
from ..kit.legacy import Host, run_undoable
from ..plain_text import plain_label
from ..user_settings import UserSettings
from ..wording import counted
from .activity_form import ActivityForm, _datetime_edit, to_utc


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
        host.bus.changed.connect(self._on_changes)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("people", "processes", "activity_types", "engagements", "accounts"):
            self.form.reload_lists()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.form.account.setFocus()

    def save(self) -> None:
        form = self.form
        draft = form.draft()
        services = self.host.services
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
            dialog = CloseDialog(services, eng, process, outcome, self)
            if not dialog.exec():
                return
            note = dialog.note()
            close = CloseRequest(outcome, dialog.lost_reason(), dialog.wants_handover())
        elif (forward := form.forward_move()) is not None:
            from ..engagements.dialogs import MoveDialog

            checklist = MoveDialog(*forward, parent=self)
            if not checklist.exec():
                return
            note = checklist.note()
        try:
            rev = run_undoable(
                self.host.undo_stack,
                services,
                self.host.bus,
                self.tr("Log activity"),
                lambda: services.activities.log(
                    draft,
                    form.move_to(),
                    form.next_step(),
                    form.new_engagement(),
                    move_note=note,
                    close=close,
                ),
            )
        except ValidationError as exc:
            self.status.clear()
            form.errors.show(exc)
            return
        except NextLevelError as exc:
            show_error(self, exc, self.windowTitle())
            return
        account = form.account.text().strip()
        parts = [
            self.tr("Logged {0} with {1}.").format(form.type.currentText(), account)
            if draft.status.value == "done"
            else self.tr("Planned {0} with {1}.").format(form.type.currentText(), account)
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


class ActivityDialog(QDialog):
    """Edit one activity (opened by double-click or Enter in a list)."""

    def __init__(self, host: Host, activity: Activity, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.activity = activity
        self.setWindowTitle(self.tr("Edit activity"))
        layout = QVBoxLayout(self)
        self.form = ActivityForm(host.services, me_of(host.services, host.settings), extras=False)
        self.form.load(activity)
        layout.addWidget(self.form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.form.submitted.connect(self.save)
        layout.addWidget(buttons)
        self.resize(540, self.sizeHint().height())

    def save(self) -> None:
        services = self.host.services
        draft = self.form.draft()
        try:
            run_undoable(
                self.host.undo_stack,
                services,
                self.host.bus,
                self.tr("Edit activity"),
                lambda: services.activities.update(self.activity.id, draft),
            )
        except ValidationError as exc:
            self.form.errors.show(exc)
            return
        except NextLevelError as exc:
            show_error(self, exc, self.windowTitle())
            return
        self.accept()


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

    def due_at(self):  # type: ignore[no-untyped-def]
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
    ActivityDialog(host, activity, parent).exec()
