"""Stage health and XmR charts, against examples worked by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from nextlevel_desktop.domain import behaviour as bh
from nextlevel_desktop.domain import health as hl
from nextlevel_desktop.domain.errors import ValidationError


def test_wilson_interval_known_values() -> None:
    # 90 %: z = 1.644854, z² = 2.705543. 5 of 10: p = .5,
    # centre = .5 + z²/20 = .635277, half = z·√(.025 + z²/400) = .293152, ÷ (1 + z²/10) = 1.270554
    low, high = hl.wilson_interval(5, 10)  # type: ignore[misc]
    assert low == pytest.approx(0.26927, abs=1e-5) and high == pytest.approx(0.73073, abs=1e-5)
    # 0 of 10: upper = (z²/10) ÷ (1 + z²/10) = .270554 / 1.270554
    assert hl.wilson_interval(0, 10) == pytest.approx((0.0, 0.212942), abs=1e-6)
    # 17 of 54 (the example: 31 %)
    assert hl.wilson_interval(17, 54) == pytest.approx((0.221818, 0.425483), abs=1e-6)
    assert hl.wilson_interval(0, 0) is None


def test_percentile_is_nearest_rank() -> None:
    # 10 stays: 2,2,3,4,5,6,8,9,12,30 → 80 % rank = 8 → 9 days
    hist = {2: 2, 3: 1, 4: 1, 5: 1, 6: 1, 8: 1, 9: 1, 12: 1, 30: 1}
    assert hl.histogram_percentile(hist, 0.8) == 9
    assert hl.histogram_percentile({7: 1}, 0.8) == 7
    assert hl.histogram_percentile({}, 0.8) is None


def _rows() -> list[hl.StageHealth]:
    stages = [(1, "Prospect", 50, 10), (2, "Qualified", 60, 14), (3, "Proposal", 40, 21)]
    entries = {1: (20, 9), 2: (54, 17), 3: (30, 13)}
    stays = {1: {4: 5, 6: 5}, 2: {10: 3, 20: 4, 40: 3}, 3: {21: 2}}
    return hl.stage_health(stages, ["Qualified", "Proposal", "Won"], entries, stays, {2: 4})


def test_stage_health_flags_only_when_interval_excludes_design() -> None:
    prospect, qualified, proposal = _rows()
    # 9 of 20 = 45 %: the 90 % interval (27.7 %–63.7 %) holds the designed 50 %: not flagged.
    assert prospect.conversion == 0.45 and not prospect.flagged
    # 17 of 54 = 31 %: 22.2 %–42.5 % excludes 60 %: flagged, a leak of 54 × .6 − 17 = 15.4.
    assert qualified.flagged and qualified.leaking
    assert qualified.shortfall == pytest.approx(15.4)
    assert qualified.median_days == 20 and qualified.p80_days == 40 and qualified.stalled_now == 4
    assert not proposal.flagged  # 13 of 30 = 43 % against 40 %
    assert hl.biggest_leak(_rows()) == qualified
    assert hl.leak_sentence(qualified) == (
        "Qualified → Proposal converts 31 % (17 of 54) against a designed 60 %: the biggest leak."
    )
    # Qualified's median 20 days against 14 (× 1.43); Prospect 5 against 10; Proposal 21 = 21.
    assert hl.slowest_stage(_rows()) == qualified
    assert hl.slow_sentence(None) == "Every stage's median stay is within its expected days."


def test_measured_design_needs_enough_observations() -> None:
    updates = {u.stage: u for u in hl.measured_design(_rows())}
    # Prospect: 10 stays, 80th percentile 6 days (designed 10); 20 entries at 45 % (designed 50).
    assert updates["Prospect"].expected_days == (10, 6)
    assert updates["Prospect"].target_conversion == (50, 45)
    assert updates["Qualified"].expected_days == (14, 40)
    assert updates["Qualified"].target_conversion == (60, 31)
    # Proposal: only 2 completed stays, so its days stay; 30 entries at 43 % → 43.
    assert updates["Proposal"].expected_days is None
    assert updates["Proposal"].target_conversion == (40, 43)


def test_health_report_keys() -> None:
    report = hl.health_report(_rows())
    assert list(report[1]) == [
        "stage",
        "entered",
        "advanced",
        "conversion",
        "conversion_low",
        "conversion_high",
        "target_conversion",
        "median_days",
        "p80_days",
        "expected_days",
        "stalled_now",
    ]
    assert report[1]["conversion"] == 0.3148 and report[1]["conversion_low"] == 0.2218


def _points(values: list[float]) -> list[bh.Point]:
    start = date(2026, 1, 5)
    return [bh.Point(start + timedelta(weeks=i), v) for i, v in enumerate(values)]


def test_xmr_worked_by_hand() -> None:
    # Baseline (6 points): 10 12 9 11 13 10, mean 65/6 = 10.8333.
    # Moving ranges 2 3 2 2 3 → average 12/5 = 2.4.
    # Limits 10.8333 ± 2.66 × 2.4 = 10.8333 ± 6.384 → 4.4493 .. 17.2173; URL 3.268 × 2.4 = 7.8432.
    # Halfway lines (rule 2): (10.8333 + 17.2173)/2 = 14.0253 and 7.6413.
    values = [10, 12, 9, 11, 13, 10, 18, 10, 15, 16, 11, 15, 11, 12, 11, 12]
    chart = bh.xmr(_points(values), baseline=6)
    assert chart.centre == pytest.approx(65 / 6)
    assert chart.moving_ranges == [2, 3, 2, 2, 3, 8, 8, 5, 1, 5, 4, 4, 1, 1, 1]
    assert chart.average_moving_range == pytest.approx(2.4)
    assert chart.upper_limit == pytest.approx(17.21733, abs=1e-5)
    assert chart.lower_limit == pytest.approx(4.44933, abs=1e-5)
    assert chart.upper_range_limit == pytest.approx(7.8432)
    # 18 (index 6) is above 17.2173: rule 1. Of 18 10 15 16 (indices 6–9) three are beyond
    # 14.0253, and of 15 16 11 15 (8–11) too: rule 2 on 6, 8, 9, 11. Indices 8–15 are eight in
    # a row above 10.8333: rule 3 (index 7, 10, is below and breaks the run that 18 began).
    assert [(s.rule, s.index) for s in chart.signals] == [
        (1, 6),
        (2, 6),
        (2, 8),
        (3, 8),
        (2, 9),
        (3, 9),
        (3, 10),
        (2, 11),
        (3, 11),
        (3, 12),
        (3, 13),
        (3, 14),
        (3, 15),
    ]
    runs = bh.signal_runs(chart)
    assert [(r.rule, r.count) for r in runs] == [(1, 1), (2, 4), (3, 8)]
    data = bh.chart_json(chart)
    assert data["upper_limit"] == 17.2173 and data["signals"][0] == {  # type: ignore[index]
        "rule": 1,
        "start": "2026-02-16",
        "value": 18.0,
    }


def test_xmr_lower_limit_may_be_negative_and_defaults() -> None:
    chart = bh.xmr(_points([0, 4, 0, 4, 0, 4, 0]))  # default baseline: all 7 (< 12)
    assert chart.baseline == 7 and chart.centre == pytest.approx(12 / 7)
    assert chart.average_moving_range == 4 and chart.lower_limit == pytest.approx(12 / 7 - 10.64)
    too_few = bh.xmr(_points([1, 2, 3]))
    assert too_few.centre is None and too_few.upper_limit is None and too_few.signals == ()
    with pytest.raises(ValidationError):
        bh.xmr(_points([1, 2, 3, 4, 5, 6, 7]), baseline=5)
    with pytest.raises(ValidationError):
        bh.xmr(_points([1, 2, 3, 4, 5, 6, 7]), baseline=8)


def test_limits_stay_fixed_after_the_baseline() -> None:
    base = [5, 6, 5, 6, 5, 6]
    a = bh.xmr(_points([*base, 6, 6]), baseline=6)
    b = bh.xmr(_points([*base, 60, 600]), baseline=6)
    assert a.upper_limit == b.upper_limit and a.centre == b.centre


def test_bucket_values_zero_for_counts_skip_for_means() -> None:
    starts = [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    counts = bh.bucket_values(bh.Measure.WON_COUNT, starts, [3, 0, 2], [3, 0, 2])
    assert [p.value for p in counts] == [3, 0, 2]
    cycle = bh.bucket_values(bh.Measure.CYCLE_DAYS, starts, [90, 0, 50], [3, 0, 2])
    assert cycle == [bh.Point(starts[0], 30), bh.Point(starts[2], 25)]
    # The moving range joins the points on either side of the empty month.
    assert bh.xmr(cycle).moving_ranges == [5]
