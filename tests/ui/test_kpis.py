"""KPI tiles from scorecards: status only with a target, deltas when comparing."""

from __future__ import annotations

from datetime import date

from nextlevel_desktop.domain.measures import HuntingMeasures, Status, target_result
from nextlevel_desktop.domain.models import Process, ProcessKind
from nextlevel_desktop.domain.periods import month_of
from nextlevel_desktop.services.scorecards import Scope, Scorecard
from nextlevel_desktop.ui.monitor.kpis import tiles_for


def card(won_value: int, win: tuple[int, int], targets: bool = True) -> Scorecard:
    m = HuntingMeasures(
        5, {"Call": 5}, 1, win[0], win[1], won_value, None, None, 2, 500_000, 100_000.0, 1, {}, {}
    )
    scope = Scope(
        Process(1, ProcessKind.HUNTING, "New business"),
        None,
        month_of(date(2026, 9, 1)),
        date(2026, 11, 27),
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
    assert tiles["Win rate"].delta == "▲ 25 % vs previous" and tiles["Win rate"].delta_good
    assert tiles["Won value"].delta == "= previous"
