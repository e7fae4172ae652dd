"""Which activities stand at rows ``offset … offset+limit`` of the filtered, sorted activity list,
found without sorting a million rows.

- Sorted by date: one index walk; pages past the middle are read from the other end (reversed),
  so the last row is as cheap as the first.
- Sorted by a related name (type, person, account, engagement, process) or by status: the filtered
  rows are counted per key once (``GROUP BY`` on an indexed column), the keys are ordered by name
  in Python, and a page reads only the one or two keys it spans, newest first within a key.
- Sorted by date with a filter an index keeps in that order (a status; one person's of one
  status): one index walk too, whatever the number of rows.
- Any other filtered list of at most ``SMALL`` rows is ordered once in Python (the filter picks
  its own index; the query planner cannot know how rare a value is) and pages are slices of it.
- Anything else (free-text outcome with very many distinct values) falls back to plain SQL
  ``ORDER BY … OFFSET``.

Sorted by date, ties go by id. Within equal sort keys, rows go newest day first, then by id (an
order the ``(key, occurred_on)`` indexes give without sorting). Both are total orders, so pages
never overlap or skip.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ..domain.activities import ActivityColumn, ActivityFilter
from ..storage.orm import (
    AccountRow,
    ActivityRow,
    ActivityTypeRow,
    EngagementRow,
    PersonRow,
    ProcessRow,
)

MAX_GROUPS = 200_000
SMALL = 100_000

# Sort column → (the activity's key column, the table whose ``name`` orders the keys).
_KEYED: dict[ActivityColumn, tuple[Any, Any]] = {
    ActivityColumn.TYPE: (ActivityRow.type_id, ActivityTypeRow),
    ActivityColumn.PERSON: (ActivityRow.person_id, PersonRow),
    ActivityColumn.ACCOUNT: (ActivityRow.account_id, AccountRow),
    ActivityColumn.ENGAGEMENT: (ActivityRow.engagement_id, EngagementRow),
    ActivityColumn.PROCESS: (ActivityRow.process_id, ProcessRow),
    ActivityColumn.STATUS: (ActivityRow.status, None),
    ActivityColumn.OUTCOME: (ActivityRow.outcome, None),
}

Where = Callable[[Any], Any]  # applies the filter's WHERE clauses to a statement


@dataclass(frozen=True)
class Groups:
    """The filtered rows counted per sort key, keys in display order."""

    keys: tuple[Any, ...]
    starts: tuple[int, ...]  # first row of each key's run
    total: int


def _by_time(descending: bool) -> list[ColumnElement[Any]]:
    if descending:
        return [ActivityRow.occurred_at.desc(), ActivityRow.id.desc()]
    return [ActivityRow.occurred_at.asc(), ActivityRow.id.asc()]


WITHIN_KEY: list[ColumnElement[Any]] = [ActivityRow.occurred_on.desc(), ActivityRow.id.desc()]


class ActivityPager:
    """Finds the ids of one page; keeps the per-key counts of the last filter and sort."""

    def __init__(self) -> None:
        self._groups: dict[tuple[ActivityFilter, ActivityColumn, bool], Groups | None] = {}
        self._ordered: dict[tuple[ActivityFilter, ActivityColumn, bool], list[int]] = {}

    def forget(self) -> None:
        """Drop cached counts and orders (after any change to activities)."""
        self._groups.clear()
        self._ordered.clear()

    def page_ids(
        self,
        session: Session,
        where: Where,
        flt: ActivityFilter,
        offset: int,
        limit: int,
        sort: ActivityColumn,
        descending: bool,
        total: int | None = None,
    ) -> list[int]:
        if limit <= 0:
            return []
        if total is None:
            total = int(session.scalar(where(select(func.count(ActivityRow.id)))) or 0)
        if total <= SMALL and not (sort is ActivityColumn.DATE and _in_index_order(flt)):
            ordered = self._small(session, where, flt, sort, descending)
            return ordered[offset : offset + limit]
        if sort is ActivityColumn.DATE:
            return self._by_date(session, where, offset, limit, descending, total)
        groups = self._grouped(session, where, flt, sort, descending)
        if groups is None:
            return self._plain(session, where, offset, limit, sort, descending)
        return self._from_groups(session, where, groups, sort, offset, limit)

    # Sorted by date ---------------------------------------------------------------------
    def _by_date(
        self,
        session: Session,
        where: Where,
        offset: int,
        limit: int,
        descending: bool,
        total: int,
    ) -> list[int]:
        if offset >= total:
            return []
        limit = min(limit, total - offset)
        if offset > total // 2:
            # Read the far half from its own end: the last row costs what the first does.
            back = total - offset - limit
            stmt = where(select(ActivityRow.id)).order_by(*_by_time(not descending))
            ids = list(session.scalars(stmt.offset(back).limit(limit)))
            return ids[::-1]
        stmt = where(select(ActivityRow.id)).order_by(*_by_time(descending))
        return list(session.scalars(stmt.offset(offset).limit(limit)))

    # A small filtered list ----------------------------------------------------------------
    def _small(
        self,
        session: Session,
        where: Where,
        flt: ActivityFilter,
        sort: ActivityColumn,
        descending: bool,
    ) -> list[int]:
        cache_key = (flt, sort, descending)
        cached = self._ordered.get(cache_key)
        if cached is not None:
            return cached
        if sort is ActivityColumn.DATE:
            rows = list(session.execute(where(select(ActivityRow.id, ActivityRow.occurred_at))))
            rows.sort(key=lambda r: (r[1], r[0]), reverse=descending)
            ordered = [r[0] for r in rows]
        else:
            column, table = _KEYED[sort]
            rows = list(
                session.execute(where(select(ActivityRow.id, column, ActivityRow.occurred_on)))
            )
            rank = self._rank(session, table, {r[1] for r in rows}, descending)
            # Key in the chosen direction; within a key newest day first, then by id.
            rows.sort(key=lambda r: (rank[r[1]], -r[2].toordinal(), -r[0]))
            ordered = [r[0] for r in rows]
        self._ordered = {cache_key: ordered}  # keep only the current one
        return ordered

    @staticmethod
    def _rank(session: Session, table: Any, keys: set[Any], descending: bool) -> dict[Any, int]:
        """Position of each key in display order (by name for related rows)."""
        names = _names(session, table, keys) if table is not None else {}

        def order(key: Any) -> tuple[bool, str, Any]:
            label = names.get(key, "") if table is not None else str(key or "")
            return (key is not None, label.casefold(), key if table is not None else 0)

        ordered = sorted(keys, key=order, reverse=descending)
        return {key: i for i, key in enumerate(ordered)}

    # Sorted by a key --------------------------------------------------------------------
    def _grouped(
        self,
        session: Session,
        where: Where,
        flt: ActivityFilter,
        sort: ActivityColumn,
        descending: bool,
    ) -> Groups | None:
        cache_key = (flt, sort, descending)
        if cache_key in self._groups:
            return self._groups[cache_key]
        column, table = _KEYED[sort]
        counts_stmt = where(select(column, func.count(ActivityRow.id))).group_by(column)
        counts = session.execute(counts_stmt.limit(MAX_GROUPS + 1)).all()
        if len(counts) > MAX_GROUPS:
            self._groups[cache_key] = None
            return None
        rank = self._rank(session, table, {k for k, _ in counts}, descending)
        order = sorted(counts, key=lambda kc: rank[kc[0]])
        starts, position = [], 0
        for _key, n in order:
            starts.append(position)
            position += int(n)
        groups = Groups(tuple(k for k, _ in order), tuple(starts), position)
        self._groups = {cache_key: groups}  # keep only the current one
        return groups

    def _from_groups(
        self,
        session: Session,
        where: Where,
        groups: Groups,
        sort: ActivityColumn,
        offset: int,
        limit: int,
    ) -> list[int]:
        column, _table = _KEYED[sort]
        ids: list[int] = []
        index = bisect.bisect_right(groups.starts, offset) - 1
        row = offset
        end = min(offset + limit, groups.total)
        while row < end and 0 <= index < len(groups.keys):
            key = groups.keys[index]
            start = groups.starts[index]
            stop = groups.starts[index + 1] if index + 1 < len(groups.keys) else groups.total
            take = min(stop, end) - row
            condition = column.is_(None) if key is None else column == key
            stmt = where(select(ActivityRow.id)).where(condition).order_by(*WITHIN_KEY)
            ids += list(session.scalars(stmt.offset(row - start).limit(take)))
            row += take
            index += 1
        return ids

    # Fallback ---------------------------------------------------------------------------
    @staticmethod
    def _plain(
        session: Session,
        where: Where,
        offset: int,
        limit: int,
        sort: ActivityColumn,
        descending: bool,
    ) -> list[int]:
        column, _table = _KEYED[sort]
        text = func.lower(column)
        key = text.desc().nulls_last() if descending else text.asc().nulls_first()
        stmt = where(select(ActivityRow.id)).order_by(key, *WITHIN_KEY)
        return list(session.scalars(stmt.offset(offset).limit(limit)))


def _in_index_order(flt: ActivityFilter) -> bool:
    """Whether an index holds ``flt``'s rows newest first: everyone's (by status or not), or
    one person's of one status. A page by date is then a short walk along it in SQL, never a
    read of every row of the filter."""
    rest = replace(flt, person_id=None, status=None)
    return rest == ActivityFilter() and (flt.person_id is None or flt.status is not None)


def _names(session: Session, table: Any, keys: set[Any]) -> dict[Any, str]:
    ids = [k for k in keys if k is not None]
    names: dict[Any, str] = {}
    for chunk in range(0, len(ids), 900):
        part = ids[chunk : chunk + 900]
        stmt = select(table.id, table.name).where(table.id.in_(part))
        names.update((k, n or "") for k, n in session.execute(stmt))
    return names
