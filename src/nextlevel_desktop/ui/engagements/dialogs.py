"""Engagement dialogs: exit-criteria checklist on forward moves, close won/lost, edit or create."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.engagements import EngagementDraft, StageChangeView
from ...domain.errors import ValidationError
from ...domain.models import Engagement, Outcome, Process, ProcessKind, Stage
from ...services.container import Services
from ...services.engagements import NewEngagement
from ..kit.fields import AccountPicker, ErrorMap, Field
from ..kit.form_dialog import FormDialog
from ..kit.ops import Host
from ..plain_text import plain_label, rich, tip
from ..wording import moment_text


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.rejected.connect(dialog.reject)
    return box


class CriteriaChecklist(QWidget):
    """The exit criteria of the stage being left, each to tick before the move is allowed."""

    def __init__(self, leaving: Stage, on_change: Callable[[], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.checks: list[QCheckBox] = []
        for criterion in leaving.exit_criteria:
            check = QCheckBox(criterion.text)
            check.toggled.connect(lambda _on: on_change())
            layout.addWidget(check)
            self.checks.append(check)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.hint)

    def missing(self) -> int:
        missing = sum(not c.isChecked() for c in self.checks)
        self.hint.setText(
            self.tr("{0} criteria still to confirm.").format(missing) if missing else ""
        )
        return missing

    def note(self) -> str:
        if not self.checks:
            return ""
        return "Exit criteria confirmed: " + "; ".join(c.text() for c in self.checks)


class MoveDialog(QDialog):
    """Moving forward: confirm the exit criteria of the stage being left, one by one."""

    def __init__(
        self, name: str, leaving: Stage, target: Stage, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Move to {0}").format(target.name))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "<b>{0}</b> leaves <b>{1}</b> for <b>{2}</b>. Confirm the exit criteria of {1}:"
            ).format(rich(name), rich(leaving.name), rich(target.name))
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.checklist = CriteriaChecklist(leaving, self._update)
        self.checks = self.checklist.checks
        self.hint = self.checklist.hint
        layout.addWidget(self.checklist)
        self.buttons = _buttons(self, self.tr("Move"))
        self.buttons.accepted.connect(self.accept)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.checklist.missing() == 0)

    def note(self) -> str:
        return self.checklist.note()


class CloseDialog(FormDialog):
    """Close as won (with the handover to farming) or lost (with a reason)."""

    def __init__(
        self,
        services: Services,
        engagement: Engagement,
        process: Process,
        outcome: Outcome,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.outcome = outcome
        won = outcome is Outcome.WON
        # Winning leaves the last open stage forward, like any forward move: its exit criteria
        # are confirmed here too (losing is not a move forward).
        leaving = next((st for st in process.stages if st.id == engagement.stage_id), None)
        self.setWindowTitle(self.tr("Won") if won else self.tr("Lost"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        form.addRow(
            QLabel(
                self.tr("<b>{0}</b> — {1}").format(
                    rich(engagement.name), rich(engagement.account_name)
                )
            )
        )
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.reason_field = Field(self.reason)
        self.handover = QCheckBox(
            self.tr("Hand the account over to farming (start an account plan)")
        )
        self.checklist: CriteriaChecklist | None = None
        if won and leaving is not None and leaving.exit_criteria:
            form.addRow(
                plain_label(self.tr("Confirm the exit criteria of {0}:").format(leaving.name))
            )
            self.checklist = CriteriaChecklist(leaving, self._update)
            form.addRow(self.checklist)
        if won:
            if process.kind is ProcessKind.HUNTING:
                mode = services.workspace.settings().handover
                self.handover.setChecked(True)
                form.addRow(self.handover)
                if mode == "automatic":
                    why = self.tr(
                        "Won accounts are handed over automatically: change it in "
                        "Edit > Preferences > Handover."
                    )
                    self.handover.setEnabled(False)
                    self.handover.setToolTip(why)
                    self.handover_why = QLabel(why)
                    self.handover_why.setWordWrap(True)
                    self.handover_why.setStyleSheet("color: palette(placeholder-text);")
                    form.addRow(self.handover_why)
        else:
            self.reason.addItem("")
            self.reason.addItems(services.engagements.lost_reasons(process.kind))
            if (line := self.reason.lineEdit()) is not None:  # editable: it has one
                line.setPlaceholderText(self.tr("Choose or type a reason"))
            form.addRow(self.tr("&Reason:"), self.reason_field)
        self.general = QLabel()
        layout.addWidget(self.general)
        self.errors = ErrorMap({"reason": self.reason_field}, self.general)
        self.buttons = _buttons(self, self.tr("Close as won") if won else self.tr("Close as lost"))
        self.buttons.accepted.connect(self.accept)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.checklist is None or self.checklist.missing() == 0)

    def note(self) -> str:
        return self.checklist.note() if self.checklist is not None else ""

    def lost_reason(self) -> str:
        return self.reason.currentText().strip()

    def wants_handover(self) -> bool:
        return self.handover.isChecked()


NO_DATE = QDate(2000, 1, 1)


def _date_edit(value: date | None) -> QDateEdit:
    edit = QDateEdit(QDate(value) if value else QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class EngagementDialog(FormDialog):
    """Edit an engagement's name, value, owner and dates (with its stage history), or create one."""

    def __init__(
        self,
        host: Host,
        process: Process,
        engagement: Engagement | None,
        me: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        services = self.services = host.services
        self.process = process
        self.engagement = engagement
        label = process.kind.engagement_label
        self.setWindowTitle(
            self.tr("Edit {0}").format(label.lower())
            if engagement
            else self.tr("New {0}").format(label.lower())
        )
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.fields: dict[str, Field] = {}
        if engagement is None:
            self.account = AccountPicker(services.accounts)
            self.fields["account"] = Field(self.account)
            form.addRow(self.tr("&Account:"), self.fields["account"])
            self.stage = QComboBox()
            for stage in process.open_stages:
                self.stage.addItem(stage.name, stage.id)
            form.addRow(self.tr("&Stage:"), self.stage)
        self.name = QLineEdit(engagement.name if engagement else "")
        self.name.setPlaceholderText(self.tr("Default: the account name"))
        self.value = QSpinBox()
        self.value.setRange(0, 2_000_000_000)
        self.value.setSingleStep(1000)
        self.value.setGroupSeparatorShown(True)
        self.value.setPrefix(services.workspace.settings().currency + " ")
        self.value.setValue((engagement.value_minor if engagement else 0) // 100)
        self.owner = QComboBox()
        self.owner.addItem(self.tr("Nobody"), None)
        people = services.people.people()
        owner_id = engagement.owner_id if engagement else me
        for p in people + [
            p for p in services.people.people(True) if p.id == owner_id and p not in people
        ]:
            self.owner.addItem(p.name, p.id)
        self.owner.setCurrentIndex(max(self.owner.findData(owner_id), 0))
        self.product = QLineEdit(engagement.product if engagement else "")
        self.product.setPlaceholderText(self.tr("What is sold (optional)"))
        self.fields.update(
            name=Field(self.name), value=Field(self.value), product=Field(self.product)
        )
        form.addRow(self.tr("&Name:"), self.fields["name"])
        form.addRow(self.tr("&Value:"), self.fields["value"])
        form.addRow(self.tr("Pro&duct:"), self.fields["product"])
        form.addRow(self.tr("&Owner:"), self.owner)
        if engagement is not None:
            self.opened = _date_edit(engagement.opened_on)
            self.fields["opened_on"] = Field(self.opened)
            form.addRow(self.tr("O&pened:"), self.fields["opened_on"])
            self.closed = _date_edit(engagement.closed_on)
            self.fields["closed_on"] = Field(self.closed)
            if engagement.outcome is not None:
                form.addRow(self.tr("&Closed:"), self.fields["closed_on"])
            # Optional: its lowest date shows as "Not set".
            self.expected = _date_edit(engagement.expected_close)
            self.expected.setMinimumDate(NO_DATE)
            self.expected.setSpecialValueText(self.tr("Not set"))
            if engagement.expected_close is None:
                self.expected.setDate(NO_DATE)
            self.fields["expected_close"] = Field(self.expected)
            form.addRow(self.tr("E&xpected close:"), self.fields["expected_close"])
            self.history = history = QListWidget()
            history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            history.addItem(self.tr("Reading…"))
            engagement_id = engagement.id
            host.ops.read(
                self,
                "history",
                lambda s: s.engagements.history(engagement_id),
                self._show_history,
                busy=history,
            )
            history.setMaximumHeight(150)
            form.addRow(self.tr("Stage history:"), history)
        self.general = QLabel()
        layout.addWidget(self.general)
        self.errors = ErrorMap(self.fields, self.general)
        buttons = _buttons(self, self.tr("Save") if engagement else self.tr("Create"))
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())

    def _show_history(self, changes: list[StageChangeView]) -> None:
        self.history.clear()
        for change in changes:
            when = (
                moment_text(change.changed_at)
                if change.entered_known
                else self.tr("(date unknown)")
            )
            step = (
                f"{change.from_stage} → {change.to_stage}"
                if change.from_stage
                else (self.tr("Opened in {0}").format(change.to_stage))
            )
            text = f"{when}   {step}" + (f"   ({change.person_name})" if change.person_name else "")
            item = QListWidgetItem(text)
            if change.note:
                item.setToolTip(tip(change.note))
            self.history.addItem(item)

    def draft(self) -> EngagementDraft:
        assert self.engagement is not None
        return EngagementDraft(
            name=self.name.text(),
            value_minor=self.value.value() * 100,
            owner_id=self.owner.currentData(),
            opened_on=self.opened.date().toPython(),  # type: ignore[arg-type]
            closed_on=self.closed.date().toPython() if self.engagement.outcome else None,  # type: ignore[arg-type]
            expected_close=(
                None if self.expected.date() == NO_DATE else self.expected.date().toPython()  # type: ignore[arg-type]
            ),
            product=self.product.text(),
        )

    def new_engagement(self) -> tuple[NewEngagement, int | None, int | None]:
        account = self.account.account
        if account is None:
            raise ValidationError({"account": "Choose an existing account (type to search)."})
        return (
            NewEngagement(
                self.process.id,
                self.name.text(),
                self.value.value() * 100,
                self.stage.currentData(),
                product=self.product.text(),
            ),
            account.id,
            self.owner.currentData(),
        )
