"""Table model over a process's active stages (plain ``Stage`` rows, one column enum).

Reordering (drag-and-drop, buttons, Alt+Up/Down) goes through ``moveRows``, which moves the row
in the view at once and emits ``stageMoved(stage_id, index)``; the designer then saves the move.
Renaming in place emits ``renameRequested``; the model shows the stored rows, never guesses.
"""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from ...domain.models import Stage, StageCategory
from ..kit.rows_model import Index, RowsModel
from ..plain_text import tip


class StageColumn(enum.IntEnum):
    NAME = 0
    CATEGORY = 1
    EXPECTED_DAYS = 2
    TARGET_CONVERSION = 3
    PROBABILITY = 4
    EXIT_CRITERIA = 5


MIME_TYPE = "application/x-nextlevel-stage-row"


def stage_colour(stage: Stage) -> QColor:
    """Won stages green, lost ones red, an open stage its own colour (else blue)."""
    if stage.category is StageCategory.WON:
        return QColor("#2e9d5b")
    if stage.category is StageCategory.LOST:
        return QColor("#c0504d")
    return QColor(stage.color or "#4f7bbf")


class StageTableModel(RowsModel[Stage]):
    stageMoved = Signal(int, int)
    renameRequested = Signal(int, str)
    HEADERS = (
        "Stage",
        "Category",
        "Days",
        "Conversion",
        "Win %",
        "Exit criteria",
    )  # as StageColumn
    TOOLTIPS = (
        "The stage's name (F2 renames it)",
        "Open, won or lost",
        "Expected days in the stage; longer counts as stalled",
        "Target conversion to the next stage",
        "Win probability (weighted pipeline)",
        "What must be true to leave the stage",
    )

    def row_of(self, stage_id: int) -> int | None:
        return next((i for i, s in enumerate(self.rows) if s.id == stage_id), None)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return self.tr(self.TOOLTIPS[section])
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        name = index.isValid() and index.column() == StageColumn.NAME
        if name and role == Qt.ItemDataRole.EditRole:
            return self.rows[index.row()].name
        if name and role == Qt.ItemDataRole.DecorationRole:
            return stage_colour(self.rows[index.row()])
        return super().data(index, role)

    def cell(self, stage: Stage, column: int) -> str:
        col = StageColumn(column)
        if col is StageColumn.NAME:
            return stage.name
        if col is StageColumn.CATEGORY:
            return stage.category.value.capitalize()
        if col is StageColumn.EXIT_CRITERIA:
            return "; ".join(c.text for c in stage.exit_criteria)
        value, unit = {
            StageColumn.EXPECTED_DAYS: (stage.expected_days, "d"),
            StageColumn.TARGET_CONVERSION: (stage.target_conversion, "%"),
            StageColumn.PROBABILITY: (stage.probability, "%"),
        }[col]
        return "" if value is None else f"{value} {unit}"

    def tooltip(self, stage: Stage, column: int) -> str | None:
        return (tip(stage.guidance) or None) if column == StageColumn.NAME else None

    def right_aligned(self, stage: Stage, column: int) -> bool:
        return column in (
            StageColumn.EXPECTED_DAYS,
            StageColumn.TARGET_CONVERSION,
            StageColumn.PROBABILITY,
        )

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
        stage = self.rows[index.row()]
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
            row = len(self.rows)
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
        if not 0 <= sourceRow < len(self.rows):
            return False
        dest = max(0, min(destinationChild, len(self.rows)))
        if dest in (sourceRow, sourceRow + 1):
            return False
        if not self.beginMoveRows(QModelIndex(), sourceRow, sourceRow, QModelIndex(), dest):
            return False
        stage = self.rows.pop(sourceRow)
        new_index = dest if dest < sourceRow else dest - 1
        self.rows.insert(new_index, stage)
        self.endMoveRows()
        self.stageMoved.emit(stage.id, new_index)
        return True

    def move(self, row: int, delta: int) -> bool:
        """Move a row up (-1) or down (+1): the buttons and Alt+Up/Alt+Down."""
        target = row + delta
        if not 0 <= row < len(self.rows) or not 0 <= target < len(self.rows):
            return False
        dest = target if delta < 0 else target + 1
        return self.moveRows(QModelIndex(), row, 1, QModelIndex(), dest)
