"""Migration 0010 (the person list's index): a 0001 workspace keeps every activity, gets the
index, and one person's list reads along it; going back drops it."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from old_workspaces import rows
from sqlalchemy import create_engine

from nextlevel_desktop.domain.activities import ActivityFilter
from nextlevel_desktop.domain.models import ActivityStatus
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage import migrate

INDEX = "ix_activity_person_status_at"


def to(path: Path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    cfg = migrate._config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
    engine.dispose()


def test_a_0001_workspace_keeps_its_activities_and_gets_the_person_index(
    demo_services: Services,
) -> None:
    path = demo_services.db.path
    person = demo_services.people.people()[0].id
    demo_services.db.close()
    to(path, "0001")
    assert rows(path, f"SELECT name FROM sqlite_master WHERE name = '{INDEX}'") == []
    before = rows(path, "SELECT * FROM activity ORDER BY id")
    done = "SELECT id FROM activity WHERE person_id = {} AND status = 'done'"
    newest = rows(path, done.format(person) + " ORDER BY occurred_at DESC, id DESC LIMIT 3")
    db, created = open_workspace(path, create=False)  # migrates to the head
    try:
        assert not created
        assert rows(path, "SELECT * FROM activity ORDER BY id") == before
        flt = ActivityFilter(person_id=person, status=ActivityStatus.DONE)
        page = Services.for_database(db).activities.page(flt, 0, 3)
        assert [r.id for r in page] == [r[0] for r in newest]
    finally:
        db.close()
    assert [r[2] for r in rows(path, f"PRAGMA index_info({INDEX})")] == [
        "person_id",
        "status",
        "occurred_at",
    ]
    to(path, "0009")
    assert rows(path, f"SELECT name FROM sqlite_master WHERE name = '{INDEX}'") == []
    assert rows(path, "SELECT * FROM activity ORDER BY id") == before
