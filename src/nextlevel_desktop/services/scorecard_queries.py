"""The SQL aggregations behind the scorecards (GROUP BY over indexed columns).

Each function returns small aggregates (per stage, per day and type, per number of days), never
rows of activities or engagements, so their cost does not grow with what Python has to hold.
The farming-only ones (review and at-risk flags, handover lag, retention): ``farming_queries``.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Date,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from ..domain import measures as ms
from ..domain.models import ProcessKind, StageCategory
from ..domain.periods import local_midnight_utc
from ..storage.orm import (
    ActivityRow,
    ActivityTypeRow,
    EngagementRow,
    PersonRow,
    StageChangeRow,
    StageRow,
    UTCDateTime,
)
from .sql import days_between, rows, unindexed

if TYPE_CHECKING:
    from .scorecards import Scope

E, SC, A = EngagementRow, StageChangeRow, ActivityRow
# Aliases made once: each aliased() builds a proxy for every column, which cost more per
# refresh than some of the queries themselves.
SC_AT_END = aliased(SC, name="sc_at_end")
SC_PREV = aliased(SC, name="sc_prev")


def owner(scope: Scope) -> Any:
    return E.owner_id.in_(scope.owners) if scope.owners is not None else literal(True)


@cache
def _types_statement() -> Any:
    t = ActivityTypeRow
    return select(t.id, t.name).where(t.kind == bindparam("kind")).order_by(t.position, t.id)


def activity_types(s: Session, kind: ProcessKind) -> dict[int, str]:
    return {i: n for i, n in rows(s, _types_statement(), {"kind": kind.value})}


def first_done_day(s: Session, process_id: int) -> date | None:
    """The day of the process's first done activity (one index seek), or ``None``."""
    return rows(s, _first_done_statement(), {"process": process_id})[0][0]


@cache
def _first_done_statement() -> Any:
    return select(func.min(A.occurred_on)).where(
        A.process_id == bindparam("process"), A.status == "done"
    )


def activity_buckets(
    s: Session, scope: Scope, start: date, end: date, starts: Sequence[date] = ()
) -> list[tuple[int, int, int]]:
    """Done activities from ``start`` to ``end`` per (bucket, type): (bucket index, type id,
    count) rows, bucket ``i`` from ``starts[i]`` (ascending; days before ``starts[1]`` count in
    the first). Counted per day and type in SQL, in the order of the (process, status, day,
    type) index, and bucketed here: a CASE per row over the buckets cost SQLite 7× more.
    ≤ days × types rows, whatever the volume."""
    params: dict[str, Any] = {"process": scope.process.id, "start": start, "end": end}
    if scope.owners is not None:
        params["person"] = list(scope.owners)
    stmt = _buckets_statement(scope.owners is not None, len(starts) > 1)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for *day, type_id, n in rows(s, stmt, params):
        if n:
            counts[bucket_index(starts, day[0]) if day else 0, type_id] += int(n)
    return [(b, t, n) for (b, t), n in counts.items()]


@cache
def _buckets_statement(by_person: bool, by_day: bool) -> Any:
    in_range = [A.occurred_on >= bindparam("start"), A.occurred_on <= bindparam("end")]
    group = [A.occurred_on, A.type_id]
    # One bucket: the day is grouped on but not read back (no date parsing per row).
    cols = group if by_day else [A.type_id]
    wanted = and_(A.process_id == bindparam("process"), A.status == "done")
    if not by_person:
        return select(*cols, func.count()).where(wanted, *in_range).group_by(*group)
    # One person's days are few: read them on the (person, day) index and count the
    # process's done ones in the aggregate, so no process-wide index is chosen instead.
    return (
        select(*cols, func.sum(case((wanted, 1), else_=0)))
        .where(A.person_id.in_(bindparam("person", expanding=True)), *in_range)
        .group_by(*group)
    )


def bucket_index(starts: Sequence[date], day: date) -> int:
    """The bucket of ``day``: the last whose start is on or before it (the first if none)."""
    return max(bisect.bisect_right(starts, day) - 1, 0)


