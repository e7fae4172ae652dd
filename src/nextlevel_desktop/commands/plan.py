"""``nextlevel-desktop plan``: the reverse funnel for an outcome target, as JSON."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from ..domain.errors import ValidationError
from ..domain.periods import parse_period
from ..domain.planning import Need, Plan, Rate
from ..domain.reports import money
from . import help_for
from .common import Who, add_scope_arguments, opened, print_json, resolve_who


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "plan",
        help=help_for("plan"),
        description="Work back from an outcome target to the new engagements, stage entries "
        "and activities needed per week, at the rates measured over the last months.",
    )
    add_scope_arguments(p, span=False)
    goal = p.add_mutually_exclusive_group(required=True)
    goal.add_argument("--won-value", type=float, metavar="X", help="value to win, e.g. 300000")
    goal.add_argument("--won-count", type=int, metavar="N", help="number of wins")
    p.add_argument(
        "--window-months", type=int, default=6, metavar="M", help="months of rates (default 6)"
    )
    p.add_argument("--json", action="store_true", required=True, help="print one JSON object")
    p.set_defaults(func=run)


def _rate(r: Rate, in_money: bool = False) -> dict[str, object]:
    value = money(r.value) if in_money else r.value
    return {
        "value": None if value is None else round(value, 4),
        "observations": r.observations,
        "source": r.source,  # own, team (the person's) or everybody
    }


def _need(n: Need) -> dict[str, object]:
    return {
        "per_week": round(n.per_week, 2),
        "total": round(n.total, 2),
        "pace_per_week": None if n.pace is None else round(n.pace, 2),
    }


def plan_json(plan: Plan, who: Who, months: int) -> dict[str, Any]:
    """The ``--json`` object: the rates used with their window, and the weekly numbers."""
    r = plan.rates
    start, end = r.window
    value = plan.outcome == "won_value"
    return {
        "process": who.process.name,
        "person": who.person.name if who.person else None,
        "team": who.team or None,
        "period": {"from": plan.period[0].isoformat(), "to": plan.period[1].isoformat()},
        "weeks": round(plan.weeks, 2),
        "target": {
            "measure": plan.outcome,
            "value": money(plan.amount) if value else plan.amount,
        },
        "rates": {
            "window": {"from": start.isoformat(), "to": end.isoformat(), "months": months},
            "average_won_value": _rate(r.average_won_value, in_money=True),
            "cycle_days": _rate(r.cycle_days),
            "stage_conversion": [{"stage": n, **_rate(c)} for n, c in r.conversions],
            "activities_per_advance": [
                {"activity_type": t, **_rate(a)} for t, a in r.activities_per_advance
            ],
        },
        "team_rates_used_for": r.team_notes,
        "fallback_rates_from": r.sources,
        "pace_window": None
        if plan.pace_window is None
        else {"from": plan.pace_window[0].isoformat(), "to": plan.pace_window[1].isoformat()},
        "start_by": None if plan.start_by is None else plan.start_by.isoformat(),
        "weekly": {
            "wins": _need(plan.wins),
            "new_engagements": _need(plan.new_engagements),
            "stage_entries": [{"stage": n.name, **_need(n)} for n in plan.entries],
            "activities": [{"activity_type": a.name, **_need(a)} for a in plan.activities],
        },
    }


def run(args: argparse.Namespace) -> int:
    from ..services.planning import PlanRequest

    if args.won_value is not None and not args.won_value > 0:
        raise ValidationError({"won_value": "--won-value must be more than zero."})
    with opened(args) as services:
        period = parse_period(args.period, services.workspace.settings().week_start)
        who = resolve_who(services, args)
        outcome, amount = (
            ("won_value", round(args.won_value * 100))
            if args.won_value is not None
            else ("won_count", args.won_count)
        )
        req = PlanRequest(
            who.process.id, who.person_id, period, outcome, amount, args.window_months, who.team
        )
        plan = services.planning.plan(req, date.today())
        return print_json(plan_json(plan, who, args.window_months))
