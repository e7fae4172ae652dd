"""Reporting periods (DESIGN.md §4): calendar weeks, months, quarters and custom ranges.

Periods are local calendar days, both ends inclusive. Weeks start on the workspace's week start
(Monday, as ISO, unless set otherwise). Stepping a custom range moves it by its own length.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from .errors import ValidationError

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Granularity(enum.StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    CUSTOM = "custom"


@dataclass(frozen=True, order=True)
class Period:
    """A range of local calendar days, ``start`` to ``end`` inclusive."""

    start: date
    end: date
    kind: Granularity = Granularity.CUSTOM
    week_start: int = 0

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                {"period": f"The period ends ({self.end}) before it starts ({self.start})."}
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """Aware UTC instants of local midnight at the start and after the end (half-open)."""
        return local_midnight_utc(self.start), local_midnight_utc(self.end + timedelta(days=1))

    def shifted(self, steps: int) -> Period:
        """The period ``steps`` periods later (negative: earlier)."""
        if steps == 0:
            return self
        if self.kind is Granularity.WEEK:
            return week_of(self.start + timedelta(weeks=steps), self.week_start)
        if self.kind is Granularity.MONTH:
            return month_of(_add_months(self.start, steps))
        if self.kind is Granularity.QUARTER:
            return quarter_of(_add_months(self.start, 3 * steps))
        delta = timedelta(days=self.days * steps)
        return Period(self.start + delta, self.end + delta, Granularity.CUSTOM, self.week_start)

    def previous(self) -> Period:
        return self.shifted(-1)

    def next(self) -> Period:
        return self.shifted(1)

    @property
    def code(self) -> str:
        """The period as the command line writes it: 2026-W37, 2026-09, 2026-Q3 or a range."""
        if self.kind is Granularity.WEEK:
            year, week, _ = (self.start + timedelta(days=(-self.week_start) % 7)).isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind is Granularity.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind is Granularity.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """A human label: “Week 37, 2026 (7–13 Sep)”, “September 2026”, “Q3 2026”."""
        if self.kind is Granularity.WEEK:
            year, week = self.code.split("-W")
            return f"Week {int(week)}, {year} ({short_range(self.start, self.end)})"
        if self.kind is Granularity.MONTH:
            return self.start.strftime("%B %Y")
        if self.kind is Granularity.QUARTER:
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"
        return short_range(self.start, self.end, with_year=True)


def short_range(start: date, end: date, with_year: bool = False) -> str:
    """``7–13 Sep`` / ``28 Sep – 4 Oct`` (and the year when asked or when it differs)."""
    sy = f" {start.year}" if with_year or start.year != end.year else ""
    ey = f" {end.year}" if with_year or start.year != end.year else ""
    if start == end:
        return f"{start.day} {MONTHS[start.month - 1]}{ey}"
    if start.month == end.month and start.year == end.year:
        return f"{start.day}–{end.day} {MONTHS[end.month - 1]}{ey}"
    return f"{start.day} {MONTHS[start.month - 1]}{sy} – {end.day} {MONTHS[end.month - 1]}{ey}"


def local_midnight_utc(day: date) -> datetime:
    """Local midnight at the start of ``day`` as an aware UTC datetime."""
    return datetime.combine(day, time()).astimezone(UTC)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def week_of(day: date, week_start: int = 0) -> Period:
    start = day - timedelta(days=(day.weekday() - week_start) % 7)
    return Period(start, start + timedelta(days=6), Granularity.WEEK, week_start)


def month_of(day: date) -> Period:
    start = date(day.year, day.month, 1)
    return Period(start, _add_months(start, 1) - timedelta(days=1), Granularity.MONTH)


def quarter_of(day: date) -> Period:
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return Period(start, _add_months(start, 3) - timedelta(days=1), Granularity.QUARTER)


def period_of(kind: Granularity | str, day: date, week_start: int = 0) -> Period:
    """The week, month or quarter containing ``day``."""
    kind = Granularity(kind)
    if kind is Granularity.WEEK:
        return week_of(day, week_start)
    if kind is Granularity.MONTH:
        return month_of(day)
    if kind is Granularity.QUARTER:
        return quarter_of(day)
    return Period(day, day, Granularity.CUSTOM, week_start)


def custom(start: date, end: date, week_start: int = 0) -> Period:
    return Period(start, end, Granularity.CUSTOM, week_start)


_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)


def parse_period(text: str, week_start: int = 0) -> Period:
    """Parse ``2026-W37`` (ISO week number), ``2026-09`` or ``2026-Q3``.

    With a week start other than Monday, ``W37`` is the week that contains ISO week 37's Thursday
    (the day ISO numbering is anchored on).
    """
    raw = text.strip()
    bad = ValidationError(
        {
            "period": f"“{text}” is not a period. Write a week as 2026-W37, "
            "a month as 2026-09 or a quarter as 2026-Q3."
        }
    )
    if m := _WEEK.match(raw):
        try:
            thursday = date.fromisocalendar(int(m[1]), int(m[2]), 4)
        except ValueError:
            raise bad from None
        return week_of(thursday, week_start)
    if m := _MONTH.match(raw):
        if not 1 <= int(m[2]) <= 12:
            raise bad
        return month_of(date(int(m[1]), int(m[2]), 1))
    if m := _QUARTER.match(raw):
        return quarter_of(date(int(m[1]), 3 * int(m[2]) - 2, 1))
    raise bad


def buckets(period: Period, kind: Granularity | str, week_start: int = 0) -> list[Period]:
    """The weeks, months or quarters that cover ``period``, clipped to it (for chart bars)."""
    kind = Granularity(kind)
    result: list[Period] = []
    day = period.start
    while day <= period.end:
        whole = period_of(kind, day, week_start)
        clipped = Period(
            max(whole.start, period.start), min(whole.end, period.end), kind, week_start
        )
        result.append(clipped)
        day = whole.end + timedelta(days=1)
    return result


def scale_factor(target_kind: str, period: Period) -> float:
    """How many target periods of ``target_kind`` the ``period`` is worth (DESIGN §4).

    Exact across whole periods: a quarter of three whole months is three monthly targets, a
    whole month is one. Each partial month or quarter adds its days' share of that month or
    quarter (15 days of a 30-day month: 0.5); a week is always seven days, so a week target
    scales by days ÷ 7.
    """
    if period.kind.value == target_kind:
        return 1.0
    if target_kind == "week":
        return period.days / 7
    if target_kind not in ("month", "quarter"):
        raise ValueError(f"unknown target period {target_kind!r}")
    total = 0.0
    for part in buckets(period, target_kind):
        whole = period_of(target_kind, part.start)
        total += part.days / whole.days
    return total


def _count(value: float, one: str, many: str) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} {one if text == '1' else many}"


def scaling_note(target_kind: str, period: Period) -> str:
    """How a target per ``target_kind`` was converted to ``period``, in words for a tooltip.

    Empty when no conversion was needed (the period is one whole period of that kind).
    """
    factor = scale_factor(target_kind, period)
    if period.kind.value == target_kind:
        return ""
    if target_kind == "week":
        return f"× {_count(factor, 'week', 'weeks')} ({period.days} days ÷ 7)"
    parts = buckets(period, target_kind)
    whole = [p for p in parts if p == period_of(target_kind, p.start)]
    if len(whole) == len(parts):
        return f"× {_count(factor, target_kind, target_kind + 's')}"
    shares = ", ".join(
        f"{p.days}/{period_of(target_kind, p.start).days} days of "
        f"{period_of(target_kind, p.start).label}"
        for p in parts
    )
    return f"× {_count(factor, target_kind, target_kind + 's')} ({shares})"
