"""The triggers that keep ``activity_count``, and bulk inserts that add the counts at once.

``activity_count`` holds how many activities there are per (process, type, person, status)
(``person_id`` 0: nobody); triggers on ``activity`` keep it right in the transaction of every
insert, delete and update (migration 0002 creates them from ``TRIGGERS``; a migration that
rebuilds ``activity`` must create them again). A trigger firing per row doubles the cost of
inserting 100,000 imported activities, so ``bulk_inserts`` drops the triggers, lets its
caller insert, adds the new rows' counts with one ``INSERT … SELECT … GROUP BY`` over their
rowid range and creates the triggers again — all in the caller's transaction: SQLite DDL is
transactional, so a failure rolls the triggers back with the rows.

Every statement goes through ``execute(sql)`` (a SQLAlchemy ``Connection.exec_driver_sql``
or a ``sqlite3.Connection.execute``), so the ORM writers and the salvage share this code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

KEY = "process_id, type_id, person_id, status"


def _add(row: str) -> str:
    return (
        f"INSERT INTO activity_count ({KEY}, n) VALUES "
        f"({row}.process_id, {row}.type_id, coalesce({row}.person_id, 0), {row}.status, 1) "
        f"ON CONFLICT ({KEY}) DO UPDATE SET n = n + 1;"
    )


def _remove(row: str) -> str:
    return (
        f"UPDATE activity_count SET n = n - 1 WHERE process_id = {row}.process_id "
        f"AND type_id = {row}.type_id AND person_id = coalesce({row}.person_id, 0) "
        f"AND status = {row}.status;"
    )


TRIGGERS = {
    "activity_count_insert": f"AFTER INSERT ON activity BEGIN {_add('NEW')} END",
    "activity_count_delete": f"AFTER DELETE ON activity BEGIN {_remove('OLD')} END",
    "activity_count_update": (
        f"AFTER UPDATE OF {KEY} ON activity WHEN OLD.process_id IS NOT NEW.process_id "
        "OR OLD.type_id IS NOT NEW.type_id OR OLD.person_id IS NOT NEW.person_id "
        f"OR OLD.status IS NOT NEW.status BEGIN {_remove('OLD')} {_add('NEW')} END"
    ),
}
CREATE_TRIGGERS = tuple(f"CREATE TRIGGER {name} {body}" for name, body in TRIGGERS.items())
DROP_TRIGGERS = tuple(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS)


def count_rows(where: str = "1", sign: int = 1) -> str:
    """Add the counts of the activities ``where`` selects to those already kept (``sign`` -1:
    take them off, before those activities are deleted)."""
    return (
        f"INSERT INTO activity_count ({KEY}, n) SELECT process_id, type_id, "
        f"coalesce(person_id, 0), status, {int(sign)} * count(*) FROM activity WHERE {where} "
        "GROUP BY process_id, type_id, coalesce(person_id, 0), status "
        f"ON CONFLICT ({KEY}) DO UPDATE SET n = n + excluded.n"
    )


@contextmanager
def uncounted(execute: Callable[[str], Any]) -> Iterator[None]:
    """Inside the block the triggers count nothing: the caller counts what it inserts or
    deletes with :func:`count_rows` (after inserting, before deleting)."""
    for sql in DROP_TRIGGERS:
        execute(sql)
    yield
    for sql in CREATE_TRIGGERS:
        execute(sql)


@contextmanager
def bulk_inserts(execute: Callable[[str], Any], where: str | None = None) -> Iterator[None]:
    """Insert activities inside the block without the per-row count triggers.

    Only inserts of NEW activities may happen in the block: those ``where`` selects, or
    (without it) those with ids above every id there is, as SQLite gives them, or as a
    salvage copies them into an empty table. Their counts are added afterwards. An update or
    delete of an existing activity belongs outside it, where the triggers count it.
    """
    if where is None:
        last = execute("SELECT max(id) FROM activity").fetchone()[0]
        where = "1" if last is None else f"id > {int(last)}"
    with uncounted(execute):
        yield
        execute(count_rows(where))
