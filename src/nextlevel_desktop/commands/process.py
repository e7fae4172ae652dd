"""``nextlevel-desktop process export|import``: roll a designed process out to other workspaces."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..cli import add_workspace_argument, workspace_path
from . import help_for
from .common import opened


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("process", help=help_for("process"))
    actions = p.add_subparsers(dest="process_command", metavar="ACTION", required=True)
    exp = actions.add_parser("export", help="write a process (stages, targets…) to a JSON file")
    exp.add_argument("name", help="the process's name")
    add_workspace_argument(exp)
    exp.add_argument("-o", "--output", type=Path, required=True, help="the process file to write")
    exp.set_defaults(func=run_export)
    imp = actions.add_parser("import", help="add a process from a process file to a workspace")
    imp.add_argument("file", type=Path, help="the process file to read")
    add_workspace_argument(imp)
    imp.set_defaults(func=run_import)


def run_export(args: argparse.Namespace) -> int:
    with opened(args) as services:
        dest = services.process_files.export_by_name(args.name, args.output)
    print(f"Exported “{args.name}” to {dest}.")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from ..locking import locked_for_writing
    from ..services.process_files import ProcessFileService

    design = ProcessFileService.read(args.file)  # check the file before opening the workspace
    with locked_for_writing(workspace_path(args)), opened(args) as services:
        result = services.process_files.import_design(design)
    print(f"Imported the {design.kind.value} process “{result.name}” into {workspace_path(args)}.")
    for note in result.notes:
        print(f"  {note}")
    return 0
