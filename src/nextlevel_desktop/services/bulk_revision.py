"""Undo and redo of a bulk write (an import) without holding its rows until they are needed.

Inside the write's one transaction a :class:`Journal` notes the highest id of every table and
keeps, before the write changes them, the rows it updates or deletes. At the end it makes a
:class:`BulkRows`: per table, the ranges of the ids the write inserted (computed from the real
ids, so gaps are allowed), and a ``RowUpdate`` (only the columns that changed) or a deleted row
for each row that was there before.

Undo (:meth:`BulkRows.revert`), in one transaction: puts the updated rows back, reads the
inserted rows (for redo), deletes them children first — activities without the per-row count
triggers, their counts taken off in one statement — and inserts the deleted rows again. Redo
(:meth:`BulkRows.reapply`) does the opposite with the same ids. Either refuses with a
:class:`~.revisions.ConflictError` (nothing changed) when the workspace no longer fits: a row
the write updated was changed since, a row it inserted is gone, or a record made since refers
to one it inserted. On a linear undo stack only another program can do that.

The cost: after an undo the revision holds every row the write had inserted (100,000
activities: about 36 MB) until redo puts them back or the undo stack drops the command; a
re-import keeps the changed columns of every row it updated, before and after, all along.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, func, or_, select, text, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import NullType

from ..domain.changes import Changes
from ..storage.activity_counts import count_rows, uncounted
from ..storage.db import roomy_cache
from ..storage.orm import Base
from .bulk_insert import BATCH, batches, bulk_insert
from .revisions import ConflictError, Revision, RowUpdate, Values

Ranges = tuple[tuple[int, int], ...]
Capture = Callable[..., None]

# Tables with an integer ``id``, parents before children.
_ORM = {m.class_.__tablename__: m.class_ for m in Base.registry.mappers}
ID_TABLES: tuple[Table, ...] = tuple(
    t for t in Base.metadata.sorted_tables if "id" in t.c and t.c.id.primary_key
)
_BY_NAME = {t.name: t for t in ID_TABLES}
_RANGES_PER_STATEMENT = 200  # (an OR of BETWEENs; SQLite limits an expression's depth)
_IN_BATCH = 500


def id_ranges(s: Session, table: str, above: int) -> tuple[Ranges, int]:
    """The ids of ``table`` above ``above`` as inclusive (first, last) runs of consecutive ids,
    and how many there are. Found in SQL (an id less its rank is the same along a run), so a
    write of 100,000 rows hands Python a few runs: fetching every id held the interpreter's
    lock, and with it the window, for up to 100 ms."""
    runs = s.execute(
        text(
            f"SELECT min(id), max(id), count(*) FROM (SELECT id, id - row_number() OVER "
            f"(ORDER BY id) AS run FROM {table} WHERE id > :above) GROUP BY run ORDER BY 1"
        ),
        {"above": above},
    ).all()
    return tuple((int(lo), int(hi)) for lo, hi, _n in runs), sum(int(n) for *_r, n in runs)


def _chunks(ranges: Ranges) -> Iterator[Ranges]:
    for start in range(0, len(ranges), _RANGES_PER_STATEMENT):
        yield ranges[start : start + _RANGES_PER_STATEMENT]


def _within(column: Any, ranges: Ranges) -> ColumnElement[bool]:
    return or_(*(column.between(lo, hi) for lo, hi in ranges))


def _sql_within(ranges: Ranges) -> str:
    return " OR ".join(f"id BETWEEN {int(lo)} AND {int(hi)}" for lo, hi in ranges)


@dataclass(frozen=True)
class Inserted:
    """The ids one table got from the write."""

    table: str
    ranges: Ranges
    count: int


class Journal:
    """What there was before a bulk write, noted inside its transaction as it goes.

    Rows are kept as stored (the driver's values, as redo keeps the inserted rows): a history
    import keeps tens of thousands of replaced stage changes, and converting each value to
    Python and back cost more than reading them."""

    def __init__(self, session: Session) -> None:
        self.s = session
        self.top = {t.name: int(session.scalar(select(func.max(t.c.id))) or 0) for t in ID_TABLES}
        self.before: dict[str, dict[int, tuple[Any, ...]]] = defaultdict(dict)

    def capture(self, orm: Any, *where: Any) -> None:
        """Keep the rows of ``orm`` that ``where`` selects as they are, before the write updates
        or deletes them (the first time only; rows the write inserted need nothing)."""
        table = orm.__table__
        seen = self.before[table.name]
        stored = [type_coerce(c, NullType()).label(c.key) for c in table.c]
        at = list(table.c.keys()).index("id")
        for row in self.s.execute(
            select(*stored).where(table.c.id <= self.top[table.name], *where)
        ):
            values = tuple(row)
            seen.setdefault(values[at], values)

    def capture_ids(self, orm: Any, ids: Sequence[int]) -> None:
        column = orm.__table__.c.id
        for batch in batches(ids, _IN_BATCH):
            self.capture(orm, column.in_(list(batch)))

    def revision(self, changes: Changes) -> Revision:
        self.s.flush()
        inserted = []
        for t in ID_TABLES:
            ranges, count = id_ranges(self.s, t.name, self.top[t.name])
            if count:
                inserted.append(Inserted(t.name, ranges, count))
        updated: list[RowUpdate] = []
        deleted: list[tuple[str, Values]] = []
        for name, rows in self.before.items():
            keys = tuple(_BY_NAME[name].c.keys())
            now = _current(self.s, _BY_NAME[name], list(rows))
            for row_id, before in rows.items():
                after = now.get(row_id)
                if after is None:
                    deleted.append((name, dict(zip(keys, before, strict=True))))
                elif after != before:
                    changed = [
                        i for i, (b, a) in enumerate(zip(before, after, strict=True)) if a != b
                    ]
                    updated.append(
                        RowUpdate(
                            name,
                            row_id,
                            {keys[i]: before[i] for i in changed},
                            {keys[i]: after[i] for i in changed},
                        )
                    )
        return Revision(changes, bulk=BulkRows(tuple(inserted), tuple(updated), tuple(deleted)))


def _current(s: Session, table: Table, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """The rows of ``ids`` as stored, by id."""
    listed = ", ".join(c.name for c in table.c)
    at = list(table.c.keys()).index("id")
    execute = s.connection().exec_driver_sql
    out: dict[int, tuple[Any, ...]] = {}
    for batch in batches(sorted(ids), _IN_BATCH):
        within = ",".join(str(int(i)) for i in batch)
        for row in execute(f"SELECT {listed} FROM {table.name} WHERE id IN ({within})"):
            out[row[at]] = tuple(row)
    return out


class BulkRows:
    """What a bulk write did, by id ranges (see the module docstring). ``rows``: the inserted
    rows read back by the last undo, for redo (``None`` while they are in the workspace)."""

    def __init__(
        self,
        inserted: tuple[Inserted, ...],
        updated: tuple[RowUpdate, ...],
        deleted: tuple[tuple[str, Values], ...],
    ) -> None:
        self.inserted = inserted  # parents first
        self.updated = updated
        self.deleted = deleted
        self.rows: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]] | None = None

    def __bool__(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted)

    def count(self, table: str) -> int:
        return sum(i.count for i in self.inserted if i.table == table)

    # Undo --------------------------------------------------------------------------------
    def revert(self, session: Session) -> Callable[[], None]:
        with roomy_cache(session.connection().exec_driver_sql):  # (as the import had)
            return self._revert(session)

    def _revert(self, session: Session) -> Callable[[], None]:
        if self.rows is not None:  # (its redo failed: the undo stack moved on regardless)
            raise ConflictError("Nothing to undo: this import is not in the workspace.")
        _check_updates(session, self.updated, after=True)
        _write_updates(session, self.updated, after=False)
        self._check_inserted(session)
        rows = {i.table: _read(session, _BY_NAME[i.table], i.ranges) for i in self.inserted}
        execute = session.connection().exec_driver_sql
        for ins in reversed(self.inserted):  # children first
            table = _BY_NAME[ins.table]
            activities = ins.table == "activity"
            with uncounted(execute) if activities else nullcontext():
                for chunk in _chunks(ins.ranges):
                    if activities:
                        execute(count_rows(_sql_within(chunk), sign=-1))
                    session.execute(delete(table).where(_within(table.c.id, chunk)))
        by_table: dict[str, list[Values]] = defaultdict(list)
        for name, values in self.deleted:
            by_table[name].append(values)
        for table in ID_TABLES:  # parents first
            for batch in batches(by_table.get(table.name, []), BATCH):
                bulk_insert(session.connection(), _ORM[table.name], batch, stored=True)

        def keep() -> None:
            self.rows = rows

        return keep

    def _check_inserted(self, session: Session) -> None:
        gone = 0
        for ins in self.inserted:
            table = _BY_NAME[ins.table]
            there = sum(
                int(session.scalar(select(func.count()).where(_within(table.c.id, chunk))) or 0)
                for chunk in _chunks(ins.ranges)
            )
            gone += ins.count - there
        if gone:
            raise ConflictError(
                f"This import cannot be undone: {gone:,} of the records it added were deleted "
                "since, outside this window (by another program). Nothing was undone; delete "
                "the rest of what it added by hand if you need to."
            )
        ranges = {i.table: i.ranges for i in self.inserted}
        outside = 0
        for child in Base.metadata.sorted_tables:
            for fk in child.foreign_keys:
                parent = fk.column.table.name
                for chunk in _chunks(ranges.get(parent, ())):
                    refers = _within(fk.parent, chunk)
                    outside += int(session.scalar(select(func.count()).where(refers)) or 0)
                    for own in _chunks(ranges.get(child.name, ())):
                        inside = select(func.count()).where(refers, _within(child.c.id, own))
                        outside -= int(session.scalar(inside) or 0)
        if outside:
            raise ConflictError(
                f"This import cannot be undone: {outside:,} record(s) made since, outside "
                "this window (by another program), refer to what it added. Nothing was "
                "undone; delete those records first, then undo again."
            )

    # Redo --------------------------------------------------------------------------------
    def reapply(self, session: Session) -> Callable[[], None]:
        with roomy_cache(session.connection().exec_driver_sql):
            return self._reapply(session)

    def _reapply(self, session: Session) -> Callable[[], None]:
        if self.rows is None:  # (its undo failed: the undo stack moved on regardless)
            raise ConflictError("Nothing to redo: this import is still in the workspace.")
        _check_updates(session, self.updated, after=False)
        for name, values in self.deleted:
            table = _BY_NAME[name]
            result = session.execute(delete(table).where(table.c.id == values["id"]))
            if result.rowcount == 0:  # type: ignore[attr-defined]
                raise ConflictError(
                    "This import cannot be redone: a record it replaced was deleted since, "
                    "outside this window. Nothing was redone."
                )
        execute = session.connection().exec_driver_sql
        for ins in self.inserted:  # parents first
            activities = ins.table == "activity"
            with uncounted(execute) if activities else nullcontext():
                self._insert(session, _BY_NAME[ins.table], *self.rows[ins.table])
                if activities:
                    for chunk in _chunks(ins.ranges):
                        execute(count_rows(_sql_within(chunk)))
        _write_updates(session, self.updated, after=True)

        def drop() -> None:
            self.rows = None  # back in the workspace: the next undo reads them again

        return drop

    @staticmethod
    def _insert(
        session: Session, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
    ) -> None:
        """The rows with their own ids; references to rows of the same table (a manager, a
        parent account) are set once all are in, as one may come later in id order."""
        own = [fk.parent.key for fk in table.foreign_keys if fk.column.table is table]
        later: list[RowUpdate] = []
        for batch in batches(rows, BATCH):
            values = [dict(zip(columns, row, strict=True)) for row in batch]
            for row in values:
                refs = {k: row[k] for k in own if row[k] is not None}
                if refs:
                    later.append(RowUpdate(table.name, row["id"], {}, refs))
                    row.update(dict.fromkeys(refs))
            bulk_insert(session.connection(), _ORM[table.name], values, stored=True)
        _write_updates(session, later, after=True)


def _read(session: Session, table: Table, ranges: Ranges) -> tuple[tuple[str, ...], list[Any]]:
    """The rows as stored (the driver's values, not converted to Python types: they go back
    as they came, and converting 100,000 rows both ways would cost seconds)."""
    columns = tuple(table.c.keys())
    listed = ", ".join(table.c[k].name for k in columns)
    rows: list[tuple[Any, ...]] = []
    execute = session.connection().exec_driver_sql
    for chunk in _chunks(ranges):
        sql = f"SELECT {listed} FROM {table.name} WHERE {_sql_within(chunk)} ORDER BY id"
        rows.extend(map(tuple, execute(sql)))  # (plain tuples: a third of a Row's memory)
    return columns, rows


def _check_updates(session: Session, updates: Sequence[RowUpdate], *, after: bool) -> None:
    """Whether each updated row still holds what the write left (``after``) or found."""
    by_table: dict[str, list[RowUpdate]] = defaultdict(list)
    for u in updates:
        by_table[u.table].append(u)
    changed = 0
    for name, group in by_table.items():
        keys = list(_BY_NAME[name].c.keys())
        now = _current(session, _BY_NAME[name], [u.id for u in group])
        for u in group:
            expected = u.after if after else u.before
            row = now.get(u.id)
            if row is None or any(row[keys.index(k)] != v for k, v in expected.items()):
                changed += 1
    if changed:
        verb = "undone" if after else "redone"
        raise ConflictError(
            f"This import cannot be {verb}: {changed:,} record(s) it updated were changed "
            f"since, outside this window (by another program). Nothing was {verb}; make the "
            "change you need by hand instead."
        )


def _write_updates(session: Session, updates: Sequence[RowUpdate], *, after: bool) -> None:
    """One executemany per table and set of columns, of the values as stored."""
    groups: dict[tuple[str, tuple[str, ...]], list[tuple[Any, ...]]] = defaultdict(list)
    for u in updates:
        values = u.after if after else u.before
        columns = tuple(sorted(values))
        groups[(u.table, columns)].append((*(values[k] for k in columns), u.id))
    execute = session.connection().exec_driver_sql
    for (name, columns), params in groups.items():
        table = _BY_NAME[name]
        sets = ", ".join(f"{table.c[k].name} = ?" for k in columns)
        for batch in batches(params, BATCH):
            execute(f"UPDATE {name} SET {sets} WHERE id = ?", list(batch))
