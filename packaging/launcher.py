"""Entry script that PyInstaller freezes: runs the installed ``nextlevel_desktop`` package."""

import os
import sys


def _console_streams() -> None:
    """A windowed build has no stdout/stderr: use the console it was started from, if any
    (so ``--self-test``, ``--version`` and the sub-commands can report), else discard output."""
    if sys.stdout is not None and sys.stderr is not None:
        return
    out = None
    if sys.platform == "win32":
        import ctypes

        if ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
            out = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
    if out is None:
        out = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:
        sys.stdout = out
    if sys.stderr is None:
        sys.stderr = out


_console_streams()

from nextlevel_desktop.__main__ import main  # noqa: E402

sys.exit(main())
