"""Table model over a process's active stages (plain ``Stage`` rows, one column enum).

Reordering (drag-and-drop, buttons, Alt+Up/Down) goes through ``moveRows``, which moves the row
in the view at once and emits ``stageMoved(stage_id, index)``; the designer then saves the move.
Renaming in place emits ``renameRequested``; the model shows the stored rows, never guesses.
"""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from ...domain.models import Stage, StageCategory
from ..plain_text import tip

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
    StageColumn.EXPECTED_DAYS: "Days",
    StageColumn.TARGET_CONVERSION: "Conversion",
    StageColumn.PROBABILITY: "Win %",
    StageColumn.EXIT_CRITERIA: "Exit criteria",
}

TOOLTIPS = {
    StageColumn.NAME: "The stage's name (F2 renames it)",
    StageColumn.CATEGORY: "Open, won or lost",
    StageColumn.EXPECTED_DAYS: "Expected days in the stage; longer counts as stalled",
    StageColumn.TARGET_CONVERSION: "Target conversion to the next stage",
    StageColumn.PROBABILITY: "Win probability (weighted pipeline)",
    StageColumn.EXIT_CRITERIA: "What must be true to leave the stage",
}

MIME_TYPE = "application/x-nextlevel-stage-row"


class StageTableModel(QAbstractTableModel):
    stageMoved = Signal(int, int)
    renameRequested = Signal(int, str)

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
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[StageColumn(section)])
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr(TOOLTIPS[StageColumn(section)])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._stages):
            return None
        stage = self._stages[index.row()]
        col = StageColumn(index.column())
        if role == Qt.ItemDataRole.EditRole and col is StageColumn.NAME:
            return stage.name
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
            return tip(stage.guidance) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (
            StageColumn.EXPECTED_DAYS,
            StageColumn.TARGET_CONVERSION,
            StageColumn.PROBABILITY,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # Editing and reordering ------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )
        if index.column() == StageColumn.NAME:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        if index.column() != StageColumn.NAME:
            return False
        stage = self._stages[index.row()]
        text = str(value)
        if text != stage.name:
            self.renameRequested.emit(stage.id, text)
        return True

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if rows:
            data.setData(MIME_TYPE, QByteArray(str(rows[0]).encode()))
        return data

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return action == Qt.DropAction.MoveAction and data.hasFormat(MIME_TYPE)

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        try:
            source = int(bytes(data.data(MIME_TYPE).data()).decode())
        except ValueError:
            return False
        if parent.isValid():
            row = parent.row()  # dropped onto a row: take its place
        if row < 0:
            row = len(self._stages)
        self.moveRows(QModelIndex(), source, 1, QModelIndex(), row)
        # False: the row is already moved, so the view must not remove the "dragged" source.
        return False

    def moveRows(
        self,
        sourceParent: Index,
        sourceRow: int,
        count: int,
        destinationParent: Index,
        destinationChild: int,
    ) -> bool:
        """Move one row so that it lands before ``destinationChild`` (Qt's convention)."""
        if sourceParent.isValid() or destinationParent.isValid() or count != 1:
            return False
        if not 0 <= sourceRow < len(self._stages):
            return False
        dest = max(0, min(destinationChild, len(self._stages)))
        if dest in (sourceRow, sourceRow + 1):
            return False
        if not self.beginMoveRows(QModelIndex(), sourceRow, sourceRow, QModelIndex(), dest):
            return False
        stage = self._stages.pop(sourceRow)
        new_index = dest if dest < sourceRow else dest - 1
        self._stages.insert(new_index, stage)
        self.endMoveRows()
        self.stageMoved.emit(stage.id, new_index)
        return True

    def move(self, row: int, delta: int) -> bool:
        """Move a row up (-1) or down (+1): the buttons and Alt+Up/Alt+Down."""
        target = row + delta
        if not 0 <= row < len(self._stages) or not 0 <= target < len(self._stages):
            return False
        dest = target if delta < 0 else target + 1
        return self.moveRows(QModelIndex(), row, 1, QModelIndex(), dest)
