"""Lazy table model over the activity list.

``rowCount`` is the filtered total (one COUNT in SQL on the reader thread, again after every
write); rows are fetched a page at a time on the reader thread, on demand, sorted and filtered
in SQL, and only a bounded number of pages is kept. Scrolling to the last of a million rows
loads one page, never the million.

A repaint asks ``data`` for seven roles of every cell on screen (~1,400 calls for 200 cells,
each a trip from C++ into Python): the cell texts are formatted on the reader thread with the
page, so ``data`` only indexes a tuple, and roles the model never answers return at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
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
DISPLAY, FONT, FOREGROUND = (
    int(r)
    for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole)
)
_ROLES = frozenset({DISPLAY, FONT, FOREGROUND, int(IdRole)})
_FIELDS = tuple(ActivityListRow.__dataclass_fields__)


@dataclass(frozen=True)
class ActivityQuery:
    """What the list shows: its filter and its order."""

    filter: ActivityFilter
    sort: ActivityColumn = ActivityColumn.DATE
    descending: bool = True


def _count(services: Services, query: ActivityQuery) -> int:
    return services.activities.count(query.filter)


@dataclass(frozen=True)
class ShownRow(ActivityListRow):
    """A row of the list with its cell texts, in column order, formatted where it was read."""

    texts: tuple[str, ...] = field(default=(), compare=False)


def _shown(row: ActivityListRow) -> ShownRow:
    if isinstance(row, ShownRow):
        return row  # kept from the pages already shown
    texts = (
        moment_text(row.occurred_at),
        row.type_name,
        row.person_name,
        row.account_name,
        row.engagement_name,
        row.process_name,
        row.outcome,
        row.status.value.capitalize(),
    )
    return ShownRow(**{f: getattr(row, f) for f in _FIELDS}, texts=texts)


def _fetch(
    services: Services,
    query: ActivityQuery,
    offset: int,
    limit: int,
    total: int,
    known: Mapping[int, ActivityListRow] | None = None,
) -> list[ActivityListRow]:
    flt, sort, descending = query.filter, query.sort, query.descending
    rows = services.activities.page(flt, offset, limit, sort, descending, total, known)
    return [_shown(row) for row in rows]


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
        self._full = False  # a full read (every row of the pages on screen) is under way
        super().__init__(ops, ActivityQuery(flt or ActivityFilter()), _count, _fetch, parent)
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

    def cell_text(self, row: int, column: int) -> str | None:
        """A plain cell's text for ``KeptTextDelegate``; ``None`` where the style draws the
        cell: a row not loaded yet (its page is asked for) or planned work (italic, coloured)."""
        item = self.line(row)
        if item is None or item.status is ActivityStatus.PLANNED:
            return None
        return item.texts[column]  # type: ignore[attr-defined]

    # Qt model API ----------------------------------------------------------------------
    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if role not in _ROLES:
            return None
        item = self.line(index.row())
        if item is None:
            return None
        if role == DISPLAY:
            return item.texts[index.column()]  # type: ignore[attr-defined]
        if role == IdRole:
            return item.id
        if item.status is not ActivityStatus.PLANNED:
            return None
        if role == FOREGROUND:
            overdue = item.occurred_at < datetime.now(UTC)
            return QColor("#c0504d") if overdue else QColor("#3567b3")
        font = QFont()
        font.setItalic(True)
        return font
