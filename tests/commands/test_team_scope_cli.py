"""``behaviour --team`` and ``plan --team``: a team's people together, as ``report --team``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from nextlevel_desktop.__main__ import main
from nextlevel_desktop.domain import behaviour as bh
from nextlevel_desktop.domain.models import Person
from nextlevel_desktop.domain.periods import Granularity, Period, custom, period_of
from nextlevel_desktop.domain.planning import rate_window
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.people import PersonDraft
from nextlevel_desktop.services.planning import PlanRequest

SPAN = ["--from", "2026-05-04", "--to", "2026-11-22"]


@pytest.fixture
def east(demo_services: Services) -> list[Person]:
    """Two of the demo's people in team “East”, the others in no team."""
    people = demo_services.people.people()[:2]
    for p in people:
        demo_services.people.update(p.id, PersonDraft(p.name, p.email, p.role, team="East"))
    return people


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else {}), err


def test_behaviour_for_a_team_charts_its_people_together(
    demo_services: Services,
    east: list[Person],
    workspace_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["behaviour", "-w", str(workspace_path), "--process", "New business", *SPAN]
    chart = ["--measure", "activity_count", "--bucket", "week", "--json"]
    code, team, err = run(capsys, *args, *chart, "--team", "east")
    assert code == 0, err
    points = {}
    for p in east:
        _, data, _ = run(capsys, *args, *chart, "--person", p.name)
        points[p.name] = [pt["value"] for pt in data["points"]]
    _, everybody, _ = run(capsys, *args, *chart)
    summed = [sum(v) for v in zip(*points.values(), strict=True)]
    assert [pt["value"] for pt in team["points"]] == summed
    assert summed != [pt["value"] for pt in everybody["points"]]  # not everybody's
    hunting = demo_services.processes.processes()[0]
    scope = demo_services.scorecards.scope(
        hunting.id, None, Period(date(2026, 5, 4), date(2026, 11, 22)), team="East"
    )
    expected = demo_services.health.behaviour(scope, bh.Measure.ACTIVITY_COUNT, Granularity.WEEK)
    assert team == bh.chart_json(expected)
    # An unknown team: one line naming the teams there are, exit code 2 (as report's).
    code, out, err = run(capsys, *args, *chart, "--team", "North")
    assert (code, out) == (2, {}) and "no team called “North”" in err and "“East”" in err
    # --person and --team together: refused by the parser.
    with pytest.raises(SystemExit):
        main([*args, *chart, "--team", "East", "--person", east[0].name])


def test_plan_for_a_team_uses_its_own_rates_and_pace(
    demo_services: Services,
    east: list[Person],
    workspace_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    today = date.today()
    period = period_of(Granularity.QUARTER, date(today.year + 1, 1, 1))
    args = ["plan", "-w", str(workspace_path), "--process", "New business"]
    goal = ["--period", period.code, "--won-count", "6", "--window-months", "60", "--json"]
    code, team, err = run(capsys, *args, *goal, "--team", "East")
    assert code == 0, err
    assert (team["person"], team["team"]) == (None, "East")
    assert team["weekly"]["wins"]["total"] == 6
    # The service's plan for the team scope, to the number; not everybody's plan.
    hunting = demo_services.processes.processes()[0]
    req = PlanRequest(hunting.id, None, period, "won_count", 6, 60, "East")
    plan = demo_services.planning.plan(req, today)
    assert team["weekly"]["new_engagements"]["total"] == round(plan.new_engagements.total, 2)
    assert team["weekly"]["new_engagements"]["pace_per_week"] == round(
        plan.new_engagements.pace or 0, 2
    )
    _, everybody, _ = run(capsys, *args, *goal)
    assert everybody["team"] is None
    assert (
        team["weekly"]["new_engagements"]["pace_per_week"]
        != everybody["weekly"]["new_engagements"]["pace_per_week"]
    )
    code, out, err = run(capsys, *args, *goal, "--team", "North")
    assert (code, out) == (2, {}) and "no team called “North”" in err


def test_thin_rates_come_from_the_persons_team_else_from_everybody(
    demo_services: Services,
    workspace_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A person's rates resting on too few observations are their team's (and say so); a
    person without a team, a team's own plan and a person in a team as thin fall back to
    everybody's (and say that)."""
    people = demo_services.people.people()
    lone = people[2]  # one whose own month plans (another's has a 0 % conversion on 5 entries)
    east = [p for p in people if p.id != lone.id]
    for p in east:
        demo_services.people.update(p.id, PersonDraft(p.name, p.email, p.role, team="East"))
    today = date.today()
    period = period_of(Granularity.QUARTER, date(today.year + 1, 1, 1))
    args = ["plan", "-w", str(workspace_path), "--process", "New business"]
    goal = ["--period", period.code, "--won-count", "6", "--window-months", "1", "--json"]
    used = {}
    for who in (["--person", east[0].name], ["--team", "East"]):
        code, plan, err = run(capsys, *args, *goal, *who)
        assert code == 0, err
        used[who[0]] = plan["fallback_rates_from"]
        conv = plan["rates"]["stage_conversion"]
        assert {c["source"] for c in conv} <= {"own", *plan["fallback_rates_from"]}
    # One month is thin for one person; a team's plan never borrows from a "team".
    assert "team" in used["--person"] and set(used["--team"]) <= {"everybody"}
    # The team's rates are the team's own window, and taken only where it has enough.
    hunting = demo_services.processes.processes()[0]
    mine = demo_services.planning.plan(
        PlanRequest(hunting.id, east[0].id, period, "won_count", 6, 1), today
    )
    span = custom(*rate_window(today, 1))
    east_scope = demo_services.scorecards.scope(hunting.id, None, span, today, "East")
    window = demo_services.planning.window(east_scope)
    entered = {name: n for name, n, _ in window.stages}
    rates = [mine.rates.average_won_value, mine.rates.cycle_days]
    borrowed = [(n, r) for n, r in mine.rates.conversions if r.source == "team"]
    assert borrowed or any(r.source == "team" for r in rates)
    for name, rate in borrowed:
        assert rate.observations == entered[name] >= 5
    if mine.rates.average_won_value.source == "team":
        assert mine.rates.average_won_value.observations == window.won_count
    assert all(entered[n] < 5 for n, r in mine.rates.conversions if r.source == "everybody")
    alone = demo_services.planning.plan(
        PlanRequest(hunting.id, lone.id, period, "won_count", 6, 1), today
    )
    assert alone.rates.team_notes and alone.rates.sources == ["everybody"]
    # East shrunk to two: as thin as one of them, so it lends nothing.
    for p in east[2:]:
        demo_services.people.update(p.id, PersonDraft(p.name, p.email, p.role, team=""))
    thin = demo_services.planning.plan(
        PlanRequest(hunting.id, east[0].id, period, "won_count", 6, 1), today
    )
    assert thin.rates.team_notes
    assert all(r.observations >= 5 for _, r in thin.rates.conversions if r.source == "team")
