"""Whole-workspace file operations: copies and backups."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..storage import backup
from ..storage.db import Database


def save_copy(db: Database, dest: Path, progress: Callable[[int, int], None] | None = None) -> Path:
    """A consistent copy of the open workspace (SQLite backup API), safe while it is in use."""
    return backup.backup_to(db.path, dest, progress)


def daily_backup(db: Database, folder: Path, keep: int = 7) -> Path | None:
    return backup.daily_backup(db.path, folder, keep)


def restore_backup(source: Path, dest: Path) -> Path:
    """Restore a backup into a new workspace file (never over the backup itself)."""
    return backup.restore_backup(source, dest)
