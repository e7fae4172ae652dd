"""``nextlevel-desktop export``: a list to CSV, an Excel workbook, vCards or a calendar."""

from __future__ import annotations

import argparse
import locale
from pathlib import Path
from typing import Any

from ..cli import add_workspace_argument
from ..domain.activities import ActivityFilter
from ..domain.errors import ValidationError
from ..domain.exporting import FORMATS, WHAT, CsvStyle, export_format
from . import help_for
from .common import find_process, opened

DELIMITERS = {",": ",", ";": ";", "comma": ",", "semicolon": ";", "tab": "\t"}


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "export",
        help=help_for("export"),
        description="Export a list. CSV re-imports as it was; xlsx is an Excel workbook with "
        "number and date cells; vcf holds contacts as vCards; ics holds the planned "
        "activities as calendar events (the same ids each time, so a calendar updates them).",
    )
    add_workspace_argument(p)
    p.add_argument("--what", required=True, choices=WHAT, help="what to export")
    p.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    p.add_argument(
        "--format",
        choices=list(FORMATS),
        help="the file format (default: from the output's suffix, else csv)",
    )
    p.add_argument("--process", default="", help="only this process (engagements, activities)")
    p.add_argument(
        "--delimiter",
        choices=list(DELIMITERS),
        help="CSV: the cell separator (default: semicolon where your locale writes decimals "
        "with a comma, else comma)",
    )
    marks = p.add_mutually_exclusive_group()
    marks.add_argument(
        "--decimal-comma",
        dest="decimal_comma",
        action="store_true",
        default=None,
        help="CSV: write 12,50 (default: as your locale writes decimals)",
    )
    marks.add_argument(
        "--decimal-point", dest="decimal_comma", action="store_false", help="CSV: write 12.50"
    )
    p.set_defaults(func=run)


def locale_decimal_mark() -> str:
    """The decimal mark of the user's locale (LC_ALL, LC_NUMERIC, LANG); "." if unknown."""
    try:
        previous = locale.setlocale(locale.LC_NUMERIC)
        locale.setlocale(locale.LC_NUMERIC, "")
        try:
            return str(locale.localeconv()["decimal_point"]) or "."
        finally:
            locale.setlocale(locale.LC_NUMERIC, previous)
    except locale.Error:
        return "."  # a locale this machine does not have: the plain decimal point


def csv_style(args: argparse.Namespace) -> CsvStyle:
    """The locale's style, with what the flags name instead."""
    default = CsvStyle.for_decimal_mark(locale_decimal_mark())
    comma = default.decimal_comma if args.decimal_comma is None else args.decimal_comma
    if not args.delimiter:
        return CsvStyle(";" if comma else default.delimiter, comma)
    delimiter = DELIMITERS[args.delimiter]
    if comma and delimiter == ",":
        raise ValidationError(
            {"delimiter": "Decimal commas need another separator: use --delimiter ';'."}
        )
    return CsvStyle(delimiter, comma)


def run(args: argparse.Namespace) -> int:
    fmt = export_format(args.what, args.output, args.format)
    style = csv_style(args)
    with opened(args) as services:
        processes = services.processes.processes(include_archived=True)
        process_id = find_process(processes, args.process).id if args.process else None
        count = services.exporting.export(
            args.what,
            args.output,
            ActivityFilter(process_id=process_id),
            process_id,
            fmt=fmt,
            style=style,
        )
    what = "planned activities" if fmt == "ics" else args.what
    detail = f" ({style.label})" if fmt == "csv" else ""
    print(f"Exported {count:,} {what} to {args.output}{detail}.")
    return 0
