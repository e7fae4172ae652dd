"""``nextlevel-desktop new``: create a workspace file without the app's window."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..domain.errors import WorkspaceError
from . import help_for


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "new",
        help=help_for("new"),
        description="Create a workspace file with the default hunting and farming processes. "
        "An existing file is never replaced.",
    )
    p.add_argument("file", type=Path, help="the workspace file to create, e.g. client.nlw")
    p.add_argument("--demo", action="store_true", help="fill it with demo data")
    add_currency_argument(p)
    p.set_defaults(func=run)


def add_currency_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--currency",
        metavar="CODE",
        help="the workspace's currency, e.g. USD (default: your locale's, else EUR)",
    )


def chosen_currency(args: argparse.Namespace) -> str:
    from ..domain.settings import currency_code, locale_currency

    return currency_code(args.currency) if args.currency else locale_currency()


def create(path: Path, args: argparse.Namespace, demo: bool = False) -> None:
    """Create the workspace at ``path`` (which must not exist) and say so."""
    from ..locking import locked_for_writing
    from ..services.workspace import create_workspace
    from ..storage.foreign import refuse_unusable_path

    currency = chosen_currency(args)
    refuse_unusable_path(path)
    with locked_for_writing(path):
        if path.exists():
            raise WorkspaceError(
                f"“{path}” already exists: choose another file name (an existing file is "
                "never replaced)."
            )
        create_workspace(path, demo=demo, currency=currency)
    print(
        f"Created the workspace {path} (currency {currency}{', with demo data' if demo else ''})."
    )


def run(args: argparse.Namespace) -> int:
    create(Path(args.file), args, demo=args.demo)
    return 0