def by_type(s: Session, scope: Scope) -> tuple[int, dict[str, int]]:
    names = activity_types(s, scope.process.kind)
    counts: dict[int, int] = defaultdict(int)
    for _b, type_id, n in activity_buckets(s, scope, scope.period.start, scope.period.end):
        counts[type_id] += n
    by_type = {names.get(t, str(t)): counts[t] for t in [*names, *counts] if t in counts}
    return sum(counts.values()), by_type


def _period_params(scope: Scope) -> dict[str, Any]:
    """Values for the engagement statements below: process, the period's days, the person."""
    params: dict[str, Any] = {
        "process": scope.process.id,
        "start": scope.period.start,
        "end": scope.period.end,
    }
    if scope.owners is not None:
        params["person"] = list(scope.owners)
    return params


def _owned(by_person: bool) -> list[Any]:
    return [E.owner_id.in_(bindparam("person", expanding=True))] if by_person else []


@cache
def _new_statement(by_person: bool) -> Any:
    return select(func.count()).where(
        E.process_id == bindparam("process"),
        E.opened_on >= bindparam("start"),
        E.opened_on <= bindparam("end"),
        *_owned(by_person),
    )


def new_engagements(s: Session, scope: Scope) -> int:
    stmt = _new_statement(scope.owners is not None)
    return int(rows(s, stmt, _period_params(scope))[0][0] or 0)


@cache
def _closed_statement(by_person: bool) -> Any:
    return (
        select(E.outcome, func.count(), func.coalesce(func.sum(E.value_minor), 0))
        .where(
            E.process_id == bindparam("process"),
            E.closed_on >= bindparam("start"),
            E.closed_on <= bindparam("end"),
            E.outcome.is_not(None),
            *_owned(by_person),
        )
        .group_by(E.outcome)
    )


def closed(s: Session, scope: Scope) -> dict[str, tuple[int, int]]:
    found = rows(s, _closed_statement(scope.owners is not None), _period_params(scope))
    return {str(o): (int(n), int(v)) for o, n, v in found}


@cache
def _cycle_statement(by_person: bool) -> Any:
    days = days_between(E.opened_on, E.closed_on)
    return (
        select(days, func.count())
        .where(
            E.process_id == bindparam("process"),
            E.outcome == "won",
            E.closed_on >= bindparam("start"),
            E.closed_on <= bindparam("end"),
            E.opened_on.is_not(None),
            *_owned(by_person),
        )
        .group_by(days)
    )


def cycle_hist(s: Session, scope: Scope) -> dict[int, int]:
    found = rows(s, _cycle_statement(scope.owners is not None), _period_params(scope))
    return ms.day_histogram((int(d), int(n)) for d, n in found if d is not None)


def open_at_end(scope: Scope) -> Any:
    """A subquery of engagements open at ``scope.as_of``: id, stage, days in that stage.

    Its values are bound parameters: execute what uses it with :func:`open_params`.
    """
    return _open_at_end(scope.current, scope.owners is not None)


def open_params(scope: Scope) -> dict[str, Any]:
    """The values for :func:`open_at_end` (and :func:`farming_flags`)."""
    as_of = scope.as_of
    params: dict[str, Any] = {
        "process": scope.process.id,
        "as_of": as_of,
        # Days are counted to local noon of the day, so that whole calendar days come out
        # whatever the hour of the move.
        "moment": local_midnight_utc(as_of) + timedelta(hours=12),
        "end_utc": local_midnight_utc(as_of + timedelta(days=1)),
    }
    if scope.owners is not None:
        params["person"] = list(scope.owners)
    return params


