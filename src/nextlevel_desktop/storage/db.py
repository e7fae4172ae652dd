"""Opening a workspace file safely, and transactions on it.

A workspace is one SQLite file. Opening it checks, *before anything could write to it*, that it
is a SQLite file, not empty, not truncated, not damaged (``PRAGMA quick_check``), a Next Level
workspace and not from a newer version; only then is it opened read-write (WAL, foreign keys,
busy timeout) and migrated, after a backup copy. A large file's damage check runs in the
background; until it answers, :class:`~.integrity.IntegrityGate` holds every write.
"""

from __future__ import annotations

import logging
import sqlite3
import struct
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from ..domain.errors import (
    DamagedWorkspaceError,
    EmptyWorkspaceError,
    NewerWorkspaceError,
    NextLevelError,
    NotAWorkspaceError,
    UnexpectedError,
    WorkspaceError,
)
from . import migrate
from .errors import classify, read_only_error
from .integrity import SYNC_CHECK_LIMIT, IntegrityGate, damaged, describe, quick_check
from .private import create_private_file, make_workspace_private, private_dir

log = logging.getLogger(__name__)

# "NLDW" as a big-endian integer, written to the SQLite header's application_id field.
APPLICATION_ID = 0x4E4C4457
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
# The workspace's identity (a UUID in the ``setting`` table): backups belong to it, not to a name.
WORKSPACE_ID_KEY = "workspace_id"


def _header_check(path: Path) -> None:
    """Refuse non-SQLite and truncated files from the header alone (no SQLite connection)."""
    size = path.stat().st_size
    if size == 0:
        raise EmptyWorkspaceError(
            f"“{path.name}” is empty (0 bytes): it is not a workspace. Open another file, or "
            "choose File > New to create a workspace there."
        )
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
    # A checkpoint cut short (a full disk) leaves the header ahead of the file, with the pages
    # still in the -wal file beside it: SQLite completes it, so that is not truncation.
    wal = path.with_name(path.name + "-wal")
    wal_pending = wal.exists() and wal.stat().st_size > 0
    if pages and change_counter == valid_for and size < pages * page_size and not wal_pending:
        raise DamagedWorkspaceError(
            f"“{path.name}” is damaged: the file is truncated ({size:,} bytes of "
            f"{pages * page_size:,}). Restore it from a backup."
        )


def inspect_file(path: Path, *, full_check: bool | None = None) -> str:
    """Return the workspace's schema revision; raise a ``WorkspaceError`` if it is unusable.

    ``full_check``: run SQLite's full ``quick_check`` and refuse a damaged file (by default for
    files below :data:`~.integrity.SYNC_CHECK_LIMIT`; larger ones are checked in the background
    by :func:`open_database`). Uses a read-only connection, so a file we refuse is never modified.
    """
    _header_check(path)
    if full_check is None:
        full_check = path.stat().st_size < SYNC_CHECK_LIMIT
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        con = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:  # pragma: no cover - depends on the OS
        raise classify(exc, path) or WorkspaceError(
            f"“{path.name}” cannot be opened: {exc}."
        ) from exc
    try:
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if app_id != APPLICATION_ID or "alembic_version" not in tables:
            raise NotAWorkspaceError(
                f"“{path.name}” is a database, but not a Next Level workspace."
            )
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        # A read-only drive or folder (no -shm can be made) or a full disk is not damage.
        known = classify(exc, path)
        if known is not None and not isinstance(known, DamagedWorkspaceError):
            con.close()
            raise known from exc
        con.close()
        raise damaged(path, f"it cannot be read ({exc})") from exc
    con.close()
    if full_check:
        problems = quick_check(path)
        if problems:
            raise damaged(path, describe(problems))
    if row is None:
        raise damaged(path, "it has no schema version")
    revision = str(row[0])
    if not migrate.is_known_revision(revision):
        raise NewerWorkspaceError(
            f"“{path.name}” was written by a newer version of Next Level Desktop. "
            "Update the app to open it; the file has not been changed."
        )
    return revision


