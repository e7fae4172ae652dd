"""The reverse-funnel planner: measured rates of a scope over a window, worked back from an
outcome target (``domain.planning``), and the plan written as targets in one undoable write.

The rates come from the scorecard's own SQL aggregates (``scorecard_queries``) over the window,
so the planner and the Monitor measure the same thing the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select

from ..domain import measures as ms
from ..domain.models import PeriodKind, ProcessKind
from ..domain.periods import Period, custom
from ..domain.planning import (
    Plan,
    Window,
    choose_rates,
    needs_team,
    pace_window,
    plan_targets,
    rate_window,
    reverse_funnel,
)
from ..domain.processes import TargetSpec
from ..domain.targets import TARGET_MEASURES
from ..storage.db import Database
from ..storage.orm import EngagementRow, StageChangeRow
from . import scorecard_queries as q
from .scorecards import Scope, ScorecardService


@dataclass(frozen=True)
class PlanRequest:
    """What to plan for: ``amount`` of ``outcome`` (won value in minor units, or a count) in
    ``period``, for a person, a ``team`` or (neither) everybody, from rates over
    ``window_months``."""

    process_id: int
    person_id: int | None
    period: Period
    outcome: str
    amount: float
    window_months: int = 6
    team: str = ""


class PlanningService:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.scorecards = ScorecardService(db)

    def window(self, scope: Scope) -> Window:
        """What the scope did in its period, as the planner's raw counts (one read)."""
        with self.db.read() as s:
            won_n, won_v = q.closed(s, scope).get("won", (0, 0))
            cycle = q.cycle_hist(s, scope)
            entries = q.entries(s, scope)
            _, by_type = q.by_type(s, scope)
            new = q.new_engagements(s, scope)
        return Window(
            start=scope.period.start,
            end=scope.period.end,
            new_engagements=new,
            won_count=won_n,
            won_value=won_v,
            cycle_days=ms.histogram_mean(cycle),
            cycle_count=ms.histogram_total(cycle),
            stages=tuple(
                (st.name, *entries.get(st.id, (0, 0))) for st in scope.process.open_stages
            ),
            activities=by_type,
        )

    def pace(self, scope: Scope) -> Window:
        """What the scope did in its period, as far as a pace needs: new engagements, wins,
        activities and stage entries (counted on the stage-change index alone: where each
        entry went next is not needed)."""
        start_utc, end_utc = scope.period.utc_bounds()
        stages = {st.id: st.name for st in scope.process.open_stages}
        sc = StageChangeRow
        stmt = (
            select(sc.to_stage_id, func.count())
            .where(
                sc.to_stage_id.in_(list(stages)),
                sc.changed_at >= start_utc,
                sc.changed_at < end_utc,
            )
            .group_by(sc.to_stage_id)
        )
        if scope.owners is not None:  # a person, or a team's people
            owned = select(EngagementRow.id).where(
                EngagementRow.owner_id.in_(scope.owners),
                EngagementRow.process_id == scope.process.id,
            )
            stmt = stmt.where(sc.engagement_id.in_(owned))
        with self.db.read() as s:
            entered = {sid: int(n) for sid, n in s.execute(stmt)}
            won_n, won_v = q.closed(s, scope).get("won", (0, 0))
            _, by_type = q.by_type(s, scope)
            new = q.new_engagements(s, scope)
        return Window(
            start=scope.period.start,
            end=scope.period.end,
            new_engagements=new,
            won_count=won_n,
            won_value=won_v,
            stages=tuple((name, entered.get(sid, 0), 0) for sid, name in stages.items()),
            activities=by_type,
        )

    def plan(self, req: PlanRequest, today: date | None = None) -> Plan:
        """The plan, with the scope's rates (the team's where a person has too few) and the
        scope's own current pace (the last four weeks)."""
        today = today or date.today()
        start, end = rate_window(today, req.window_months)
        span = custom(start, end, req.period.week_start)
        own_scope = self.scorecards.scope(req.process_id, req.person_id, span, today, req.team)
        own = self.window(own_scope)
        team = None
        if own_scope.owners is not None and needs_team(own):  # everybody's rates only if needed
            team = self.window(Scope(own_scope.process, None, span, today))
        rates = choose_rates(own, team)
        recent = custom(*pace_window(today), req.period.week_start)
        pace = self.pace(replace(own_scope, period=recent))
        return reverse_funnel(
            req.outcome, req.amount, req.period.start, req.period.end, rates, pace=pace
        )

    def targets(self, req: PlanRequest, plan: Plan) -> list[TargetSpec]:
        """The plan as target specs (see ``domain.planning.plan_targets``)."""
        scope = self.scorecards.scope(req.process_id, req.person_id, req.period)
        kind = scope.process.kind
        with self.db.read() as s:
            type_ids = {name: i for i, name in q.activity_types(s, kind).items()}
        kinds = {k.value: k for k in PeriodKind}
        period = kinds.get(req.period.kind.value)
        outcome_ok = kind in TARGET_MEASURES[req.outcome].kinds
        return plan_targets(plan, period, req.person_id, type_ids, outcome_ok)


def outcome_label(outcome: str, kind: ProcessKind) -> str:
    if outcome == "won_value":
        return "Won value" if kind is ProcessKind.HUNTING else "Renewed value"
    return "Deals won" if kind is ProcessKind.HUNTING else "Renewals"
