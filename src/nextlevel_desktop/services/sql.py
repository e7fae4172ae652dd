"""Portable SQL helpers: whole days between two dates or timestamps (the measures), how many
rows a long read streams at a time, and statements of plain columns run without the ORM.

Date arithmetic differs per database, so it is one construct compiled per dialect (SQLite today,
PostgreSQL later) rather than a SQLite-only function in the queries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Executable, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

# Rows a streamed read (``yield_per``) fetches at a time. SQLAlchemy makes a chunk's rows without
# letting go of the GIL, and the GUI thread waits that long for its next event: 5,000 rows were
# stalls of 15–200 ms during an export, 500 keep them to a few.
STREAM_ROWS = 500


def rows(s: Session, stmt: Executable, params: Mapping[str, Any] | None = None) -> Sequence[Any]:
    """Every row of ``stmt`` (plain columns, no entities), run on the session's connection.

    Through the session, each statement also goes through the ORM's compile and loading
    steps (≈ 0.5 ms each, more than the SQL of most measures); a scorecard runs two dozen.
    """
    return s.connection().execute(stmt, params).all()


class days_between(FunctionElement[int]):  # noqa: N801 - reads like the SQL function it is
    """Whole days from the first argument to the second (rounded), for dates or timestamps."""

    type = Integer()
    name = "days_between"
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    a, b = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(ROUND(julianday({b}) - julianday({a})) AS INTEGER)"


@compiles(days_between)
def _days_default(element: days_between, compiler: Any, **kw: Any) -> str:
    a, b = (compiler.process(c, **kw) for c in element.clauses)
    return (
        f"CAST(ROUND(EXTRACT(EPOCH FROM (CAST({b} AS TIMESTAMP) - CAST({a} AS TIMESTAMP)))"
        " / 86400) AS INTEGER)"
    )


class unindexed(FunctionElement[Any]):  # noqa: N801 - reads like the SQL it is
    """The column's value, but no index lookup or order on it (SQLite's unary ``+``).

    Grouping by a stage id, SQLite with no statistics (a workspace never analysed) prefers an
    index ordered by the stage over the one that finds the few rows wanted: this says not to.
    """

    name = "unindexed"
    inherit_cache = True

    @property
    def type(self) -> Any:  # type: ignore[override]
        return self.clauses.clauses[0].type


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element: unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + compiler.process(element.clauses.clauses[0], **kw)


@compiles(unindexed)
def _unindexed_default(element: unindexed, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses.clauses[0], **kw)
