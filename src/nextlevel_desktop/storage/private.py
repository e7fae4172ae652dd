"""Files only their owner can read: workspaces, their -wal/-shm, locks, backups, settings, logs.

Created 0600 in folders 0700 whatever the umask (the mode passed to ``open`` is masked by the
umask, so it is set again explicitly). Folders the user chose (where a workspace lives) are
never changed; folders the app creates are. Files from older versions are tightened when
they are opened, if they are ours.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path, *, tighten_existing: bool = True) -> Path:
    """Create ``path`` (and missing parents) as 0700 folders.

    An existing ``path`` is tightened to 0700 if it is ours, unless ``tighten_existing`` is
    false (a folder the user chose, such as the one holding a workspace).
    """
    path = Path(path)
    missing: list[Path] = []
    current = path
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    path.mkdir(parents=True, exist_ok=True)
    for folder in missing:
        with contextlib.suppress(OSError):
            folder.chmod(DIR_MODE)
    if tighten_existing:
        make_private(path)
    return path


def create_private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 if missing; tighten it if it exists and is ours."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        make_private(path)
        return path
    try:
        os.fchmod(fd, FILE_MODE)
    except (OSError, AttributeError):  # AttributeError: no fchmod on Windows
        pass
    finally:
        os.close(fd)
    return path


def open_private_append(path: Path) -> int:
    """A file descriptor appending to ``path``, which is created 0600 if missing."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    with contextlib.suppress(OSError, AttributeError):
        if os.fstat(fd).st_uid == os.geteuid():
            os.fchmod(fd, FILE_MODE)
    return fd


def make_private(path: Path) -> None:
    """Tighten an existing file to 0600 (a folder to 0700) if it belongs to this user.

    Never fails: a file we may not change keeps its mode (it is not ours to decide).
    """
    try:
        info = os.stat(path)
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            return
        wanted = DIR_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE
        if stat.S_IMODE(info.st_mode) & ~wanted:
            os.chmod(path, stat.S_IMODE(info.st_mode) & wanted)
    except OSError:
        pass


def make_workspace_private(path: Path) -> None:
    """Tighten a workspace file and its -wal and -shm files (if they are ours)."""
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        candidate = path.with_name(name)
        if candidate.exists():
            make_private(candidate)
