"""Sub-commands of the ``nextlevel-desktop`` command line (one module each).

Only the command asked for is imported and registered in full; the others are listed by name
and help, so parsing the arguments of a GUI start loads none of their modules.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from importlib import import_module
from typing import Any

# name → (module, one-line help), in the order ``--help`` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "new": ("new", "create a workspace file (optionally with demo data)"),
    "backup": ("backup", "write a consistent backup copy of a workspace"),
    "process": ("process", "export a process to a file, or import one"),
    "import": (
        "import_",
        "import engagements, activities, accounts, people or teams from a CSV file",
    ),
    "export": ("export", "export a list to CSV or xlsx, contacts to vCard, plans to iCalendar"),
    "report": (
        "report",
        "print a process's measures against its targets (JSON) or write a PDF scorecard",
    ),
    "behaviour": (
        "behaviour",
        "print a process-behaviour (XmR) chart of one measure per week or month (JSON)",
    ),
    "plan": (
        "plan",
        "work back from a won value or count target to the weekly new engagements and activities",
    ),
    "recover": ("recover", "salvage what is readable from a damaged workspace into a new file"),
}


def help_for(name: str) -> str:
    return COMMANDS[name][1]


def asked_for(argv: Sequence[str]) -> str | None:
    """The sub-command named in ``argv``, if any."""
    return next((arg for arg in argv if arg in COMMANDS), None)


def register_all(sub: argparse._SubParsersAction[Any], wanted: str | None) -> None:
    for name, (module, help_) in COMMANDS.items():
        if name == wanted:
            import_module(f"{__name__}.{module}").register(sub)
        else:
            sub.add_parser(name, help=help_)
