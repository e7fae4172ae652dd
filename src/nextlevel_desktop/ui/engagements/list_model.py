"""Sortable table model over a process's engagements (the list view of the board)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
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
SortRole = Qt.ItemDataRole.UserRole + 2  # the raw value a column sorts by
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


def sorted_rows(
    rows: list[Engagement],
    stages: dict[int, Stage],
    today: date,
    column: int,
    order: Qt.SortOrder,
) -> list[Engagement]:
    """``rows`` sorted by ``column`` (ties by id): one key per row, fast for tens of thousands
    of rows, and plain Python, so a long list is sorted on the reader thread."""
    key = _KEYS[EngagementColumn(column)]
    keyed = [(key(e, stages, today), e.id, e) for e in rows]
    keyed.sort(key=lambda t: (t[0], t[1]), reverse=order == Qt.SortOrder.DescendingOrder)
    return [t[2] for t in keyed]


def list_cells(
    eng: Engagement,
    stages: dict[int, Stage],
    currency: str,
    today: date,
    words: tuple[str, str, str] = ("Open", "Won", "Lost"),
) -> tuple[Any, ...]:
    """The text of each column of ``eng``'s row, then whether it is stalled: plain values, so a
    long list's rows are made on the reader thread and the model only looks them up.
    ``words`` are the outcomes as the user reads them (open, won, lost; translated)."""
    days = (
        None
        if eng.outcome or eng.stage_entered_at is None  # (None: not known, shown blank)
        else days_in_stage(eng.stage_entered_at, today)
    )
    stalled = days is not None and is_stalled(days, stages.get(eng.stage_id))
    outcome = words[0]
    if eng.outcome is not None:
        outcome = words[1] if eng.outcome is Outcome.WON else words[2]
        outcome = f"{outcome}: {eng.lost_reason}" if eng.lost_reason else outcome
    return (
        eng.name,
        eng.account_name,
        eng.stage_name,
        format_money(eng.value_minor, currency),
        eng.owner_name,
        "" if days is None else f"{days} (stalled)" if stalled else str(days),
        day_text(eng.opened_on) if eng.opened_on else "",
        day_text(eng.closed_on) if eng.closed_on else "",
        outcome,
        day_text(eng.expected_close) if eng.expected_close else "",
        stalled,
    )


class EngagementTableModel(QAbstractTableModel):
    """The Pipeline's list: rows made (sorted, their cells written) before they are given, so
    a reset and a repaint cost the rows on screen, not the tens of thousands in the list."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Engagement] = []
        self._cells: list[tuple[Any, ...]] = []
        self._stages: dict[int, Stage] = {}
        self._currency = "EUR"
        self._today = date.today()
        # Sorts elsewhere when set (the panel: on the reader thread); else here, in memory.
        self.sorter: Callable[[int, Qt.SortOrder], None] | None = None

    def words(self) -> tuple[str, str, str]:
        """The outcomes as the list shows them (for ``list_cells``)."""
        return self.tr("Open"), self.tr("Won"), self.tr("Lost")

    def set_rows(
        self,
        rows: list[Engagement],
        stages: dict[int, Stage],
        currency: str,
        today: date,
        cells: list[tuple[Any, ...]] | None = None,
    ) -> tuple[list[Engagement], list[tuple[Any, ...]]]:
        """Show ``rows`` in their order (``sorted_rows`` sorts a long list off the GUI thread,
        ``list_cells`` writes its ``cells``); returns the rows and cells shown before."""
        words = self.words()
        old = self._rows, self._cells
        self.beginResetModel()
        self._rows = rows
        self._cells = (
            cells
            if cells is not None
            else [list_cells(e, stages, currency, today, words) for e in rows]
        )
        self._stages = stages
        self._currency = currency
        self._today = today
        self.endResetModel()
        return old

    def engagement(self, row: int) -> Engagement | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, engagement_id: int) -> int:
        return next((i for i, e in enumerate(self._rows) if e.id == engagement_id), -1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python with one key per row, or hand it to ``sorter``."""
        if self.sorter is not None:
            self.sorter(column, order)
            return
        col = EngagementColumn(column)
        self.layoutAboutToBeChanged.emit()
        old_ids = [e.id for e in self._rows]
        cells = {e.id: c for e, c in zip(self._rows, self._cells, strict=True)}
        self._rows = sorted_rows(self._rows, self._stages, self._today, col, order)
        self._cells = [cells[e.id] for e in self._rows]
        new = {e.id: i for i, e in enumerate(self._rows)}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent,
            [
                self.index(new[old_ids[p.row()]], p.column())
                if 0 <= p.row() < len(old_ids)
                else QModelIndex()
                for p in persistent
            ],
        )
        self.layoutChanged.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(EngagementColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[EngagementColumn(section)])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[row][col]
        if role == IdRole:
            return self._rows[row].id
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == EngagementColumn.DAYS and self._cells[row][-1]:
                return QColor(STALLED)
            outcome = self._rows[row].outcome
            if col == EngagementColumn.OUTCOME and outcome:
                return QColor("#2e9d5b" if outcome is Outcome.WON else STALLED)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if col in (EngagementColumn.VALUE, EngagementColumn.DAYS) else None
        if role == SortRole:
            return sort_key(self._rows[row], EngagementColumn(col), self._stages, self._today)
        return None
