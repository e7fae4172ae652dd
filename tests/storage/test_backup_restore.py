"""Restoring backups into new workspace files, and the daily backup rotation."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from nextlevel_desktop.domain.activities import ActivityFilter
from nextlevel_desktop.domain.errors import NextLevelError
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage.backup import (
    backup_to,
    daily_backup,
    restore_backup,
    start_daily_backup,
)
from nextlevel_desktop.storage.db import read_workspace_id


def test_restore_makes_a_working_copy(demo_services: Services, tmp_path: Path) -> None:
    backup = backup_to(demo_services.db.path, tmp_path / "b" / "backup.nlw")
    restored = restore_backup(backup, tmp_path / "restored.nlw")
    db, created = open_workspace(restored, create=False)
    try:
        assert not created
        every = ActivityFilter()
        restored_count = Services.for_database(db).activities.count(every)
        assert restored_count == demo_services.activities.count(every) > 0
    finally:
        db.close()
    assert backup.exists()


def test_restore_refuses_bad_input(tmp_path: Path) -> None:
    junk = tmp_path / "junk.nlw"
    junk.write_bytes(b"not a database at all" * 10)
    with pytest.raises(NextLevelError, match="not a Next Level workspace"):
        restore_backup(junk, tmp_path / "out.nlw")
    with pytest.raises(NextLevelError, match="no backup file"):
        restore_backup(tmp_path / "missing.nlw", tmp_path / "out.nlw")
    empty = tmp_path / "empty.nlw"
    empty.write_bytes(b"")
    with pytest.raises(NextLevelError, match="empty"):
        restore_backup(empty, tmp_path / "out.nlw")
    assert not (tmp_path / "out.nlw").exists()


def test_daily_backup_keeps_the_last_seven(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "backups"
    start = date(2026, 11, 1)
    for i in range(10):
        assert daily_backup(db.path, folder, today=start + timedelta(days=i)) is not None
    assert daily_backup(db.path, folder, today=start + timedelta(days=9)) is None  # once a day
    (own,) = folder.iterdir()  # one folder: the workspace's identity
    assert own.name == read_workspace_id(db.path)
    kept = sorted(p.name for p in own.iterdir())
    assert kept == [f"test-{(start + timedelta(days=i)).isoformat()}.nlw" for i in range(3, 10)]


def test_daily_backup_runs_in_the_background(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "backups"
    start_daily_backup(db.path, folder).join(timeout=30)
    own = folder / str(read_workspace_id(db.path))
    assert [p.name for p in own.iterdir()] == [f"test-{date.today().isoformat()}.nlw"]
    # A failure is logged, never raised into the caller.
    start_daily_backup(tmp_path / "missing.nlw", folder).join(timeout=30)
