"""Sortable table model over a process's engagements (the list view of the board)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ...domain.engagements import EngagementColumn, days_in_stage, is_stalled
from ...domain.models import Engagement, Outcome, Stage, format_money
from ..kit.rows_model import IdRole
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


class EngagementTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Engagement] = []
        self._stages: dict[int, Stage] = {}
        self._currency = "EUR"
        self._today = date.today()

    def set_rows(
        self, rows: list[Engagement], stages: dict[int, Stage], currency: str, today: date
    ) -> None:
        """Show ``rows`` in their order (``sorted_rows`` sorts a long list off the GUI thread)."""
        self.beginResetModel()
        self._rows = rows
        self._stages = stages
        self._currency = currency
        self._today = today
        self.endResetModel()

    def engagement(self, row: int) -> Engagement | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, engagement_id: int) -> int:
        return next((i for i, e in enumerate(self._rows) if e.id == engagement_id), -1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python with one key per row (fast for tens of thousands of rows)."""
        col = EngagementColumn(column)
        self.layoutAboutToBeChanged.emit()
        old_ids = [e.id for e in self._rows]
        self._rows = sorted_rows(self._rows, self._stages, self._today, col, order)
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

    def _days(self, eng: Engagement) -> int | None:
        if eng.outcome or eng.stage_entered_at is None:  # (None: not known, shown blank)
            return None
        return days_in_stage(eng.stage_entered_at, self._today)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        eng = self._rows[index.row()]
        col = EngagementColumn(index.column())
        if role == IdRole:
            return eng.id
        days = self._days(eng)
        if role == Qt.ItemDataRole.ForegroundRole:
            if (
                col is EngagementColumn.DAYS
                and days is not None
                and is_stalled(days, self._stages.get(eng.stage_id))
            ):
                return QColor("#c0504d")
            if col is EngagementColumn.OUTCOME and eng.outcome:
                return QColor("#2e9d5b" if eng.outcome is Outcome.WON else "#c0504d")
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in (EngagementColumn.VALUE, EngagementColumn.DAYS):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == SortRole:
            return sort_key(eng, col, self._stages, self._today)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._display(eng, col, days)

    def _display(self, eng: Engagement, col: EngagementColumn, days: int | None) -> Any:
        if col is EngagementColumn.DAYS:
            if days is None:
                return ""
            stalled = is_stalled(days, self._stages.get(eng.stage_id))
            return f"{days} (stalled)" if stalled else str(days)
        if col is EngagementColumn.OUTCOME:
            if eng.outcome is None:
                return self.tr("Open")
            text = self.tr("Won") if eng.outcome is Outcome.WON else self.tr("Lost")
            return f"{text}: {eng.lost_reason}" if eng.lost_reason else text
        return {
            EngagementColumn.NAME: eng.name,
            EngagementColumn.ACCOUNT: eng.account_name,
            EngagementColumn.STAGE: eng.stage_name,
            EngagementColumn.VALUE: format_money(eng.value_minor, self._currency),
            EngagementColumn.OWNER: eng.owner_name,
            EngagementColumn.OPENED: day_text(eng.opened_on) if eng.opened_on else "",
            EngagementColumn.CLOSED: day_text(eng.closed_on) if eng.closed_on else "",
            EngagementColumn.EXPECTED_CLOSE: (
                day_text(eng.expected_close) if eng.expected_close else ""
            ),
        }[col]
