"""What a storage failure really was, from SQLite's result codes and the OS's errno.

Never from message text: SQLite's messages are not an interface ("database or disk is full" is
SQLITE_FULL, but "unable to open database file" may be a read-only folder, a read-only drive or
a missing folder). Every message names the file or folder and says what to do.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from ..domain.errors import (
    AccessDeniedError,
    DamagedWorkspaceError,
    DiskFullError,
    NextLevelError,
    ReadOnlyError,
    StorageError,
    StorageIOError,
    WorkspaceBusyError,
)

# Primary result codes (https://www.sqlite.org/rescode.html).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26
# Extended: the database's folder is read-only, so the WAL/SHM files cannot be created.
SQLITE_READONLY_DIRECTORY = SQLITE_READONLY | (6 << 8)

_ERRNO_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def sqlite_cause(exc: BaseException) -> sqlite3.Error | None:
    """The ``sqlite3.Error`` behind ``exc``: SQLAlchemy's ``.orig``, a cause, or ``exc``."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sqlite3.Error):
            return current
        orig = getattr(current, "orig", None)
        if isinstance(orig, sqlite3.Error):
            return orig
        current = current.__cause__ or current.__context__
    return None


def _name(path: Path | None) -> str:
    return f"“{path.name}”" if path is not None else "the workspace"


def _read_only_place(path: Path | None) -> StorageError:
    """Say whether the drive, the folder or the file is what cannot be written."""
    if path is None:
        return ReadOnlyError(
            "The workspace cannot be written: it is read-only. Open a copy saved elsewhere."
        )
    folder = path.parent
    try:
        drive_read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # AttributeError: no statvfs on Windows
        drive_read_only = False
    if drive_read_only:
        return ReadOnlyError(
            f"{_name(path)} is on a read-only drive or share ({folder}). Copy it to a "
            "writable folder and open the copy there; nothing was saved."
        )
    if not os.access(folder, os.W_OK):
        return ReadOnlyError(
            f"The folder “{folder}” is read-only, so {_name(path)} cannot be changed there "
            "(its -wal and -shm files cannot be created). Allow writing to the folder, or "
            "open a copy saved elsewhere; nothing was saved."
        )
    return ReadOnlyError(
        f"{_name(path)} is read-only. Change its permissions, or open a copy of it; "
        "nothing was saved."
    )


def _from_code(code: int, path: Path | None, detail: str) -> NextLevelError | None:
    primary = code & 0xFF
    name = _name(path)
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return WorkspaceBusyError(
            f"{name[0].upper()}{name[1:]} is busy: another program kept it locked for more "
            "than 5 seconds. Try again in a moment; nothing was saved."
        )
    if primary == SQLITE_FULL:
        where = f" holding “{path.parent}”" if path is not None else ""
        return DiskFullError(
            f"The disk{where} is full, so {name} could not be saved. Free some space and try "
            "again; nothing was saved."
        )
    if code == SQLITE_READONLY_DIRECTORY and path is not None:
        return ReadOnlyError(
            f"The folder “{path.parent}” is read-only, so {name} cannot be changed there. "
            "Allow writing to the folder, or open a copy saved elsewhere; nothing was saved."
        )
    if primary == SQLITE_READONLY:
        return _read_only_place(path)
    if primary == SQLITE_IOERR and path is not None and _out_of_space(path):
        # SQLite reports a failed -shm/-wal extension as an I/O error; the errno was ENOSPC.
        return _from_code(SQLITE_FULL, path, detail)
    if primary == SQLITE_IOERR:
        return StorageIOError(
            f"The drive reported an input/output error while {name} was being written "
            f"({detail}). Check the drive (a removed USB stick or network share?) and try "
            "again; the last saved state is kept."
        )
    if primary in (SQLITE_CANTOPEN, SQLITE_PERM):
        if path is not None and path.parent.exists() and _read_only(path):
            return _read_only_place(path)
        where = f"“{path}”" if path is not None else "the workspace"
        return AccessDeniedError(
            f"{where} cannot be opened for writing: the system refused access. Check that the "
            "folder exists and that you may write to it, then try again."
        )
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return DamagedWorkspaceError(
            f"{name[0].upper()}{name[1:]} is damaged and cannot be read ({detail}). "
            "Restore it from a backup."
        )
    return None


def _out_of_space(path: Path) -> bool:
    """True when the drive holding ``path`` has (almost) no space left for us."""
    try:
        stats = os.statvfs(path.parent)
    except (OSError, AttributeError):
        return False
    return stats.f_bavail * stats.f_frsize < 64 * 1024


def _read_only(path: Path) -> bool:
    """True when the drive or the folder of ``path`` (or the file itself) cannot be written."""
    try:
        if os.statvfs(path.parent).f_flag & os.ST_RDONLY:
            return True
    except (OSError, AttributeError):
        pass
    if not os.access(path.parent, os.W_OK):
        return True
    return path.exists() and not os.access(path, os.W_OK)


def _from_errno(exc: OSError, path: Path | None) -> StorageError | None:
    target = Path(exc.filename) if exc.filename else path
    if exc.errno in _ERRNO_FULL:
        where = f" holding “{target.parent}”" if target is not None else ""
        return DiskFullError(
            f"The disk{where} is full, so “{target.name if target else 'the file'}” could not "
            "be written. Free some space and try again."
        )
    if exc.errno == errno.EROFS:
        return _read_only_place(target)
    if exc.errno in (errno.EACCES, errno.EPERM):
        if target is not None and _read_only(target):
            return _read_only_place(target)
        return AccessDeniedError(
            f"“{target or 'the file'}” cannot be written: the system refused access. Check its "
            "permissions and try again."
        )
    if exc.errno == errno.EIO:
        return StorageIOError(
            f"The drive reported an input/output error on “{target or 'the file'}”. Check the "
            "drive and try again."
        )
    return None


def classify(exc: BaseException, path: Path | None = None) -> NextLevelError | None:
    """A user-facing error for a storage failure a user can act on, else ``None``.

    ``path`` is the file being worked on (the workspace, or a backup being written); it lets
    the message name it and tell a read-only folder from a read-only drive.
    """
    if isinstance(exc, NextLevelError):
        return exc
    cause = sqlite_cause(exc)
    if cause is not None:
        code = getattr(cause, "sqlite_errorcode", None)
        if code is None:  # errors raised by the sqlite3 module itself, not by SQLite
            return None
        return _from_code(int(code), path, str(cause))
    if isinstance(exc, OSError):
        return _from_errno(exc, path)
    return None


def read_only_error(path: Path) -> StorageError | None:
    """The error to give before writing to ``path`` when its drive, folder or file is read-only."""
    return _read_only_place(path) if _read_only(path) else None


def write_problem(path: Path) -> StorageError | None:
    """Why a new file beside ``path`` (its lock, a -wal) may not be creatable: a full disk, or a
    read-only drive, folder or file; ``None`` when neither is the case."""
    if _out_of_space(path):
        return _from_errno(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path)), path)
    return read_only_error(path)
