"""The reverse funnel, worked backwards by hand.

Target: EUR 300,000 won in 2027-Q2 (1 April – 30 June: 91 days = 13 weeks).
Rates measured over the window (Ann's own, 1 Oct 2026 – 31 Mar 2027: 182 days = 26 weeks):

    average won value  EUR 250,000 won ÷ 10 wins        = EUR 25,000
    conversions        Suspect 50 %, Prospect 60 %, Qualified 50 %, Proposal 50 %, Negotiation 80 %
    activities         434 calls and 217 emails over 217 advances = 2 calls, 1 email per advance
    cycle              45 days

Backwards: wins 300,000 ÷ 25,000 = 12;  Negotiation 12 ÷ 0.8 = 15;  Proposal 15 ÷ 0.5 = 30;
Qualified 30 ÷ 0.5 = 60;  Prospect 60 ÷ 0.6 = 100;  Suspect (new engagements) 100 ÷ 0.5 = 200.
Advances: 200·0.5 + 100·0.6 + 60·0.5 + 30·0.5 + 15·0.8 = 100 + 60 + 30 + 15 + 12 = 217;
calls 217 × 2 = 434, emails 217.  Per week (÷ 13): new 15.38, calls 33.38, emails 16.69, wins 0.92.
Start by 1 April − 45 days = 15 February 2027.
Pace over the window (÷ 26 weeks): 130 new → 5 a week; 434 calls → 16.69 a week.
"""

from __future__ import annotations

from datetime import date

import pytest

from nextlevel_desktop.domain.errors import ValidationError
from nextlevel_desktop.domain.models import PeriodKind
from nextlevel_desktop.domain.planning import (
    MIN_OBSERVATIONS,
    Window,
    choose_rates,
    needs_team,
    plan_targets,
    rate_window,
    reverse_funnel,
    whole,
)

Q2 = (date(2027, 4, 1), date(2027, 6, 30))
STAGES = ("Suspect", "Prospect", "Qualified", "Proposal", "Negotiation")


def ann() -> Window:
    return Window(
        start=date(2026, 10, 1),
        end=date(2027, 3, 31),
        new_engagements=130,
        won_count=10,
        won_value=25_000_000,  # EUR 250,000 in cents
        cycle_days=45.0,
        cycle_count=10,
        stages=(
            ("Suspect", 130, 65),
            ("Prospect", 70, 42),
            ("Qualified", 52, 26),
            ("Proposal", 20, 10),
            ("Negotiation", 15, 12),
        ),
        activities={"Call": 434, "Email": 217},
    )


def test_the_plan_worked_backwards_by_hand() -> None:
    w = ann()
    assert w.advances == 65 + 42 + 26 + 10 + 12 == 155
    # Scale the activities so that there are 2 calls and 1 email per advance.
    w = Window(**{**w.__dict__, "activities": {"Call": 310, "Email": 155}})
    rates = choose_rates(w)
    assert rates.average_won_value.value == 2_500_000
    assert [round(c.value or 0, 2) for _, c in rates.conversions] == [0.5, 0.6, 0.5, 0.5, 0.8]
    plan = reverse_funnel("won_value", 30_000_000, *Q2, rates, pace=w)
    assert plan.weeks == 13
    assert plan.wins.total == pytest.approx(12)
    assert [n.name for n in plan.entries] == list(STAGES)
    assert [round(n.total, 6) for n in plan.entries] == [200, 100, 60, 30, 15]
    assert plan.new_engagements.total == pytest.approx(200)
    acts = {a.name: a for a in plan.activities}
    assert acts["Call"].total == pytest.approx(434)
    assert acts["Email"].total == pytest.approx(217)
    assert plan.new_engagements.per_week == pytest.approx(200 / 13)
    assert acts["Call"].per_week == pytest.approx(434 / 13)
    assert plan.start_by == date(2027, 2, 15)
    # Pace over the 26-week window: 130 new = 5 a week, 310 calls = 11.92 a week.
    assert w.weeks == 26
    assert plan.new_engagements.pace == pytest.approx(5)
    assert plan.new_engagements.pace_ratio == pytest.approx(5 / (200 / 13))
    assert acts["Call"].pace == pytest.approx(310 / 26)
    assert plan.entries[3].pace == pytest.approx(20 / 26)
    # As targets: won value for the quarter; whole numbers per week from the start-by date.
    specs = plan_targets(plan, PeriodKind.QUARTER, 7, {"Call": 1, "Email": 2})
    assert [(s.measure, s.period, s.value, s.valid_from, s.activity_type_id) for s in specs] == [
        ("won_value", PeriodKind.QUARTER, 30_000_000, date(2027, 4, 1), None),
        ("new_engagements", PeriodKind.WEEK, 16, date(2027, 2, 15), None),
        ("activity_count", PeriodKind.WEEK, 34, date(2027, 2, 15), 1),
        ("activity_count", PeriodKind.WEEK, 17, date(2027, 2, 15), 2),
    ]
    assert all(s.person_id == 7 for s in specs)