def read_workspace_id(path: Path) -> str | None:
    """The identity stored in the workspace file, or ``None`` (none yet, or unreadable)."""
    try:
        con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        row = con.execute("SELECT value FROM setting WHERE key = ?", (WORKSPACE_ID_KEY,)).fetchone()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    return str(row[0]) if row and row[0] else None


def ensure_workspace_id(path: Path) -> str:
    """The workspace's identity, written first if it has none (an older workspace).

    Writing it is the one write a backup makes, so it is made only to a file that passes its
    integrity check (checked here; once in a workspace's life).
    """
    found = read_workspace_id(path)
    if found:
        return found
    problems = quick_check(path)
    if problems:
        raise damaged(path, describe(problems))
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute(
            "INSERT OR IGNORE INTO setting (key, value) VALUES (?, ?)",
            (WORKSPACE_ID_KEY, uuid.uuid4().hex),
        )
        row = con.execute("SELECT value FROM setting WHERE key = ?", (WORKSPACE_ID_KEY,)).fetchone()
        con.execute("COMMIT")
    except sqlite3.Error as exc:
        raise WorkspaceError(f"“{path.name}” cannot be given its identity: {exc}.") from exc
    finally:
        con.close()
    return str(row[0])


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own handling is unreliable).
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


# A bulk write's page cache, in KiB: SQLite takes it only as pages are used. The default 2 MiB
# holds a few of the pages 100,000 rows touch in a table's ten indexes, so the rest were spilled
# into the WAL and read back, over and over, within the one transaction (41 MB of WAL for
# 100,000 activities; 5.1–5.8 s of CPU to insert them, 3.1 s with this room).
ROOMY_CACHE_KIB = 131_072


@contextmanager
def roomy_cache(execute: Callable[[str], Any]) -> Iterator[None]:
    """The connection's page cache enlarged to :data:`ROOMY_CACHE_KIB` inside the block (a bulk
    write's transaction), and set back after it: a smaller cache frees the pages above it.
    SQLite's side of the storage seam, as the connection's other pragmas are."""
    before = int(execute("PRAGMA cache_size").fetchone()[0])
    execute(f"PRAGMA cache_size = -{max(ROOMY_CACHE_KIB, -before)}")
    try:
        yield
    finally:
        execute(f"PRAGMA cache_size = {before}")


# Execution option marking a connection whose transactions will write.
WRITE_OPTION = "nextlevel_write"


