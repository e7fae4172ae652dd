"""The activity form: quick log (with optional stage move and next step) and activity editing.

Built for the keyboard: Tab moves through the fields in order, Enter saves from any field
(Shift+Enter adds a line to the notes), and each problem is shown under the field it concerns.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTime, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from ...domain.activities import ActivityDraft
from ...domain.engagements import is_forward
from ...domain.models import (
    Activity,
    ActivityStatus,
    ActivityType,
    Engagement,
    Outcome,
    Process,
    ProcessKind,
    Stage,
)
from ...services.activities import NextStep
from ...services.container import Services
from ...services.engagements import NewEngagement
from ..kit.fields import AccountPicker, ErrorMap, Field
from ..plain_text import plain_label

NEW = "new"


def to_utc(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toMSecsSinceEpoch() / 1000, UTC)


def from_utc(value: datetime) -> QDateTime:
    return QDateTime(value.astimezone().replace(tzinfo=None))


def _datetime_edit(value: QDateTime) -> QDateTimeEdit:
    edit = QDateTimeEdit(value)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd  HH:mm")
    return edit


class ActivityForm(QWidget):
    """Fields of one activity. ``submitted`` fires on Enter."""

    submitted = Signal()

    def __init__(
        self, services: Services, me: int | None, extras: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.me = me
        self.extras = extras
        self._processes: list[Process] = []
        self._types: list[ActivityType] = []  # read with the other lists, not per refill
        self._engagements: list[Engagement] = []
        self._editing: Activity | None = None

        self.account = AccountPicker(services.accounts)
        self.account_hint = plain_label()  # quotes the name being typed
        self.account_hint.setStyleSheet("color: palette(placeholder-text);")
        self.engagement = QComboBox()
        self.process = QComboBox()
        self.type = QComboBox()
        self.when = _datetime_edit(QDateTime.currentDateTime())
        self.duration = QSpinBox()
        self.duration.setRange(0, 24 * 60)
        self.duration.setSingleStep(5)
        self.duration.setSuffix(self.tr(" min"))
        self.duration.setValue(15)
        self.person = QComboBox()
        self.outcome = QLineEdit()
        self.outcome.setPlaceholderText(self.tr("e.g. Agreed a demo next week"))
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(self.tr("Notes (Shift+Enter for a new line)"))
        self.notes.setFixedHeight(64)
        self.done = QRadioButton(self.tr("&Done"))
        self.planned = QRadioButton(self.tr("&Planned"))
        self.done.setChecked(True)
        status_group = QButtonGroup(self)
        status_group.addButton(self.done)
        status_group.addButton(self.planned)
        status = QWidget()
        srow = QHBoxLayout(status)
        srow.setContentsMargins(0, 0, 0, 0)
        srow.addWidget(self.done)
        srow.addWidget(self.planned)
        srow.addStretch(1)

        self.fields = {
            "account": Field(self.account),
            "engagement": Field(self.engagement),
            "process": Field(self.process),
            "type": Field(self.type),
            "when": Field(self.when),
            "duration": Field(self.duration),
            "person": Field(self.person),
            "outcome": Field(self.outcome),
            "notes": Field(self.notes),
        }
        form = QFormLayout(self)
        self.form = form
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def row(text: str, key: str) -> None:
            # The label's mnemonic focuses the input itself, not the Field around it (a plain
            # widget that takes no focus, so Alt+T and friends did nothing).
            label = QLabel(text)
            label.setBuddy(self.fields[key].widget)
            form.addRow(label, self.fields[key])

        row(self.tr("&Account:"), "account")
        # The hint's line is always there: appearing, it moved the fields under the pointer.
        self.account_hint.setFixedHeight(self.account_hint.fontMetrics().height())
        form.addRow("", self.account_hint)
        row(self.tr("&Engagement:"), "engagement")
        row(self.tr("Pro&cess:"), "process")
        row(self.tr("&Type:"), "type")
        row(self.tr("&When:"), "when")
        row(self.tr("D&uration:"), "duration")
        row(self.tr("Pe&rson:"), "person")
        row(self.tr("&Outcome:"), "outcome")
        row(self.tr("&Notes:"), "notes")
        form.addRow(self.tr("Status:"), status)

        if extras:
            self.new_value = QSpinBox()
            self.new_value.setRange(0, 2_000_000_000)
            self.new_value.setSingleStep(1000)
            self.new_value.setGroupSeparatorShown(True)
            self.new_value.setPrefix(services.workspace.settings().currency + " ")
            self.fields["value"] = Field(self.new_value)
            self.value_label = QLabel(self.tr("&Value:"))
            self.value_label.setBuddy(self.new_value)
            # Right under the engagement it belongs to (shown for a new engagement only).
            # The stubs type the (row, role) pair as a bare object.
            at = cast(tuple[int, object], form.getWidgetPosition(self.fields["engagement"]))
            form.insertRow(at[0] + 1, self.value_label, self.fields["value"])
            self.moves = QCheckBox(self.tr("&Moves engagement to stage"))
            self.move_stage = QComboBox()
            self.fields["move"] = Field(self.move_stage)
            form.addRow(self.moves, self.fields["move"])
            self.plan = QCheckBox(self.tr("Plan ne&xt activity"))
            nxt = QWidget()
            nrow = QHBoxLayout(nxt)
            nrow.setContentsMargins(0, 0, 0, 0)
            self.next_type = QComboBox()
            self.next_when = _datetime_edit(self._default_next())
            nrow.addWidget(self.next_type, 1)
            nrow.addWidget(QLabel(self.tr("due")))
            nrow.addWidget(self.next_when)
            self.fields["next_type"] = Field(nxt)
            self.fields["next_when"] = self.fields["next_type"]
            form.addRow(self.plan, self.fields["next_type"])
            self.move_stage.setToolTip(
                self.tr("The next stage is chosen; Won and Lost close the engagement")
            )
            self.moves.toggled.connect(self.move_stage.setEnabled)
            self.plan.toggled.connect(self.next_type.setEnabled)
            self.plan.toggled.connect(self.next_when.setEnabled)
            self.engagement.currentIndexChanged.connect(self._fill_move_stages)
        self.general = QLabel()
        form.addRow(self.general)
        self.errors = ErrorMap(self.fields, self.general)

        self._set_tab_order()
        self.account.accountChanged.connect(self._on_account)
        self.account.textChanged.connect(self._update_hint)
        self.engagement.currentIndexChanged.connect(self._on_engagement)
        self.process.currentIndexChanged.connect(self._fill_types)
        for w in (self.account, self.outcome, self.notes, self.when, self.duration):
            w.installEventFilter(self)
        self.reload_lists()
        self.clear()
        self._update_hint()

    # Lists --------------------------------------------------------------------------------
    def reload_lists(self) -> None:
        self._processes = self.services.processes.processes()
        self._types = self.services.activities.activity_types()
        person = self.person.currentData()
        self.person.blockSignals(True)
        self.person.clear()
        self.person.addItem(self.tr("Nobody"), None)
        people = self.services.people.people()
        if self._editing and self._editing.person_id not in {p.id for p in people}:
            people += [
                p for p in self.services.people.people(True) if p.id == self._editing.person_id
            ]
        for p in people:
            self.person.addItem(p.name, p.id)
        self.person.setCurrentIndex(max(self.person.findData(person if person else self.me), 0))
        self.person.blockSignals(False)
        self._fill_engagements()

    def _fill_engagements(self) -> None:
        keep = self.engagement.currentData()
        account = self.account.account
        self._engagements = (
            self.services.engagements.engagements(account_id=account.id) if account else []
        )
        if self._editing and self._editing.engagement_id and account:
            if self._editing.engagement_id not in {e.id for e in self._engagements}:
                self._engagements += [self.services.engagements.get(self._editing.engagement_id)]
        names = {p.id: p.name for p in self._processes}
        self.engagement.blockSignals(True)
        self.engagement.clear()
        self.engagement.addItem(self.tr("No engagement"), None)
        for e in self._engagements:
            self.engagement.addItem(
                f"{e.name} — {e.stage_name} ({names.get(e.process_id, '')})", e.id
            )
        if self.extras:
            for p in self._processes:
                label = p.kind.engagement_label
                self.engagement.addItem(
                    self.tr("New {0} in {1}").format(label.lower(), p.name), f"{NEW}:{p.id}"
                )
        self.engagement.setCurrentIndex(max(self.engagement.findData(keep), 0))
        self.engagement.blockSignals(False)
        self._on_engagement()

    def _process_of_engagement(self) -> Process | None:
        data = self.engagement.currentData()
        if isinstance(data, str) and data.startswith(NEW):
            pid = int(data.split(":")[1])
        elif data is not None:
            pid = next((e.process_id for e in self._engagements if e.id == data), -1)
        else:
            return None
        return next((p for p in self._processes if p.id == pid), None)

    def _on_engagement(self, *_args: object) -> None:
        forced = self._process_of_engagement()
        keep = forced.id if forced else self.process.currentData()
        self.process.blockSignals(True)
        self.process.clear()
        for p in self._processes:
            self.process.addItem(f"{p.name} ({p.kind.label})", p.id)
        self.process.setCurrentIndex(max(self.process.findData(keep), 0))
        self.process.setEnabled(forced is None)
        self.process.blockSignals(False)
        new = isinstance(self.engagement.currentData(), str)
        if self.extras:
            self.form.setRowVisible(self.fields["value"], new)
        self._fill_types()

    def current_kind(self) -> ProcessKind | None:
        pid = self.process.currentData()
        return next((p.kind for p in self._processes if p.id == pid), None)

    def _fill_types(self, *_args: object) -> None:
        kind = self.current_kind()
        types = [t for t in self._types if t.kind is kind]
        for combo in (self.type, self.next_type) if self.extras else (self.type,):
            keep = combo.currentText()
            combo.clear()
            for t in types:
                combo.addItem(t.name, t.id)
            combo.setCurrentIndex(max(combo.findText(keep), 0))
        if self._editing and self.type.findData(self._editing.type_id) >= 0:
            self.type.setCurrentIndex(self.type.findData(self._editing.type_id))
        if self.extras:
            self._fill_move_stages()

    def _fill_move_stages(self, *_args: object) -> None:
        """The stages an engagement can move to from where it is, the next one chosen; for an
        engagement already open, Won and Lost too (closing it, with its reason or handover)."""
        process = self._process_of_engagement()
        data = self.engagement.currentData()
        existing = next((e for e in self._engagements if e.id == data), None)
        current = existing.stage_id if existing else None
        if existing is None and process and process.first_stage:
            current = process.first_stage.id  # a new engagement starts in the first stage
        self.move_stage.clear()
        closed = existing is not None and existing.outcome is not None
        if process is not None and not closed:
            open_ids = [st.id for st in process.open_stages]
            for stage in process.open_stages:
                if stage.id != current:
                    self.move_stage.addItem(stage.name, stage.id)
            if existing is not None:
                for outcome in (Outcome.WON, Outcome.LOST):
                    if any(st.category.value == outcome.value for st in process.stages):
                        label = (
                            self.tr("Won (close)")
                            if outcome is Outcome.WON
                            else self.tr("Lost (close)")
                        )
                        self.move_stage.addItem(label, outcome.value)
            # Default: the stage after the current one (from the last open stage: Won).
            at = open_ids.index(current) if current in open_ids else -1
            following = open_ids[at + 1] if 0 <= at < len(open_ids) - 1 else Outcome.WON.value
            self.move_stage.setCurrentIndex(max(self.move_stage.findData(following), 0))
        usable = process is not None and self.move_stage.count() > 0
        self.moves.setEnabled(usable)
        if not usable:
            self.moves.setChecked(False)
        self.move_stage.setEnabled(usable and self.moves.isChecked())

    def _on_account(self, _account: object) -> None:
        self._fill_engagements()
        self._update_hint()

    def _update_hint(self, *_args: object) -> None:
        text = self.account.text().strip()
        if text and self.account.account is None:
            self.account_hint.setText(self.tr("New account “{0}” will be created.").format(text))
        else:
            self.account_hint.setText("")

    def _set_tab_order(self) -> None:
        """Tab follows the form from top to bottom: the value field, made after the others,
        came only after the status buttons (every other field is made in form order)."""
        if self.extras:
            QWidget.setTabOrder(self.engagement, self.new_value)
            QWidget.setTabOrder(self.new_value, self.process)

    # Values -------------------------------------------------------------------------------
    @staticmethod
    def _default_next() -> QDateTime:
        day = QDateTime.currentDateTime().date().addDays(1)
        while day.dayOfWeek() > 5:
            day = day.addDays(1)
        return QDateTime(day, QTime(9, 0))

    def clear(self) -> None:
        """Ready for the next entry: who, process and status stay; the rest is fresh."""
        self._editing = None
        self.account.set_account(None)
        self.engagement.setCurrentIndex(0)  # never start a new engagement by accident
        self.outcome.clear()
        self.notes.clear()
        self.when.setDateTime(QDateTime.currentDateTime())
        if self.extras:
            self.moves.setChecked(False)
            self.plan.setChecked(False)
            self.next_type.setEnabled(False)
            self.next_when.setEnabled(False)
            self.next_when.setDateTime(self._default_next())
            self.new_value.setValue(0)
        self.errors.clear()
        self.account.setFocus()

    def prefill(self, account_id: int | None, engagement_id: int | None) -> None:
        """A fresh entry for this account and engagement (the pipeline's "Log activity"); the
        focus goes to the type, the first field left to choose."""
        self.clear()
        if account_id:
            self.account.set_account(self.services.accounts.get(account_id))
        if engagement_id is not None:
            self.engagement.setCurrentIndex(max(self.engagement.findData(engagement_id), 0))
        self.type.setFocus()

    def load(self, activity: Activity) -> None:
        self._editing = activity
        account = self.services.accounts.get(activity.account_id) if activity.account_id else None
        self.account.set_account(account)
        self.reload_lists()
        self.engagement.setCurrentIndex(max(self.engagement.findData(activity.engagement_id), 0))
        self.process.setCurrentIndex(max(self.process.findData(activity.process_id), 0))
        self._fill_types()
        self.when.setDateTime(from_utc(activity.occurred_at))
        self.duration.setValue(activity.duration_min)
        self.person.setCurrentIndex(max(self.person.findData(activity.person_id), 0))
        self.outcome.setText(activity.outcome)
        self.notes.setPlainText(activity.notes)
        (self.planned if activity.status is ActivityStatus.PLANNED else self.done).setChecked(True)

    def draft(self) -> ActivityDraft:
        account = self.account.account
        data = self.engagement.currentData()
        return ActivityDraft(
            type_id=self.type.currentData(),
            occurred_at=to_utc(self.when.dateTime()),
            status=ActivityStatus.PLANNED if self.planned.isChecked() else ActivityStatus.DONE,
            duration_min=self.duration.value(),
            person_id=self.person.currentData(),
            account_id=account.id if account else None,
            account_name="" if account else self.account.text(),
            engagement_id=data if isinstance(data, int) else None,
            outcome=self.outcome.text(),
            notes=self.notes.toPlainText(),
        )

    def new_engagement(self) -> NewEngagement | None:
        data = self.engagement.currentData()
        if not (self.extras and isinstance(data, str)):
            return None
        return NewEngagement(int(data.split(":")[1]), value_minor=self.new_value.value() * 100)

    def move_to(self) -> int | None:
        """The open stage chosen to move to (closing is :meth:`close_outcome`)."""
        if self.extras and self.moves.isChecked() and self.moves.isEnabled():
            data = self.move_stage.currentData()
            return data if isinstance(data, int) else None
        return None

    def close_outcome(self) -> Outcome | None:
        """Won or Lost when the move chosen closes the engagement."""
        if self.extras and self.moves.isChecked() and self.moves.isEnabled():
            data = self.move_stage.currentData()
            return Outcome(data) if isinstance(data, str) else None
        return None

    def current_engagement(self) -> Engagement | None:
        data = self.engagement.currentData()
        return next((e for e in self._engagements if e.id == data), None)

    def engagement_process(self) -> Process | None:
        return self._process_of_engagement()

    def forward_move(self) -> tuple[str, Stage, Stage] | None:
        """(engagement name, stage left, stage entered) when the chosen move goes forward out
        of a stage with exit criteria, which the user then confirms."""
        target_id = self.move_to()
        process = self._process_of_engagement()
        if target_id is None or process is None:
            return None
        data = self.engagement.currentData()
        eng = next((e for e in self._engagements if e.id == data), None)
        stages = {s.id: s for s in process.stages}
        leaving = stages.get(eng.stage_id) if eng else process.first_stage
        target = stages.get(target_id)
        if leaving is None or target is None or not leaving.exit_criteria:
            return None
        if not is_forward(leaving, target):
            return None
        return (eng.name if eng else self.engagement.currentText(), leaving, target)

    def next_step(self) -> NextStep | None:
        if not (self.extras and self.plan.isChecked()):
            return None
        return NextStep(self.next_type.currentData(), to_utc(self.next_when.dateTime()))

    # Keyboard -----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                popup = self.account.completer_.popup()
                if watched is self.account and popup is not None and popup.isVisible():
                    return False
                if watched is self.notes and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    return False
                self.submitted.emit()
                return True
        return super().eventFilter(watched, event)
