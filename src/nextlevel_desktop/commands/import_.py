"""``nextlevel-desktop import``: the import wizard's engine on the command line.

Columns ``--map`` does not name are guessed as in the wizard, and the mapping used is printed;
``--set FIELD=VALUE`` gives every row the same value for a field the file has no column for.
Unmapped stage values, bad rows (without ``--skip-invalid``) or any error end with a non-zero
exit code, a list of what is wrong, and nothing written.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cli import add_workspace_argument, workspace_path
from ..domain.errors import ValidationError
from ..domain.import_scan import guess_date_order
from ..domain.importing import (
    ENCODINGS,
    FIELDS,
    RENAMED,
    CsvTable,
    DateOrder,
    ImportKind,
    ImportMapping,
    is_stage_date_field,
    parse_assignments,
    with_guesses,
)
from . import help_for
from .new import add_currency_argument

if TYPE_CHECKING:
    from ..services.importing import ImportService


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "import",
        help=help_for("import"),
        description="Import a CSV file (UTF-8, else the encoding detected or named with "
        "--encoding; comma, semicolon or tab separated) in one "
        "transaction: on any problem nothing is written.",
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
        help="use COLUMN for FIELD (repeat; the other fields are still guessed from the header)",
    )
    p.add_argument(
        "--set",
        dest="constants",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help='give every row VALUE for FIELD, e.g. --set "type=Support ticket" (repeat)',
    )
    p.add_argument(
        "--create",
        action="store_true",
        help="create the workspace first when there is none (currency: --currency)",
    )
    add_currency_argument(p)
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
        "--encoding",
        choices=list(ENCODINGS),
        help="the file's encoding (default: UTF-8, else the one detected, e.g. Shift-JIS or "
        "Windows-1251); cp1252 for files Excel saved on Western Windows",
    )
    p.add_argument(
        "--opened-default",
        type=_day,
        metavar="DATE",
        help="the opened date (YYYY-MM-DD) of rows without one (default: such rows are refused)",
    )
    p.add_argument(
        "--handover",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="whether won hunting rows hand their accounts over to farming, dated at the close "
        "(default: the workspace's handover setting)",
    )
    p.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows, skip the bad ones"
    )
    p.add_argument(
        "--dry-run", action="store_true", help="check everything and report, but write nothing"
    )
    p.add_argument(
        "--mapping", metavar="NAME", help="start from a mapping saved earlier (wizard or CLI)"
    )
    p.add_argument(
        "--save-mapping", metavar="NAME", help="after a successful import, save the mapping used"
    )
    p.set_defaults(func=run)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date like 2026-01-31") from None


def run(args: argparse.Namespace) -> int:
    from ..services.importing import ImportService
    from ..services.workspace import open_workspace

    kind = ImportKind(args.kind)
    delimiter = "\t" if args.delimiter == "tab" else args.delimiter
    table = ImportService.read_file(args.file, delimiter, args.encoding)
    print(
        f"Read {len(table.rows):,} row(s) from {args.file} "
        f"({table.encoding}, {table.delimiter_name} separated)."
    )
    from ..locking import locked_for_writing

    path = workspace_path(args)
    if args.create and not path.exists():
        from .new import create

        create(path, args)
    elif args.currency:
        raise ValidationError({"currency": "--currency goes with --create (a new workspace)."})
    # A dry run writes nothing, so it may run while the app has the workspace open.
    with nullcontext() if args.dry_run else locked_for_writing(path):
        db, _ = open_workspace(path, create=False)
        try:
            service = ImportService(db)
            mapping = _mapping(args, kind, table, service)
            try:
                result = service.run(
                    table, mapping, skip_invalid=args.skip_invalid, dry_run=args.dry_run
                )
            except ValidationError as exc:
                print("Nothing was imported:", file=sys.stderr)
                for text in exc.problems.values():
                    print(text, file=sys.stderr)
                return 1
            if args.save_mapping and not args.dry_run:
                service.save_mapping(args.save_mapping, mapping)
                print(f"Saved the mapping as “{args.save_mapping.strip()}”.")
        finally:
            db.close()
    print(result.summary() + (" (dry run: nothing was written)" if args.dry_run else ""))
    return 0


def _mapping(
    args: argparse.Namespace, kind: ImportKind, table: CsvTable, service: ImportService
) -> ImportMapping:
    """The mapping from the options, on top of a saved mapping when one is named."""
    saved = ImportMapping(kind)
    if args.mapping:
        found = service.saved_mappings().get(args.mapping)
        if found is None:
            names = ", ".join(sorted(service.saved_mappings())) or "none saved yet"
            raise ValidationError(
                {"mapping": f"There is no saved mapping “{args.mapping}” (saved: {names})."}
            )
        if found.kind is not kind:
            raise ValidationError(
                {"mapping": f"“{args.mapping}” maps {found.kind.value}, not {kind.value}."}
            )
        saved = found
    columns = {f: c for f, c in saved.columns.items() if c in table.headers}
    constants = {**saved.constants, **parse_assignments(args.constants, "set")}
    _check_fields(constants, kind, "set")
    if args.map:
        columns.update(_checked_columns(parse_assignments(args.map, "map"), kind, table))
    columns = {f: c for f, c in columns.items() if f not in constants}
    if not args.mapping:
        columns = with_guesses(kind, table.headers, columns, constants)
        print("Columns (guessed from the header where not given; change with --map FIELD=COLUMN):")
        for spec in FIELDS[kind]:
            given = f"“{constants[spec.name]}” (every row)" if spec.name in constants else None
            print(f"  {spec.name:<12} ← {given or columns.get(spec.name, '(none)')}")
        for name in filter(is_stage_date_field, columns):
            print(f"  {name} ← {columns[name]}")
    mapping = ImportMapping(
        kind=kind,
        columns=columns,
        process=args.process or saved.process,
        stages={**saved.stages, **parse_assignments(args.stage, "stage")},
        add_missing_stages=args.add_missing_stages or saved.add_missing_stages,
        opened_default=args.opened_default or saved.opened_default,
        handover=saved.handover if args.handover is None else args.handover,
        constants=constants,
    )
    missing = mapping.missing_required()
    if missing:
        raise ValidationError(
            {"map": "No column for " + ", ".join(missing) + ": name it with --map FIELD=COLUMN."}
        )
    order = (
        DateOrder(args.date_order)
        if args.date_order
        else guess_date_order(table, mapping) or saved.date_order
    )
    if order is None:
        raise ValidationError(
            {
                "date_order": "The dates fit both day/month/year and month/day/year: "
                "say which with --date-order dmy or --date-order mdy."
            }
        )
    return replace(mapping, date_order=order)


def _check_fields(given: dict[str, str], kind: ImportKind, what: str) -> None:
    known = {f.name for f in FIELDS[kind]}
    dated = kind is ImportKind.ENGAGEMENTS  # (also entered:STAGE and exited:STAGE)
    problems = {
        f"{what}.{f}": f"“{f}” is not a field of {kind.value} (fields: {', '.join(sorted(known))}"
        + (", entered:STAGE, exited:STAGE)." if dated else ").")
        for f in given
        if f not in known and not (dated and is_stage_date_field(f))
    }
    if problems:
        raise ValidationError(problems)


def _checked_columns(columns: dict[str, str], kind: ImportKind, table: CsvTable) -> dict[str, str]:
    renamed = RENAMED.get(kind, {})
    columns = {renamed.get(f, f): c for f, c in columns.items()}
    _check_fields(columns, kind, "map")
    problems = {}
    problems.update(
        {
            f"{f}.column": f"The file has no column “{c}” (columns: {', '.join(table.headers)})."
            for f, c in columns.items()
            if c not in table.headers
        }
    )
    if problems:
        raise ValidationError(problems)
    return columns
