"""A process's targets: a table of the targets and a form to add, edit and remove them."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QModelIndex
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ValidationError
from ...domain.models import PeriodKind, Process, Target, format_money
from ...domain.processes import TargetSpec
from ...domain.targets import TARGET_MEASURES, Unit, validate_target
from ...services.container import Services
from ...services.revisions import Revision
from ..kit.rows_model import RowsModel
from ..kit.tables import current_id, row_table, select_table_row
from ..wording import day_text
from .widgets import Edit, error_label, show_problems, side_by_side


class TargetColumn(enum.IntEnum):
    MEASURE = 0
    SCOPE = 1
    PERIOD = 2
    VALUE = 3
    VALID_FROM = 4


TEAM_PREFIX = "team:"  # the scope selector's data for a named team


@dataclass(frozen=True)
class TargetRowView:
    target: Target
    measure: str
    scope: str
    value: str

    @property
    def id(self) -> int:
        return self.target.id


def value_text(target: Target, currency: str) -> str:
    info = TARGET_MEASURES.get(target.measure)
    unit = info.unit if info else Unit.COUNT
    if unit is Unit.MONEY:
        return format_money(round(target.value), currency)
    if unit is Unit.PERCENT:
        return f"{target.value:g} %"
    if unit is Unit.DAYS:
        return f"{target.value:g} d"
    return f"{target.value:g}"


class TargetTableModel(RowsModel[TargetRowView]):
    HEADERS = ("Measure", "Scope", "Period", "Target", "Valid from")  # as TargetColumn

    def row_of(self, target_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.id == target_id), None)

    def cell(self, row: TargetRowView, column: int) -> str:
        return {
            TargetColumn.MEASURE: row.measure,
            TargetColumn.SCOPE: row.scope,
            TargetColumn.PERIOD: row.target.period.value.capitalize(),
            TargetColumn.VALUE: row.value,
            TargetColumn.VALID_FROM: day_text(row.target.valid_from),
        }[TargetColumn(column)]

    def tooltip(self, row: TargetRowView, column: int) -> str | None:
        return row.measure if column == TargetColumn.MEASURE else None

    def right_aligned(self, row: TargetRowView, column: int) -> bool:
        return column == TargetColumn.VALUE


class TargetsPanel(QWidget):
    """Targets of the current process; every add, edit and remove is undoable."""

    def __init__(self, services: Services, edit: Edit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.edit = edit
        self._process: Process | None = None
        self._currency = "EUR"
        self._editing: int | None = None

        self.model = TargetTableModel(self)
        self.table = row_table(self.model, TargetColumn.MEASURE)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.form_box = QGroupBox(self.tr("Target"))
        form = QFormLayout(self.form_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.errors = {
            k: error_label()
            for k in ("measure", "activity_type", "person", "period", "value", "valid_from", "")
        }
        self.measure = QComboBox()
        self.measure.currentIndexChanged.connect(self._measure_changed)
        self.activity_type = QComboBox()
        self.scope = QComboBox()
        self.period = QComboBox()
        for kind in PeriodKind:
            self.period.addItem(self.tr(kind.value.capitalize()), kind)
        self.value = QLineEdit()
        self.value.setMaximumWidth(160)
        self.unit = QLabel()
        value_row = QHBoxLayout()
        value_row.addWidget(self.value)
        value_row.addWidget(self.unit)
        value_row.addStretch(1)
        self.valid_from = QDateEdit()
        self.valid_from.setCalendarPopup(True)
        self.valid_from.setDisplayFormat("yyyy-MM-dd")
        for text, field, key in (
            (self.tr("M&easure:"), self.measure, "measure"),
            (self.tr("Act&ivity type:"), self.activity_type, "activity_type"),
            (self.tr("S&cope:"), self.scope, "person"),
            (self.tr("Perio&d:"), self.period, "period"),
            (self.tr("&Value:"), value_row, "value"),
            (self.tr("Valid &from:"), self.valid_from, "valid_from"),
        ):
            box = QVBoxLayout()
            box.setSpacing(1)
            if isinstance(field, QWidget):
                box.addWidget(field)
                buddy: QWidget = field
            else:
                box.addLayout(field)
                buddy = self.value
            box.addWidget(self.errors[key])
            label = QLabel(text)
            label.setBuddy(buddy)
            form.addRow(label, box)
        form.addRow(self.errors[""])
        buttons = QHBoxLayout()
        self.new_button = QPushButton(self.tr("&New target"))
        self.new_button.clicked.connect(self.new_target)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.save_button = QPushButton(self.tr("Save target"))
        self.save_button.clicked.connect(self.save)
        self.save_button.setDefault(True)
        for b in (self.new_button, self.remove_button, self.save_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.insertStretch(2, 1)
        form.addRow(buttons)
        self.value.returnPressed.connect(self.save)

        self.splitter = side_by_side(self.table, self.form_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    # Showing -----------------------------------------------------------------------------
    def set_process(self, process: Process | None) -> None:
        keep = current_id(self.table)
        self._process = process
        self._currency = self.services.workspace.settings().currency
        self.measure.blockSignals(True)
        self.measure.clear()
        if process is not None:
            for measure in TARGET_MEASURES.values():
                if process.kind in measure.kinds:
                    self.measure.addItem(self.tr(measure.label), measure.key)
        self.measure.blockSignals(False)
        self.activity_type.clear()
        self.scope.clear()
        self.scope.addItem(self.tr("Team"), None)
        people = {p.id: p.name for p in self.services.people.people(include_inactive=True)}
        for team in self.services.people.teams():
            self.scope.addItem(self.tr("Team: %1").replace("%1", team), TEAM_PREFIX + team)
        for pid, name in sorted(people.items(), key=lambda kv: kv[1].casefold()):
            self.scope.addItem(name, pid)
        types: dict[int, str] = {}
        if process is not None:
            for atype in self.services.design.activity_types(process.kind):
                types[atype.id] = atype.name
                if not atype.archived:
                    self.activity_type.addItem(atype.name, atype.id)
        rows = []
        for t in self.services.design.targets(process.id) if process else []:
            info = TARGET_MEASURES.get(t.measure)
            label = self.tr(info.label) if info else t.measure
            if t.activity_type_id is not None:
                label = self.tr("{0} activities").format(types.get(t.activity_type_id, "?"))
            scope = self.tr("Team") if t.person_id is None else people.get(t.person_id, "?")
            if t.person_id is None and t.team:
                scope = self.tr("Team: %1").replace("%1", t.team)
            rows.append(TargetRowView(t, label, scope, value_text(t, self._currency)))
        self.model.set_rows(rows)
        self.setEnabled(process is not None)
        row = self.model.row_of(keep) if keep is not None else None
        if row is not None:
            self.select_row(row)
        else:
            self.new_target()

    def select_row(self, row: int) -> None:
        select_table_row(self.table, row)
        self._load(self.model.row(row).target)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._load(self.model.row(current.row()).target)
        self.remove_button.setEnabled(current.isValid())

    def _measure_changed(self, *_args: object) -> None:
        info = TARGET_MEASURES.get(self.measure.currentData() or "")
        needs = bool(info and info.needs_activity_type)
        self.activity_type.setEnabled(needs)
        unit = info.unit if info else Unit.COUNT
        self.unit.setText(
            {
                Unit.COUNT: self.tr("count"),
                Unit.PERCENT: "%",
                Unit.MONEY: self._currency,
                Unit.DAYS: self.tr("days"),
            }[unit]
        )

    def _load(self, target: Target | None) -> None:
        self.clear_problems()
        self._editing = target.id if target else None
        self.form_box.setTitle(self.tr("Edit target") if target else self.tr("New target"))
        if target is None:
            self.measure.setCurrentIndex(0)
            self.scope.setCurrentIndex(0)
            self.period.setCurrentIndex(self.period.findData(PeriodKind.MONTH))
            self.value.clear()
            today = date.today()
            self.valid_from.setDate(QDate(today.year, today.month, 1))
        else:
            self.measure.setCurrentIndex(max(0, self.measure.findData(target.measure)))
            if target.activity_type_id is not None:
                self.activity_type.setCurrentIndex(
                    max(0, self.activity_type.findData(target.activity_type_id))
                )
            who = TEAM_PREFIX + target.team if target.team else target.person_id
            self.scope.setCurrentIndex(max(0, self.scope.findData(who)))
            self.period.setCurrentIndex(self.period.findData(target.period))
            value = target.value
            if TARGET_MEASURES[target.measure].unit is Unit.MONEY:
                value /= 100  # minor units → currency units
            self.value.setText(f"{value:g}")
            d = target.valid_from
            self.valid_from.setDate(QDate(d.year, d.month, d.day))
        self._measure_changed()
        self.remove_button.setEnabled(target is not None)

    def new_target(self) -> None:
        self.table.clearSelection()
        self.table.selectionModel().clearCurrentIndex()
        self._load(None)

    # Editing -----------------------------------------------------------------------------
    def clear_problems(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def show_problems(self, exc: ValidationError) -> None:
        show_problems(self.errors, self.errors[""], exc)

    def spec(self) -> TargetSpec:
        assert self._process is not None
        measure = str(self.measure.currentData() or "")
        info = TARGET_MEASURES.get(measure)
        text = self.value.text().strip().replace(",", "")
        for suffix in ("%", self._currency):
            text = text.removesuffix(suffix).strip()
        try:
            value = float(text)
        except ValueError:
            raise ValidationError(
                {
                    "value": self.tr("Enter the target as a number, not “{0}”.").format(
                        self.value.text().strip()
                    )
                    if text
                    else self.tr("Enter the target value.")
                }
            ) from None
        if info is not None and info.unit is Unit.MONEY:
            value = round(value * 100)  # currency units → minor units
        qd = self.valid_from.date()
        type_id = self.activity_type.currentData() if self.activity_type.isEnabled() else None
        who = self.scope.currentData()
        team = who.removeprefix(TEAM_PREFIX) if isinstance(who, str) else ""
        spec = TargetSpec(
            measure,
            PeriodKind(self.period.currentData()),
            value,
            date(qd.year(), qd.month(), qd.day()),
            None if team else who,
            type_id,
            team=team,
        )
        validate_target(
            spec.measure,
            self._process.kind,
            spec.period,
            spec.value,
            spec.valid_from,
            spec.activity_type_id,
        )
        return spec

    def save(self) -> None:
        if self._process is None:
            return
        try:
            spec = self.spec()
        except ValidationError as exc:
            self.show_problems(exc)
            return
        pid = self._process.id
        if self._editing is None:

            def select(rev: Revision) -> None:
                row = self.model.row_of(rev.ids["target"])
                if row is not None:
                    self.select_row(row)

            self.edit(
                self.tr("Add target"),
                lambda s: s.design.add_target(pid, spec),
                on_invalid=self.show_problems,
                on_done=select,
            )
            return
        target_id = self._editing
        self.edit(
            self.tr("Edit target"),
            lambda s: s.design.update_target(target_id, spec),
            on_invalid=self.show_problems,
        )

    def remove_selected(self) -> None:
        target_id = current_id(self.table)
        if target_id is None or self._process is None:
            return
        self.edit(self.tr("Remove target"), lambda s: s.design.remove_target(target_id))
