"""KPI tiles from scorecards: status only with a target, deltas when comparing."""

from __future__ import annotations

from datetime import date

from nextlevel_desktop.domain.measures import HuntingMeasures, Status, target_result
from nextlevel_desktop.domain.models import Process, ProcessKind
from nextlevel_desktop.domain.periods import month_of
from nextlevel_desktop.services.scorecards import Scope, Scorecard
from nextlevel_desktop.ui.monitor.kpis import tiles_for


def card(
    won_value: int, win: tuple[int, int], targets: bool = True, today: date = date(2026, 9, 20)
) -> Scorecard:
    m = HuntingMeasures(
        5, {"Call": 5}, 1, win[0], win[1], won_value, None, None, 2, 500_000, 100_000.0, 1, {}, {}
    )
    scope = Scope(
        Process(1, ProcessKind.HUNTING, "New business"),
        None,
        month_of(date(2026, 9, 1)),
        today,
    )
    results = (
        (
            target_result(
                "win_rate", 50, m.win_rate * 100 if m.win_rate is not None else None, 100, 80
            ),
            target_result("won_value", 1_000_000, float(won_value), 100, 80),
        )
        if targets
        else ()
    )
    return Scorecard(scope, m, results)


def test_tiles_with_and_without_targets() -> None:
    tiles = {t.title: t for t in tiles_for(card(400_000, (1, 1)), None, "EUR")}
    assert tiles["Win rate"].status is Status.ON_TRACK and tiles["Win rate"].actual == "50 %"
    assert tiles["Won value"].status is Status.BEHIND and tiles["Won value"].target == "EUR 10,000"
    assert tiles["Open pipeline"].status is None  # no target: no status
    assert tiles["Pipeline coverage"].actual == "0.8×"  # 5,000 open ÷ (10,000 − 4,000)
    none = {t.title: t for t in tiles_for(card(0, (0, 0), targets=False), None, "EUR")}
    assert none["Win rate"].actual == "–" and none["Win rate"].status is None
    assert "Pipeline coverage" not in none


def test_compare_shows_deltas() -> None:
    now, before = card(400_000, (3, 1)), card(400_000, (1, 1))
    tiles = {t.title: t for t in tiles_for(now, before, "EUR")}
    # A rate moves in percentage points; the previous value is in the tooltip.
    assert tiles["Win rate"].delta == "▲ 25 pts" and tiles["Win rate"].delta_good
    assert "Previous period: 50 %" in tiles["Win rate"].tooltip
    assert tiles["Won value"].delta == "= previous"
    more = {t.title: t for t in tiles_for(card(2_050_000, (3, 1)), now, "EUR")}
    assert more["Won value"].delta == "▲ EUR 16,500"  # money formatted like the value
    assert more["Won value"].actual == "EUR 20,500"
    # A change too small to show is not an arrow over "0".
    tiny = {t.title: t for t in tiles_for(card(400_040, (1, 1)), before, "EUR")}
    assert tiny["Won value"].delta == "≈ previous" and tiny["Won value"].delta_good is None


def test_every_measure_shows_without_a_target() -> None:
    """A person without money targets still sees won value, deals won and new opportunities."""
    tiles = {t.title: t for t in tiles_for(card(400_000, (1, 1), targets=False), None, "EUR")}
    assert tiles["Won value"].actual == "EUR 4,000" and tiles["Won value"].status is None
    assert tiles["Deals won"].actual == "1"
    assert tiles["New opportunities"].actual == "1"
    titles = [t.title for t in tiles_for(card(400_000, (1, 1)), None, "EUR")]
    assert titles.count("Won value") == 1 and titles.count("Win rate") == 1


def test_coverage_only_for_the_running_period() -> None:
    past = {
        t.title for t in tiles_for(card(400_000, (1, 1), today=date(2026, 11, 27)), None, "EUR")
    }
    assert "Pipeline coverage" not in past  # today's pipeline says nothing of September's target
    tile = {t.title: t for t in tiles_for(card(400_000, (1, 1)), None, "EUR")}["Pipeline coverage"]
    assert tile.detail == "EUR 6,000 to go"
    assert "EUR 5,000 open ÷ (EUR 10,000 target − EUR 4,000 won)" in tile.tooltip
    met = {t.title: t for t in tiles_for(card(1_200_000, (1, 1)), None, "EUR")}
    assert met["Pipeline coverage"].actual == "target met"
    assert met["Pipeline coverage"].detail == "value target reached"
    assert "EUR 12,000 won of a EUR 10,000 target" in met["Pipeline coverage"].tooltip


def test_target_tooltip_shows_the_conversion() -> None:
    from dataclasses import replace

    c = card(400_000, (1, 1))
    calls = replace(
        target_result("activity_count", 171.43, 100.0, 100, 80, activity_type="Call"),
        period_kind="week",
        base_value=40,
        scaling="× 4.29 weeks (30 days ÷ 7)",
        summed_people=2,
    )
    c = Scorecard(c.scope, c.measures, (*c.targets, calls))
    tip = {t.title: t for t in tiles_for(c, None, "EUR")}["Call activities"].tooltip
    assert "Team target: the sum of 2 people's targets" in tip
    assert "Target 40 a week × 4.29 weeks (30 days ÷ 7) = 171 for this period" in tip
