"""The farming scorecard's SQL: open accounts' review/at-risk flags, the handover lag from a
hunting win, and retention over the period (split from ``scorecard_queries``, whose
parameters and open-at-end statement they use)."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam, case, exists, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from ..domain import measures as ms
from ..domain.models import ProcessKind, StageCategory
from ..domain.periods import local_midnight_utc
from ..storage.orm import (
    ActivityRow,
    ActivityTypeRow,
    EngagementRow,
    ProcessRow,
    StageRow,
    UTCDateTime,
    ValueChangeRow,
)
from .scorecard_queries import _open_at_end, _owned, _period_params, open_params
from .sql import days_between, rows, unindexed

if TYPE_CHECKING:
    from .scorecards import Scope

E, A = EngagementRow, ActivityRow
E_WON = aliased(E, name="e_won")


def farming_flags(scope: Scope) -> Any:
    """Open-at-end farming engagements with ‘reviewed’ and ‘at risk’ flags, in SQL.

    Execute what uses it with :func:`flags_params`.
    """
    return _farming_flags(scope.current, scope.owners is not None)


def flags_params(scope: Scope) -> dict[str, Any]:
    """The values for :func:`farming_flags`: those of :func:`open_at_end`, the review window
    (the cadence's days up to the period's end) and the activity window of "at risk".

    DESIGN §4: an account is at risk with no done activity for *longer* than the cadence, so
    an activity exactly the cadence's days before the period's end still keeps it active.
    """
    cadence = scope.process.review_cadence_days
    return open_params(scope) | {
        "window_start": local_midnight_utc(scope.as_of - timedelta(days=cadence - 1)),
        "active_start": local_midnight_utc(scope.as_of - timedelta(days=cadence)),
        "window_end": local_midnight_utc(scope.as_of + timedelta(days=1)),
    }


@cache
def _farming_flags(current: bool, by_person: bool) -> Any:
    o = _open_at_end(current, by_person)

    def done_since(start: str) -> Any:
        return and_(
            A.account_id == o.c.account_id,
            A.status == "done",
            A.occurred_at >= bindparam(start),
            A.occurred_at < bindparam("window_end"),
        )

    # The review types by id, as the account index holds them (not a type row per activity).
    review_types = select(ActivityTypeRow.id).where(ActivityTypeRow.is_review.is_(True))
    reviewed = exists(select(A.id).where(done_since("window_start"), A.type_id.in_(review_types)))
    active = exists(select(A.id).where(done_since("active_start")))
    stalled = o.c.days > StageRow.expected_days
    # What an account's activities say, looked up once: reviewed (2), else active (1): a
    # review is a done activity, so only the unreviewed are looked up again. Materialized:
    # SQLite would copy the CASE, lookups and all, into every use of its column.
    seen = (
        select(
            o.c.eid,
            o.c.sid,
            o.c.value,
            o.c.days,
            StageRow.expected_days,
            case((stalled, 1), else_=0).label("stalled"),
            case((reviewed, 2), (active, 1), else_=0).label("seen"),
        )
        .join(StageRow, StageRow.id == o.c.sid)
        .where(StageRow.category == StageCategory.OPEN.value)
        .cte("flags")
        .prefix_with("MATERIALIZED")
    )
    return select(
        seen.c.eid,
        seen.c.sid,
        seen.c.value,
        seen.c.days,
        seen.c.expected_days,
        case((seen.c.seen == 2, 1), else_=0).label("reviewed"),
        seen.c.stalled,
        case((or_(seen.c.stalled == 1, seen.c.seen == 0), 1), else_=0).label("at_risk"),
    ).subquery()


def flags_by_stage(s: Session, scope: Scope) -> dict[int, tuple[int, int, int, int, int]]:
    """Per open stage: accounts managed, their value, reviewed, stalled and at risk."""
    found = rows(s, _flags_by_stage(scope.current, scope.owners is not None), flags_params(scope))
    return {
        sid: (int(n), int(v), int(r or 0), int(st or 0), int(ar or 0))
        for sid, n, v, r, st, ar in found
    }


@cache
def _flags_by_stage(current: bool, by_person: bool) -> Any:
    flags = _farming_flags(current, by_person)
    return select(
        flags.c.sid,
        func.count(),
        func.coalesce(func.sum(flags.c.value), 0),
        func.sum(flags.c.reviewed),
        func.sum(flags.c.stalled),
        func.sum(flags.c.at_risk),
    ).group_by(unindexed(flags.c.sid))


def handover_lag(s: Session, scope: Scope) -> dict[int, int]:
    """Days from a hunting win to the first done farming activity on that account."""
    params: dict[str, Any] = {
        "process": scope.process.id,
        "start": scope.period.start,
        "end": scope.period.end,
        # An activity's day is its local date, at most 14 hours from its UTC moment: none on
        # or after the period's first day happened two days before it, in any time zone.
        "since": local_midnight_utc(scope.period.start - timedelta(days=2)),
    }
    if scope.owners is not None:
        params["person"] = list(scope.owners)
    found = rows(s, _handover_statement(scope.owners is not None), params)
    return ms.day_histogram((int(d), int(n)) for d, n in found if d is not None and n)


@cache
def _handover_statement(by_person: bool) -> Any:
    src = E_WON
    hunting_ids = select(ProcessRow.id).where(ProcessRow.kind == ProcessKind.HUNTING.value)
    # Only the account's own activities since the period are read (on the account index):
    # the other conditions sit inside the aggregate so that no process- or status-wide index
    # is chosen instead.
    wanted = and_(A.process_id == E.process_id, A.status == "done", A.occurred_on >= src.closed_on)
    since = bindparam("since", type_=UTCDateTime())
    first = (
        select(func.min(case((wanted, A.occurred_on))))
        .where(A.account_id == E.account_id, A.occurred_at >= since)
        .correlate(E, src)
        .scalar_subquery()
    )
    days = days_between(src.closed_on, first)
    # From the few wins of the period (process/closed index) to their handovers, found on the
    # account index (a handover keeps the account).
    won = [
        src.process_id.in_(hunting_ids),
        src.closed_on >= bindparam("start"),
        src.closed_on <= bindparam("end"),
        src.outcome == "won",
    ]
    if not by_person:
        won_accounts = select(src.account_id).where(*won)
        # The process is checked in the aggregate so that the account index is the one used.
        this_process: Any = func.sum(case((E.process_id == bindparam("process"), 1), else_=0))
        where = [E.account_id.in_(won_accounts), *won]
    else:
        # One person's engagements of this process are fewer than the period's wins: read them
        # on the (owner, process) index (4× fewer rows than going through the won accounts).
        this_process = func.count()
        where = [
            E.owner_id.in_(bindparam("person", expanding=True)),
            E.process_id == bindparam("process"),
            *won,
        ]
    return (
        select(days.label("days"), this_process)
        .select_from(E)
        .join(src, src.id == E.source_engagement_id)
        .where(*where)
        .group_by("days")
    )


VC = ValueChangeRow


@cache
def _retention_statements(by_person: bool) -> tuple[Any, Any]:
    start: Any = bindparam("start")
    churned = and_(E.outcome == "lost", E.closed_on <= bindparam("end"))
    # Open at the start = still open, or closed since: two seeks on the (process, closed)
    # index. The opening date is checked in the sums, so that SQLite does not read every
    # engagement opened before the start on the (process, opened) index instead (6× the rows).
    parts = [
        select(
            E.value_minor.label("v"),
            case((E.opened_on < start, 1), else_=0).label("before"),
            case((churned, 1), else_=0).label("churned"),
        ).where(E.process_id == bindparam("process"), closed, *_owned(by_person))
        for closed in (E.closed_on.is_(None), E.closed_on >= start)
    ]
    c = union_all(*parts).subquery()
    totals = select(
        func.coalesce(func.sum(case((c.c.before == 1, c.c.v), else_=0)), 0),
        func.coalesce(func.sum(case((and_(c.c.before == 1, c.c.churned == 1), c.c.v), else_=0)), 0),
    )
    # The value changes since the start (a short table: edits by hand), each with its
    # engagement found by id; whether that engagement is in the cohort is worked out here too.
    in_cohort = and_(
        E.process_id == bindparam("process"),
        E.opened_on < start,
        or_(E.closed_on.is_(None), E.closed_on >= start),
        *_owned(by_person),
    )
    diff = VC.new_value_minor - VC.old_value_minor
    after_end = VC.changed_at >= bindparam("end_utc", type_=UTCDateTime())
    moves = (
        select(
            func.max(case((in_cohort, 1), else_=0)),
            func.max(case((churned, 1), else_=0)),
            func.sum(diff),
            func.coalesce(func.sum(case((after_end, diff))), 0),
        )
        .select_from(VC)
        .join(E, E.id == VC.engagement_id)
        .where(VC.changed_at >= bindparam("start_utc", type_=UTCDateTime()))
        .group_by(VC.engagement_id)
    )
    return totals, moves


def retention(s: Session, scope: Scope) -> ms.Retention:
    """The value of the engagements open at the period's start, and what of it churned,
    contracted and expanded by the period's end (from the recorded value changes)."""
    start_utc, end_utc = scope.period.utc_bounds()
    params = _period_params(scope) | {"start_utc": start_utc, "end_utc": end_utc}
    totals, moves = _retention_statements(scope.owners is not None)
    ((now, churned_now),) = rows(s, totals, params)
    changes = [(bool(c), int(a), int(b)) for ok, c, a, b in rows(s, moves, params) if ok]
    return ms.retention(int(now), int(churned_now), changes)
