"""Process health: stage health (designed vs actual) and process-behaviour (XmR) charts.

The counts come from the scorecard queries (entries and their forward moves, completed stays,
stalled now) and from small per-day GROUP BYs; the formulas are those of ``domain.health`` and
``domain.behaviour``. A scope is the scorecard's :class:`Scope`: one process, one person or the
team (``person_id is None``), so whatever narrows a scorecard's people narrows these too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..domain import behaviour as bh
from ..domain import health as hl
from ..domain.changes import Changes
from ..domain.errors import NotFoundError, ValidationError
from ..domain.models import Process, StageCategory
from ..domain.periods import Granularity, Period, buckets, period_of
from ..storage.db import Database
from ..storage.orm import EngagementRow, StageRow
from . import scorecard_queries as q
from .revisions import Recorder, Revision
from .scorecards import Scope
from .sql import days_between

E = EngagementRow


def next_stage_names(process: Process) -> list[str]:
    """Where advancing from each open stage leads: the next open stage, or the won stage."""
    opens = process.open_stages
    won = next((s.name for s in process.active_stages if s.category is StageCategory.WON), "")
    return [opens[i + 1].name if i + 1 < len(opens) else won for i in range(len(opens))]


def window_buckets(start: date, end: date, bucket: Granularity, week_start: int) -> list[Period]:
    """The whole calendar weeks or months that cover ``start`` to ``end``."""
    whole = Period(
        period_of(bucket, start, week_start).start,
        period_of(bucket, end, week_start).end,
        Granularity.CUSTOM,
        week_start,
    )
    return buckets(whole, bucket, week_start)


@dataclass(frozen=True)
class BehaviourSignals:
    """The signals of one measure's chart that fall on or after a day (for the review)."""

    process: str
    measure: bh.Measure
    bucket: Granularity
    chart: bh.XmR
    runs: tuple[bh.SignalRun, ...]


class HealthService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # Stage health ----------------------------------------------------------------------
    def stage_health(self, scope: Scope) -> list[hl.StageHealth]:
        """Per open stage: the cohort that entered in the scope's period and what became of
        it, the stays completed in the period, and the engagements stalled there today."""
        process = scope.process
        # “Now”: open and stalled as of today, whatever period the cohort is from.
        end = max(scope.period.end, scope.today)
        now = replace(scope, period=replace(scope.period, end=end))
        with self.db.read() as s:
            entries = q.entries(s, scope)
            stays = q.time_in_stage(s, scope)
            stalled = {sid: st for sid, (_n, _v, st) in q.open_by_stage(s, now).items()}
        stages = [
            (st.id, st.name, st.target_conversion, st.expected_days) for st in process.open_stages
        ]
        return hl.stage_health(stages, next_stage_names(process), entries, stays, stalled)

    def update_design(
        self, process_id: int, updates: Sequence[tuple[int, int | None, int | None]]
    ) -> Revision:
        """Set (stage id, expected days, target conversion %) as measured, in one revision
        (one undo); ``None`` leaves that figure as designed."""
        with self.db.transaction() as session:
            rec = Recorder(session)
            for stage_id, days, pct in updates:
                row = session.get(StageRow, stage_id)
                if row is None or row.process_id != process_id:
                    raise NotFoundError(f"Stage {stage_id} is no longer in this process.")
                if days is not None and not 1 <= days <= 3650:
                    raise ValidationError({"expected_days": "Expected days must be 1–3650."})
                if pct is not None and not 0 <= pct <= 100:
                    raise ValidationError({"target_conversion": "A conversion is 0–100 %."})
                rec.will_update(row)
                if days is not None:
                    row.expected_days = days
                if pct is not None:
                    row.target_conversion = pct
            return rec.revision(Changes(stages=True), process=process_id)

    # Process behaviour -----------------------------------------------------------------
    def behaviour(
        self,
        scope: Scope,
        measure: bh.Measure,
        bucket: Granularity,
        baseline: int | None = None,
    ) -> bh.XmR:
        """The XmR chart of ``measure`` per whole week or month over the scope's period."""
        return self.behaviours(scope, [measure], bucket, baseline)[measure]

    def behaviours(
        self,
        scope: Scope,
        measures: Sequence[bh.Measure],
        bucket: Granularity,
        baseline: int | None = None,
    ) -> dict[bh.Measure, bh.XmR]:
        """Several measures' charts; the won count, value and cycle days from one query."""
        week_start = scope.period.week_start
        parts = window_buckets(scope.period.start, scope.period.end, bucket, week_start)
        starts = [p.start for p in parts]
        first, last = parts[0].start, parts[-1].end
        # Per query: each measure's (value column, weight column) in its rows.
        columns = {
            bh.Measure.ACTIVITY_COUNT: ("activities", 1, 1),
            bh.Measure.NEW_ENGAGEMENTS: ("opened", 1, 1),
            bh.Measure.WON_COUNT: ("won", 1, 1),
            bh.Measure.WON_VALUE: ("won", 2, 1),
            bh.Measure.CYCLE_DAYS: ("won", 3, 4),
        }
        queries = {columns[m][0] for m in measures}
        with self.db.read() as s:
            rows: dict[str, list[Any]] = {}
            for name in queries:
                if name == "activities":  # the scorecard's own counts, a bucket a day
                    rows[name] = _activity_days(s, scope, first, last)
                else:
                    rows[name] = list(s.execute(_per_day(name, scope, first, last)))
        out = {}
        for m in measures:
            name, value, weight = columns[m]
            sums = [0.0] * len(parts)
            counts = [0] * len(parts)
            for row in rows[name]:
                if row[0] is None:
                    continue
                i = q.bucket_index(starts, row[0])
                sums[i] += float(row[value] or 0)
                counts[i] += int(row[weight] or 0)
            out[m] = bh.xmr(bh.bucket_values(m, starts, sums, counts), baseline)
        return out

    def signals_since(self, scope: Scope, since: date) -> list[BehaviourSignals]:
        """Each measure's signals in the buckets that end on or after ``since``: activities and
        new engagements per week over 26 weeks, wins (rarer) per month over 18 months, up to
        the last whole bucket by the scope's end, limits from the first 12 points. A chart
        whose baseline has no variation at all (every point equal, e.g. no wins) has nothing
        to judge a change against and is left out."""
        weekly = [bh.Measure.ACTIVITY_COUNT, bh.Measure.NEW_ENGAGEMENTS]
        monthly = [m for m in bh.Measure if m not in weekly]
        charts = [
            (m, Granularity.WEEK, c)
            for m, c in self.behaviours(
                last_whole(scope, Granularity.WEEK, 26), weekly, Granularity.WEEK
            ).items()
        ] + [
            (m, Granularity.MONTH, c)
            for m, c in self.behaviours(
                last_whole(scope, Granularity.MONTH, 18), monthly, Granularity.MONTH
            ).items()
        ]
        out = []
        for measure, bucket, chart in charts:
            if not chart.average_moving_range:
                continue
            week_start = scope.period.week_start
            runs = tuple(
                r
                for r in bh.signal_runs(chart)
                if period_of(bucket, r.last.start, week_start).end >= since
            )
            if runs:
                out.append(BehaviourSignals(scope.process.name, measure, bucket, chart, runs))
        return out


