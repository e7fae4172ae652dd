"""Activities area: the filterable, sortable activity list over the whole workspace."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.activities import ActivityColumn, ActivityFilter
from ...domain.changes import Changes
from ...domain.models import ActivityStatus
from ...services.container import Services
from ..area import Area
from ..bus import ChangeBus
from ..user_settings import UserSettings
from .activity_model import ActivityTableModel


def _combo(all_label: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(all_label, None)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


class ActivitiesArea(Area):
    def __init__(
        self,
        services: Services,
        bus: ChangeBus,
        undo_stack: QUndoStack,
        settings: UserSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, bus, undo_stack, settings, parent)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search accounts, outcomes and notes…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.person = _combo(self.tr("Everyone"))
        self.process = _combo(self.tr("All processes"))
        self.type = _combo(self.tr("All types"))
        self.status = _combo(self.tr("Done and planned"))
        self.status.addItem(self.tr("Done"), ActivityStatus.DONE.value)
        self.status.addItem(self.tr("Planned"), ActivityStatus.PLANNED.value)
        self.use_dates = QCheckBox(self.tr("From"))
        self.date_from = QDateEdit(QDate.currentDate().addMonths(-1))
        self.date_to = QDateEdit(QDate.currentDate())
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)
        bar.addWidget(self.search, 2)
        for w in (self.person, self.process, self.type, self.status):
            bar.addWidget(w)
        bar.addWidget(self.use_dates)
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel(self.tr("to")))
        bar.addWidget(self.date_to)
        layout.addLayout(bar)

        self.model = ActivityTableModel(services.activities, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(
            ActivityColumn.DATE, Qt.SortOrder.DescendingOrder
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        widths = {
            ActivityColumn.DATE: 130,
            ActivityColumn.TYPE: 110,
            ActivityColumn.PERSON: 130,
            ActivityColumn.ACCOUNT: 210,
            ActivityColumn.ENGAGEMENT: 200,
            ActivityColumn.PROCESS: 150,
            ActivityColumn.OUTCOME: 180,
            ActivityColumn.STATUS: 80,
        }
        for col, width in widths.items():
            header.resizeSection(col, width)
        header.setSectionResizeMode(ActivityColumn.OUTCOME, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        for combo in (self.person, self.process, self.type, self.status):
            combo.currentIndexChanged.connect(self.apply_filter)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.apply_filter)
        self.use_dates.toggled.connect(self.apply_filter)
        self._fill_pickers()
        self._update_count()

    def _fill_pickers(self) -> None:
        def refill(combo: QComboBox, items: list[tuple[str, int]]) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for label, value in items:
                combo.addItem(label, value)
            idx = combo.findData(current)
            combo.setCurrentIndex(max(idx, 0))
            combo.blockSignals(False)

        refill(self.person, [(p.name, p.id) for p in self.services.people.people()])
        refill(
            self.process,
            [(f"{p.name} ({p.kind.label})", p.id) for p in self.services.processes.processes()],
        )
        refill(
            self.type,
            [
                (f"{t.name} ({t.kind.label})", t.id)
                for t in self.services.activities.activity_types()
            ],
        )

    def current_filter(self) -> ActivityFilter:
        status = self.status.currentData()
        use_dates = self.use_dates.isChecked()
        return ActivityFilter(
            person_id=self.person.currentData(),
            process_id=self.process.currentData(),
            type_id=self.type.currentData(),
            status=ActivityStatus(status) if status else None,
            date_from=self.date_from.date().toPython() if use_dates else None,  # type: ignore[arg-type]
            date_to=self.date_to.date().toPython() if use_dates else None,  # type: ignore[arg-type]
            text=self.search.text(),
        )

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())
        self._update_count()

    def _update_count(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(self.tr("{0} activities").format(f"{n:,}"))

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("people", "processes", "activity_types"):
            self._fill_pickers()
        if changes.touches("activities", "accounts", "engagements", "people", "processes"):
            self.refresh()

    def refresh(self) -> None:
        self.model.reload()
        self._update_count()

    def save_state(self) -> None:
        self.settings.set_bytes("activities/header", self.table.horizontalHeader().saveState())

    def restore_state(self) -> None:
        state = self.settings.bytes_value("activities/header")
        if state is not None:
            self.table.horizontalHeader().restoreState(state)
