"""Consistent copies of a workspace through SQLite's online backup API.

The backup API copies a consistent snapshot even while the app has the file open (WAL included);
copies are written to a temporary name and renamed into place, so a failed copy leaves nothing.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from ..domain.errors import StorageError
from .private import create_private_file, private_dir

log = logging.getLogger(__name__)


def backup_to(source: Path, dest: Path, progress: Callable[[int, int], None] | None = None) -> Path:
    """Copy the workspace at ``source`` to ``dest`` (replacing it); returns ``dest``."""
    source, dest = Path(source), Path(dest)
    if source.resolve() == dest.resolve():
        raise StorageError("A backup cannot be written over the workspace itself.")
    tmp = dest.with_name(dest.name + ".partial")
    try:
        private_dir(dest.parent, tighten_existing=False)
        tmp.unlink(missing_ok=True)
        create_private_file(tmp)  # SQLite would create it with the umask's mode (0644)
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:

                def _progress(_status: int, remaining: int, total: int) -> None:
                    if progress is not None:
                        progress(total - remaining, total)

                src.backup(dst, pages=1024, progress=_progress)
                # A copy is a self-contained file: no WAL beside it.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(tmp, dest)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):  # on a read-only drive there is nothing to remove
            tmp.unlink(missing_ok=True)
        from .errors import classify

        known = classify(exc, dest)
        if known is not None:
            raise type(known)(f"The backup to “{dest}” failed. {known}") from exc
        raise StorageError(f"The backup to “{dest}” failed: {exc}.") from exc
    return dest


def backup_before_migration(path: Path, revision: str) -> Path:
    """Write ``<name>.before-<revision>-<timestamp>.nlw`` beside the workspace."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    dest = path.with_name(f"{path.stem}.before-{revision}-{stamp}{path.suffix or '.nlw'}")
    return backup_to(path, dest)


def daily_backup(path: Path, folder: Path, keep: int = 7, today: date | None = None) -> Path | None:
    """Keep one backup per day of the workspace in ``folder``, the newest ``keep`` of them.

    Returns the path written, or ``None`` when today's backup already exists.
    """
    today = today or date.today()
    private_dir(folder)
    dest = folder / f"{path.stem}-{today.isoformat()}.nlw"
    written = None
    if not dest.exists():
        written = backup_to(path, dest)
    ours = sorted(folder.glob(f"{path.stem}-????-??-??.nlw"))
    for old in ours[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)
    return written


def restore_backup(backup: Path, dest: Path) -> Path:
    """Restore ``backup`` into a NEW workspace file ``dest``; returns ``dest``.

    The backup is checked first (a damaged or foreign file is refused with a clear message), and
    it is copied through the backup API, so the backup file itself is never changed.
    """
    from .db import inspect_file

    backup, dest = Path(backup), Path(dest)
    if not backup.is_file():
        raise StorageError(f"There is no backup file at “{backup}”.")
    if dest.exists() and dest.resolve() == backup.resolve():
        raise StorageError("Restore into a new workspace file, not over the backup itself.")
    if inspect_file(backup) is None:
        raise StorageError(f"“{backup.name}” is an empty file, not a workspace backup.")
    return backup_to(backup, dest)


def start_daily_backup(path: Path, folder: Path, keep: int = 7) -> threading.Thread:
    """Run :func:`daily_backup` on a background thread (its own SQLite connection), so that
    opening a large workspace is not slowed down. Failures are logged, never raised."""

    def work() -> None:
        try:
            written = daily_backup(path, folder, keep)
            if written is not None:
                log.info("Daily backup written to %s", written)
        except Exception:  # a backup must never break opening the workspace
            log.exception("The daily backup of %s failed", path)

    thread = threading.Thread(target=work, name="daily-backup", daemon=True)
    thread.start()
    return thread