def test_a_count_target_skips_the_average_value() -> None:
    rates = choose_rates(ann())
    plan = reverse_funnel("won_count", 12, *Q2, rates)
    assert plan.wins.total == 12 and plan.new_engagements.total == pytest.approx(200)
    assert plan.new_engagements.pace is None  # no pace given


def test_team_rates_where_a_person_has_too_little_history() -> None:
    team = ann()
    rookie = Window(
        start=team.start,
        end=team.end,
        new_engagements=8,
        won_count=1,  # one win: too few for an average value or a cycle
        won_value=4_000_000,
        cycle_days=20.0,
        cycle_count=1,
        stages=(
            ("Suspect", 4, 2),  # fewer than 5 entries: the team's conversions
            ("Prospect", 4, 2),
            ("Qualified", 2, 1),
            ("Proposal", 1, 1),
            ("Negotiation", 1, 1),
        ),
        activities={"Call": 40},
    )
    assert rookie.won_count < MIN_OBSERVATIONS and needs_team(rookie) and not needs_team(team)
    rates = choose_rates(rookie, ("team", team))
    assert rates.average_won_value.team and rates.average_won_value.value == 2_500_000
    assert rates.cycle_days.team and rates.cycle_days.value == 45
    assert all(c.team for _, c in rates.conversions)
    assert rates.team_notes[:2] == ["average won value", "cycle length"]
    # With enough history the person's own rate stands.
    own = Window(**{**rookie.__dict__, "stages": (("Suspect", 40, 30), *rookie.stages[1:])})
    mixed = choose_rates(own, ("team", team))
    assert not mixed.conversions[0][1].team and mixed.conversions[0][1].value == 0.75
    assert mixed.conversions[1][1].team


def test_a_thin_rate_comes_from_the_first_fallback_with_enough() -> None:
    """Person → their team → everybody, rate by rate: the team lends only what it has at
    least five observations of; the rest (and the last resort) is everybody's."""
    everybody = ann()
    rookie = Window(**{**everybody.__dict__, "won_count": 1, "won_value": 4_000_000})
    rookie = Window(**{**rookie.__dict__, "cycle_count": 1, "stages": (("Suspect", 2, 1),)})
    # The team: 6 wins (enough for the average value), 2 cycles (too few), 3 Suspect entries.
    team = Window(**{**everybody.__dict__, "won_count": 6, "won_value": 18_000_000})
    team = Window(**{**team.__dict__, "cycle_count": 2, "stages": (("Suspect", 3, 3),)})
    rates = choose_rates(rookie, ("team", team), ("everybody", everybody))
    assert (rates.average_won_value.source, rates.average_won_value.value) == ("team", 3_000_000)
    assert rates.cycle_days.source == "everybody"
    assert rates.cycle_days.observations == everybody.cycle_count
    suspect = rates.conversions[0][1]
    assert (suspect.source, suspect.observations, suspect.value) == ("everybody", 130, 0.5)
    assert rates.sources == ["team", "everybody"]


def test_missing_rates_are_named() -> None:
    w = ann()
    nothing_won = Window(**{**w.__dict__, "won_count": 0, "won_value": 0})
    with pytest.raises(ValidationError, match="no average won value"):
        reverse_funnel("won_value", 1_000, *Q2, choose_rates(nothing_won))
    stuck = Window(**{**w.__dict__, "stages": (*w.stages[:4], ("Negotiation", 5, 0))})
    with pytest.raises(ValidationError, match="Nothing moved on from Negotiation"):
        reverse_funnel("won_count", 3, *Q2, choose_rates(stuck))
    empty = Window(**{**w.__dict__, "stages": (*w.stages[:2], ("Qualified", 0, 0), *w.stages[3:])})
    with pytest.raises(ValidationError, match="Nobody entered Qualified"):
        reverse_funnel("won_count", 3, *Q2, choose_rates(empty))
    with pytest.raises(ValidationError, match="more than zero"):
        reverse_funnel("won_count", 0, *Q2, choose_rates(w))


def test_rate_window_and_whole_numbers() -> None:
    assert rate_window(date(2027, 3, 31), 6) == (date(2026, 10, 1), date(2027, 3, 31))
    assert rate_window(date(2026, 8, 31), 6) == (date(2026, 3, 1), date(2026, 8, 31))
    assert rate_window(date(2027, 1, 15), 1) == (date(2026, 12, 16), date(2027, 1, 15))
    with pytest.raises(ValidationError):
        rate_window(date(2027, 1, 15), 0)
    assert whole(12.0000000001) == 12 and whole(2.01) == 3