def _activity_days(s: Session, scope: Scope, first: date, last: date) -> list[Any]:
    """Done activities per day from ``first`` to ``last``: (day, count, count) rows, counted as
    the scorecard counts them (``activity_buckets``, a bucket a day)."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [(days[i], n, n) for i, _t, n in q.activity_buckets(s, scope, first, last, days)]


def _per_day(name: str, scope: Scope, first: date, last: date) -> Any:
    """Rows per day from ``first`` to ``last``: (day, count, count) of engagements opened; or
    of engagements won (by closing day): (day, count, value, days from opening, how many have
    an opening day)."""
    if name == "opened":
        in_range = [E.opened_on >= first, E.opened_on <= last]
        return (
            select(E.opened_on, func.count(), func.count())
            .where(E.process_id == scope.process.id, *in_range, q.owner(scope))
            .group_by(E.opened_on)
        )
    known = E.opened_on.is_not(None)
    return (
        select(
            E.closed_on,
            func.count(),
            func.coalesce(func.sum(E.value_minor), 0),
            func.sum(case((known, days_between(E.opened_on, E.closed_on)), else_=0)),
            func.sum(case((known, 1), else_=0)),
        )
        .where(
            E.process_id == scope.process.id,
            E.outcome == "won",
            E.closed_on >= first,
            E.closed_on <= last,
            q.owner(scope),
        )
        .group_by(E.closed_on)
    )


def last_whole(scope: Scope, bucket: Granularity, points: int) -> Scope:
    """The scope over ``points`` whole weeks or months ending with the last whole one by its
    end (the bucket still under way would read as a drop)."""
    week_start = scope.period.week_start
    end = scope.as_of
    current = period_of(bucket, end, week_start)
    if current.end > end:
        end = current.start - timedelta(days=1)
    first = period_of(bucket, end, week_start)
    for _ in range(points - 1):
        first = first.shifted(-1)
    return replace(scope, period=Period(first.start, end, Granularity.CUSTOM, week_start))
