"""Entry point for ``python -m nextlevel_desktop`` and the ``nextlevel-desktop`` script."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args_given = list(sys.argv[1:] if argv is None else argv)
    if args_given == ["--chart-worker"]:  # the app's chart drawing process (no Qt)
        from .render.chart_process import serve

        return serve()
    from . import cli

    args = cli.parse(args_given)
    if args.command:
        return cli.run_command(args)
    from .app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
