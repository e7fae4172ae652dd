"""Scorecards: every measure of DESIGN.md §4 for a process, person and period, against targets.

The heavy lifting is SQL aggregation over indexed columns (activity.occurred_on, engagement
opened_on/closed_on, stage_change to/from stage and time); only small aggregates reach Python,
where the formulas of ``domain.measures`` turn them into figures.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from ..domain import measures as ms
from ..domain.errors import NotFoundError
from ..domain.measures import FarmingMeasures, HuntingMeasures, StageFigures, TargetResult
from ..domain.models import ProcessKind
from ..domain.periods import Granularity, Period, buckets, period_of

# The scorecards' values live in the domain (the chart drawing process unpickles them without
# importing SQLAlchemy); here for the services' callers as before.
from ..domain.scorecards import ActivitySeries as ActivitySeries
from ..domain.scorecards import Scope as Scope
from ..domain.scorecards import Scorecard as Scorecard
from ..domain.scorecards import SeriesBucket as SeriesBucket
from ..domain.scorecards import TrendPoint as TrendPoint
from ..domain.settings import WorkspaceSettings
from ..storage import repositories as repo
from ..storage.db import Database
from ..storage.orm import (
    ActivityTypeRow,
    EngagementRow,
    PersonRow,
    SettingRow,
    TargetRow,
)
from . import farming_queries as fq
from . import scorecard_queries as q

# The drill-down's names stay importable from here, where the Monitor and the review find them.
from .engagement_lists import EngagementDetail as EngagementDetail
from .engagement_lists import EngagementLine as EngagementLine
from .engagement_lists import EngagementLists
from .engagement_lists import HistoryStep as HistoryStep
from .engagement_lists import engagement_detail as engagement_detail
from .sql import rows

E = EngagementRow
_SETTINGS = select(SettingRow.key, SettingRow.value)
_ACTIVE = select(PersonRow.id).where(PersonRow.active.is_(True))
_TARGETS = (
    select(
        TargetRow.measure,
        TargetRow.activity_type_id,
        ActivityTypeRow.name,
        TargetRow.person_id,
        TargetRow.period,
        TargetRow.value_x100,
        TargetRow.valid_from,
        TargetRow.team,
    )
    .outerjoin(ActivityTypeRow, ActivityTypeRow.id == TargetRow.activity_type_id)
    .where(TargetRow.process_id == bindparam("process"))
)


@cache
def _trend_statement(by_person: bool) -> Any:
    owned = [E.owner_id.in_(bindparam("person", expanding=True))] if by_person else []
    return (
        select(E.closed_on, E.outcome, func.count())
        .where(
            E.process_id == bindparam("process"),
            E.closed_on >= bindparam("start"),
            E.closed_on <= bindparam("end"),
            E.outcome.is_not(None),
            *owned,
        )
        .group_by(E.closed_on, E.outcome)
    )


class ScorecardService(EngagementLists):
    """Computes scorecards and chart series; the engagements behind them: ``EngagementLists``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # Scope -------------------------------------------------------------------------------
    def scope(
        self,
        process_id: int,
        person_id: int | None,
        period: Period,
        today: date | None = None,
        team: str = "",
    ) -> Scope:
        with self.db.read() as s:
            procs = {p.id: p for p in repo.load_processes(s, include_archived=True)}
            if person_id is not None and s.get(PersonRow, person_id) is None:
                raise NotFoundError(f"Person {person_id} no longer exists.")
            members = q.team_members(s, team) if team and person_id is None else ()
        if process_id not in procs:
            raise NotFoundError(f"Process {process_id} no longer exists.")
        return Scope(procs[process_id], person_id, period, today or date.today(), team, members)

    def settings(self) -> WorkspaceSettings:
        with self.db.read() as s:
            return WorkspaceSettings.from_pairs(repo.get_settings(s))

    # Scorecards --------------------------------------------------------------------------
    def scorecard(self, scope: Scope) -> Scorecard:
        with self.db.read() as s:  # one read for the measures, the targets and the settings
            m = self._measures(s, scope)
            specs = self._target_specs(s, scope.process.id)
            settings = WorkspaceSettings.from_pairs(dict(rows(s, _SETTINGS)))
        return Scorecard(scope, m, tuple(self.targets(scope, m, specs, settings)))

    def measures(self, scope: Scope) -> HuntingMeasures | FarmingMeasures:
        with self.db.read() as s:
            return self._measures(s, scope)

    def _measures(self, s: Session, scope: Scope) -> HuntingMeasures | FarmingMeasures:
        if scope.process.kind is ProcessKind.HUNTING:
            return self._hunting(s, scope)
        return self._farming(s, scope)

    def _stage_figures(self, s: Session, scope: Scope) -> tuple[StageFigures, ...]:
        entries = q.entries(s, scope)
        times = q.time_in_stage(s, scope)
        open_ = q.open_by_stage(s, scope)
        figures = []
        for st in scope.process.open_stages:
            entered, forward = entries.get(st.id, (0, 0))
            hist = times.get(st.id, {})
            n, value, stalled = open_.get(st.id, (0, 0, 0))
            figures.append(
                StageFigures(
                    stage_id=st.id,
                    name=st.name,
                    entered=entered,
                    left_forward=forward,
                    conversion=ms.stage_conversion(entered, forward),
                    target_conversion=(
                        None if st.target_conversion is None else st.target_conversion / 100
                    ),
                    time_median=ms.histogram_median(hist),
                    time_mean=ms.histogram_mean(hist),
                    expected_days=st.expected_days,
                    open_count=n,
                    open_value=value,
                    weighted_value=value * (st.probability or 0) / 100,
                    stalled_count=stalled,
                )
            )
        return tuple(figures)

    def _hunting(self, s: Session, scope: Scope) -> HuntingMeasures:
        total, by_type = q.by_type(s, scope)
        closed = q.closed(s, scope)
        won_n, won_v = closed.get("won", (0, 0))
        lost_n, _ = closed.get("lost", (0, 0))
        cycle = q.cycle_hist(s, scope)
        stages = self._stage_figures(s, scope)
        return HuntingMeasures(
            activity_count=total,
            activities_by_type=by_type,
            new_engagements=q.new_engagements(s, scope),
            won_count=won_n,
            lost_count=lost_n,
            won_value=won_v,
            cycle_days_mean=ms.histogram_mean(cycle),
            cycle_days_median=ms.histogram_median(cycle),
            open_count=sum(f.open_count for f in stages),
            open_value=sum(f.open_value for f in stages),
            weighted_pipeline=sum(f.weighted_value for f in stages),
            stalled_count=sum(f.stalled_count for f in stages),
            stage_conversion={f.name: f.conversion for f in stages},
            time_in_stage_days_median={f.name: f.time_median for f in stages},
            stages=stages,
        )

    def _farming(self, s: Session, scope: Scope) -> FarmingMeasures:
        total, by_type = q.by_type(s, scope)
        closed = q.closed(s, scope)
        per_stage = fq.flags_by_stage(s, scope)
        entries = q.entries(s, scope)
        times = q.time_in_stage(s, scope)
        figures = []
        for st in scope.process.open_stages:
            entered, forward = entries.get(st.id, (0, 0))
            n, v, _r, stalled, at_risk = per_stage.get(st.id, (0, 0, 0, 0, 0))
            hist = times.get(st.id, {})
            figures.append(
                StageFigures(
                    st.id,
                    st.name,
                    entered,
                    forward,
                    ms.stage_conversion(entered, forward),
                    None if st.target_conversion is None else st.target_conversion / 100,
                    ms.histogram_median(hist),
                    ms.histogram_mean(hist),
                    st.expected_days,
                    n,
                    v,
                    0.0,
                    stalled,
                    at_risk,
                )
            )
        return FarmingMeasures(
            activity_count=total,
            activities_by_type=by_type,
            new_engagements=q.new_engagements(s, scope),
            accounts_managed=sum(x[0] for x in per_stage.values()),
            reviewed_accounts=sum(x[2] for x in per_stage.values()),
            renewed_count=closed.get("won", (0, 0))[0],
            churned_count=closed.get("lost", (0, 0))[0],
            at_risk_count=sum(x[4] for x in per_stage.values()),
            stalled_count=sum(x[3] for x in per_stage.values()),
            handover_lag_days_mean=ms.histogram_mean(fq.handover_lag(s, scope)),
            stages=tuple(figures),
            retention=fq.retention(s, scope),
        )

    def target_specs(self, process_id: int) -> tuple[list[ms.TargetSpec], frozenset[int]]:
        """Every target row of a process, and the ids of the active people."""
        with self.db.read() as s:
            return self._target_specs(s, process_id)

    @staticmethod
    def _target_specs(s: Session, process_id: int) -> tuple[list[ms.TargetSpec], frozenset[int]]:
        # Plain columns, not ORM objects: a scorecard reads every target of its process.
        found = rows(s, _TARGETS, {"process": process_id})
        active = frozenset(i for (i,) in rows(s, _ACTIVE))
        specs = [
            ms.TargetSpec(m, type_id, name or "", person, period, value / 100, since, team=team)
            for m, type_id, name, person, period, value, since, team in found
        ]
        return specs, active

    def targets(
        self,
        scope: Scope,
        m: HuntingMeasures | FarmingMeasures | None = None,
        specs: tuple[list[ms.TargetSpec], frozenset[int]] | None = None,
        settings: WorkspaceSettings | None = None,
    ) -> list[TargetResult]:
        """The targets that apply to the scope, each with actual, attainment and status."""
        m = m if m is not None else self.measures(scope)
        rows, active = specs if specs is not None else self.target_specs(scope.process.id)
        settings = settings or self.settings()
        results = []
        rows, active = q.targets_of(scope, rows, active)
        for t in ms.resolve_targets(
            rows, scope.process.kind, scope.person_id, scope.period, active
        ):
            results.append(
                ms.target_result(
                    t.measure,
                    t.value,
                    ms.target_actual(t.measure, m, t.activity_type),
                    settings.on_track_pct,
                    settings.at_risk_pct,
                    activity_type_id=t.activity_type_id,
                    activity_type=t.activity_type,
                    person_id=scope.person_id,
                    period_kind=t.period_kind,
                    base_value=t.base_value,
                    scaling=t.scaling,
                    summed_people=t.summed_people,
                )
            )
        return results

    # Chart series ------------------------------------------------------------------------
    def activity_series(self, scope: Scope, window: Period, bucket: Granularity) -> ActivitySeries:
        """Done activities per bucket of ``window`` by type, with the summed activity targets;
        the window starts no earlier than the process's first done activity (no empty months
        before the data), but always covers the scope's own period."""
        week_start = scope.period.week_start
        with self.db.read() as s:
            first = q.first_done_day(s, scope.process.id)
            if first is not None and first > window.start:
                start = min(period_of(bucket, first, week_start).start, scope.period.start)
                window = Period(max(start, window.start), window.end, window.kind, week_start)
            parts = buckets(window, bucket, week_start)
            names = q.activity_types(s, scope.process.kind)
            rows = q.activity_buckets(s, scope, window.start, window.end, [b.start for b in parts])
            specs = q.targets_of(scope, *self._target_specs(s, scope.process.id))
        counts: list[dict[int, int]] = [defaultdict(int) for _ in parts]
        for idx, type_id, n in rows:
            counts[idx][type_id] += n
        result = []
        targeted: set[int] = set()
        for part, cnt in zip(parts, counts, strict=True):
            ts = [
                t
                for t in ms.resolve_targets(
                    specs[0], scope.process.kind, scope.person_id, part, specs[1]
                )
                if t.measure == "activity_count"
            ]
            targeted |= {t.activity_type_id for t in ts if t.activity_type_id is not None}
            target = sum(t.value for t in ts) if ts else None
            result.append(SeriesBucket(part, dict(cnt), target))
        return ActivitySeries(names, tuple(result), frozenset(targeted))

    def outcome_trend(self, scope: Scope, months: int = 12) -> list[TrendPoint]:
        """Win (hunting) or renewal (farming) rate per month over ``months`` months."""
        from ..domain.periods import month_of

        last = month_of(scope.as_of)
        parts = [last.shifted(-i) for i in reversed(range(months))]
        measure = "win_rate" if scope.process.kind is ProcessKind.HUNTING else "renewal_rate"
        params = {"process": scope.process.id, "start": parts[0].start, "end": last.end}
        if scope.owners is not None:
            params["person"] = list(scope.owners)
        with self.db.read() as s:
            found = rows(s, _trend_statement(scope.owners is not None), params)
        won = [0] * months
        lost = [0] * months
        starts = [p.start for p in parts]
        for day, outcome, n in found:
            if day is None:
                continue
            i = q.bucket_index(starts, day)
            if outcome == "won":
                won[i] += n
            else:
                lost[i] += n
        specs, active = q.targets_of(scope, *self.target_specs(scope.process.id))
        points = []
        for i, part in enumerate(parts):
            ts = [
                t
                for t in ms.resolve_targets(
                    specs, scope.process.kind, scope.person_id, part, active
                )
                if t.measure == measure
            ]
            points.append(
                TrendPoint(
                    part,
                    won[i],
                    lost[i],
                    ms.rate(won[i], won[i] + lost[i]),
                    ts[0].value / 100 if ts else None,
                )
            )
        return points
