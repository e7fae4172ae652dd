"""Pieces the import wizard and the file actions share: the preview model and a worker thread."""

from __future__ import annotations

import enum
import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from ..plain_text import tip

Index = QModelIndex | QPersistentModelIndex


class PreviewColumn(enum.IntEnum):
    """The preview shows the file's own columns; only the first is fixed: the line number."""

    LINE = 0


class PreviewModel(QAbstractTableModel):
    """The first rows of a CSV file, as read: line number, then the file's columns."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers: tuple[str, ...] = ()
        self._rows: tuple[tuple[str, ...], ...] = ()

    def set_table(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self.beginResetModel()
        self._headers = tuple(headers)
        self._rows = tuple(tuple(r) for r in rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self._headers else len(self._headers) + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        if index.column() == PreviewColumn.LINE:
            return str(index.row() + 2)  # the header is line 1
        text = self._rows[index.row()][index.column() - 1]
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip(text[:2000])  # text from the file, shown literally
        if len(text) > 80:
            return text[:80] + "…"
        return text

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return None
        if section == PreviewColumn.LINE:
            return self.tr("Line")
        if 0 < section <= len(self._headers):
            return self._headers[section - 1]
        return None


def error_html(exc: BaseException) -> str:
    """An error message as red rich text, with the file's own text escaped."""
    text = html.escape(str(exc)).replace("\n", "<br>")
    return f"<span style='color:#b3261e'>{text}</span>"
