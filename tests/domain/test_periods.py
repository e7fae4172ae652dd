"""Calendar periods: ISO weeks (configurable start), months, quarters, custom ranges."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nextlevel_desktop.domain.errors import ValidationError
from nextlevel_desktop.domain.periods import (
    Granularity,
    buckets,
    custom,
    month_of,
    parse_period,
    period_of,
    quarter_of,
    scale_factor,
    scaling_note,
    week_of,
)


def test_iso_week_starts_monday_by_default() -> None:
    w = week_of(date(2026, 9, 10))  # a Thursday
    assert (w.start, w.end) == (date(2026, 9, 7), date(2026, 9, 13))
    assert w.code == "2026-W37" and w.days == 7
    assert w.label == "Week 37, 2026 (7–13 Sep)"


def test_week_start_is_configurable() -> None:
    w = week_of(date(2026, 9, 10), week_start=6)  # Sunday
    assert (w.start, w.end) == (date(2026, 9, 6), date(2026, 9, 12))
    assert w.code == "2026-W37"


def test_month_and_quarter() -> None:
    assert (month_of(date(2026, 2, 14)).start, month_of(date(2026, 2, 14)).end) == (
        date(2026, 2, 1),
        date(2026, 2, 28),
    )
    q = quarter_of(date(2026, 11, 27))
    assert (q.start, q.end, q.code, q.label) == (
        date(2026, 10, 1),
        date(2026, 12, 31),
        "2026-Q4",
        "Q4 2026",
    )


def test_stepping_crosses_years() -> None:
    assert month_of(date(2026, 12, 5)).next() == month_of(date(2027, 1, 1))
    assert quarter_of(date(2026, 1, 5)).previous() == quarter_of(date(2025, 12, 31))
    assert week_of(date(2027, 1, 1)).previous() == week_of(date(2026, 12, 25))
    c = custom(date(2026, 9, 1), date(2026, 9, 10))
    assert (c.previous().start, c.previous().end) == (date(2026, 8, 22), date(2026, 8, 31))


def test_parse_period() -> None:
    assert parse_period("2026-Q3") == quarter_of(date(2026, 7, 1))
    assert parse_period("2026-09") == month_of(date(2026, 9, 1))
    assert parse_period("2026-W37") == week_of(date(2026, 9, 7))
    assert parse_period("2026-w01").start == date(2025, 12, 29)  # ISO week 1 starts in 2025
    assert parse_period("2020-W53").code == "2020-W53"
    for bad in ("2026-Q5", "2026-13", "2026-W54", "2025-W53", "Q3", "", "2026/09"):
        with pytest.raises(ValidationError):
            parse_period(bad)


def test_custom_period_validation() -> None:
    with pytest.raises(ValidationError):
        custom(date(2026, 9, 2), date(2026, 9, 1))
    one = custom(date(2026, 9, 1), date(2026, 9, 1))
    assert one.days == 1 and one.contains(date(2026, 9, 1))


def test_scale_factor() -> None:
    assert scale_factor("week", week_of(date(2026, 9, 7))) == 1
    assert scale_factor("week", month_of(date(2026, 9, 1))) == pytest.approx(30 / 7)
    assert scale_factor("quarter", quarter_of(date(2026, 9, 1))) == 1


def test_whole_periods_convert_exactly() -> None:
    """DESIGN §4: a quarter of three whole months is three monthly targets, exactly (16 a
    month was 48.36 a quarter, and 16 done each month showed 99.3 %)."""
    q3 = quarter_of(date(2026, 7, 1))
    assert scale_factor("month", q3) == 3
    assert scaling_note("month", q3) == "× 3 months"
    assert scale_factor("month", month_of(date(2026, 2, 1))) == 1
    year = custom(date(2026, 1, 1), date(2026, 12, 31))
    assert scale_factor("quarter", year) == 4 and scale_factor("month", year) == 12
    assert scaling_note("month", month_of(date(2026, 9, 1))) == ""


def test_partial_periods_add_their_days_share() -> None:
    half = custom(date(2026, 9, 16), date(2026, 10, 15))  # 15 of 30 days, 15 of 31 days
    assert scale_factor("month", half) == pytest.approx(15 / 30 + 15 / 31)
    assert scaling_note("month", half) == (
        "× 0.98 months (15/30 days of September 2026, 15/31 days of October 2026)"
    )
    sept = month_of(date(2026, 9, 1))
    assert scale_factor("quarter", sept) == pytest.approx(30 / 92)
    assert scaling_note("week", sept) == "× 4.29 weeks (30 days ÷ 7)"
    assert (
        scaling_note("week", custom(date(2026, 9, 7), date(2026, 9, 13))) == "× 1 week (7 days ÷ 7)"
    )


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.integers(1, 400))
def test_conversion_adds_up(start: date, days: int) -> None:
    """Converting a period is the sum of converting its parts, for every target kind."""
    period = custom(start, start + timedelta(days=days - 1))
    for kind in ("week", "month", "quarter"):
        parts = buckets(period, "month")
        assert scale_factor(kind, period) == pytest.approx(
            sum(scale_factor(kind, custom(p.start, p.end)) for p in parts)
        )


def test_utc_bounds_are_half_open() -> None:
    start, end = month_of(date(2026, 9, 1)).utc_bounds()
    assert end - start in (
        timedelta(days=30),
        timedelta(days=30, hours=1),
        timedelta(days=29, hours=23),
    )


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@given(days, st.sampled_from(["week", "month", "quarter"]), st.integers(0, 6))
def test_period_contains_its_day_and_steps_back(day: date, kind: str, week_start: int) -> None:
    p = period_of(kind, day, week_start)
    assert p.contains(day)
    assert p.next().previous() == p
    assert p.next().start == p.end + timedelta(days=1)
    if kind != "week" or week_start == 0:
        assert parse_period(p.code, week_start) == p


@given(days, st.integers(0, 400), st.sampled_from(["week", "month"]))
def test_buckets_cover_the_range_exactly(start: date, length: int, kind: str) -> None:
    period = custom(start, start + timedelta(days=length))
    parts = buckets(period, Granularity(kind))
    assert parts[0].start == period.start and parts[-1].end == period.end
    assert sum(p.days for p in parts) == period.days
    for a, b in zip(parts, parts[1:], strict=False):
        assert b.start == a.end + timedelta(days=1)
