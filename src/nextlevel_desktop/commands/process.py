"""``nextlevel-desktop process export|import``: roll a designed process out to other workspaces."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..cli import add_workspace_argument, workspace_path
from ..domain.errors import WorkspaceError
from . import help_for


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


def _open(args: argparse.Namespace):  # noqa: ANN202 - returns the services and database
    from ..services.container import Services
    from ..services.workspace import open_workspace

    path = workspace_path(args)
    if not path.exists():
        raise WorkspaceError(f"There is no workspace at “{path}”.")
    db, _ = open_workspace(path, create=False)
    return Services.for_database(db)


def run_export(args: argparse.Namespace) -> int:
    services = _open(args)
    try:
        dest = services.process_files.export_by_name(args.name, args.output)
    finally:
        services.close()
    print(f"Exported “{args.name}” to {dest}.")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from ..locking import locked_for_writing
    from ..services.process_files import ProcessFileService

    design = ProcessFileService.read(args.file)  # check the file before opening the workspace
    with locked_for_writing(workspace_path(args)):
        services = _open(args)
        try:
            result = services.process_files.import_design(design)
        finally:
            services.close()
    print(f"Imported the {design.kind.value} process “{result.name}” into {workspace_path(args)}.")
    for note in result.notes:
        print(f"  {note}")
    return 0
