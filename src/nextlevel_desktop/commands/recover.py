"""``nextlevel-desktop recover``: salvage what is readable from a damaged workspace.

The readable rows go into a NEW workspace file (the damaged one is never changed); the counts
per table are printed. See :mod:`nextlevel_desktop.storage.salvage` for how.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..cli import add_workspace_argument, workspace_path
from . import help_for


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "recover",
        help=help_for("recover"),
        description="Copy every readable row of a damaged workspace into a new, valid "
        "workspace file, and print what was recovered. The damaged file is not changed.",
    )
    add_workspace_argument(p)
    p.add_argument(
        "-o", "--output", type=Path, required=True, help="the new workspace file to write"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..services.files import salvage

    report = salvage(workspace_path(args), args.output)
    for line in report.lines():
        print(f"  {line}")
    print(report.summary())
    return 0
