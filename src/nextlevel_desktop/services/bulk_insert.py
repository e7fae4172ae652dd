"""Bulk writes for big imports: batches, and one executemany per batch straight to the driver;
sorting and freeing a file's records in steps that let the GUI thread run between them."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import Connection, bindparam, insert

BATCH = 2000
# About as many items as one C call sorts or frees: a call into C (``sorted``, freeing a list)
# keeps the interpreter's lock from its start to its end, whatever the switch interval, and
# the GUI thread cannot run a turn meanwhile (DESIGN §5: no stall over 50 ms).
STEP = 4096

T = TypeVar("T")


def sorted_in_steps(items: Sequence[T], key: Callable[[T], Any]) -> list[T]:
    """``sorted(items, key=key)``, the same order (stable), in C calls of about ``STEP`` items.

    One ``sorted`` of 100,000 imported activities by their moment held the lock 40-70 ms (and
    merging sorted runs, 17 ms for the last merge). Here the items go, in their order, into
    buckets between keys taken from a sorted sample (a sample sort), and each bucket is sorted
    on its own: equal keys share a bucket, so the buckets one after the other are the stable
    sort of the whole.
    """
    if len(items) <= STEP:
        return sorted(items, key=key)
    sample = sorted(key(item) for item in items[:: STEP // 16])
    bounds = sample[16::16]
    buckets: list[list[T]] = [[] for _ in range(len(bounds) + 1)]
    for item in items:
        buckets[bisect_right(bounds, key(item))].append(item)
    out: list[T] = []
    for bucket in buckets:
        out += sorted(bucket, key=key)
    return out


def drop(items: list[Any] | dict[Any, Any]) -> None:
    """Empty ``items`` (a list, or a dict and then its values), freeing ``STEP`` at a time:
    100,000 imported records freed at once (the last reference going as a function returns)
    held the lock 20-40 ms, as many rows read back for a re-import 40 ms."""
    held = items if isinstance(items, list) else list(items.values())
    if isinstance(items, dict):
        items.clear()
    while held:
        del held[-STEP:]


def batches(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def bulk_insert(
    conn: Connection, table: Any, rows: Sequence[dict[str, Any]], stored: bool = False
) -> None:
    """One executemany of ``rows`` (dicts with the same keys) into ``table``.

    The statement is compiled once by the dialect and the values converted by each column
    type's own bind processor (unless they are ``stored`` values, read back from the
    database as they are), then handed to the driver directly: SQLAlchemy's per-row
    parameter handling would otherwise cost more than the database's own work on big
    imports. Column defaults (e.g. ``created_at``) are evaluated once per batch.
    """
    if not rows:
        return
    dialect = conn.dialect
    core = table.__table__
    defaults: dict[str, Any] = {}
    for column in core.columns:
        if column.key in rows[0] or column.primary_key or column.default is None:
            continue
        arg = column.default.arg
        defaults[column.key] = arg(None) if column.default.is_callable else arg
    keys = [*rows[0].keys(), *defaults]
    compiled = insert(core).values({k: bindparam(k) for k in keys}).compile(dialect=dialect)
    order = list(compiled.positiontup or keys) if dialect.positional else keys
    procs = {k: core.c[k].type.bind_processor(dialect) for k in order}
    if stored:
        procs = dict.fromkeys(order)
    done = {k: v if v is None or procs[k] is None else procs[k](v) for k, v in defaults.items()}
    # Each row's values in the statement's order (C-level), then converted only where the
    # column's type needs it: no Python step per column.
    values = itemgetter(*order) if len(order) > 1 else lambda row: (row[order[0]],)
    convert = [(i, procs[k]) for i, k in enumerate(order) if procs[k] and k not in done]
    params: list[Any] = []
    for row in rows:
        cells = list(values({**row, **done} if done else row))
        for i, process in convert:
            if cells[i] is not None:
                cells[i] = process(cells[i])
        params.append(tuple(cells))
    if not dialect.positional:
        params = [dict(zip(order, p, strict=True)) for p in params]
    conn.exec_driver_sql(str(compiled), params)
