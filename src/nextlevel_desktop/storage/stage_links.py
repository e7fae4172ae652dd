"""Where each stage change went next, kept in the data: ``stage_change.next_stage_id``.

A stage entry's conversion asks where its engagement went next: the first later change of the
engagement's history (a strictly later ``changed_at``; of several at that moment, the lowest
id). Looked up per entry at read time this was ~37,000 seeks for six months of a large team;
kept on the row, the Monitor's counts read one index and nothing else.

``next_stage_id`` is that next change's ``to_stage_id`` (``NULL``: none yet). Triggers on
``stage_change`` keep it right in the transaction of every insert, delete and update
(migration 0008 creates them from ``TRIGGERS``; a migration that rebuilds ``stage_change``
must create them again). Only the changes just before the written moment can change their
next one, so each trigger relinks that group alone: a few seeks per row. A bulk insert
(import, demo, salvage) suspends the insert trigger with :func:`bulk_links` and relinks the
engagements it touched once, set-based, like ``activity_counts.bulk_inserts``.

Every statement goes through ``execute(sql)`` (a SQLAlchemy ``Connection.exec_driver_sql``
or a ``sqlite3.Connection.execute``), so the ORM writers and the salvage share this code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# The same rule as the read it replaces: strictly later, then by time and id.
NEXT = (
    "(SELECT n.to_stage_id FROM stage_change AS n WHERE n.engagement_id = "
    "stage_change.engagement_id AND n.changed_at > stage_change.changed_at "
    "ORDER BY n.changed_at, n.id LIMIT 1)"
)


def relink(where: str = "1") -> str:
    """Set the next stage of the changes ``where`` selects, from the history as it is (only
    rows it changes are written: checking a right one is a seek, rewriting it 12× that)."""
    return (
        f"UPDATE stage_change SET next_stage_id = {NEXT} "
        f"WHERE ({where}) AND next_stage_id IS NOT {NEXT}"
    )


def _before(row: str) -> str:
    """The changes whose next one may be ``row``: the engagement's last moment before it."""
    return (
        f"engagement_id = {row}.engagement_id AND changed_at = (SELECT max(changed_at) FROM "
        f"stage_change WHERE engagement_id = {row}.engagement_id "
        f"AND changed_at < {row}.changed_at)"
    )


def _inserted(row: str) -> str:
    # The row itself (and any at its very moment: their next is later, so unchanged) and
    # those just before it.
    return (
        f"{relink(f'engagement_id = {row}.engagement_id AND changed_at = {row}.changed_at')}; "
        f"{relink(_before(row))};"
    )


INSERT_TRIGGER = "stage_change_next_insert"
TRIGGERS = {
    INSERT_TRIGGER: f"AFTER INSERT ON stage_change BEGIN {_inserted('NEW')} END",
    "stage_change_next_delete": f"AFTER DELETE ON stage_change BEGIN {relink(_before('OLD'))}; END",
    "stage_change_next_update": (
        "AFTER UPDATE OF engagement_id, changed_at, to_stage_id ON stage_change "
        f"BEGIN {relink(_before('OLD'))}; {_inserted('NEW')} END"
    ),
}
CREATE_TRIGGERS = tuple(f"CREATE TRIGGER {name} {body}" for name, body in TRIGGERS.items())
DROP_TRIGGERS = tuple(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS)


@contextmanager
def bulk_links(execute: Callable[[str], Any]) -> Iterator[None]:
    """Insert stage changes inside the block without the per-row insert trigger.

    The engagements of the changes inserted in the block (ids above every id there was) are
    relinked whole afterwards, once (rows already right, see :func:`with_next_stages`, are
    only checked). Deletes and updates in the block keep their triggers:
    an engagement that only lost or changed rows stays right without being relinked.
    """
    last = execute("SELECT max(id) FROM stage_change").fetchone()[0]
    execute(f"DROP TRIGGER {INSERT_TRIGGER}")
    yield
    execute(relink_above(last))
    execute(f"CREATE TRIGGER {INSERT_TRIGGER} {TRIGGERS[INSERT_TRIGGER]}")


def relink_above(last: int | None) -> str:
    """One statement relinking the engagements with changes above id ``last`` (``None``: all):
    their rows found on ``ix_stage_change_engagement_at``, each next stage a seek in it."""
    new = "1" if last is None else f"id > {int(last)}"
    return relink(f"engagement_id IN (SELECT engagement_id FROM stage_change WHERE {new})")


def with_next_stages(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give stage-change rows about to be inserted (in this order, so ids ascending) their
    ``next_stage_id`` among themselves, by the rule of :data:`NEXT`: a bulk insert of whole
    new histories then leaves :func:`bulk_links` nothing to rewrite, only to check."""
    by_engagement: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_engagement[row["engagement_id"]].append(row)
    for history in by_engagement.values():
        history.sort(key=lambda r: r["changed_at"])  # (stable: a moment's rows in id order)
        nxt = None
        end = len(history)
        while end:
            start = end - 1
            while start and history[start - 1]["changed_at"] == history[end - 1]["changed_at"]:
                start -= 1
            for row in history[start:end]:
                row["next_stage_id"] = nxt
            nxt, end = history[start]["to_stage_id"], start
    return rows
