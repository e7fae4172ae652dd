"""Opening workspace files: new, migrated, newer, damaged, foreign, read-only."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from nextlevel_desktop.domain.errors import (
    DamagedWorkspaceError,
    EmptyWorkspaceError,
    NewerWorkspaceError,
    NotAWorkspaceError,
    ReadOnlyError,
    WorkspaceError,
)
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage import migrate
from nextlevel_desktop.storage.db import APPLICATION_ID, open_database
from nextlevel_desktop.storage.orm import PersonRow


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_workspace_is_created_at_head_with_pragmas(workspace_path: Path) -> None:
    db, created = open_workspace(workspace_path)
    try:
        assert created
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
            assert conn.exec_driver_sql("PRAGMA application_id").scalar() == APPLICATION_ID
            rev = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            assert rev == migrate.HEAD
    finally:
        db.close()


def test_reopen_is_not_created_again_and_keeps_data(workspace_path: Path) -> None:
    db, _ = open_workspace(workspace_path)
    with db.transaction() as s:
        s.add(PersonRow(name="Ada Lovelace", email="ada@example.com", role="manager"))
    db.close()
    db, created = open_workspace(workspace_path)
    try:
        assert not created
        with db.read() as s:
            assert s.scalars(select(PersonRow.name)).all() == ["Ada Lovelace"]
    finally:
        db.close()


def test_transaction_rolls_back_on_error(db) -> None:
    with pytest.raises(RuntimeError), db.transaction() as s:
        s.add(PersonRow(name="Half written"))
        s.flush()
        raise RuntimeError("boom")
    with db.read() as s:
        assert s.scalars(select(PersonRow)).all() == []


def test_foreign_keys_are_enforced(db) -> None:
    from sqlalchemy.exc import IntegrityError

    from nextlevel_desktop.storage.orm import ContactRow

    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(ContactRow(account_id=424242, name="Orphan"))


def _make_workspace(path: Path) -> None:
    db, _ = open_workspace(path)
    db.close()


def test_newer_workspace_is_refused_and_untouched(workspace_path: Path) -> None:
    _make_workspace(workspace_path)
    con = sqlite3.connect(workspace_path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    before = digest(workspace_path)
    with pytest.raises(NewerWorkspaceError, match="newer version"):
        open_workspace(workspace_path)
    assert digest(workspace_path) == before


def test_random_bytes_file_is_not_a_workspace(tmp_path: Path) -> None:
    path = tmp_path / "junk.nlw"
    path.write_bytes(random.Random(1).randbytes(50_000))
    before = digest(path)
    with pytest.raises(NotAWorkspaceError, match="not a Next Level workspace"):
        open_workspace(path)
    assert digest(path) == before
    assert not path.with_name("junk.nlw-wal").exists()


def test_truncated_workspace_is_damaged_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "cut.nlw"
    db, _ = open_workspace(path, demo=True)
    db.close()
    # Fold the WAL into the main file, then cut the file in half.
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = digest(path)
    with pytest.raises(DamagedWorkspaceError, match="damaged"):
        open_workspace(path)
    assert digest(path) == before


def test_corrupted_pages_are_reported_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "garbled.nlw"
    db, _ = open_workspace(path, demo=True)
    db.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for i in range(page, len(data) - page, page * 3):
        data[i + 8 : i + 200] = random.Random(i).randbytes(192)
    path.write_bytes(bytes(data))
    with pytest.raises((DamagedWorkspaceError, NotAWorkspaceError)):
        open_workspace(path)


def test_other_sqlite_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO customers (name) VALUES ('x')")
    con.commit()
    con.close()
    before = digest(path)
    with pytest.raises(NotAWorkspaceError, match="not a Next Level workspace"):
        open_workspace(path)
    assert digest(path) == before


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotAWorkspaceError, match="folder"):
        open_workspace(tmp_path)


def test_empty_file_is_refused_unless_asked_to_create_there(tmp_path: Path) -> None:
    path = tmp_path / "empty.nlw"
    path.touch()
    for create in (True, False):
        with pytest.raises(EmptyWorkspaceError, match=r"is empty \(0 bytes\): it is not a"):
            open_workspace(path, create=create)
        assert path.stat().st_size == 0
    with pytest.raises(EmptyWorkspaceError):
        open_database(path, create=True)
    assert path.stat().st_size == 0
    # File > New at that name: the user asked for a workspace there.
    db, created = open_workspace(path, replace_empty=True)
    db.close()
    assert created
    assert path.stat().st_size > 0


def test_missing_file_without_create_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="no workspace"):
        open_database(tmp_path / "missing.nlw", create=False)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write read-only files")
def test_read_only_file_is_refused(workspace_path: Path) -> None:
    _make_workspace(workspace_path)
    workspace_path.chmod(0o444)
    with pytest.raises(ReadOnlyError, match="is read-only"):
        open_workspace(workspace_path)
