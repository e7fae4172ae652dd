"""What the reading commands (``report``, ``behaviour``, ``plan``) share: the workspace they
open, and the scope they are about (a process; a person, a team or everybody; a period)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..cli import add_workspace_argument, workspace_path
from ..domain.errors import NotFoundError, ValidationError
from ..domain.importing import norm
from ..domain.models import Person, Process
from ..domain.periods import Granularity, Period, custom, parse_period, period_of

if TYPE_CHECKING:
    from ..services.container import Services
    from ..services.scorecards import Scope


def add_scope_arguments(p: argparse.ArgumentParser, *, span: bool = True) -> None:
    """--workspace, --process, --person or --team, and the period: --period (required when
    not ``span``), or (``span``) --from and --to instead."""
    add_workspace_argument(p)
    p.add_argument("--process", required=True, help="the process name, e.g. “New business”")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--person", help="a person's name (default: everybody)")
    who.add_argument("--team", help="a team's name: its people together")
    p.add_argument("--period", required=not span, help="2026-Q3, 2026-09 or 2026-W37")
    if span:
        p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="first day")
        p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last day (inclusive)")


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[Services]:
    """The services of the existing workspace the arguments name, closed afterwards."""
    from ..services.container import Services
    from ..services.workspace import open_workspace

    db, _ = open_workspace(workspace_path(args), create=False)
    services = Services.for_database(db)
    try:
        yield services
    finally:
        services.close()


@dataclass(frozen=True)
class Who:
    """The process and the person or team the arguments name (neither: everybody)."""

    process: Process
    person: Person | None
    team: str

    @property
    def person_id(self) -> int | None:
        return self.person.id if self.person else None


def resolve_who(services: Services, args: argparse.Namespace) -> Who:
    process = find_process(services.processes.processes(include_archived=True), args.process)
    person = (
        find_person(services.people.people(include_inactive=True), args.person)
        if args.person
        else None
    )
    team = services.people.members(args.team)[0].team if args.team else ""
    return Who(process, person, team)


def parse_day(text: str, flag: str) -> date:
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
        start = parse_day(args.date_from, "--from")
        end = parse_day(args.date_to, "--to")
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


def resolve_scope(services: Services, args: argparse.Namespace) -> tuple[Who, Scope]:
    """Who and the scope of the arguments; without a period, as ``resolve_period`` says."""
    today = date.today()
    who = resolve_who(services, args)
    latest = None
    if not (args.period or args.date_from or args.date_to):
        from ..services.scorecard_queries import latest_day

        with services.db.read() as session:
            latest = latest_day(session, who.process.id)
    period = resolve_period(args, services.workspace.settings().week_start, today, latest)
    scope = services.scorecards.scope(who.process.id, who.person_id, period, today, who.team)
    return who, scope


def find_process(processes: list[Process], name: str) -> Process:
    found = [p for p in processes if norm(p.name) == norm(name)]
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


def print_json(data: dict[str, Any]) -> int:
    """Print one JSON object; the exit code 0."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0
