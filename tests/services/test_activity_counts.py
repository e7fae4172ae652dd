"""The activity counts the triggers keep (``activity_count``) match the activities through every
writer — demo data, logging, undo, redo, marking done, deleting, importing, salvage — and the
migration builds them for a workspace written before they existed."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event

from nextlevel_desktop.domain.activities import ActivityDraft, ActivityFilter
from nextlevel_desktop.domain.importing import ImportKind, ImportMapping, parse_csv
from nextlevel_desktop.domain.models import ActivityStatus
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.import_result import ImportCancelled
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage import migrate
from nextlevel_desktop.storage.activity_counts import CREATE_TRIGGERS, DROP_TRIGGERS
from nextlevel_desktop.storage.salvage import salvage_workspace

NOW = datetime.now(UTC)


def kept(path: Path) -> Counter[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT process_id, type_id, person_id, status, n FROM activity_count")
        return Counter({tuple(r[:4]): r[4] for r in rows if r[4]})
    finally:
        con.close()


def actual(path: Path) -> Counter[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        rows = con.execute(
            "SELECT process_id, type_id, coalesce(person_id, 0), status, count(*) FROM activity "
            "GROUP BY 1, 2, 3, 4"
        )
        return Counter({tuple(r[:4]): r[4] for r in rows})
    finally:
        con.close()


def assert_right(services: Services) -> None:
    path = services.db.path
    assert kept(path) == actual(path)
    assert sum(actual(path).values()) > 0
    for flt in (
        ActivityFilter(),
        ActivityFilter(status=ActivityStatus.DONE),
        ActivityFilter(status=ActivityStatus.PLANNED, person_id=1),
    ):
        # The summed counts and a plain COUNT (forced by a blank search) agree.
        assert services.activities.count(flt) == services.activities.count(
            ActivityFilter(flt.person_id, flt.process_id, flt.type_id, flt.status, text="%")
        )


def test_counts_follow_every_writer(demo_services: Services, tmp_path: Path) -> None:
    services = demo_services
    assert_right(services)  # demo data
    account = services.accounts.page("", 0, 1)[0].id
    call = services.activities.activity_types()[0].id
    draft = ActivityDraft(
        call, NOW + timedelta(days=1), ActivityStatus.PLANNED, person_id=2, account_id=account
    )
    logged = services.activities.log(draft, now=NOW)
    assert_right(services)
    done = services.activities.mark_done([logged.ids["activity"]], outcome="Went well")
    assert_right(services)
    services.revisions.revert(done)
    services.revisions.revert(logged)
    assert_right(services)
    services.revisions.reapply(logged)
    services.revisions.reapply(done)
    assert_right(services)
    moved = services.activities.update(
        logged.ids["activity"], ActivityDraft(call, NOW, person_id=None, account_id=account)
    )
    assert_right(services)
    services.revisions.revert(moved)
    deleted = services.activities.delete([logged.ids["activity"], 1, 2, 3])
    assert_right(services)
    services.revisions.revert(deleted)
    assert_right(services)
    text = (
        "Date,Activity Type,Assigned To,Company,Status,Duration,Notes\n"
        "2026-03-05 10:30,Call,Ann Lee,Acme,done,30,first call\n"
        "2026-03-06,Site visit,Bob Ray,Beta,planned,1:00,\n"
    )
    table = parse_csv(text.encode())
    mapping = ImportMapping(
        ImportKind.ACTIVITIES, services.importing.guess(table, ImportKind.ACTIVITIES)
    )
    assert services.importing.run(table, mapping).created == 2
    assert_right(services)
    # A salvaged copy counts the rows it saved, not the counts of the file it came from.
    copy = tmp_path / "salvaged.nlw"
    salvage_workspace(services.db.path, copy)
    assert kept(copy) == actual(copy) == actual(services.db.path)


def test_migration_counts_a_workspace_written_before_the_counts(
    demo_services: Services,
) -> None:
    path = demo_services.db.path
    demo_services.db.close()
    engine = create_engine(f"sqlite:///{path}")
    from alembic import command

    cfg = migrate._config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    engine.dispose()
    con = sqlite3.connect(path)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert "activity_count" not in tables and "activity_count_insert" not in tables
    # Written at 0001: more activities, some moved to another status and person.
    con.execute(
        "INSERT INTO activity (type_id, process_id, occurred_at, occurred_on, duration_min, "
        "person_id, status, outcome, notes, created_at) SELECT type_id, process_id, occurred_at,"
        " occurred_on, 5, NULL, 'planned', 'again', '', created_at FROM activity LIMIT 50"
    )
    con.execute("UPDATE activity SET status = 'planned', person_id = 1 WHERE id % 7 = 0")
    con.commit()
    before = con.execute("SELECT * FROM activity ORDER BY id").fetchall()
    con.close()

    db, created = open_workspace(path)
    try:
        assert not created
        services = Services.for_database(db)
        assert_right(services)
        con = sqlite3.connect(path)
        assert con.execute("SELECT * FROM activity ORDER BY id").fetchall() == before
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == migrate.HEAD
        con.close()
        services.activities.delete([1])  # the triggers are there too
        assert_right(services)
    finally:
        db.close()


def _triggers(path: Path, table: str = "activity") -> list[str]:
    con = sqlite3.connect(path)
    try:
        rows = con.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name",
            (table,),
        )
        return [str(r[0]) for r in rows]
    finally:
        con.close()


def _activities_csv(rows: int) -> bytes:
    lines = ["Activity ID,Date,Activity Type,Assigned To,Company,Status"]
    lines += [
        f"B{i},2026-03-{i % 28 + 1:02d} 10:00,{('Call', 'Email', 'Meeting')[i % 3]},"
        f"Rep {i % 4},Firm {i % 9},{('done', 'planned')[i % 2]}"
        for i in range(rows)
    ]
    return "\n".join(lines).encode()


def test_one_place_owns_the_trigger_ddl(services: Services) -> None:
    """The migration creates exactly the triggers the bulk inserts drop and recreate."""
    created = _triggers(services.db.path)
    assert created == sorted(CREATE_TRIGGERS, key=lambda sql: sql.split()[2])
    assert len(created) == len(DROP_TRIGGERS) == 3


def test_a_bulk_import_counts_once_not_per_row(demo_services: Services) -> None:
    """Importing N activities changes about N rows, not 2 N (a count upsert per row)."""
    services = demo_services
    changed: list[int] = []

    def total(conn: Any) -> None:
        changed.append(conn.connection.driver_connection.total_changes)

    event.listen(services.db.engine, "begin", total)
    event.listen(services.db.engine, "commit", total)
    table = parse_csv(_activities_csv(600))
    mapping = ImportMapping(
        ImportKind.ACTIVITIES, services.importing.guess(table, ImportKind.ACTIVITIES)
    )
    assert services.importing.run(table, mapping).created == 600
    event.remove(services.db.engine, "begin", total)
    event.remove(services.db.engine, "commit", total)
    begun, committed = changed[-2:]
    assert 600 <= committed - begun < 700  # the rows, a few new people, firms and counts
    assert_right(services)
    assert _triggers(services.db.path) == sorted(CREATE_TRIGGERS, key=lambda s: s.split()[2])
    # The triggers are back: a logged activity, its undo and its redo are counted.
    call = services.activities.activity_types()[0].id
    account = services.accounts.page("", 0, 1)[0].id
    logged = services.activities.log(
        ActivityDraft(call, NOW, person_id=2, account_id=account), now=NOW
    )
    assert_right(services)
    services.revisions.revert(logged)
    assert_right(services)
    services.revisions.reapply(logged)
    assert_right(services)
    # A re-import updates rows that moved to another status: the triggers count the moves.
    again = parse_csv(_activities_csv(600).replace(b",planned", b",done"))
    assert services.importing.run(again, mapping).updated == 300
    assert_right(services)


def test_a_cancelled_or_failed_bulk_import_leaves_rows_counts_and_triggers(
    demo_services: Services,
) -> None:
    services = demo_services
    path = services.db.path
    before = (kept(path), actual(path), _triggers(path))
    table = parse_csv(_activities_csv(5000))
    mapping = ImportMapping(
        ImportKind.ACTIVITIES, services.importing.guess(table, ImportKind.ACTIVITIES)
    )
    asked: list[bool] = []

    def cancelled() -> bool:  # after the first batch of rows is in
        asked.append(True)
        return len(asked) > 2

    with pytest.raises(ImportCancelled):
        services.importing.run(table, mapping, cancelled=cancelled)
    assert len(asked) == 3
    assert (kept(path), actual(path), _triggers(path)) == before
    assert_right(services)
