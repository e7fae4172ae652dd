"""The planner's service: its window counts are the scorecard's own measures; the plan it
builds from a real workspace is the domain's reverse funnel; "write as targets" is one undoable
write; the ``plan`` command prints the same numbers."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from nextlevel_desktop.__main__ import main
from nextlevel_desktop.domain.errors import ValidationError
from nextlevel_desktop.domain.measures import HuntingMeasures
from nextlevel_desktop.domain.periods import custom, month_of, quarter_of
from nextlevel_desktop.domain.planning import (
    choose_rates,
    pace_window,
    rate_window,
    reverse_funnel,
)
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.planning import PlanRequest
from nextlevel_desktop.services.scorecards import Scope

TODAY = DEMO_TODAY = date(2026, 11, 27)  # the hand-made and the demo workspaces' today
Hand = Any


def test_window_counts_are_the_scorecards_measures(services: Services, hand: Hand) -> None:
    for person in (None, hand.ann):
        scope = services.scorecards.scope(hand.hunting, person, month_of(date(2026, 9, 1)), TODAY)
        m = services.scorecards.measures(scope)
        assert isinstance(m, HuntingMeasures)
        pace = services.planning.pace(scope)
        assert [(n, e) for n, e, _ in pace.stages] == [(f.name, f.entered) for f in m.stages]
        assert (pace.new_engagements, pace.won_count) == (m.new_engagements, m.won_count)
        assert dict(pace.activities) == m.activities_by_type
        w = services.planning.window(scope)
        assert (w.new_engagements, w.won_count, w.won_value) == (
            m.new_engagements,
            m.won_count,
            m.won_value,
        )
        assert w.cycle_days == m.cycle_days_mean
        assert dict(w.activities) == m.activities_by_type
        assert [(n, e, a) for n, e, a in w.stages] == [
            (f.name, f.entered, f.left_forward) for f in m.stages
        ]


def _next_quarter(today: date) -> Any:
    return quarter_of(quarter_of(today).end + timedelta(days=1))


def test_plan_on_the_demo_and_written_as_targets(demo_services: Services) -> None:
    s = demo_services
    hunting = s.processes.processes()[0]
    period = _next_quarter(DEMO_TODAY)
    req = PlanRequest(hunting.id, None, period, "won_value", 20_000_000)
    plan = s.planning.plan(req, DEMO_TODAY)
    # The same plan as the domain's from the same window's counts.
    start, end = rate_window(DEMO_TODAY, 6)
    assert plan.rates.window == (start, end)
    own = s.planning.window(Scope(hunting, None, custom(start, end), DEMO_TODAY))
    again = reverse_funnel("won_value", 20_000_000, period.start, period.end, choose_rates(own))
    assert plan.new_engagements.total == pytest.approx(again.new_engagements.total)
    # The pace: what the scope did per week over the last four weeks.
    recent = s.planning.pace(Scope(hunting, None, custom(*pace_window(DEMO_TODAY)), DEMO_TODAY))
    assert plan.pace_window == (DEMO_TODAY - timedelta(days=27), DEMO_TODAY)
    assert plan.new_engagements.pace == pytest.approx(recent.new_engagements / 4)
    assert plan.activities[0].pace == pytest.approx(recent.activities[plan.activities[0].name] / 4)
    assert plan.start_by is not None and plan.start_by < period.start
    specs = s.planning.targets(req, plan)
    assert specs[0].measure == "won_value" and specs[0].value == 20_000_000
    before = s.design.targets(hunting.id)
    rev = s.design.set_targets(hunting.id, specs)
    after = s.design.targets(hunting.id)
    assert len(after) == len(before) + len(specs)
    # Writing the same plan again updates those targets, adds none.
    assert len(s.design.set_targets(hunting.id, specs).inserted) == 0
    assert len(s.design.targets(hunting.id)) == len(after)
    s.revisions.revert(rev)
    assert s.design.targets(hunting.id) == before


def test_plan_command_json(demo_services: Services, capsys: pytest.CaptureFixture[str]) -> None:
    path: Path = demo_services.path
    period = _next_quarter(date.today())
    label = f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"
    person = demo_services.people.people()[0]
    demo_services.close()
    args = ["plan", "--workspace", str(path), "--process", "New business", "--period", label]
    assert main([*args, "--won-value", "150000", "--window-months", "60", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["target"] == {"measure": "won_value", "value": 150000.0}
    assert out["rates"]["window"]["months"] == 60
    assert out["pace_window"]["to"] == date.today().isoformat()
    assert set(out["rates"]) == {
        "window",
        "average_won_value",
        "cycle_days",
        "stage_conversion",
        "activities_per_advance",
    }
    weekly = out["weekly"]
    assert weekly["new_engagements"]["total"] == weekly["stage_entries"][0]["total"]
    assert weekly["wins"]["per_week"] == pytest.approx(
        weekly["wins"]["total"] / out["weeks"], abs=0.01
    )
    wins = 150000 / out["rates"]["average_won_value"]["value"]
    assert weekly["wins"]["total"] == pytest.approx(wins, abs=0.01)
    mine_args = ["--won-count", "5", "--person", person.name, "--window-months", "60"]
    assert main([*args, *mine_args, "--json"]) == 0
    mine = json.loads(capsys.readouterr().out)
    assert mine["person"] == person.name and mine["weekly"]["wins"]["total"] == 5
    # Errors are one line, exit non-zero.
    assert main([*args, "--won-count", "5", "--json", "--person", "Nobody"]) != 0
    assert "no person called" in capsys.readouterr().err


def test_a_plan_without_history_says_what_is_missing(services: Services) -> None:
    hunting = services.processes.processes()[0]
    req = PlanRequest(hunting.id, None, quarter_of(TODAY), "won_value", 1_000_000)
    with pytest.raises(ValidationError, match="Nothing was won"):
        services.planning.plan(req, TODAY)