# Built once per shape (current or past period, team or person) with bound values, like the
# stage-change statements: these nested statements cost more to build and key than to run.
@cache
def _open_at_end(current: bool, by_person: bool) -> Any:
    as_of = bindparam("as_of", type_=Date())
    moment = bindparam("moment", type_=UTCDateTime())
    base = [
        E.process_id == bindparam("process"),
        or_(E.opened_on.is_(None), E.opened_on <= as_of),
        # Nothing closes after today: for the current period this is an index seek.
        E.closed_on.is_(None) if current else or_(E.closed_on.is_(None), E.closed_on > as_of),
    ]
    if by_person:
        base.append(E.owner_id.in_(bindparam("person", expanding=True)))
    if current:
        # Unknown is unknown (DESIGN §4): an imported stay whose start the file does not give
        # has no days in stage, so it is never stalled (the opened date is no stand-in).
        entered: Any = E.stage_entered_at
        return (
            select(
                E.id.label("eid"),
                E.stage_id.label("sid"),
                E.value_minor.label("value"),
                E.account_id.label("account_id"),
                days_between(entered, moment).label("days"),
            )
            .where(*base)
            .subquery()
        )
    # A past period: the stage an engagement was in then comes from its stage history.
    last = (
        select(SC.id)
        .where(SC.engagement_id == E.id, SC.changed_at < bindparam("end_utc"))
        .order_by(SC.changed_at.desc(), SC.id.desc())
        .limit(1)
        .correlate(E)
        .scalar_subquery()
    )
    inner = select(
        E.id.label("eid"),
        E.stage_id,
        E.value_minor,
        E.account_id,
        last.label("cid"),
    ).where(*base)
    inner_sq = inner.subquery()
    sc = SC_AT_END
    # Days only from an entry whose moment is known.
    entered = case((sc.entered_known.is_(True), sc.changed_at), else_=None)
    return (
        select(
            inner_sq.c.eid,
            func.coalesce(sc.to_stage_id, inner_sq.c.stage_id).label("sid"),
            inner_sq.c.value_minor.label("value"),
            inner_sq.c.account_id,
            days_between(entered, moment).label("days"),
        )
        .outerjoin(sc, sc.id == inner_sq.c.cid)
        .subquery()
    )


def open_by_stage(s: Session, scope: Scope) -> dict[int, tuple[int, int, int]]:
    """Per stage: open count, open value, stalled count (as of the period's end)."""
    stmt = _open_by_stage_statement(scope.current, scope.owners is not None)
    found = rows(s, stmt, open_params(scope))
    return {sid: (int(n), int(v), int(st or 0)) for sid, n, v, st in found}


@cache
def _open_by_stage_statement(current: bool, by_person: bool) -> Any:
    o = _open_at_end(current, by_person)
    stalled = case((o.c.days > StageRow.expected_days, 1), else_=0)
    return (
        select(o.c.sid, func.count(), func.coalesce(func.sum(o.c.value), 0), func.sum(stalled))
        .join(StageRow, StageRow.id == o.c.sid)
        .where(StageRow.category == StageCategory.OPEN.value)
        .group_by(unindexed(o.c.sid))
    )


def _moves_params(scope: Scope) -> dict[str, Any]:
    """Values for the stage-change statements below: the process's open stages, the period's
    UTC bounds and, for one person, who and which process."""
    start_utc, end_utc = scope.period.utc_bounds()
    params: dict[str, Any] = {
        "stage_ids": [st.id for st in scope.process.stages if st.category is StageCategory.OPEN],
        "start": start_utc,
        "end": end_utc,
    }
    if scope.owners is not None:
        params |= {"person": list(scope.owners), "process": scope.process.id}
    return params


def _moves_of_person(stmt: Any) -> Any:
    """Only the person's moves: found from their engagements in the process on the
    (engagement, time) index, not by reading every move of the period (all people's) on the
    stage index and dropping the others' (8× fewer rows read)."""
    owned = select(E.id).where(
        E.owner_id.in_(bindparam("person", expanding=True)), E.process_id == bindparam("process")
    )
    return stmt.where(SC.engagement_id.in_(owned))


# The stage-change statements are built once per shape (team or person) with bound values:
# building and keying these nested statements again on every refresh cost half as much as
# running them.
@cache
def _entries_statement(by_person: bool) -> Any:
    # Where each entry went next is kept on the row (``storage/stage_links.py``): a period's
    # entries and their next stages are counted on the stage index alone.
    stmt = (
        select(SC.to_stage_id, SC.next_stage_id, func.count())
        .where(
            SC.to_stage_id.in_(bindparam("stage_ids", expanding=True)),
            SC.changed_at >= bindparam("start"),
            SC.changed_at < bindparam("end"),
            # A cohort is those proven to enter in the period; where they went next is known
            # from the order alone.
            SC.entered_known.is_(True),
        )
        .group_by(SC.to_stage_id, SC.next_stage_id)
    )
    return _moves_of_person(stmt) if by_person else stmt


