"""``nextlevel-desktop import``: the import wizard's engine on the command line.

Without ``--map`` the columns are guessed as in the wizard, and the mapping used is printed.
Unmapped stage values, bad rows (without ``--skip-invalid``) or any error end with a non-zero
exit code, a list of what is wrong, and nothing written.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..cli import add_workspace_argument, workspace_path
from ..domain.errors import ValidationError
from ..domain.import_rows import guess_date_order
from ..domain.importing import FIELDS, DateOrder, ImportKind, ImportMapping, parse_assignments
from ..services.importing import ImportService
from ..services.workspace import open_workspace


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "import",
        help="import engagements, activities, accounts or people from a CSV file",
        description="Import a CSV file (UTF-8 or Windows-1252; comma, semicolon or tab "
        "separated) in one transaction: on any problem nothing is written.",
    )
    p.add_argument("file", type=Path, help="the CSV file")
    add_workspace_argument(p)
    p.add_argument(
        "--as",
        dest="kind",
        required=True,
        choices=[k.value for k in ImportKind],
        help="what the rows are",
    )
    p.add_argument("--process", default="", help="the process engagements/activities go into")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="use COLUMN for FIELD (repeat; without it columns are guessed from the header)",
    )
    p.add_argument(
        "--stage",
        action="append",
        default=[],
        metavar="VALUE=STAGE",
        help="the file's stage VALUE goes to STAGE (repeat)",
    )
    p.add_argument(
        "--add-missing-stages",
        action="store_true",
        help="add stage values that match no stage as new stages of the process",
    )
    p.add_argument(
        "--date-order",
        choices=[o.value for o in DateOrder],
        help="how to read dates like 03/04/2026 (default: detected; asked when ambiguous)",
    )
    p.add_argument("--delimiter", choices=[",", ";", "tab"], help="default: detected")
    p.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows, skip the bad ones"
    )
    p.add_argument(
        "--dry-run", action="store_true", help="check everything and report, but write nothing"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    kind = ImportKind(args.kind)
    path = workspace_path(args)
    delimiter = "\t" if args.delimiter == "tab" else args.delimiter
    table = ImportService.read_file(args.file, delimiter)
    print(
        f"Read {len(table.rows):,} row(s) from {args.file} "
        f"({table.encoding}, {table.delimiter_name} separated)."
    )
    if args.map:
        columns = parse_assignments(args.map, "map")
        known = {f.name for f in FIELDS[kind]}
        problems = {
            f: f"“{f}” is not a field of {kind.value} (fields: {', '.join(sorted(known))})."
            for f in columns
            if f not in known
        }
        problems.update(
            {
                f"{f}.column": f"The file has no column “{c}” "
                f"(columns: {', '.join(table.headers)})."
                for f, c in columns.items()
                if c not in table.headers
            }
        )
        if problems:
            raise ValidationError(problems)
    else:
        columns = ImportService.guess(table, kind)
        print("Columns guessed from the header (change with --map FIELD=COLUMN):")
        for spec in FIELDS[kind]:
            print(f"  {spec.name:<12} ← {columns.get(spec.name, '(none)')}")
    mapping = ImportMapping(
        kind=kind,
        columns=columns,
        process=args.process,
        stages=parse_assignments(args.stage, "stage"),
        add_missing_stages=args.add_missing_stages,
    )
    missing = mapping.missing_required()
    if missing:
        raise ValidationError(
            {"map": "No column for " + ", ".join(missing) + ": name it with --map FIELD=COLUMN."}
        )
    order = DateOrder(args.date_order) if args.date_order else guess_date_order(table, mapping)
    if order is None:
        raise ValidationError(
            {
                "date_order": "The dates fit both day/month/year and month/day/year: "
                "say which with --date-order dmy or --date-order mdy."
            }
        )
    mapping = replace(mapping, date_order=order)
    db, _ = open_workspace(path, create=False)
    try:
        result = ImportService(db).run(
            table, mapping, skip_invalid=args.skip_invalid, dry_run=args.dry_run
        )
    except ValidationError as exc:
        print("Nothing was imported:", file=sys.stderr)
        for text in exc.problems.values():
            print(text, file=sys.stderr)
        return 1
    finally:
        db.close()
    print(result.summary() + (" (dry run: nothing was written)" if args.dry_run else ""))
    return 0
