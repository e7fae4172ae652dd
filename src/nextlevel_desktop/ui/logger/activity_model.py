"""Lazy table model over the activity list.

``rowCount`` is the filtered total (one COUNT in SQL on the reader thread, again after every
write); rows are fetched a page at a time on the reader thread, on demand, sorted and filtered
in SQL, and only a bounded number of pages is kept. Scrolling to the last of a million rows
loads one page, never the million.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from ...domain.activities import ActivityColumn, ActivityFilter, ActivityListRow
from ...domain.changes import Changes
from ...domain.models import ActivityStatus
from ...services.container import Services
from ..kit.ops import Operations
from ..kit.rows_model import IdRole, LazyRowsModel
from ..wording import moment_text

Index = QModelIndex | QPersistentModelIndex
PAGE = 200


@dataclass(frozen=True)
class ActivityQuery:
    """What the list shows: its filter and its order."""

    filter: ActivityFilter
    sort: ActivityColumn = ActivityColumn.DATE
    descending: bool = True


def _count(services: Services, query: ActivityQuery) -> int:
    return services.activities.count(query.filter)


def _fetch(
    services: Services,
    query: ActivityQuery,
    offset: int,
    limit: int,
    total: int,
    known: Mapping[int, ActivityListRow] | None = None,
) -> list[ActivityListRow]:
    flt, sort, descending = query.filter, query.sort, query.descending
    return services.activities.page(flt, offset, limit, sort, descending, total, known)


class ActivityTableModel(LazyRowsModel[ActivityQuery, ActivityListRow]):
    ActivityIdRole = IdRole  # the one id role of every model
    HEADERS = (  # in ActivityColumn order
        "Date",
        "Type",
        "Person",
        "Account",
        "Engagement",
        "Process",
        "Outcome",
        "Status",
    )

    def __init__(
        self, ops: Operations, parent: QObject | None = None, flt: ActivityFilter | None = None
    ) -> None:
        self._texts: dict[int, tuple[str, ...]] = {}
        self._full = False  # a full read (every row of the pages on screen) is under way
        super().__init__(ops, ActivityQuery(flt or ActivityFilter()), _count, _fetch, parent)
        self.modelAboutToBeReset.connect(self._texts.clear)
        self.modelReset.connect(self._read)

    def _read(self) -> None:
        self._full = False

    # Public API ------------------------------------------------------------------------
    @property
    def filter(self) -> ActivityFilter:
        """The filter asked for last (shown once its count answers)."""
        return self.query.filter

    def set_filter(self, flt: ActivityFilter) -> None:
        self.ask(replace(self.query, filter=flt))

    def row(self, row: int) -> ActivityListRow | None:
        return self.line(row)

    def follow(self, changes: Changes) -> None:
        """Follow a write: count again and read the pages on screen. After a write of
        activities alone (``changes.ids`` names them, e.g. one logged) only those rows and
        rows new to the pages are read; the rows already here are kept."""
        alone = changes == Changes(activities=True, ids=changes.ids)
        if self._full or not changes.ids or not alone:
            self.reload()
            return
        kept = {i: item for _r, item in self._pages.loaded() if (i := item.id) not in changes.ids}

        def fetch(
            services: Services, query: ActivityQuery, offset: int, limit: int, total: int
        ) -> list[ActivityListRow]:
            return _fetch(services, query, offset, limit, total, kept)

        super().reload(fetch)

    def reload(
        self,
        fetch: Callable[[Services, ActivityQuery, int, int, int], list[ActivityListRow]]
        | None = None,
    ) -> None:
        # Until a full read answers, a later write's quick read would supersede it and keep
        # rows it was to refresh (an account renamed just before an activity was logged).
        self._full = self._full or fetch is None
        super().reload(fetch)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        self.ask(replace(self.query, sort=ActivityColumn(column), descending=descending))

    # Qt model API ----------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid():
            return None
        item = self.line(index.row())
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            texts = self._texts.get(item.id)
            if texts is None:
                if len(self._texts) >= PAGE * self.MAX_PAGES:  # as many as the pages kept
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
