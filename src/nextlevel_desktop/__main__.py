"""Entry point for ``python -m nextlevel_desktop`` and the ``nextlevel-desktop`` script."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from . import cli

    args = cli.parse(argv)
    if args.command:
        return cli.run_command(args)
    from .app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
