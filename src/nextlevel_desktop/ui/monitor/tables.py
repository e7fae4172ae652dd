"""Table models of the Monitor: any chart's numbers, and engagement lists (stalled, drill-down)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtGui import QColor

from ...domain.measures import Status
from ...domain.models import format_money
from ...services.scorecards import EngagementLine
from ..kit.rows_model import RowsModel
from ..plain_text import tip
from ..theme import PALETTE
from ..wording import day_text

STATUS_COLOURS = {
    Status.ON_TRACK: PALETTE.on_track,
    Status.AT_RISK: PALETTE.at_risk,
    Status.BEHIND: PALETTE.behind,
}


class ValuesModel(RowsModel[Sequence[Any]]):
    """Rows of plain values under headers given with them (a chart's “show as table”, a
    drill-down's rows): numbers right-aligned, a status in its colour, a missing value as “–”."""

    def __init__(self, headers: Sequence[str] = (), rows: Sequence[Sequence[Any]] = ()) -> None:
        super().__init__()
        self.set_rows(rows, headers)

    def cell(self, row: Sequence[Any], column: int) -> str:
        value = row[column]
        if isinstance(value, Status):
            return value.label
        return "–" if value is None else str(value)

    def foreground(self, row: Sequence[Any], column: int) -> Any:
        value = row[column]
        return QColor(STATUS_COLOURS[value]) if isinstance(value, Status) else None

    def right_aligned(self, row: Sequence[Any], column: int) -> bool:
        value = row[column]
        return isinstance(value, int | float) or (isinstance(value, str) and value[:1].isdigit())


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

NUMBERS = {
    EngagementColumn.DAYS,
    EngagementColumn.EXPECTED,
    EngagementColumn.OVER,
    EngagementColumn.VALUE,
}
REASONS = {"stalled": "Stalled in stage", "no activity": "No activity within cadence"}


class EngagementModel(RowsModel[EngagementLine]):
    """Engagements behind a figure, with days in stage and days over the expected days."""

    HEADERS = tuple(ENGAGEMENT_HEADERS[c] for c in EngagementColumn)

    def __init__(self, currency: str = "EUR") -> None:
        super().__init__()
        self.currency = currency

    def cell(self, row: EngagementLine, column: int) -> str:
        return self._text(row, EngagementColumn(column))

    def right_aligned(self, row: EngagementLine, column: int) -> bool:
        return column in NUMBERS

    def foreground(self, row: EngagementLine, column: int) -> Any:
        over = column == EngagementColumn.OVER and row.days_over
        return QColor(PALETTE.behind) if over else None

    def tooltip(self, row: EngagementLine, column: int) -> str | None:
        return (
            tip(f"{row.name} — double-click to open") if column == EngagementColumn.NAME else None
        )

    def _text(self, line: EngagementLine, col: EngagementColumn) -> str:
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
