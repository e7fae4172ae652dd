"""Lazy table model over the activity list.

``rowCount`` is the filtered total (one COUNT in SQL, kept up to date after a write from the
rows the write names); rows are fetched a page at a time, on demand, sorted and filtered in SQL,
and only a bounded number of pages is kept. Scrolling to the last of a million rows loads one
page, never the million.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from ...domain.activities import ActivityColumn, ActivityFilter, ActivityListRow
from ...domain.changes import Changes
from ...domain.models import ActivityStatus
from ...services.activities import ActivityService
from ..kit.rows_model import IdRole, PageCache
from ..wording import moment_text

Index = QModelIndex | QPersistentModelIndex
PAGE = 200
MAX_PAGES = 50

HEADERS = {
    ActivityColumn.DATE: "Date",
    ActivityColumn.TYPE: "Type",
    ActivityColumn.PERSON: "Person",
    ActivityColumn.ACCOUNT: "Account",
    ActivityColumn.ENGAGEMENT: "Engagement",
    ActivityColumn.PROCESS: "Process",
    ActivityColumn.OUTCOME: "Outcome",
    ActivityColumn.STATUS: "Status",
}


class ActivityTableModel(QAbstractTableModel):
    ActivityIdRole = IdRole  # the one id role of every model

    def __init__(
        self, service: ActivityService, parent: Any = None, flt: ActivityFilter | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._filter = flt or ActivityFilter()
        self._sort = ActivityColumn.DATE
        self._descending = True
        self._total = 0
        self._pages: PageCache[ActivityListRow] = PageCache(self._fetch, PAGE, MAX_PAGES)
        self._texts: dict[int, tuple[str, ...]] = {}
        self.reload()

    def _fetch(self, offset: int, limit: int) -> list[ActivityListRow]:
        return self._service.page(
            self._filter, offset, limit, self._sort, self._descending, self._total
        )

    # Public API ------------------------------------------------------------------------
    @property
    def filter(self) -> ActivityFilter:
        return self._filter

    def set_filter(self, flt: ActivityFilter) -> None:
        if flt != self._filter:
            self._filter = flt
            self.reload()

    def reload(self) -> None:
        """Recount and drop cached pages (after a filter, sort or data change)."""
        self.beginResetModel()
        self._pages.clear()
        self._texts.clear()
        self._total = self._service.count(self._filter)
        self.endResetModel()

    def refresh(self, changes: Changes) -> None:
        """After a write: drop cached pages; the total follows from the rows the write names
        (a recount only when it names none, or a text search cannot tell)."""
        self.beginResetModel()
        self._pages.clear()
        self._texts.clear()
        self._total = self._service.count_after(self._filter, self._total, changes)
        self.endResetModel()

    def row(self, row: int) -> ActivityListRow | None:
        if not 0 <= row < self._total:
            return None
        return self._pages.get(row)

    # Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(ActivityColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[ActivityColumn(section)])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid():
            return None
        item = self.row(index.row())
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            texts = self._texts.get(item.id)
            if texts is None:
                if len(self._texts) >= PAGE * MAX_PAGES:  # as many as the pages kept
                    self._texts.clear()
                texts = self._texts[item.id] = _texts(item)
            return texts[index.column()]
        if role == self.ActivityIdRole:
            return item.id
        if item.status is not ActivityStatus.PLANNED:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            overdue = item.occurred_at < datetime.now(UTC)
            return QColor("#c0504d") if overdue else QColor("#3567b3")
        font = QFont()
        font.setItalic(True)
        return font

    def ids(self, rows: list[int]) -> list[int]:
        """Activity ids of the given rows (loads only their pages)."""
        return [item.id for r in rows if (item := self.row(r)) is not None]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = ActivityColumn(column)
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        self._pages.clear()
        self.layoutChanged.emit()


def _texts(item: ActivityListRow) -> tuple[str, ...]:
    """The row's cell texts in column order (formatted once per row, not once per paint)."""
    return (
        moment_text(item.occurred_at),
        item.type_name,
        item.person_name,
        item.account_name,
        item.engagement_name,
        item.process_name,
        item.outcome,
        item.status.value.capitalize(),
    )


_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
        ActivityTableModel.ActivityIdRole,
    }
)
