"""Migration 0007 (covering indexes for the Monitor): a 0006 workspace keeps every row and
gets the indexes; going back restores the old ones."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from nextlevel_desktop.services.demo import generate_demo
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage import migrate


def columns(path: Path, index: str) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [row[2] for row in con.execute(f"PRAGMA index_info({index})")]
    finally:
        con.close()


def counts(path: Path) -> tuple[int, ...]:
    con = sqlite3.connect(path)
    try:
        tables = ("engagement", "stage_change", "activity", "activity_count")
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)
    finally:
        con.close()


def to(path: Path, revision: str, down: bool = False) -> None:
    engine = create_engine(f"sqlite:///{path}")
    cfg = migrate._config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)
    engine.dispose()


def test_a_0006_workspace_keeps_its_rows_and_gets_the_indexes(tmp_path: Path) -> None:
    path = tmp_path / "w.nlw"
    db, _ = open_workspace(path)
    generate_demo(db)
    db.close()
    before = counts(path)
    assert before[0] > 0 and before[1] > 0
    to(path, "0006", down=True)
    assert columns(path, "ix_stage_change_engagement_at") == [
        "engagement_id",
        "changed_at",
        "entered_known",
    ]
    assert columns(path, "ix_engagement_process_closed") == ["process_id", "closed_on"]
    db, _ = open_workspace(path, create=False)  # migrates to the head
    db.close()
    assert counts(path) == before
    assert columns(path, "ix_stage_change_engagement_at")[:3] == [
        "engagement_id",
        "changed_at",
        "id",
    ]
    assert "stage_entered_at" in columns(path, "ix_engagement_owner_process")
    assert "entered_known" in columns(path, "ix_stage_change_from_at")
