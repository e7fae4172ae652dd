"""Table models of the Monitor: any chart's numbers, and engagement lists (stalled, drill-down)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ...domain.measures import Status
from ...services.scorecards import EngagementLine
from ..plain_text import tip
from ..theme import PALETTE
from ..wording import day_text

Index = QModelIndex | QPersistentModelIndex


STATUS_COLOURS = {
    Status.ON_TRACK: PALETTE.on_track,
    Status.AT_RISK: PALETTE.at_risk,
    Status.BEHIND: PALETTE.behind,
}


class RowsModel(QAbstractTableModel):
    """A read-only table over plain rows with given headers (a chart's “show as table”).

    Numbers are right-aligned and sort as numbers (``Qt.UserRole`` holds the raw value).
    """

    def __init__(self, headers: Sequence[str] = (), rows: Sequence[Sequence[Any]] = ()) -> None:
        super().__init__()
        self._headers = list(headers)
        self._rows = [list(r) for r in rows]

    def set_rows(self, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        self.beginResetModel()
        self._headers = list(headers)
        self._rows = [list(r) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def row(self, r: int) -> list[Any]:
        return self._rows[r]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(value, Status):
                return value.label
            return "–" if value is None else str(value)
        if role == Qt.ItemDataRole.ForegroundRole and isinstance(value, Status):
            return QColor(STATUS_COLOURS[value])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = isinstance(value, int | float) or (
                isinstance(value, str) and value[:1].isdigit()
            )
            align = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
            return int(align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return value
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None


class EngagementColumn(enum.IntEnum):
    NAME = 0
    ACCOUNT = 1
    OWNER = 2
    STAGE = 3
    DAYS = 4
    EXPECTED = 5
    OVER = 6
    VALUE = 7
    REASON = 8


ENGAGEMENT_HEADERS = {
    EngagementColumn.NAME: "Engagement",
    EngagementColumn.ACCOUNT: "Account",
    EngagementColumn.OWNER: "Owner",
    EngagementColumn.STAGE: "Stage",
    EngagementColumn.DAYS: "Days in stage",
    EngagementColumn.EXPECTED: "Expected",
    EngagementColumn.OVER: "Days over",
    EngagementColumn.VALUE: "Value",
    EngagementColumn.REASON: "Why",
}

REASONS = {"stalled": "Stalled in stage", "no activity": "No activity within cadence"}


class EngagementModel(QAbstractTableModel):
    """Engagements behind a figure, with days in stage and days over the expected days."""

    def __init__(self, currency: str = "EUR") -> None:
        super().__init__()
        self.currency = currency
        self._rows: list[EngagementLine] = []

    def set_lines(self, lines: Sequence[EngagementLine]) -> None:
        self.beginResetModel()
        self._rows = list(lines)
        self.endResetModel()

    def line(self, row: int) -> EngagementLine:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(EngagementColumn)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        line = self._rows[index.row()]
        col = EngagementColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (
            EngagementColumn.DAYS,
            EngagementColumn.EXPECTED,
            EngagementColumn.OVER,
            EngagementColumn.VALUE,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and col is EngagementColumn.OVER
            and line.days_over
        ):
            return QColor(PALETTE.behind)
        if role == Qt.ItemDataRole.ToolTipRole and col is EngagementColumn.NAME:
            return tip(f"{line.name} — double-click to open")
        return None

    def _text(self, line: EngagementLine, col: EngagementColumn) -> str:
        from ...domain.models import format_money

        if col is EngagementColumn.NAME:
            return line.name
        if col is EngagementColumn.ACCOUNT:
            return line.account
        if col is EngagementColumn.OWNER:
            return line.owner
        if col is EngagementColumn.STAGE:
            return line.stage
        if col is EngagementColumn.DAYS:
            return "–" if line.days_in_stage is None else str(line.days_in_stage)
        if col is EngagementColumn.EXPECTED:
            return "–" if line.expected_days is None else str(line.expected_days)
        if col is EngagementColumn.OVER:
            return str(line.days_over) if line.days_over else ""
        if col is EngagementColumn.VALUE:
            return format_money(line.value_minor, self.currency)
        if line.reason:
            return REASONS.get(line.reason, line.reason)
        if line.outcome:
            return (
                f"{line.outcome.capitalize()} {day_text(line.closed_on)}" if line.closed_on else ""
            )
        return ""

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(EngagementColumn)
        ):
            return ENGAGEMENT_HEADERS[EngagementColumn(section)]
        return None
