"""Stage health and behaviour charts on the demo workspace, checked against plain SQL."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text

from nextlevel_desktop.domain import behaviour as bh
from nextlevel_desktop.domain.models import ProcessKind
from nextlevel_desktop.domain.periods import Granularity, Period, month_of, period_of
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.health import window_buckets

TODAY = date(2026, 11, 27)  # the demo's


def _scope(s: Services, kind: ProcessKind, period: Period, person_id: int | None = None):  # type: ignore[no-untyped-def]
    proc = s.processes.processes_of_kind(kind)[0]
    return s.scorecards.scope(proc.id, person_id, period, TODAY)


def test_stage_health_agrees_with_the_scorecard(demo_services: Services) -> None:
    s = demo_services
    period = Period(date(2026, 6, 1), date(2026, 11, 27))
    for kind in ProcessKind:
        scope = _scope(s, kind, period)
        rows = s.health.stage_health(scope)
        card = s.scorecards.scorecard(scope)
        assert [r.stage for r in rows] == [f.name for f in card.measures.stages]
        for r, f in zip(rows, card.measures.stages, strict=True):
            assert (r.entered, r.advanced) == (f.entered, f.left_forward)
            assert r.median_days == f.time_median
            assert r.stalled_now == f.stalled_count  # the period runs to today
        assert any(r.entered for r in rows)
        stalled = s.scorecards.open_engagements(scope, only="stalled")
        assert sum(r.stalled_now for r in rows) == len(stalled)


def test_update_design_is_one_revision_that_reverts(demo_services: Services) -> None:
    s = demo_services
    scope = _scope(s, ProcessKind.HUNTING, Period(date(2026, 6, 1), TODAY))
    first, second = scope.process.open_stages[:2]
    rev = s.health.update_design(scope.process.id, [(first.id, 9, 33), (second.id, None, 12)])
    after = {st.id: st for st in s.processes.process(scope.process.id).stages}
    assert (after[first.id].expected_days, after[first.id].target_conversion) == (9, 33)
    assert after[second.id].expected_days == second.expected_days
    assert after[second.id].target_conversion == 12
    s.revisions.revert(rev)
    back = {st.id: st for st in s.processes.process(scope.process.id).stages}
    assert back[first.id] == first and back[second.id] == second


def test_weekly_activity_chart_counts_like_sql(demo_services: Services) -> None:
    s = demo_services
    person = s.people.people()[1]
    window = Period(date(2026, 5, 6), date(2026, 11, 20))
    scope = _scope(s, ProcessKind.HUNTING, window, person.id)
    chart = s.health.behaviour(scope, bh.Measure.ACTIVITY_COUNT, Granularity.WEEK)
    weeks = window_buckets(window.start, window.end, Granularity.WEEK, 0)
    assert weeks[0].start == date(2026, 5, 4) and weeks[-1].end == date(2026, 11, 22)
    with s.db.read() as session:
        expected = [
            session.scalar(
                text(
                    "SELECT count(*) FROM activity WHERE process_id = :p AND person_id = :who "
                    "AND status = 'done' AND occurred_on BETWEEN :a AND :b"
                ),
                {"p": scope.process.id, "who": person.id, "a": w.start, "b": w.end},
            )
            for w in weeks
        ]
    assert [p.value for p in chart.points] == expected
    assert [p.start for p in chart.points] == [w.start for w in weeks]
    assert chart.baseline == 12 and chart.centre == sum(expected[:12]) / 12


def test_won_measures_and_cycle_days_skip_empty_months(demo_services: Services) -> None:
    s = demo_services
    window = Period(date(2025, 12, 1), date(2026, 10, 31))
    scope = _scope(s, ProcessKind.HUNTING, window)
    months = window_buckets(window.start, window.end, Granularity.MONTH, 0)
    won, value, cycle = (
        s.health.behaviour(scope, m, Granularity.MONTH)
        for m in (bh.Measure.WON_COUNT, bh.Measure.WON_VALUE, bh.Measure.CYCLE_DAYS)
    )
    assert len(won.points) == len(value.points) == len(months) == 11
    with s.db.read() as session:
        rows = session.execute(
            text(
                "SELECT closed_on, value_minor, julianday(closed_on) - julianday(opened_on) "
                "FROM engagement WHERE process_id = :p AND outcome = 'won' "
                "AND closed_on BETWEEN :a AND :b"
            ),
            {"p": scope.process.id, "a": window.start, "b": window.end},
        ).all()
    for i, m in enumerate(months):
        inside = [r for r in rows if m.start <= date.fromisoformat(str(r[0])) <= m.end]
        assert won.points[i].value == len(inside)
        assert value.points[i].value == sum(r[1] for r in inside)
    with_wins = [m for m in months if won.points[months.index(m)].value]
    assert [p.start for p in cycle.points] == [m.start for m in with_wins]
    assert len(cycle.points) < len(months)  # the demo has months without wins: no point


def test_signals_since_only_after_the_day(demo_services: Services) -> None:
    s = demo_services
    scope = _scope(s, ProcessKind.HUNTING, month_of(TODAY))
    since = TODAY - timedelta(days=60)
    found = s.health.signals_since(scope, since)
    for item in found:
        for run in item.runs:
            assert period_of(item.bucket, run.last.start).end >= since
            assert item.chart.average_moving_range
    everything = s.health.signals_since(scope, date(2000, 1, 1))
    assert sum(len(x.runs) for x in everything) >= sum(len(x.runs) for x in found)
