"""A small read-only table model over a list of plain rows (subclasses say what a cell shows)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
IdRole = Qt.ItemDataRole.UserRole + 1
T = TypeVar("T")


class HeaderedModel(QAbstractTableModel):
    """A flat table whose ``HEADERS`` name the columns; subclasses give ``row_count``."""

    HEADERS: tuple[str, ...] = ()

    def row_count(self) -> int:  # pragma: no cover - subclasses override
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None


class RowsModel(HeaderedModel, Generic[T]):
    """Rows held in memory; ``cell`` gives the display text of one row and column."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[T] = []

    def set_rows(self, rows: list[T]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_count(self) -> int:
        return len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == IdRole:
            return getattr(row, "id", None)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row, index.column())
        return None

    def cell(self, row: T, column: int) -> str:  # pragma: no cover - subclasses override
        raise NotImplementedError

    def foreground(self, row: T, column: int) -> Any:
        return None
