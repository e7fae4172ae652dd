"""``nextlevel-desktop behaviour``: a process-behaviour (XmR) chart of one measure, as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..cli import add_workspace_argument, workspace_path
from ..domain.behaviour import Measure, chart_json
from ..domain.errors import ValidationError, WorkspaceError
from ..domain.periods import Granularity, Period
from . import help_for
from .report import _parse_day, find_person, find_process


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "behaviour",
        help=help_for("behaviour"),
        description="Wheeler's XmR chart of one measure per calendar week or month (the window "
        "is widened to whole weeks or months): centre line and natural process limits from the "
        "baseline points, and the signals of rules 1–3.",
    )
    add_workspace_argument(p)
    p.add_argument("--process", required=True, help="the process name, e.g. “New business”")
    p.add_argument("--measure", required=True, choices=[m.value for m in Measure])
    p.add_argument("--bucket", required=True, choices=["week", "month"])
    p.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--person", help="a person's name (default: the whole team)")
    p.add_argument(
        "--baseline",
        type=int,
        help="how many first points set the limits (default 12, or all when fewer; at least 6)",
    )
    p.add_argument("--json", action="store_true", required=True, help="print one JSON object")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..services.container import Services
    from ..storage.db import open_database

    start = _parse_day(args.date_from, "--from")
    end = _parse_day(args.date_to, "--to")
    if end < start:
        raise ValidationError({"period": f"--to ({end}) is before --from ({start})."})
    path = workspace_path(args)
    if not path.exists():
        raise WorkspaceError(f"There is no workspace at “{path}”.")
    db, _ = open_database(path, create=False)
    try:
        services = Services.for_database(db)
        week_start = services.workspace.settings().week_start
        process = find_process(services.processes.processes(include_archived=True), args.process)
        person = (
            find_person(services.people.people(include_inactive=True), args.person)
            if args.person
            else None
        )
        window = Period(start, end, Granularity.CUSTOM, week_start)
        scope = services.scorecards.scope(process.id, person.id if person else None, window)
        measure = Measure(args.measure)
        chart = services.health.behaviour(scope, measure, Granularity(args.bucket), args.baseline)
        data = chart_json(chart, money=measure is Measure.WON_VALUE)
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    finally:
        db.close()
