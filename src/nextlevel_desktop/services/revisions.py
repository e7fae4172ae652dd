"""Undoable writes: every logger write records the rows it inserted, updated and deleted.

A ``Revision`` holds plain column values, so undo (``revert``) and redo (``reapply``) restore the
exact rows, with the same ids, in one transaction each. Later commands on the undo stack can
therefore keep referring to the ids an earlier command created.

A write too big to hold as rows (an import of 100,000 activities) records a ``Bulk`` instead
(``services.bulk_revision``): the ids it inserted as ranges, and the rows it updated or deleted;
it undoes and redoes itself inside the same one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import delete, insert, inspect, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.changes import Changes
from ..domain.errors import NextLevelError, NotFoundError
from ..storage.db import Database
from ..storage.orm import Base

Values = dict[str, Any]


class ConflictError(NextLevelError):
    """An undo or redo no longer fits the data (someone changed the rows since)."""


_TABLES: dict[str, type[Base]] = {m.class_.__tablename__: m.class_ for m in Base.registry.mappers}


def _values(row: Base) -> Values:
    mapper = inspect(row).mapper
    return {attr.key: getattr(row, attr.key) for attr in mapper.column_attrs}


def _key_column(cls: type[Base]) -> Any:
    """The one primary-key column (``id`` for most tables, ``key`` for settings)."""
    return inspect(cls).primary_key[0]


def _key(row: Base) -> Any:
    return getattr(row, _key_column(type(row)).key)


@dataclass(frozen=True)
class RowUpdate:
    table: str
    id: Any  # the primary key's value
    before: Values
    after: Values


class Bulk(Protocol):
    """What a bulk write did, undone and redone by itself inside the caller's transaction.

    ``revert`` and ``reapply`` raise :class:`ConflictError` when the data no longer fits; each
    returns what to do once its transaction has committed (keep or drop rows it read)."""

    def __bool__(self) -> bool: ...

    def revert(self, session: Session) -> Callable[[], None]: ...

    def reapply(self, session: Session) -> Callable[[], None]: ...


@dataclass(frozen=True)
class Revision:
    """What one write did. ``ids`` names the records the caller may want (e.g. ``activity``)."""

    changes: Changes
    inserted: tuple[tuple[str, Values], ...] = ()
    updated: tuple[RowUpdate, ...] = ()
    deleted: tuple[tuple[str, Values], ...] = ()
    ids: dict[str, int] = field(default_factory=dict)
    bulk: Bulk | None = None

    def __bool__(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted or self.bulk)


class Recorder:
    """Collects the rows a write touches inside its transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._added: list[Base] = []
        self._before: dict[tuple[str, Any], tuple[Base, Values]] = {}
        self._deleted: list[tuple[str, Values]] = []

    def add(self, row: Base) -> Base:
        self.session.add(row)
        self.session.flush()
        self._added.append(row)
        return row

    def inserted(self, row: Base) -> None:
        """Note a row some shared helper already added and flushed."""
        self._added.append(row)

    def will_update(self, row: Base) -> None:
        key = (row.__tablename__, _key(row))
        if key not in self._before and row not in self._added:
            self._before[key] = (row, _values(row))

    def delete(self, row: Base) -> None:
        """Delete a row (children before their parent: undo puts them back the other way)."""
        self._deleted.append((row.__tablename__, _values(row)))
        self.session.delete(row)
        self.session.flush()

    def revision(self, changes: Changes, **ids: int) -> Revision:
        self.session.flush()
        updated = []
        for (table, row_id), (row, before) in self._before.items():
            after = _values(row)
            if after != before:
                updated.append(RowUpdate(table, row_id, before, after))
        return Revision(
            changes=changes,
            inserted=tuple((r.__tablename__, _values(r)) for r in self._added),
            updated=tuple(updated),
            deleted=tuple(self._deleted),
            ids=ids,
        )


def _insert(session: Session, table: str, values: Values) -> None:
    session.execute(insert(_TABLES[table]).values(**values))


def _delete(session: Session, table: str, values: Values) -> None:
    cls = _TABLES[table]
    column = _key_column(cls)
    result = session.execute(delete(cls).where(column == values[column.key]))
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFoundError("This change cannot be undone: a record it made is already gone.")


def _update(session: Session, table: str, row_id: Any, values: Values) -> None:
    cls = _TABLES[table]
    result = session.execute(update(cls).where(_key_column(cls) == row_id).values(**values))
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFoundError("This change cannot be undone: a record it changed is gone.")


class RevisionService:
    """Undo and redo of recorded writes."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def revert(self, rev: Revision) -> Changes:
        """Undo: remove what the write inserted, restore what it deleted and changed.
        Returns the changes of the write (the same kinds of records changed back)."""
        try:
            with self.db.transaction() as session:
                for table, values in reversed(rev.inserted):
                    _delete(session, table, values)
                for table, values in reversed(rev.deleted):
                    _insert(session, table, values)
                for upd in rev.updated:
                    _update(session, upd.table, upd.id, upd.before)
                committed = rev.bulk.revert(session) if rev.bulk else None
        except IntegrityError as exc:
            raise ConflictError(
                "This change cannot be undone: other records now depend on it."
            ) from exc
        if committed is not None:
            committed()
        return rev.changes

    def reapply(self, rev: Revision) -> Changes:
        """Redo: the same rows, with the same ids, as the original write."""
        try:
            with self.db.transaction() as session:
                for table, values in rev.inserted:
                    _insert(session, table, values)
                for upd in rev.updated:
                    _update(session, upd.table, upd.id, upd.after)
                for table, values in rev.deleted:
                    _delete(session, table, values)
                committed = rev.bulk.reapply(session) if rev.bulk else None
        except IntegrityError as exc:
            raise ConflictError(
                "This change cannot be redone: the records it touches have changed since."
            ) from exc
        if committed is not None:
            committed()
        return rev.changes
