"""Paths that cannot hold a workspace, refused before SQLite (or anything else) opens them.

SQLite answers a folder or a symbolic link loop only with "unable to open database file", which
reads like damage, and would happily turn another program's empty database into a workspace.
These checks read at most the 100-byte file header, so a refused file is never changed.
"""

from __future__ import annotations

import errno
import os
import struct
from pathlib import Path

from ..domain.errors import NotAWorkspaceError
from .db import APPLICATION_ID, SQLITE_MAGIC


def refuse_unusable_path(path: Path) -> None:
    """Raise ``NotAWorkspaceError`` for a folder, a symbolic link that loops back on itself, or
    a SQLite file that another program marked as its own (a non-zero application id that is not
    ours). A missing path passes: the caller reports it, or creates the workspace there."""
    path = Path(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotAWorkspaceError(
                f"“{path.name}” is a symbolic link that loops back on itself, not a workspace "
                "file. Open the file the link should point to."
            ) from exc
        return
    if path.is_dir():
        raise NotAWorkspaceError(f"“{path}” is a folder, not a workspace file.")
    if info.st_size < 100:
        return
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError:
        return  # unreadable: opening it reports why
    if not header.startswith(SQLITE_MAGIC):
        return
    app_id = struct.unpack(">I", header[68:72])[0]
    if app_id not in (0, APPLICATION_ID):
        raise NotAWorkspaceError(
            f"“{path.name}” is a database that belongs to another program (application id "
            f"{app_id:#010x}), not a Next Level workspace."
        )
