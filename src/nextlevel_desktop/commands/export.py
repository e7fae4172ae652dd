"""``nextlevel-desktop export``: activities, engagements or accounts to a CSV file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..cli import add_workspace_argument, workspace_path
from ..domain.activities import ActivityFilter
from ..domain.errors import ValidationError
from ..domain.exporting import WHAT
from ..domain.importing import norm
from . import help_for


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("export", help=help_for("export"))
    add_workspace_argument(p)
    p.add_argument("--what", required=True, choices=WHAT, help="what to export")
    p.add_argument("-o", "--output", type=Path, required=True, help="the CSV file to write")
    p.add_argument("--process", default="", help="only this process (engagements, activities)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..services.exporting import ExportService
    from ..services.processes import ProcessService
    from ..services.workspace import open_workspace

    db, _ = open_workspace(workspace_path(args), create=False)
    try:
        process_id = None
        if args.process:
            hit = [
                p
                for p in ProcessService(db).processes(include_archived=True)
                if norm(p.name) == norm(args.process)
            ]
            if not hit:
                raise ValidationError({"process": f"There is no process “{args.process}”."})
            process_id = hit[0].id
        count = ExportService(db).export(
            args.what, args.output, ActivityFilter(process_id=process_id), process_id
        )
    finally:
        db.close()
    print(f"Exported {count:,} {args.what} to {args.output}.")
    return 0
