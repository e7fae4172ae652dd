"""Sortable table model over a process's engagements (the list view of the board)."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ...domain.engagements import EngagementColumn, days_in_stage, is_stalled
from ...domain.models import Engagement, Outcome, Stage, format_money
from ..kit.rows_model import RIGHT, IdRole
from ..wording import day_text

Index = QModelIndex | QPersistentModelIndex
HEADERS = {
    EngagementColumn.NAME: "Name",
    EngagementColumn.ACCOUNT: "Account",
    EngagementColumn.STAGE: "Stage",
    EngagementColumn.VALUE: "Value",
    EngagementColumn.OWNER: "Owner",
    EngagementColumn.DAYS: "Days in stage",
    EngagementColumn.OPENED: "Opened",
    EngagementColumn.CLOSED: "Closed",
    EngagementColumn.OUTCOME: "Outcome",
    EngagementColumn.EXPECTED_CLOSE: "Expected close",
}
STALLED = "#c0504d"


def _days_key(eng: Engagement, today: date) -> int:
    return -1 if eng.outcome else days_in_stage(eng.stage_entered_at, today)


_KEYS: dict[EngagementColumn, Callable[[Engagement, dict[int, Stage], date], Any]] = {
    EngagementColumn.NAME: lambda e, _s, _t: e.name.casefold(),
    EngagementColumn.ACCOUNT: lambda e, _s, _t: e.account_name.casefold(),
    EngagementColumn.STAGE: lambda e, s, _t: s[e.stage_id].position if e.stage_id in s else 0,
    EngagementColumn.VALUE: lambda e, _s, _t: e.value_minor,
    EngagementColumn.OWNER: lambda e, _s, _t: e.owner_name.casefold(),
    EngagementColumn.DAYS: lambda e, _s, today: _days_key(e, today),
    EngagementColumn.OPENED: lambda e, _s, _t: e.opened_on.toordinal() if e.opened_on else 0,
    EngagementColumn.CLOSED: lambda e, _s, _t: e.closed_on.toordinal() if e.closed_on else 0,
    EngagementColumn.OUTCOME: lambda e, _s, _t: e.outcome.value if e.outcome else "",
    EngagementColumn.EXPECTED_CLOSE: lambda e, _s, _t: (
        e.expected_close.toordinal() if e.expected_close else 0
    ),
}


def sort_key(eng: Engagement, col: EngagementColumn, stages: dict[int, Stage], today: date) -> Any:
    """The value ``col`` sorts ``eng`` by."""
    return _KEYS[col](eng, stages, today)


SEP = "\x1f"  # between the cells of a row's line (a character no name holds: ``text_rules``)
STALLED_MARK, WON_MARK, LOST_MARK = "s", "w", "l"  # the last cell: how the row is coloured


@dataclass(frozen=True)
class ListTable:
    """The list's rows in their order: ids, and each row's cells as one line of text. Plain
    values the garbage collector never walks (an ``array`` and strings), however many rows:
    a list of every engagement of a process costs the GUI thread nothing to hold."""

    ids: array[int]
    lines: list[str]


def list_cells(
    eng: Engagement,
    stages: dict[int, Stage],
    currency: str,
    today: date,
    words: tuple[str, str, str] = ("Open", "Won", "Lost"),
    day: Callable[[date], str] = day_text,
) -> list[str]:
    """The text of each column of ``eng``'s row, then its colour mark. ``words`` are the
    outcomes as the user reads them (open, won, lost; translated); ``day`` writes a date."""
    days = (
        None
        if eng.outcome or eng.stage_entered_at is None  # (None: not known, shown blank)
        else days_in_stage(eng.stage_entered_at, today)
    )
    stalled = days is not None and is_stalled(days, stages.get(eng.stage_id))
    outcome, mark = words[0], STALLED_MARK if stalled else ""
    if eng.outcome is not None:
        won = eng.outcome is Outcome.WON
        outcome, mark = (words[1], WON_MARK) if won else (words[2], LOST_MARK)
        outcome = f"{outcome}: {eng.lost_reason}" if eng.lost_reason else outcome
    return [
        eng.name,
        eng.account_name,
        eng.stage_name,
        format_money(eng.value_minor, currency),
        eng.owner_name,
        "" if days is None else f"{days} (stalled)" if stalled else str(days),
        day(eng.opened_on) if eng.opened_on else "",
        day(eng.closed_on) if eng.closed_on else "",
        outcome,
        day(eng.expected_close) if eng.expected_close else "",
        mark,
    ]


def list_table(
    engagements: Iterable[Engagement],
    stages: dict[int, Stage],
    currency: str,
    today: date,
    sort: tuple[int, Qt.SortOrder] | None = None,
    words: tuple[str, str, str] = ("Open", "Won", "Lost"),
) -> ListTable:
    """The list of ``engagements``, sorted by ``sort`` (column, direction; ties by id) or in
    their order. Made on the reader thread for a long list: one engagement at a time is kept
    as its id, its sort key and its line, nothing else."""
    key = _KEYS[EngagementColumn(sort[0])] if sort is not None else None
    day = cache(day_text)  # a few hundred days among tens of thousands of rows
    ids: array[int] = array("q")
    keys: list[Any] = []
    lines: list[str] = []
    for eng in engagements:
        ids.append(eng.id)
        cells = list_cells(eng, stages, currency, today, words, day)
        line = SEP.join(cells)
        if line.count(SEP) != len(cells) - 1:  # a file brought one in: never a shifted row
            line = SEP.join(c.replace(SEP, " ") for c in cells)
        lines.append(line)
        if key is not None:
            keys.append(key(eng, stages, today))
    if sort is None:
        return ListTable(ids, lines)
    reverse = sort[1] == Qt.SortOrder.DescendingOrder
    # By id first, then (stable) by the key: ties stay in id order, reversed with the rest.
    order = sorted(range(len(ids)), key=ids.__getitem__, reverse=reverse)
    order.sort(key=keys.__getitem__, reverse=reverse)
    return ListTable(array("q", (ids[i] for i in order)), [lines[i] for i in order])


class EngagementTableModel(QAbstractTableModel):
    """The Pipeline's list: a ``ListTable`` made (sorted, its cells written) before it is
    given, so a reset and a repaint cost the rows on screen, not the tens of thousands in the
    list. Sorting is asked of ``sorter`` (the panel sorts on the reader thread)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = ListTable(array("q"), [])
        self._split: tuple[int, list[str]] = (-1, [])  # the last row's cells
        self.sorter: Callable[[int, Qt.SortOrder], None] = lambda _column, _order: None
        self._headers = [self.tr(HEADERS[c]) for c in EngagementColumn]  # asked for often

    def words(self) -> tuple[str, str, str]:
        """The outcomes as the list shows them (for ``list_table``)."""
        return self.tr("Open"), self.tr("Won"), self.tr("Lost")

    def show(self, table: ListTable) -> ListTable:
        """Show ``table``; returns the one shown before (to be let go of off this thread)."""
        old = self.table
        self.beginResetModel()
        self.table, self._split = table, (-1, [])
        self.endResetModel()
        return old

    def set_rows(
        self, rows: Iterable[Engagement], stages: dict[int, Stage], currency: str, today: date
    ) -> None:
        """Show ``rows`` in their order (a short list, made here)."""
        self.show(list_table(rows, stages, currency, today, words=self.words()))

    def id_at(self, row: int) -> int | None:
        return self.table.ids[row] if 0 <= row < len(self.table.ids) else None

    def row_of(self, engagement_id: int) -> int:
        try:
            return self.table.ids.index(engagement_id)
        except ValueError:
            return -1

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sorter(column, order)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.table.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(EngagementColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def cells(self, row: int) -> list[str]:
        """The row's cells, then its colour mark."""
        if self._split[0] != row:
            self._split = (row, self.table.lines[row].split(SEP))
        return self._split[1]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.table.ids):
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(row)[col]
        if role == IdRole:
            return self.table.ids[row]
        if role == Qt.ItemDataRole.ForegroundRole:
            mark = self.cells(row)[-1]
            if col == EngagementColumn.DAYS and mark == STALLED_MARK:
                return QColor(STALLED)
            if col == EngagementColumn.OUTCOME and mark in (WON_MARK, LOST_MARK):
                return QColor("#2e9d5b" if mark == WON_MARK else STALLED)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if col in (EngagementColumn.VALUE, EngagementColumn.DAYS) else None
        return None
