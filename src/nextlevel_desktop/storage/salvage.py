"""Salvaging what is readable from a damaged workspace into a NEW, valid workspace file.

How, and why this way: Python's ``sqlite3`` module has no ``.recover``. The ``sqlite3``
command-line shell has one (3.29+), but it is not bundled with the app, not on every user's
machine (Windows has none), and where it is, it may not work: Debian 12's shell (3.40.1) is
built without the ``sqlite_dbpage`` table that ``.recover`` needs and fails with "SQL logic
error" on every file, healthy or not. Depending on it would give users different results on
different machines, on a path the tests cannot exercise. So the salvage is done by the app
itself, through the ``sqlite3`` module, the same everywhere:

1. The damaged file (and its ``-wal``) is copied to a scratch folder and read from there, so
   nothing could ever write to the original.
2. A fresh workspace is built by the app's own migrations in a temporary file beside the
   destination (this version's schema, application id, ``alembic_version``).
3. Each table is copied row by row: rows are read in rowid ranges through the table's b-tree
   (indexes are never used, so a damaged index loses nothing); a range that fails to read is
   split until the unreadable rowids are isolated, and everything else is kept. Rows the schema
   refuses are counted as lost. What is lost is the rows on pages that cannot be read; SQLite's
   ``.recover`` could sometimes read single rows from such a page, at the cost above.
4. Foreign keys are made consistent: a reference to a lost row is cleared where the column
   allows it, otherwise the referring row is dropped (and counted).
5. The result must pass ``quick_check`` and ``foreign_key_check``; only then is it renamed to
   the destination. The report gives counts per table.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.errors import StorageError, WorkspaceError
from .activity_counts import bulk_inserts
from .integrity import quick_check
from .stage_links import bulk_links

log = logging.getLogger(__name__)

CHUNK = 2000
# Stop looking for rows past an unreadable maximum after this many empty ranges in a row.
EMPTY_RANGES_AFTER_LAST = 64
SKIP_TABLES = frozenset({"alembic_version", "activity_count"})  # counted from the activities


@dataclass
class TableSalvage:
    """What was salvaged from one table."""

    table: str
    salvaged: int = 0
    unreadable: int = 0  # rowids in ranges that could not be read
    rejected: int = 0  # rows read but refused by the schema
    dropped: int = 0  # rows dropped because a row they need was lost
    unlinked: int = 0  # rows kept with a reference to a lost row cleared

    @property
    def lost(self) -> int:
        return self.unreadable + self.rejected + self.dropped


@dataclass
class SalvageReport:
    """The result of a salvage: where it went, how, and counts per table."""

    source: Path
    dest: Path
    tables: list[TableSalvage] = field(default_factory=list)
    # Process kinds that did not survive and were added again from the templates.
    restored: list[str] = field(default_factory=list)

    @property
    def salvaged(self) -> int:
        return sum(t.salvaged for t in self.tables)

    @property
    def lost(self) -> int:
        return sum(t.lost for t in self.tables)

    def table(self, name: str) -> TableSalvage:
        return next(t for t in self.tables if t.table == name)

    def lines(self) -> list[str]:
        out = []
        for t in self.tables:
            if not (t.salvaged or t.lost or t.unlinked):
                continue
            text = f"{t.table}: {t.salvaged:,} salvaged"
            if t.lost:
                text += f", {t.lost:,} lost"
            if t.unlinked:
                text += f" ({t.unlinked:,} kept without a link to a lost row)"
            out.append(text)
        return out

    def summary(self) -> str:
        text = (
            f"Salvaged {self.salvaged:,} rows from “{self.source.name}” into “{self.dest}”; "
            f"{self.lost:,} rows could not be recovered."
        )
        if self.restored:
            kinds = " and ".join(self.restored)
            text += f" No {kinds} process survived; the default one was added."
        return text


def salvage_workspace(
    source: Path, dest: Path, progress: Callable[[float], None] | None = None
) -> SalvageReport:
    """Salvage what is readable from ``source`` into the NEW workspace file ``dest``.

    ``source`` is never modified; ``dest`` must not exist yet. ``progress`` gets the fraction
    done (0..1) after each table.
    """
    from .db import WORKSPACE_ID_KEY, open_database

    source, dest = Path(source), Path(dest)
    if not source.is_file():
        raise WorkspaceError(f"There is no workspace at “{source}”.")
    if dest.exists():
        raise StorageError(f"“{dest}” already exists. Choose a new file to salvage into.")
    if source.stat().st_size == 0:
        raise WorkspaceError(f"“{source.name}” is empty (0 bytes): there is nothing to salvage.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.salvaging-{os.getpid()}")
    with tempfile.TemporaryDirectory(prefix="nld-salvage-") as scratch_dir:
        scratch = Path(scratch_dir)
        copy = scratch / "damaged.db"
        shutil.copyfile(source, copy)
        wal = source.with_name(source.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        read_from = copy
        _remove(tmp)
        try:
            fresh, _ = open_database(tmp, create=True)
            fresh.close()
            report = SalvageReport(source, dest)
            src = sqlite3.connect(f"{read_from.as_uri()}?mode=ro", uri=True)
            dst = sqlite3.connect(tmp, isolation_level=None)
            try:
                dst.execute("PRAGMA foreign_keys=OFF")
                # A scratch file until it is renamed: no need to sync while building it.
                dst.execute("PRAGMA synchronous=OFF")
                dst.execute("BEGIN")
                dst.execute("DELETE FROM setting")
                # Plain indexes are built once at the end (much faster than row by row);
                # unique ones stay, so that a duplicate row is refused and counted.
                plain = [
                    (str(name), str(sql))
                    for name, sql in dst.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql NOT NULL"
                    ).fetchall()
                    if not str(sql).upper().startswith("CREATE UNIQUE")
                ]
                for name, _sql in plain:
                    dst.execute(f'DROP INDEX "{name}"')
                tables = _tables(dst)
                # Into empty tables: counted and linked once at the end (the links once the
                # indexes are back), not by a trigger per row.
                with bulk_links(dst.execute):
                    with bulk_inserts(dst.execute):
                        for done, table in enumerate(tables):
                            report.tables.append(_copy_table(src, dst, table))
                            if progress is not None:
                                progress((done + 1) / (len(tables) + 1))
                    for _name, sql in plain:
                        dst.execute(sql)
                _make_references_consistent(dst, report)
                dst.execute(
                    "INSERT OR IGNORE INTO setting (key, value) VALUES (?, ?)",
                    (WORKSPACE_ID_KEY, uuid.uuid4().hex),
                )
                dst.execute("COMMIT")
                dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                src.close()
                dst.close()
            problems = quick_check(tmp)
            if problems:
                raise StorageError(f"The salvaged copy failed its check ({problems[0]}).")
            for extra in ("-wal", "-shm"):
                tmp.with_name(tmp.name + extra).unlink(missing_ok=True)
            os.replace(tmp, dest)
        except BaseException:
            with contextlib.suppress(OSError):
                _remove(tmp)
            raise
    log.info("%s", report.summary())
    return report


def _remove(file: Path) -> None:
    for extra in ("", "-wal", "-shm", "-journal"):
        file.with_name(file.name + extra).unlink(missing_ok=True)


def _tables(con: sqlite3.Connection) -> list[str]:
    names = [
        str(r[0])
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return [n for n in names if n not in SKIP_TABLES]


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in con.execute(f'PRAGMA table_info("{table}")')]


def _quote(names: list[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _copy_table(src: sqlite3.Connection, dst: sqlite3.Connection, table: str) -> TableSalvage:
    result = TableSalvage(table)
    try:
        have = set(_columns(src, table))
    except sqlite3.DatabaseError as exc:
        log.warning("Table %s cannot be read at all: %s", table, exc)
        return result
    columns = [c for c in _columns(dst, table) if c in have]
    if not columns:
        return result
    select = f'SELECT {_quote(columns)} FROM "{table}" WHERE rowid BETWEEN ? AND ?'
    insert = (
        f'INSERT OR IGNORE INTO "{table}" ({_quote(columns)}) '
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    for rows in _readable_rows(src, table, select, result):
        # The rows this insert wrote, not those a trigger wrote (``total_changes``).
        inserted = max(dst.executemany(insert, rows).rowcount, 0)
        result.salvaged += inserted
        result.rejected += len(rows) - inserted
    return result


def _bounds(src: sqlite3.Connection, table: str) -> tuple[int, int | None]:
    """The smallest and largest rowid, where they can be read (``None``: unknown maximum)."""
    try:
        low = src.execute(f'SELECT min(rowid) FROM "{table}"').fetchone()[0]
    except sqlite3.DatabaseError:
        low = 1
    try:
        high = src.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0]
    except sqlite3.DatabaseError:
        return int(low or 1), None
    return int(low or 1), (None if high is None else int(high))


def _readable_rows(
    src: sqlite3.Connection, table: str, select: str, result: TableSalvage
) -> Iterator[list[tuple[object, ...]]]:
    low, high = _bounds(src, table)
    if high is None:
        try:
            empty = src.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is None
        except sqlite3.DatabaseError:
            empty = False
        if empty:
            return
    start, empty_run = low, 0
    while high is None or start <= high:
        end = start + CHUNK - 1
        found = 0
        for rows in _read_range(src, select, start, end, result):
            found += len(rows)
            yield rows
        empty_run = 0 if found else empty_run + 1
        if high is None and empty_run >= EMPTY_RANGES_AFTER_LAST:
            break
        start = end + 1


def _read_range(
    src: sqlite3.Connection, select: str, start: int, end: int, result: TableSalvage
) -> Iterator[list[tuple[object, ...]]]:
    """The rows in ``start..end``; a range that cannot be read is split until isolated."""
    pending = [(start, end)]
    while pending:
        a, b = pending.pop()
        try:
            rows = src.execute(select, (a, b)).fetchall()
        except sqlite3.DatabaseError:
            if a == b:
                result.unreadable += 1
                continue
            mid = (a + b) // 2
            pending.extend([(mid + 1, b), (a, mid)])
            continue
        if rows:
            yield rows


def _make_references_consistent(dst: sqlite3.Connection, report: SalvageReport) -> None:
    """Clear or drop references to lost rows until ``foreign_key_check`` is clean."""
    by_table = {t.table: t for t in report.tables}
    for _round in range(100):
        problems = dst.execute("PRAGMA foreign_key_check").fetchall()
        if not problems:
            return
        broken: dict[tuple[str, int], set[int]] = {}
        for table, rowid, _parent, fkid in problems:
            if rowid is not None:
                broken.setdefault((str(table), int(rowid)), set()).add(int(fkid))
        for (table, rowid), fkids in broken.items():
            fks = [r for r in dst.execute(f'PRAGMA foreign_key_list("{table}")') if r[0] in fkids]
            info = {r[1]: r for r in dst.execute(f'PRAGMA table_info("{table}")')}
            stats = by_table.setdefault(table, TableSalvage(table))
            if fks and all(not info[r[3]][3] for r in fks):
                sets = ", ".join(f'"{r[3]}" = NULL' for r in fks)
                dst.execute(f'UPDATE "{table}" SET {sets} WHERE rowid = ?', (rowid,))
                stats.unlinked += 1
            else:
                dst.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
                stats.dropped += 1
                stats.salvaged -= 1
    raise StorageError("The salvaged rows could not be made consistent.")  # pragma: no cover
