"""Monitor area: where work stands now, open engagements per stage for both processes side by
side (the monitor issue adds KPI tiles, charts and reviews)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.changes import Changes
from ...domain.models import ProcessKind, StageCategory, format_money
from ...services.container import Services
from ..area import Area
from ..bus import ChangeBus
from ..user_settings import UserSettings


class MonitorArea(Area):
    def __init__(
        self,
        services: Services,
        bus: ChangeBus,
        undo_stack: QUndoStack,
        settings: UserSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, bus, undo_stack, settings, parent)
        self._layout = QHBoxLayout(self)
        self.tables: dict[int, QTableWidget] = {}
        self.refresh()

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("engagements", "processes", "stages", "settings"):
            self.refresh()

    def refresh(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.tables.clear()
        currency = self.services.workspace.settings().currency
        summary = self.services.engagements.open_by_stage()
        for kind in ProcessKind:
            column = QVBoxLayout()
            for proc in self.services.processes.processes_of_kind(kind):
                box = QGroupBox(f"{proc.name} — {kind.label}")
                inner = QVBoxLayout(box)
                table = QTableWidget(0, 3)
                table.setHorizontalHeaderLabels(
                    [self.tr("Stage"), self.tr("Open"), self.tr("Open value")]
                )
                table.verticalHeader().hide()
                table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
                table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
                total_n = total_v = 0
                for stage in proc.open_stages:
                    s = summary.get(stage.id)
                    n, v = (s.open_count, s.open_value_minor) if s else (0, 0)
                    total_n += n
                    total_v += v
                    self._add_row(table, stage.name, n, format_money(v, currency))
                self._add_row(
                    table, self.tr("All open"), total_n, format_money(total_v, currency), bold=True
                )
                table.resizeColumnsToContents()
                table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
                inner.addWidget(table)
                closed = [
                    s.name for s in proc.active_stages if s.category is not StageCategory.OPEN
                ]
                note = QLabel(self.tr("Closed stages: {0}").format(", ".join(closed)))
                note.setEnabled(False)
                inner.addWidget(note)
                column.addWidget(box)
                self.tables[proc.id] = table
            holder = QWidget()
            holder.setLayout(column)
            self._layout.addWidget(holder, 1)

    @staticmethod
    def _add_row(
        table: QTableWidget, name: str, count: int, value: str, bold: bool = False
    ) -> None:
        row = table.rowCount()
        table.insertRow(row)
        for col, text in enumerate((name, str(count), value)):
            item = QTableWidgetItem(text)
            if col:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            table.setItem(row, col, item)
