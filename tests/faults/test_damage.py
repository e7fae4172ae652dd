"""A workspace with one damaged page: caught before anything is written to it or backed up
from it, refused with one message, and salvageable (issue 12, "Damage")."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from damage_tools import damage_table_page, digest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from nextlevel_desktop.__main__ import main
from nextlevel_desktop.domain.errors import DamagedWorkspaceError
from nextlevel_desktop.services import files
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage import migrate
from nextlevel_desktop.storage.backup import backup_to, daily_backup, find_healthy_backup
from nextlevel_desktop.storage.db import (
    APPLICATION_ID,
    Database,
    inspect_file,
    make_engine,
    open_database,
    read_workspace_id,
)
from nextlevel_desktop.storage.integrity import IntegrityGate, is_corruption, quick_check
from nextlevel_desktop.storage.salvage import salvage_workspace

DEMO_ACTIVITIES = 3000


@pytest.fixture
def damaged(demo_db: Database) -> Path:
    """The demo workspace, closed, with one leaf page of the activity table overwritten."""
    path = demo_db.path
    demo_db.close()
    damage_table_page(path, "activity")
    return path


def test_opening_refuses_a_damaged_workspace_and_leaves_it_untouched(damaged: Path) -> None:
    before = digest(damaged)
    for create in (True, False):
        with pytest.raises(DamagedWorkspaceError) as caught:
            open_workspace(damaged, create=create)
        message = str(caught.value)
        assert "“test.nlw” is damaged" in message
        assert "newest healthy backup" in message and "salvage" in message
        assert "nextlevel-desktop recover" in message
    assert digest(damaged) == before


@pytest.mark.parametrize(
    "command",
    [
        ["report", "--process", "New business", "--json"],
        ["export", "--what", "activities", "-o", "{tmp}/out.csv"],
        ["backup", "-o", "{tmp}/copy.nlw"],
        ["import", "{tmp}/deals.csv", "--as", "accounts"],
        ["process", "export", "New business", "-o", "{tmp}/p.json"],
    ],
)
def test_every_command_refuses_with_one_error_line(
    damaged: Path, tmp_path: Path, command: list[str], capsys
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "deals.csv").write_text("name\nAcme\n", encoding="utf-8")
    before = digest(damaged)
    argv = [part.format(tmp=tmp_path) for part in command] + ["--workspace", str(damaged)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: “test.nlw” is damaged")
    assert "nextlevel-desktop recover" in err[0]
    assert digest(damaged) == before
    assert not (tmp_path / "copy.nlw").exists() and not (tmp_path / "out.csv").exists()
    assert not (tmp_path / "copy.nlw.partial").exists()


def test_a_backup_of_a_damaged_workspace_is_refused_and_leaves_nothing(
    damaged: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "b" / "copy.nlw"
    with pytest.raises(DamagedWorkspaceError, match="no backup was taken"):
        backup_to(damaged, dest)
    assert not dest.exists() and not dest.with_name("copy.nlw.partial").exists()


def test_rotation_keeps_the_newest_healthy_backup_through_damaged_days(
    demo_db: Database, tmp_path: Path
) -> None:
    path, root = demo_db.path, tmp_path / "backups"
    start = date(2026, 11, 1)
    for day in range(3):
        assert daily_backup(path, root, today=start + timedelta(days=day))
    demo_db.close()
    folder = root / str(read_workspace_id(path))
    healthy = folder / f"test-{(start + timedelta(days=2)).isoformat()}.nlw"
    damage_table_page(path, "activity")
    for day in range(3, 11):  # eight days of attempts on the damaged workspace
        with pytest.raises(DamagedWorkspaceError):
            daily_backup(path, root, today=start + timedelta(days=day))
    assert healthy.exists() and not quick_check(healthy)
    assert sorted(p.name for p in folder.iterdir()) == [
        f"test-{(start + timedelta(days=day)).isoformat()}.nlw" for day in range(3)
    ]
    assert find_healthy_backup(path, root) == healthy


def test_rotation_never_deletes_the_newest_healthy_backup(db: Database, tmp_path: Path) -> None:
    root = tmp_path / "backups"
    start = date(2026, 11, 1)
    assert daily_backup(db.path, root, today=start)
    folder = root / str(read_workspace_id(db.path))
    healthy = folder / f"test-{start.isoformat()}.nlw"
    # Seven newer backups that are damaged (written by hand, as an older version could have).
    damaged_copy = tmp_path / "damaged-copy.nlw"
    damaged_copy.write_bytes(healthy.read_bytes())
    data = bytearray(damaged_copy.read_bytes())
    data[4096 : 4096 + 8] = b"\xff" * 8  # page 2: a table's root page
    damaged_copy.write_bytes(bytes(data))
    assert quick_check(damaged_copy)
    for day in range(1, 9):
        (folder / f"test-{(start + timedelta(days=day)).isoformat()}.nlw").write_bytes(bytes(data))
    # Today's (day 8) exists already, so rotation runs without a new healthy backup.
    assert daily_backup(db.path, root, today=start + timedelta(days=8)) is None
    assert healthy.exists(), "the only healthy backup was rotated out"
    names = sorted(p.name for p in folder.iterdir())
    assert f"test-{(start + timedelta(days=1)).isoformat()}.nlw" not in names


def test_a_damaged_workspace_salvages_into_a_valid_workspace(
    damaged: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    before = digest(damaged)
    source = sqlite3.connect(f"{damaged.as_uri()}?mode=ro", uri=True)
    try:  # only an activity page is damaged: the engagements all read
        demo_engagements = source.execute("SELECT count(*) FROM engagement").fetchone()[0]
    finally:
        source.close()
    dest = tmp_path / "salvaged.nlw"
    assert main(["recover", "--workspace", str(damaged), "-o", str(dest)]) == 0
    out = capsys.readouterr().out
    assert digest(damaged) == before
    assert inspect_file(dest, full_check=True) == migrate.HEAD
    con = sqlite3.connect(dest)
    try:
        assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        activities = con.execute("SELECT count(*) FROM activity").fetchone()[0]
        engagements = con.execute("SELECT count(*) FROM engagement").fetchone()[0]
    finally:
        con.close()
    assert 0 < activities < DEMO_ACTIVITIES
    assert engagements == demo_engagements > 100
    lost = DEMO_ACTIVITIES - activities
    assert f"activity: {activities:,} salvaged, {lost:,} lost" in out
    assert f"{lost:,} rows could not be recovered" in out
    assert read_workspace_id(dest) == read_workspace_id(damaged)
    # The salvaged file is a working workspace.
    db, created = open_workspace(dest, create=False)
    try:
        assert not created
        services = Services.for_database(db)
        assert services.workspace.settings() is not None
        assert len(services.processes.processes()) == 2
    finally:
        db.close()
    assert main(["recover", "--workspace", str(damaged), "-o", str(dest)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_references_to_lost_rows_are_cleared_or_dropped(demo_db: Database, tmp_path: Path) -> None:
    path = demo_db.path
    demo_db.close()
    damage_table_page(path, "engagement")
    report = salvage_workspace(path, tmp_path / "s.nlw")
    engagements = report.table("engagement")
    assert engagements.unreadable > 0
    # Stage changes need their engagement: dropped; activities keep going without the link.
    assert report.table("stage_change").dropped > 0
    assert report.table("activity").unlinked > 0
    assert report.table("activity").salvaged == DEMO_ACTIVITIES
    assert not quick_check(tmp_path / "s.nlw")


def test_newest_healthy_backup_is_restored_into_a_new_file(damaged: Path, tmp_path: Path) -> None:
    root = tmp_path / "backups"
    assert files.restore_newest_healthy_backup(damaged, root) is None  # none yet
    # A healthy backup taken before the damage (by identity), found from the damaged file.
    wid = read_workspace_id(damaged)
    assert wid
    other = tmp_path / "healthy.nlw"
    open_workspace(other)[0].close()
    con = sqlite3.connect(other)
    con.execute("UPDATE setting SET value = ? WHERE key = 'workspace_id'", (wid,))
    con.commit()
    con.close()
    (root / wid).mkdir(parents=True)
    backup_to(other, root / wid / "test-2026-11-20.nlw")
    before = digest(damaged)
    restored = files.restore_newest_healthy_backup(damaged, root)
    assert restored == damaged.with_name("test restored.nlw")
    assert digest(damaged) == before
    assert inspect_file(restored, full_check=True)


def test_the_gate_holds_writes_and_backups_until_the_check_answers(
    damaged: Path, tmp_path: Path
) -> None:
    # A large workspace opens for reading at once; writes wait for the background check.
    db, _ = open_database(damaged, create=False, background_check_from=0)
    try:
        with pytest.raises(DamagedWorkspaceError, match="is damaged"):
            with db.transaction() as session:
                session.execute(text("INSERT INTO setting (key, value) VALUES ('x', 'y')"))
        with pytest.raises(DamagedWorkspaceError):
            files.save_copy(db, tmp_path / "copy.nlw")
        with pytest.raises(DamagedWorkspaceError):
            files.daily_backup(db, tmp_path / "backups")
        assert db.integrity.error is not None
    finally:
        db.close()
    assert not (tmp_path / "copy.nlw").exists()
    assert not (tmp_path / "backups").exists()


def test_the_gate_reports_damage_to_a_listener_once(damaged: Path) -> None:
    gate = IntegrityGate(damaged, checked=False)
    heard: list[DamagedWorkspaceError] = []
    gate.on_damage(heard.append)
    gate.start()
    with pytest.raises(DamagedWorkspaceError):
        gate.wait(timeout=60)
    assert len(heard) == 1
    gate.on_damage(heard.append)  # a late listener hears the answer at once
    assert len(heard) == 2


def test_a_healthy_large_workspace_passes_the_gate(demo_db: Database, tmp_path: Path) -> None:
    path = demo_db.path
    demo_db.close()
    db, _ = open_database(path, create=False, background_check_from=0)
    try:
        with db.transaction() as session:
            session.execute(text("INSERT INTO setting (key, value) VALUES ('x', 'y')"))
        assert db.integrity.error is None and not db.integrity.pending
        assert files.save_copy(db, tmp_path / "copy.nlw").exists()
    finally:
        db.close()


def test_corruption_is_classified_by_result_code(damaged: Path) -> None:
    engine = make_engine(damaged)
    try:
        with pytest.raises(DBAPIError) as caught, engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(notes) FROM activity").fetchall()
    finally:
        engine.dispose()
    assert is_corruption(caught.value)
    assert is_corruption(caught.value.orig)
    locked = sqlite3.OperationalError("database is locked")
    assert not is_corruption(locked)
    assert not is_corruption(ValueError("database disk image is malformed"))


def test_a_damaged_workspace_without_identity_is_not_written_by_a_backup(
    demo_db: Database, tmp_path: Path
) -> None:
    path = demo_db.path
    demo_db.close()
    con = sqlite3.connect(path)
    con.execute("DELETE FROM setting WHERE key = 'workspace_id'")
    con.commit()
    con.close()
    damage_table_page(path, "activity")
    before = digest(path)
    with pytest.raises(DamagedWorkspaceError):
        daily_backup(path, tmp_path / "backups")
    assert digest(path) == before
    assert not (tmp_path / "backups").exists()


def test_a_salvage_that_loses_a_whole_process_table_still_gives_a_working_workspace(
    demo_db: Database, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = demo_db.path
    demo_db.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root,) = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'process'").fetchone()
    (size,) = con.execute("PRAGMA page_size").fetchone()
    con.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * size : (root - 1) * size + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
    dest = tmp_path / "salvaged.nlw"
    assert main(["recover", "--workspace", str(path), "-o", str(dest)]) == 0
    out = capsys.readouterr().out
    assert "No hunting and farming process survived; the default one was added." in out
    db, _ = open_workspace(dest, create=False)
    try:
        services = Services.for_database(db)
        kinds = sorted(p.kind.value for p in services.processes.processes())
        assert kinds == ["farming", "hunting"]
        assert services.people.people(include_inactive=True)  # people did survive
    finally:
        db.close()
    assert not quick_check(dest)
