"""A workspace as version 0001 made it, for the migration tests to fill with raw SQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine

from nextlevel_desktop.storage import migrate
from nextlevel_desktop.storage.db import APPLICATION_ID


def workspace_at_0001(path: Path) -> sqlite3.Connection:
    """A new file at ``path`` with the 0001 schema; an open connection to fill it."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrate.upgrade(conn, "0001")
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA application_id={APPLICATION_ID}")
    return con


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    """What ``sql`` reads from the file at ``path``, on a connection of its own."""
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
