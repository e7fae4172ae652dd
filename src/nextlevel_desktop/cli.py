"""Command-line interface: GUI options and the sub-commands that work without a window.

Each sub-command lives in ``commands/<name>.py`` with ``register(subparsers)``; the function it
sets as ``func`` gets the parsed arguments and returns the exit code.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from . import APP_NAME, __version__
from .domain.errors import NextLevelError, UnexpectedError


def add_workspace_argument(parser: argparse.ArgumentParser) -> None:
    """``--workspace`` on a sub-command (SUPPRESS keeps the top-level value if given there)."""
    parser.add_argument(
        "--workspace", "-w", type=Path, default=argparse.SUPPRESS, help="the workspace file to use"
    )


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser; only the sub-command named in ``argv`` is loaded in full."""
    parser = argparse.ArgumentParser(
        prog="nextlevel-desktop",
        description=f"{APP_NAME}: design, work and measure your hunting and farming "
        "sales processes. Without a command, starts the app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--workspace",
        "-w",
        type=Path,
        nargs="?",  # a menu entry's "-w %f" gives no value when started without a file
        help="open this workspace file (created if missing)",
    )
    parser.add_argument(
        "--data-dir", type=Path, help="keep settings, logs, backups and the default workspace here"
    )
    parser.add_argument(
        "--demo", action="store_true", help="fill a newly created workspace with demo data"
    )
    parser.add_argument(
        "--no-demo",
        action="store_true",
        help="create the default workspace on first start without demo data",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open a temporary demo workspace, visit every area, then exit (0 = all good)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from .commands import asked_for, register_all

    register_all(sub, asked_for(argv))
    return parser


def workspace_path(args: argparse.Namespace) -> Path:
    """The workspace a sub-command works on: ``--workspace`` or the default one."""
    from .paths import Paths
    from .storage.foreign import refuse_unusable_path

    given = getattr(args, "workspace", None)
    path = Path(given) if given else Paths.default(args.data_dir).default_workspace
    refuse_unusable_path(path)  # a folder or a link loop: every command says so, not "missing"
    return path


def run_command(args: argparse.Namespace) -> int:
    """Run a sub-command; every failure ends in one line on stderr and a non-zero exit code.

    2: the user can act on it (a file, a lock, a full disk); 1: a bug stopped the command,
    after its transaction was rolled back (the traceback goes to the log, not the terminal).
    """
    from .logs import LOGGER, command_log_handler
    from .paths import Paths

    log_file = Paths.default(args.data_dir).log_file
    logger = logging.getLogger(LOGGER)
    handler = command_log_handler(log_file)
    logger.addHandler(handler)
    try:
        return int(args.func(args))
    except UnexpectedError as exc:
        print(f"error: {_one_line(exc)} Details are in {log_file}.", file=sys.stderr)
        return 1
    except NextLevelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # A damaged page met while reading: the one damage message, not a traceback.
        from .storage.integrity import damage_message, is_corruption

        if is_corruption(exc):
            where = workspace_path(args)
            print(
                f"error: {damage_message(where, 'a damaged page was met while reading')}",
                file=sys.stderr,
            )
            return 2
        from .storage.errors import classify

        known = classify(exc, workspace_path(args) if hasattr(args, "workspace") else None)
        if known is not None:  # a storage condition met outside a transaction (a read)
            print(f"error: {known}", file=sys.stderr)
            return 2
        # A bug outside any write: nothing was half-written either.
        logger.exception("The command failed")
        print(
            f"error: the command stopped because of an error in Next Level Desktop "
            f"({type(exc).__name__}: {_one_line(exc)}). Details are in {log_file}; please "
            "report this problem.",
            file=sys.stderr,
        )
        return 1
    finally:
        logger.removeHandler(handler)
        handler.close()


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    args = list(sys.argv[1:] if argv is None else argv)
    return build_parser(args).parse_args(args)
