"""Every measure against the hand-computed workspace of ``conftest.build``."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from nextlevel_desktop.domain.measures import FarmingMeasures, HuntingMeasures, Status
from nextlevel_desktop.domain.periods import custom, month_of, parse_period, quarter_of
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.scorecards import Scope
from nextlevel_desktop.storage.orm import ActivityRow, EngagementRow

TODAY = date(2026, 11, 27)  # as in conftest
Hand = Any  # conftest.Hand: ids of the hand-made records

SEPT = month_of(date(2026, 9, 1))
Q3 = quarter_of(date(2026, 7, 1))


def hunting(services: Services, hand: Hand, period=SEPT, person=None) -> HuntingMeasures:  # type: ignore[no-untyped-def]
    scope = services.scorecards.scope(hand.hunting, person, period, TODAY)
    m = services.scorecards.measures(scope)
    assert isinstance(m, HuntingMeasures)
    return m


def farming(services: Services, hand: Hand, period=Q3, person=None) -> FarmingMeasures:  # type: ignore[no-untyped-def]
    scope = services.scorecards.scope(hand.farming, person, period, TODAY)
    m = services.scorecards.measures(scope)
    assert isinstance(m, FarmingMeasures)
    return m


def test_hunting_team_september(services: Services, hand: Hand) -> None:
    m = hunting(services, hand)
    assert m.activity_count == 6  # the planned call and the August call do not count
    assert m.activities_by_type == {"Call": 3, "Email": 1, "Meeting": 2}
    assert m.new_engagements == 2  # E2, E3 (E4 has no date, E1 and E5 opened earlier)
    assert (m.won_count, m.lost_count, m.won_value) == (1, 1, 1_000_000)
    assert m.win_rate == 0.5
    assert m.average_won_value == 1_000_000
    assert m.cycle_days_mean == m.cycle_days_median == 35  # 20 Aug → 24 Sep
    # Open on 30 Sep: E3 (Prospect), E4 (Qualified, no dates), E5 (Suspect).
    assert m.open_count == 3
    assert m.open_value == 3_100_000
    assert m.weighted_pipeline == pytest.approx(2_000_000 * 0.10 + 800_000 * 0.25 + 300_000 * 0.05)
    assert m.stalled_count == 1  # E5: 91 days in Suspect (expected 14)
    assert m.stage_conversion == {
        "Suspect": 0.5,  # E2 lost, E3 moved on
        "Prospect": 0.5,  # E1 moved on, E3 still there
        "Qualified": 1.0,  # E1 won
        "Proposal": None,
        "Negotiation": None,
    }
    assert m.time_in_stage_days_median == {
        "Suspect": 10,  # stays of 14 (E1), 10 (E2) and 2 (E3) days
        "Prospect": 7,
        "Qualified": 14,
        "Proposal": None,
        "Negotiation": None,
    }
    assert m.funnel_yield is None  # stages without entries: unknown, not 0
    assert m.sales_velocity == pytest.approx(3 * 0.5 * 1_000_000 / 35)


def test_hunting_one_person(services: Services, hand: Hand) -> None:
    m = hunting(services, hand, person=hand.ann)
    assert m.activity_count == 4
    assert m.activities_by_type == {"Call": 3, "Email": 1}
    assert m.new_engagements == 1
    assert (m.won_count, m.lost_count) == (1, 1)
    assert (m.open_count, m.open_value, m.stalled_count) == (1, 800_000, 0)  # only E4
    assert m.stage_conversion["Suspect"] == 0.0  # E2 entered and was lost


def test_person_with_no_data(services: Services, hand: Hand) -> None:
    m = hunting(services, hand, person=hand.cara)
    assert (m.activity_count, m.activities_by_type, m.new_engagements) == (0, {}, 0)
    assert m.win_rate is None and m.average_won_value is None and m.sales_velocity is None
    assert m.cycle_days_mean is None and m.cycle_days_median is None
    assert set(m.stage_conversion.values()) == {None}
    assert set(m.time_in_stage_days_median.values()) == {None}
    f = farming(services, hand, person=hand.cara)
    assert f.review_coverage is None and f.renewal_rate is None
    assert f.handover_lag_days_mean is None and f.accounts_managed == 0


def test_empty_period(services: Services, hand: Hand) -> None:
    m = hunting(services, hand, period=parse_period("2025-01"))
    assert m.activity_count == 0 and m.new_engagements == 0 and m.win_rate is None
    # E4 has no dates and no history: it counts as open whenever we look.
    assert (m.open_count, m.open_value) == (1, 800_000)


def test_one_day_period(services: Services, hand: Hand) -> None:
    m = hunting(services, hand, period=custom(date(2026, 9, 15), date(2026, 9, 15)))
    assert m.activities_by_type == {"Call": 1}
    assert (m.won_count, m.lost_count, m.win_rate) == (0, 1, 0.0)
    assert m.time_in_stage_days_median["Suspect"] == 10  # E2 left Suspect that day
    assert m.stage_conversion["Suspect"] is None


def test_open_counts_are_as_of_the_period_end(services: Services, hand: Hand) -> None:
    # At the end of August E1 was open in Prospect? No: in Suspect (moved 3 Sep).
    m = hunting(services, hand, period=month_of(date(2026, 8, 1)))
    assert m.open_count == 3  # E1 (Suspect), E4, E5 (E2, E3 not opened yet)
    stages = {f.name: f.open_count for f in m.stages}
    assert stages["Suspect"] == 2 and stages["Qualified"] == 1
    # The current period judges "open" today.
    now = hunting(services, hand, period=month_of(TODAY))
    assert now.open_count == 3 and now.stalled_count == 2  # E3 now 76 days in Prospect


def test_farming_quarter(services: Services, hand: Hand) -> None:
    f = farming(services, hand)
    assert f.accounts_managed == 3  # F1, F2, F5
    assert f.reviewed_accounts == 1 and f.review_coverage == pytest.approx(1 / 3)
    assert (f.renewed_count, f.churned_count, f.renewal_rate) == (1, 1, 0.5)
    # F1 stalled (102 days in Account plan, expected 30); F5 has had no activity.
    assert f.at_risk_count == 2 and f.stalled_count == 1
    assert f.handover_lag_days_mean == 4  # H won 10 Jul, first farming check-in 14 Jul
    assert f.activities_by_type == {"Account review": 1, "Check-in": 1}


def test_targets_attainment_and_status(services: Services, hand: Hand) -> None:
    card = services.scorecards.scorecard(services.scorecards.scope(hand.hunting, None, SEPT, TODAY))
    by = {(t.measure, t.activity_type): t for t in card.targets}
    win = by[("win_rate", "")]
    assert win.target == 60  # the target valid from September replaces the older one
    assert win.actual == 50 and win.attainment == pytest.approx(50 / 60)
    assert win.status is Status.AT_RISK  # 83 % ≥ 80 %
    calls = by[("activity_count", "Call")]
    # No team target: the team's is the sum of its people's, 3 a week, scaled to 30 days.
    assert calls.target == pytest.approx(3 * 30 / 7)
    assert calls.actual == 3 and calls.status is Status.BEHIND
    value = by[("won_value", "")]
    assert value.target == 2_000_000 and value.status is Status.BEHIND  # 50 %
    cycle = by[("cycle_days", "")]
    assert cycle.attainment == pytest.approx(28 / 35)  # lower is better: target ÷ actual
    assert cycle.status is Status.AT_RISK
    assert ("new_engagements", "") not in by  # no target, no status


def test_person_targets_and_team_rates(services: Services, hand: Hand) -> None:
    scope = services.scorecards.scope(hand.hunting, hand.ann, SEPT, TODAY)
    by = {t.measure: t for t in services.scorecards.scorecard(scope).targets}
    assert by["activity_count"].target == pytest.approx(30 / 7)  # her own: 1 a week
    assert by["win_rate"].target == 60  # the team's rate applies to her
    assert "won_value" not in by  # a team money target is not hers


def test_thresholds_come_from_settings(services: Services, hand: Hand) -> None:
    from dataclasses import replace

    services.workspace.save_settings(
        replace(services.workspace.settings(), on_track_pct=80, at_risk_pct=50)
    )
    card = services.scorecards.scorecard(services.scorecards.scope(hand.hunting, None, SEPT, TODAY))
    win = next(t for t in card.targets if t.measure == "win_rate")
    assert win.status is Status.ON_TRACK


def test_drill_down_lists(services: Services, hand: Hand) -> None:
    svc = services.scorecards
    scope = svc.scope(hand.hunting, None, SEPT, TODAY)
    stalled = svc.open_engagements(scope, only="stalled")
    assert [e.name for e in stalled] == ["E5"] and stalled[0].days_over == 91 - 14
    assert {e.name for e in svc.entered_stage(scope, hand.stages["Suspect"])} == {"E2", "E3"}
    assert [e.name for e in svc.closed_engagements(scope, SEPT, "won")] == ["E1"]
    farm = svc.scope(hand.farming, None, Q3, TODAY)
    risky = {e.name: e.reason for e in svc.open_engagements(farm, only="at_risk")}
    assert risky == {"F1": "stalled", "F5": "no activity"}


def test_activity_series_and_trend(services: Services, hand: Hand) -> None:
    from nextlevel_desktop.domain.periods import Granularity

    svc = services.scorecards
    scope = svc.scope(hand.hunting, None, SEPT, TODAY)
    series = svc.activity_series(scope, SEPT, Granularity.WEEK)
    assert sum(sum(b.counts.values()) for b in series.buckets) == 6  # totals = sum of parts
    assert series.buckets[0].period.start == date(2026, 9, 1)
    assert series.targeted_types == {hand.types["Call"]}
    trend = svc.outcome_trend(scope, months=3)
    assert [(p.won, p.lost) for p in trend] == [(1, 0), (0, 0), (1, 1)]
    assert [p.rate for p in trend] == [1.0, None, 0.5]
    assert trend[-1].target == 0.6


def test_unknown_scope(services: Services, hand: Hand) -> None:
    from nextlevel_desktop.domain.errors import NotFoundError

    with pytest.raises(NotFoundError):
        services.scorecards.scope(9999, None, SEPT)
    with pytest.raises(NotFoundError):
        services.scorecards.scope(hand.hunting, 9999, SEPT)


def test_scope_as_of() -> None:
    from nextlevel_desktop.domain.models import Process, ProcessKind

    scope = Scope(Process(1, ProcessKind.HUNTING, "x"), None, SEPT, date(2026, 9, 10))
    assert scope.as_of == date(2026, 9, 10) and scope.current


def test_farming_stage_figures(services: Services, hand: Hand) -> None:
    f = farming(services, hand)
    by = {s.name: s for s in f.stages}
    assert (by["Account plan"].open_count, by["Account plan"].at_risk_count) == (2, 1)  # F1, F2
    assert by["Account plan"].stalled_count == 1
    assert (by["Regular review"].at_risk_count, by["Regular review"].stalled_count) == (1, 0)
    assert sum(s.at_risk_count for s in f.stages) == f.at_risk_count


@pytest.mark.parametrize(("days_ago", "at_risk"), [(90, False), (91, True)])
def test_at_risk_means_longer_than_the_cadence(
    services: Services, hand: Hand, days_ago: int, at_risk: bool
) -> None:
    """DESIGN §4: no done activity for *longer* than the cadence (90 days) is at risk; an
    activity exactly the cadence ago is not."""

    def noon(day: date) -> datetime:
        return datetime.combine(day, time(12)).astimezone(UTC)

    end = date(2026, 9, 30)
    f5 = hand.engagements["F5"]
    with services.db.transaction() as s:
        account = s.get(EngagementRow, f5).account_id
        day = end - timedelta(days=days_ago)
        s.add(
            ActivityRow(
                type_id=hand.types["Check-in"],
                process_id=hand.farming,
                occurred_at=noon(day),
                occurred_on=day,
                person_id=hand.ann,
                account_id=account,
                status="done",
            )
        )
    scope = services.scorecards.scope(hand.farming, None, custom(date(2026, 7, 1), end), TODAY)
    risky = {e.name for e in services.scorecards.open_engagements(scope, only="at_risk")}
    assert ("F5" in risky) is at_risk
    assert services.scorecards.measures(scope).at_risk_count == 1 + at_risk  # F1 is stalled


def test_activity_series_starts_with_the_data(services: Services, hand: Hand) -> None:
    """A quarter view with a year of context padded empty months before the first activity;
    the scope's own period is always shown, data or not."""
    from nextlevel_desktop.domain.periods import Granularity

    svc = services.scorecards
    year = custom(date(2026, 1, 1), date(2026, 12, 31))
    q4 = svc.scope(hand.hunting, None, quarter_of(date(2026, 10, 1)), TODAY)
    series = svc.activity_series(q4, year, Granularity.MONTH)
    # The first done hunting activity is on 31 August.
    assert [b.period.start.month for b in series.buckets] == [8, 9, 10, 11, 12]
    assert sum(sum(b.counts.values()) for b in series.buckets) == 7
    q1 = svc.scope(hand.hunting, None, quarter_of(date(2026, 1, 1)), TODAY)
    early = svc.activity_series(q1, custom(date(2026, 1, 1), date(2026, 3, 31)), Granularity.MONTH)
    assert [b.period.start.month for b in early.buckets] == [1, 2, 3]
