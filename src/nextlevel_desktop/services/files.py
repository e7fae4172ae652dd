"""Whole-workspace file operations: copies and backups."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..storage import backup
from ..storage.db import Database
from ..storage.salvage import SalvageReport, salvage_workspace


def save_copy(db: Database, dest: Path, progress: Callable[[int, int], None] | None = None) -> Path:
    """A consistent, verified copy of the open workspace (SQLite backup API), safe while it is
    in use; it waits for the workspace's integrity check and refuses a damaged workspace."""
    return backup.backup_to(db.path, dest, progress, gate=db.integrity)


def daily_backup(db: Database, folder: Path, keep: int = 7) -> Path | None:
    return backup.daily_backup(db.path, folder, keep, gate=db.integrity)


def salvage(
    source: Path, dest: Path, progress: Callable[[float], None] | None = None
) -> SalvageReport:
    """Salvage what is readable from the damaged workspace ``source`` into the new file ``dest``.

    Where no process of a kind survived, the default one is added, so that the result is a
    workspace the app can work with (the report's ``restored`` names the kinds).
    """
    from .workspace import open_workspace, restore_essentials

    report = salvage_workspace(source, dest, progress)
    db, _ = open_workspace(dest, create=False)
    try:
        report.restored = [kind.value for kind in restore_essentials(db)]
    finally:
        db.close()
    return report


def free_name(wanted: Path) -> Path:
    """``wanted``, or ``<stem> 2<suffix>``, ``<stem> 3<suffix>``… if that exists already."""
    candidate, n = wanted, 2
    while candidate.exists():
        candidate = wanted.with_name(f"{wanted.stem} {n}{wanted.suffix}")
        n += 1
    return candidate


def restore_newest_healthy_backup(damaged: Path, backups_root: Path) -> Path | None:
    """Restore the newest healthy backup of ``damaged`` into a NEW file beside it.

    Returns the new file, or ``None`` when there is no healthy backup. The damaged file is
    never overwritten.
    """
    found = backup.find_healthy_backup(damaged, backups_root)
    if found is None:
        return None
    dest = free_name(damaged.with_name(f"{damaged.stem} restored{damaged.suffix or '.nlw'}"))
    return backup.restore_backup(found, dest)


def restore_backup(source: Path, dest: Path) -> Path:
    """Restore a backup into a new workspace file (never over the backup itself)."""
    return backup.restore_backup(source, dest)