def entries(s: Session, scope: Scope) -> dict[int, tuple[int, int]]:
    """Per open stage: entered in the period, and of those how many later left forward."""
    stages = {st.id: st for st in scope.process.stages}
    stmt = _entries_statement(scope.owners is not None)
    result: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for sid, nid, n in s.execute(stmt, _moves_params(scope)):
        result[sid][0] += n
        target = stages.get(nid) if nid is not None else None
        if target is not None and (
            target.category is StageCategory.WON
            or (target.category is StageCategory.OPEN and target.position > stages[sid].position)
        ):
            result[sid][1] += n
    return {sid: (v[0], v[1]) for sid, v in result.items()}


@cache
def _entered_statement(by_person: bool) -> Any:
    stmt = (
        select(SC.to_stage_id, func.count())
        .where(
            SC.to_stage_id.in_(bindparam("stage_ids", expanding=True)),
            SC.changed_at >= bindparam("start"),
            SC.changed_at < bindparam("end"),
        )
        .group_by(SC.to_stage_id)
    )
    return _moves_of_person(stmt) if by_person else stmt


def entered(s: Session, scope: Scope) -> dict[int, int]:
    """Per open stage: every entry in the period, its moment known or not (a pace's count:
    on the stage-change index alone, where each entry went next is not read)."""
    stmt = _entered_statement(scope.owners is not None)
    return {sid: int(n) for sid, n in s.execute(stmt, _moves_params(scope))}


@cache
def _time_in_stage_statement(by_person: bool) -> Any:
    prev = SC_PREV
    # The stay began with the engagement's previous move (its history is a chain), found on the
    # (engagement, time, known) index: one index lookup per move, whatever the volume. A stay
    # counts only when both its start and its end are known.
    entered_at = (
        select(case((prev.entered_known.is_(True), prev.changed_at), else_=None))
        .where(prev.engagement_id == SC.engagement_id, prev.changed_at < SC.changed_at)
        .order_by(prev.changed_at.desc(), prev.id.desc())
        .limit(1)
        .correlate(SC)
        .scalar_subquery()
    )
    days = days_between(entered_at, SC.changed_at)
    stmt = (
        select(SC.from_stage_id, days.label("days"), func.count())
        .where(
            SC.from_stage_id.in_(bindparam("stage_ids", expanding=True)),
            SC.changed_at >= bindparam("start"),
            SC.changed_at < bindparam("end"),
            SC.entered_known.is_(True),
        )
        .group_by(SC.from_stage_id, "days")
    )
    return _moves_of_person(stmt) if by_person else stmt


def time_in_stage(s: Session, scope: Scope) -> dict[int, dict[int, int]]:
    """Per open stage: histogram of days spent, for stays that ended in the period."""
    stmt = _time_in_stage_statement(scope.owners is not None)
    hists: dict[int, dict[int, int]] = defaultdict(dict)
    for sid, d, n in s.execute(stmt, _moves_params(scope)):
        if sid is not None and d is not None and d >= 0:
            hists[sid][int(d)] = hists[sid].get(int(d), 0) + int(n)
    return hists


# Targets -----------------------------------------------------------------------------


def team_members(s: Session, team: str) -> tuple[int, ...]:
    """The ids of a team's people (its name in any case), active or not."""
    stmt = select(PersonRow.id).where(func.lower(PersonRow.team) == team.strip().lower())
    return tuple(s.scalars(stmt.order_by(PersonRow.id)))


def targets_of(
    scope: Scope, specs: list[ms.TargetSpec], active: frozenset[int]
) -> tuple[list[ms.TargetSpec], frozenset[int]]:
    """The target specs and active people ``resolve_targets`` needs for the scope."""
    if scope.team and scope.person_id is None:
        return ms.team_targets(specs, scope.team, scope.members, active)
    return specs, active


def latest_day(s: Session, process_id: int) -> date | None:
    """The last day anything happened in a process: a done activity, an engagement opened or
    closed (``None``: nothing yet)."""
    days = [
        s.scalar(
            select(func.max(A.occurred_on)).where(A.process_id == process_id, A.status == "done")
        ),
        s.scalar(select(func.max(E.opened_on)).where(E.process_id == process_id)),
        s.scalar(select(func.max(E.closed_on)).where(E.process_id == process_id)),
    ]
    known = [d for d in days if d is not None]
    return max(known) if known else None
