"""The measure formulas of DESIGN.md §4, and their invariants."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nextlevel_desktop.domain import measures as ms
from nextlevel_desktop.domain import reports
from nextlevel_desktop.domain.measures import Status, TargetSpec
from nextlevel_desktop.domain.models import ProcessKind
from nextlevel_desktop.domain.periods import month_of, quarter_of, week_of


def test_rates_with_zero_denominator_are_none() -> None:
    assert ms.win_rate(0, 0) is None
    assert ms.renewal_rate(0, 0) is None
    assert ms.review_coverage(0, 0) is None
    assert ms.average_won_value(0, 0) is None
    assert ms.stage_conversion(0, 0) is None
    assert ms.win_rate(0, 3) == 0.0  # a real zero stays zero
    assert ms.win_rate(3, 1) == 0.75
    assert ms.renewal_rate(9, 1) == 0.9


def test_histogram_median_and_mean() -> None:
    assert ms.histogram_median({}) is None and ms.histogram_mean({}) is None
    assert ms.histogram_median({5: 1}) == 5
    assert ms.histogram_median({2: 1, 10: 1, 14: 1}) == 10
    assert ms.histogram_median({2: 1, 10: 1}) == 6
    assert ms.histogram_median({1: 3, 100: 1}) == 1
    assert ms.histogram_mean({2: 1, 10: 3}) == 8
    assert ms.day_histogram([(3, 1), (3, 2), (-1, 5)]) == {3: 3}


def test_funnel_and_pipeline() -> None:
    assert ms.funnel_yield([0.5, 0.5, 1.0]) == 0.25
    assert ms.funnel_yield([0.5, None]) is None and ms.funnel_yield([]) is None
    assert ms.weighted_pipeline({1: 1000, 2: 500}, {1: 10, 2: None}) == 100
    assert ms.sales_velocity(10, 0.25, 40_000, 50) == 2000
    assert ms.sales_velocity(10, None, 40_000, 50) is None
    assert ms.sales_velocity(10, 0.25, 40_000, 0) is None
    assert ms.pipeline_coverage(300, 500, 200) == 1.0
    assert ms.pipeline_coverage(300, 500, 600) is None  # target already met
    assert ms.pipeline_coverage(300, None, 0) is None
    with pytest.raises(ValueError):
        ms.stage_conversion(1, 2)


def test_stalled_and_retention() -> None:
    assert ms.is_stalled(15, 14) and not ms.is_stalled(14, 14) and not ms.is_stalled(99, None)
    assert ms.days_over(20, 14) == 6 and ms.days_over(3, 14) == 0
    kept = ms.Retention(start_value=1000, churned=60, contracted=40, expanded=300)
    assert kept.value_retention == 0.9 and kept.net_retention == 1.2
    assert ms.Retention().value_retention is None and ms.Retention().net_retention is None


def test_attainment_and_status() -> None:
    assert ms.attainment(8, 10) == 0.8
    assert ms.attainment(None, 10) is None and ms.attainment(5, None) is None
    assert ms.attainment(5, 0) is None
    assert ms.attainment(50, 40, higher_is_better=False) == 0.8  # cycle of 50 d vs 40 d target
    assert ms.status(1.0) is Status.ON_TRACK
    assert ms.status(0.8) is Status.AT_RISK
    assert ms.status(0.79) is Status.BEHIND
    assert ms.status(None) is None  # no target: no status, not a fake one
    assert ms.status(0.9, on_track_pct=90, at_risk_pct=50) is Status.ON_TRACK


def spec(measure: str, person: int | None, period: str, value: float, **kw: object) -> TargetSpec:
    return TargetSpec(
        measure,
        kw.get("type_id"),  # type: ignore[arg-type]
        str(kw.get("type_name", "")),
        person,
        period,
        value,
        kw.get("valid_from", date(2026, 1, 1)),  # type: ignore[arg-type]
    )


def test_resolve_targets() -> None:
    specs = [
        spec("win_rate", None, "quarter", 30),
        spec("win_rate", None, "quarter", 40, valid_from=date(2026, 6, 1)),
        spec("win_rate", None, "quarter", 99, valid_from=date(2027, 1, 1)),  # not valid yet
        spec("activity_count", 1, "week", 10, type_id=7, type_name="Call"),
        spec("activity_count", 2, "week", 20, type_id=7, type_name="Call"),
        spec("activity_count", 3, "week", 50, type_id=7, type_name="Call"),  # inactive person
        spec("won_value", None, "quarter", 9000),
        spec("renewal_rate", None, "quarter", 90),  # a farming measure
    ]
    month = month_of(date(2026, 9, 1))
    team = {
        t.measure: t for t in ms.resolve_targets(specs, ProcessKind.HUNTING, None, month, [1, 2])
    }
    assert team["win_rate"].value == 40
    assert team["activity_count"].value == pytest.approx(30 * 30 / 7)
    # September is 30 of the third quarter's 92 days.
    assert team["won_value"].value == pytest.approx(9000 * 30 / 92)
    assert team["won_value"].scaling == "× 0.33 quarters (30/92 days of Q3 2026)"
    assert team["won_value"].base_value == 9000 and team["won_value"].summed_people == 0
    calls = team["activity_count"]
    assert (calls.base_value, calls.summed_people) == (30, 2)  # 10 + 20 a week
    assert calls.scaling == "× 4.29 weeks (30 days ÷ 7)"
    assert team["win_rate"].scaling == ""  # rates are not converted
    assert "renewal_rate" not in team
    one = {
        t.measure: t
        for t in ms.resolve_targets(
            specs, ProcessKind.HUNTING, 2, week_of(date(2026, 9, 7)), [1, 2]
        )
    }
    assert one["activity_count"].value == 20 and one["win_rate"].value == 40
    assert "won_value" not in one
    q = {
        t.measure: t
        for t in ms.resolve_targets(
            specs, ProcessKind.HUNTING, None, quarter_of(date(2026, 9, 1)), [1, 2]
        )
    }
    assert q["won_value"].value == 9000  # a whole quarter: exact, not scaled


def test_target_result_and_reports() -> None:
    m = ms.HuntingMeasures(
        10, {"Call": 10}, 2, 1, 3, 5000, 30.0, 30.0, 4, 9000, 1500.0, 1, {"A": 0.5}, {"A": 3.0}
    )
    assert ms.target_actual("win_rate", m) == 25
    assert ms.target_actual("activity_count", m, "Call") == 10
    assert ms.target_actual("activity_count", m, "Email") == 0
    assert ms.target_actual("stage_conversion", m) == 50
    assert ms.target_actual("renewal_rate", m) is None
    r = ms.target_result("win_rate", 50, 25, 100, 80)
    assert r.attainment == 0.5 and r.status is Status.BEHIND
    report = reports.hunting_report(m)
    assert report["won_value"] == 50.0 and report["average_won_value"] == 50.0
    assert report["win_rate"] == 0.25
    f = ms.FarmingMeasures(3, {}, 0, 0, 0, 0, 0, 0, 0, None)
    assert reports.farming_report(f)["renewal_rate"] is None
    assert reports.farming_report(f)["review_coverage"] is None


counts = st.integers(0, 10_000)


@given(counts, counts)
def test_rates_are_fractions_or_none(a: int, b: int) -> None:
    for value in (ms.win_rate(a, b), ms.renewal_rate(a, b)):
        assert value is None or 0 <= value <= 1
    low, high = sorted((a, b))
    c = ms.stage_conversion(high, low)
    assert c is None or 0 <= c <= 1
    r = ms.review_coverage(low, high)
    assert r is None or 0 <= r <= 1


@given(st.dictionaries(st.integers(0, 400), st.integers(1, 50), max_size=30))
def test_histogram_median_lies_within_the_values(hist: dict[int, int]) -> None:
    median = ms.histogram_median(hist)
    if not hist:
        assert median is None
        return
    assert median is not None and min(hist) <= median <= max(hist)
    expanded = sorted(v for v, n in hist.items() for _ in range(n))
    import statistics

    assert median == statistics.median(expanded)
    assert ms.histogram_mean(hist) == pytest.approx(statistics.fmean(expanded))


@given(st.lists(st.one_of(st.none(), st.floats(0, 1)), min_size=1, max_size=8))
def test_funnel_yield_is_a_share(conversions: list[float | None]) -> None:
    y = ms.funnel_yield(conversions)
    assert y is None or 0 <= y <= 1


@given(st.floats(0, 1e6), st.floats(0.01, 1e6), st.integers(50, 200), st.integers(1, 49))
def test_status_is_monotonic(actual: float, target: float, on_track: int, at_risk: int) -> None:
    s = ms.status(ms.attainment(actual, target), on_track, at_risk)
    more = ms.status(ms.attainment(actual * 2 + 1, target), on_track, at_risk)
    order = [Status.BEHIND, Status.AT_RISK, Status.ON_TRACK]
    assert s is not None and more is not None and order.index(more) >= order.index(s)
