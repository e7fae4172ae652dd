"""``nextlevel-desktop report``: a process's measures and targets for a period, as JSON or PDF."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..domain import reports
from ..domain.health import StageHealth, health_report
from ..domain.measures import HuntingMeasures, TargetResult
from ..domain.models import Person, Process
from ..domain.targets import Unit
from . import help_for
from .common import add_scope_arguments, opened, print_json, resolve_scope


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "report",
        help=help_for("report"),
        description="Measures of one process for a person, a team or everybody over a period. "
        "Without a period: the current quarter; when nothing happened in it yet, the latest "
        "quarter with data, and a line on stderr says so (exit code 0).",
    )
    add_scope_arguments(p)
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--json", action="store_true", help="print one JSON object")
    out.add_argument("--pdf", type=Path, metavar="FILE", help="write a PDF scorecard")
    p.set_defaults(func=run)


def _target_json(t: TargetResult) -> dict[str, object]:
    def value(x: float | None) -> float | None:
        if x is None:
            return None
        return reports.money(x) if t.unit is Unit.MONEY else round(x, 4)

    return {
        "measure": t.measure,
        "activity_type": t.activity_type or None,
        "unit": t.unit.value,
        "target": value(t.target),
        "actual": value(t.actual),
        "attainment": None if t.attainment is None else round(t.attainment, 4),
        "status": None if t.status is None else t.status.value,
    }


def report_json(
    card: Any,
    process: Process,
    person: Person | None,
    health: Sequence[StageHealth] = (),
    team: str = "",
) -> dict[str, object]:
    """The ``--json`` object for a scorecard (also used by tests and the PDF), with the stage
    health of its process, person or team and period."""
    m = card.measures
    period = card.scope.period
    return {
        "process": process.name,
        "kind": process.kind.value,
        "person": person.name if person else None,
        "team": team or None,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "measures": reports.hunting_report(m)
        if isinstance(m, HuntingMeasures)
        else reports.farming_report(m),
        "targets": [_target_json(t) for t in card.targets],
        "stage_health": health_report(health),
        **reports.process_report(
            m, next((t.target for t in card.targets if t.measure == "won_value"), None)
        ),
    }


def run(args: argparse.Namespace) -> int:
    with opened(args) as services:
        who, scope = resolve_scope(services, args)
        card = services.scorecards.scorecard(scope)
        if args.json:
            health = services.health.stage_health(scope)
            return print_json(report_json(card, who.process, who.person, health, who.team))
        from ..render.pdf import write_scorecard_pdf

        name = who.person.name if who.person else f"Team {who.team}" if who.team else None
        dest = write_scorecard_pdf(services, [card], args.pdf, name)
        print(f"Wrote {dest}")
        return 0
