"""``nextlevel-desktop report``: a process's measures and targets for a period, as JSON or PDF."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ..cli import add_workspace_argument, workspace_path
from ..domain import measures as ms
from ..domain.errors import NotFoundError, ValidationError, WorkspaceError
from ..domain.health import StageHealth, health_report
from ..domain.measures import HuntingMeasures, TargetResult
from ..domain.models import Person, Process
from ..domain.periods import Granularity, Period, custom, parse_period, period_of
from ..domain.targets import Unit
from . import help_for


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "report",
        help=help_for("report"),
        description="Measures of one process for a person, a team or everybody over a period. "
        "Without a period: the current quarter; when nothing happened in it yet, the latest "
        "quarter with data, and a line on stderr says so (exit code 0).",
    )
    add_workspace_argument(p)
    p.add_argument("--process", required=True, help="the process name, e.g. “New business”")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--person", help="a person's name (default: everybody)")
    who.add_argument("--team", help="a team's name: its people's measures and targets")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="first day")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last day (inclusive)")
    p.add_argument("--period", help="2026-Q3, 2026-09 or 2026-W37")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--json", action="store_true", help="print one JSON object")
    out.add_argument("--pdf", type=Path, metavar="FILE", help="write a PDF scorecard")
    p.set_defaults(func=run)


def _parse_day(text: str, flag: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError({flag: f"{flag} “{text}” is not a date: write YYYY-MM-DD."}) from None


def resolve_period(
    args: argparse.Namespace, week_start: int, today: date, latest: date | None = None
) -> Period:
    """The period asked for; without one the current quarter, or the latest quarter with
    data (``latest``: the last day with any) when the current one has none."""
    if args.period and (args.date_from or args.date_to):
        raise ValidationError({"period": "Give either --period or --from and --to, not both."})
    if args.period:
        return parse_period(args.period, week_start)
    if args.date_from or args.date_to:
        if not (args.date_from and args.date_to):
            raise ValidationError({"period": "Give both --from and --to."})
        start = _parse_day(args.date_from, "--from")
        end = _parse_day(args.date_to, "--to")
        if end < start:
            raise ValidationError({"period": f"--to ({end}) is before --from ({start})."})
        return custom(start, end, week_start)
    current = period_of(Granularity.QUARTER, today, week_start)
    if latest is None or latest >= current.start:
        return current
    older = period_of(Granularity.QUARTER, latest, week_start)
    print(
        f"Nothing happened in the current quarter ({current.code}) yet: reporting "
        f"{older.code}, the latest quarter with data. Give --period to choose another.",
        file=sys.stderr,
    )
    return older


def find_process(processes: list[Process], name: str) -> Process:
    wanted = name.strip().casefold()
    found = [p for p in processes if p.name.casefold() == wanted]
    if not found:
        names = ", ".join(f"“{p.name}”" for p in processes)
        raise NotFoundError(f"There is no process called “{name}”. The processes are {names}.")
    return found[0]


def find_person(people: list[Person], name: str) -> Person:
    wanted = name.strip().casefold()
    found = [p for p in people if p.name.casefold() == wanted]
    if not found:
        raise NotFoundError(f"There is no person called “{name}” in this workspace.")
    if len(found) > 1:
        raise ValidationError({"person": f"Several people are called “{name}”."})
    return found[0]


def _target_json(t: TargetResult) -> dict[str, object]:
    def value(x: float | None) -> float | None:
        if x is None:
            return None
        return ms.money(x) if t.unit is Unit.MONEY else round(x, 4)

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
        "measures": ms.hunting_report(m)
        if isinstance(m, HuntingMeasures)
        else ms.farming_report(m),
        "targets": [_target_json(t) for t in card.targets],
        "stage_health": health_report(health),
        **ms.process_report(
            m, next((t.target for t in card.targets if t.measure == "won_value"), None)
        ),
    }


def run(args: argparse.Namespace) -> int:
    from ..services.container import Services
    from ..storage.db import open_database

    path = workspace_path(args)
    if not path.exists():
        raise WorkspaceError(f"There is no workspace at “{path}”.")
    db, _ = open_database(path, create=False)
    try:
        services = Services.for_database(db)
        today = date.today()
        settings = services.workspace.settings()
        process = find_process(services.processes.processes(include_archived=True), args.process)
        latest = None
        if not (args.period or args.date_from or args.date_to):
            from ..services.scorecard_queries import latest_day

            with db.read() as session:
                latest = latest_day(session, process.id)
        period = resolve_period(args, settings.week_start, today, latest)
        person = (
            find_person(services.people.people(include_inactive=True), args.person)
            if args.person
            else None
        )
        team = services.people.members(args.team)[0].team if args.team else ""
        scope = services.scorecards.scope(
            process.id, person.id if person else None, period, today, team
        )
        card = services.scorecards.scorecard(scope)
        if args.json:
            health = services.health.stage_health(scope)
            data = report_json(card, process, person, health, team)
            json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
            return 0
        from ..render.pdf import write_scorecard_pdf

        who = person.name if person else f"Team {team}" if team else None
        dest = write_scorecard_pdf(services, [card], args.pdf, who)
        print(f"Wrote {dest}")
        return 0
    finally:
        db.close()
