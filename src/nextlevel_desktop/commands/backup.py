"""``nextlevel-desktop backup``: a consistent copy of a workspace, even while it is open."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..cli import add_workspace_argument, workspace_path
from ..domain.errors import WorkspaceError
from . import help_for


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("backup", help=help_for("backup"))
    add_workspace_argument(p)
    p.add_argument("-o", "--output", type=Path, required=True, help="the backup file to write")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = workspace_path(args)
    if not path.exists():
        raise WorkspaceError(f"There is no workspace at “{path}”.")
    from ..storage.backup import backup_to
    from ..storage.db import inspect_file

    inspect_file(path)  # refuse damaged or foreign files with a clear message
    dest = backup_to(path, args.output)
    print(f"Backed up {path} to {dest} ({dest.stat().st_size:,} bytes).")
    return 0
