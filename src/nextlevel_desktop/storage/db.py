"""Opening a workspace file safely, and transactions on it.

A workspace is one SQLite file. Opening it checks, *before anything could write to it*, that it
is a SQLite file, not truncated, a Next Level workspace and not from a newer version; only then is
it opened read-write (WAL, foreign keys, busy timeout) and migrated, after a backup copy.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from ..domain.errors import (
    DamagedWorkspaceError,
    NewerWorkspaceError,
    NotAWorkspaceError,
    StorageError,
    WorkspaceError,
)
from . import migrate

# "NLDW" as a big-endian integer, written to the SQLite header's application_id field.
APPLICATION_ID = 0x4E4C4457
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


def _header_check(path: Path) -> None:
    """Refuse non-SQLite and truncated files from the header alone (no SQLite connection)."""
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise NotAWorkspaceError(
            f"“{path.name}” is not a Next Level workspace: it is not a database file."
        )
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    change_counter, pages = struct.unpack(">II", header[24:32])
    valid_for = struct.unpack(">I", header[92:96])[0]
    if page_size < 512 or page_size & (page_size - 1):
        raise DamagedWorkspaceError(
            f"“{path.name}” is damaged: its header is invalid. Restore it from a backup."
        )
    if pages and change_counter == valid_for and size < pages * page_size:
        raise DamagedWorkspaceError(
            f"“{path.name}” is damaged: the file is truncated ({size:,} bytes of "
            f"{pages * page_size:,}). Restore it from a backup."
        )


def inspect_file(path: Path) -> str | None:
    """Return the workspace's schema revision, ``None`` for an empty file; raise if unusable.

    Uses a read-only connection so that a file we refuse is never modified.
    """
    _header_check(path)
    if path.stat().st_size == 0:
        return None
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        con = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:  # pragma: no cover - depends on the OS
        raise WorkspaceError(f"“{path.name}” cannot be opened: {exc}.") from exc
    try:
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return None
        if app_id != APPLICATION_ID or "alembic_version" not in tables:
            raise NotAWorkspaceError(
                f"“{path.name}” is a database, but not a Next Level workspace."
            )
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        # Touch every table's root page so that a damaged file fails here, not mid-session.
        con.execute("PRAGMA quick_check(1)").fetchone() if path.stat().st_size < 8_000_000 else None
    except sqlite3.DatabaseError as exc:
        raise DamagedWorkspaceError(
            f"“{path.name}” is damaged and cannot be read ({exc}). Restore it from a backup."
        ) from exc
    finally:
        con.close()
    if row is None:
        raise DamagedWorkspaceError(f"“{path.name}” has no schema version; it is damaged.")
    revision = str(row[0])
    if not migrate.is_known_revision(revision):
        raise NewerWorkspaceError(
            f"“{path.name}” was written by a newer version of Next Level Desktop. "
            "Update the app to open it; the file has not been changed."
        )
    return revision


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own handling is unreliable).
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _on_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def storage_error(exc: BaseException) -> StorageError | None:
    """Translate the database errors a user can act on into a clear message."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "locked" in text or "busy" in text:
        return StorageError(
            "The workspace is busy: another program is writing to it. Try again in a moment."
        )
    if "disk is full" in text or "database or disk is full" in text:
        return StorageError("The disk is full. Free some space and try again; nothing was saved.")
    if "readonly" in text or "read-only" in text:
        return StorageError(
            "The workspace file is read-only. Change its permissions or save a copy elsewhere."
        )
    return None


class Database:
    """An open workspace: its engine and session factory. Created by :func:`open_database`."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False, autoflush=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back on any error."""
        session = self._sessions()
        try:
            with session.begin():
                yield session
        except DBAPIError as exc:
            translated = storage_error(exc)
            if translated is not None:
                raise translated from exc
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; anything it writes is rolled back."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def close(self) -> None:
        self.engine.dispose()


def open_database(path: Path, *, create: bool = True) -> tuple[Database, bool]:
    """Open (and if needed create or migrate) the workspace at ``path``.

    Returns the database and whether it was newly created. Raises a ``WorkspaceError`` with a
    user-facing message when the file cannot be used; such a file is left untouched.
    """
    path = Path(path)
    from .foreign import refuse_unusable_path

    refuse_unusable_path(path)
    created = False
    if not path.exists():
        if not create:
            raise WorkspaceError(f"There is no workspace at “{path}”.")
        path.parent.mkdir(parents=True, exist_ok=True)
        created = True
        revision = None
    else:
        if path.is_dir():
            raise NotAWorkspaceError(f"“{path}” is a folder, not a workspace file.")
        revision = inspect_file(path)
        created = revision is None
        if not os.access(path, os.W_OK):
            raise WorkspaceError(
                f"“{path.name}” is read-only. Change its permissions, or open a copy of it."
            )
    engine = make_engine(path)
    try:
        if revision != migrate.HEAD:
            if revision is not None:
                from .backup import backup_before_migration

                backup_before_migration(path, revision)
            with engine.begin() as conn:
                if revision is None:
                    conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
                migrate.upgrade(conn)
    except DBAPIError as exc:
        engine.dispose()
        translated = storage_error(exc)
        raise (
            translated or DamagedWorkspaceError(f"“{path.name}” cannot be opened: {exc.orig}")
        ) from exc
    return Database(path, engine), created