def _on_begin(conn: Any) -> None:
    # A write transaction takes the write lock at BEGIN, where SQLite's busy handler waits for
    # it (up to busy_timeout). A deferred one would take it at its first write, where a writer
    # that already holds a read snapshot gets SQLITE_BUSY at once, without waiting.
    if conn.get_execution_options().get(WRITE_OPTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


class Database:
    """An open workspace: its engine and session factory. Created by :func:`open_database`."""

    def __init__(
        self,
        path: Path,
        engine: Engine,
        integrity: IntegrityGate | None = None,
        *,
        owns_gate: bool = True,
    ) -> None:
        self.path = path
        self.engine = engine
        self.integrity = integrity or IntegrityGate(path)
        self._owns_gate = owns_gate
        self._sessions = sessionmaker(engine, expire_on_commit=False, autoflush=False)
        writer = engine.execution_options(**{WRITE_OPTION: True})
        self._write_sessions = sessionmaker(writer, expire_on_commit=False, autoflush=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back on any error.

        It begins IMMEDIATE: it waits (up to the busy timeout) for another writer to finish
        instead of failing when it first writes. It waits for the workspace's integrity check
        first; a damaged workspace is never written.
        """
        self.integrity.wait()
        session = self._write_sessions()
        try:
            with session.begin():
                yield session
        except DBAPIError as exc:
            translated = classify(exc, self.path)
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

    def sibling(self) -> Database:
        """The same workspace through a connection pool of its own, for one worker thread
        (a SQLite connection never crosses threads). It shares this database's integrity
        gate; closing it closes only its own connections."""
        return Database(self.path, make_engine(self.path), self.integrity, owns_gate=False)

    def close(self) -> None:
        if self._owns_gate:
            self.integrity.stop()
        self.engine.dispose()


def _migrate(engine: Engine, new: bool) -> None:
    """Upgrade the schema in one transaction, with foreign keys off around it (SQLite's
    documented way to change a table: a batch migration rebuilds a table, and dropping the
    old one fails while other tables refer to it), checked before it commits."""
    with engine.execution_options(**{WRITE_OPTION: True}).connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")  # (outside a transaction, where it works)
        try:
            with conn.begin():
                if new:
                    conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
                migrate.upgrade(conn)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                if broken is not None:
                    raise RuntimeError(f"the upgrade broke a reference in “{broken[0]}”")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def open_database(
    path: Path,
    *,
    create: bool = True,
    background_check_from: int = SYNC_CHECK_LIMIT,
    hold_check: bool = False,
) -> tuple[Database, bool]:
    """Open (and if needed create or migrate) the workspace at ``path``.

    ``create`` makes a new workspace only where there is no file at all; an existing file,
    empty or not, must be a healthy workspace. Returns the database and whether it was newly
    created. Raises a ``NextLevelError`` with a user-facing message when the file cannot be
    used (``WorkspaceError``), cannot be written (``StorageError``: full disk, read-only
    drive…) or a migration hit a bug (``UnexpectedError``); such a file is left untouched. A
    file of ``background_check_from`` bytes or more opens at once; its damage check runs in the
    background and holds writes and backups until it answers; ``hold_check``: that check
    begins only when ``db.integrity.release()`` is called (or a write needs it).
    """
    path = Path(path)
    from .foreign import refuse_unusable_path

    refuse_unusable_path(path)
    created = False
    checked = True
    if not path.exists():
        if not create:
            raise WorkspaceError(f"There is no workspace at “{path}”.")
        try:
            private_dir(path.parent, tighten_existing=False)
            create_private_file(path)
        except OSError as exc:
            raise (
                classify(exc, path)
                or WorkspaceError(f"The folder “{path.parent}” cannot be created: {exc.strerror}.")
            ) from exc
        created = True
        revision = None
    else:
        if path.is_dir():
            raise NotAWorkspaceError(f"“{path}” is a folder, not a workspace file.")
        checked = path.stat().st_size < background_check_from
        revision = inspect_file(path, full_check=checked)
        read_only = read_only_error(path)
        if read_only is not None:
            raise read_only
        if not checked and revision != migrate.HEAD:
            # A migration writes: the large file is checked before it, not in the background.
            inspect_file(path, full_check=True)
            checked = True
        make_workspace_private(path)  # files from older versions were 0644
    engine = make_engine(path)
    copy: Path | None = None
    try:
        if revision != migrate.HEAD:
            if revision is not None:
                from .backup import backup_before_migration

                copy = backup_before_migration(path, revision)
            _migrate(engine, revision is None)
        if checked:
            with engine.begin() as conn:
                conn.exec_driver_sql(
                    "INSERT OR IGNORE INTO setting (key, value) VALUES (?, ?)",
                    (WORKSPACE_ID_KEY, uuid.uuid4().hex),
                )
    except NextLevelError:
        engine.dispose()
        raise
    except DBAPIError as exc:
        engine.dispose()
        translated = classify(exc, path)
        raise (
            translated or WorkspaceError(f"“{path.name}” cannot be opened: {exc.orig}.")
        ) from exc
    except Exception as exc:  # a bug in a migration: rolled back above, told plainly
        engine.dispose()
        log.exception("Upgrading %s failed", path)
        kept = f" A copy made before the upgrade is at “{copy}”." if copy is not None else ""
        raise UnexpectedError(
            f"“{path.name}” could not be prepared for this version of Next Level Desktop "
            f"because of an error in the app ({type(exc).__name__}: {exc}). The file has not "
            f"been changed.{kept} Please report this problem."
        ) from exc
    gate = IntegrityGate(path, checked=checked)
    if not checked:
        gate.start(held=hold_check)
    return Database(path, engine, gate), created
