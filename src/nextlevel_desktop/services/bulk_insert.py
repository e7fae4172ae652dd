"""Bulk writes for big imports: batches, and one executemany per batch straight to the driver."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, insert

BATCH = 2000


def batches(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def bulk_insert(conn: Connection, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """One executemany of ``rows`` (dicts with the same keys) into ``table``.

    The statement is compiled once by the dialect and the values converted by each column
    type's own bind processor, then handed to the driver directly: SQLAlchemy's per-row
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
    procs = [core.c[k].type.bind_processor(dialect) for k in order]
    plan = list(zip(order, procs, strict=True))
    params: list[Any] = []
    for row in rows:
        values = [row[k] if k in row else defaults[k] for k in order]
        converted = [
            v if p is None or v is None else p(v) for v, (_k, p) in zip(values, plan, strict=True)
        ]
        params.append(
            tuple(converted) if dialect.positional else dict(zip(order, converted, strict=True))
        )
    conn.exec_driver_sql(str(compiled), params)
