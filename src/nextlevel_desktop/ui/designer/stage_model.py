"""Table model over a process's stages (plain ``Stage`` rows, one column enum)."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ...domain.models import Stage, StageCategory

Index = QModelIndex | QPersistentModelIndex


class StageColumn(enum.IntEnum):
    NAME = 0
    CATEGORY = 1
    EXPECTED_DAYS = 2
    TARGET_CONVERSION = 3
    PROBABILITY = 4
    EXIT_CRITERIA = 5


HEADERS = {
    StageColumn.NAME: "Stage",
    StageColumn.CATEGORY: "Category",
    StageColumn.EXPECTED_DAYS: "Expected days",
    StageColumn.TARGET_CONVERSION: "Target conversion",
    StageColumn.PROBABILITY: "Win probability",
    StageColumn.EXIT_CRITERIA: "Exit criteria",
}


class StageTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._stages: list[Stage] = []

    def set_stages(self, stages: list[Stage] | tuple[Stage, ...]) -> None:
        self.beginResetModel()
        self._stages = list(stages)
        self.endResetModel()

    def stage(self, row: int) -> Stage:
        return self._stages[row]

    def row_of(self, stage_id: int) -> int | None:
        for i, s in enumerate(self._stages):
            if s.id == stage_id:
                return i
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._stages)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(StageColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[StageColumn(section)])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._stages):
            return None
        stage = self._stages[index.row()]
        col = StageColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if col is StageColumn.NAME:
                return stage.name
            if col is StageColumn.CATEGORY:
                return stage.category.value.capitalize()
            if col is StageColumn.EXPECTED_DAYS:
                return "" if stage.expected_days is None else f"{stage.expected_days} d"
            if col is StageColumn.TARGET_CONVERSION:
                return "" if stage.target_conversion is None else f"{stage.target_conversion} %"
            if col is StageColumn.PROBABILITY:
                return "" if stage.probability is None else f"{stage.probability} %"
            if col is StageColumn.EXIT_CRITERIA:
                return "; ".join(c.text for c in stage.exit_criteria)
        if role == Qt.ItemDataRole.DecorationRole and col is StageColumn.NAME:
            if stage.category is StageCategory.WON:
                return QColor("#2e9d5b")
            if stage.category is StageCategory.LOST:
                return QColor("#c0504d")
            return QColor(stage.color or "#4f7bbf")
        if role == Qt.ItemDataRole.ToolTipRole and col is StageColumn.NAME:
            return stage.guidance or None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (
            StageColumn.EXPECTED_DAYS,
            StageColumn.TARGET_CONVERSION,
            StageColumn.PROBABILITY,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
