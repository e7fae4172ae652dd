"""The reverse-funnel planner: measured rates of a scope over a window, worked back from an
outcome target (``domain.planning``), and the plan written as targets in one undoable write.

The rates come from the scorecard's own SQL aggregates (``scorecard_queries``) over the window,
so the planner and the Monitor measure the same thing the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

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
from ..storage.orm import PersonRow
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
            cycle = q.cycle_hist(s, scope)
            entries = q.entries(s, scope)
            done = _done(s, scope)
        return replace(
            done,
            cycle_days=ms.histogram_mean(cycle),
            cycle_count=ms.histogram_total(cycle),
            stages=tuple(
                (st.name, *entries.get(st.id, (0, 0))) for st in scope.process.open_stages
            ),
        )

    def pace(self, scope: Scope) -> Window:
        """What the scope did in its period, as far as a pace needs: new engagements, wins,
        activities and stage entries (every entry: where each went next is not needed)."""
        with self.db.read() as s:
            entered = q.entered(s, scope)
            done = _done(s, scope)
        stages = scope.process.open_stages
        return replace(done, stages=tuple((st.name, entered.get(st.id, 0), 0) for st in stages))

    def plan(self, req: PlanRequest, today: date | None = None) -> Plan:
        """The plan, with the scope's rates (the team's where a person has too few) and the
        scope's own current pace (the last four weeks)."""
        today = today or date.today()
        start, end = rate_window(today, req.window_months)
        span = custom(start, end, req.period.week_start)
        own_scope = self.scorecards.scope(req.process_id, req.person_id, span, today, req.team)
        own = self.window(own_scope)
        fallbacks: list[tuple[str, Window]] = []
        if own_scope.owners is not None and needs_team(own):  # read only if needed
            # A person's thin rates come from their team's where it has enough, else (and for
            # a team's plan, or a person without a team) from everybody's.
            their_team = self._team_of(req.person_id)
            if their_team:
                team = self.scorecards.scope(req.process_id, None, span, today, their_team)
                fallbacks.append(("team", self.window(team)))
            everybody = Scope(own_scope.process, None, span, today)
            fallbacks.append(("everybody", self.window(everybody)))
        rates = choose_rates(own, *fallbacks)
        recent = custom(*pace_window(today), req.period.week_start)
        pace = self.pace(replace(own_scope, period=recent))
        return reverse_funnel(
            req.outcome, req.amount, req.period.start, req.period.end, rates, pace=pace
        )

    def _team_of(self, person_id: int | None) -> str:
        """The person's team when it has somebody else in it, else ""."""
        if person_id is None:
            return ""
        with self.db.read() as s:
            person = s.get(PersonRow, person_id)
            team = person.team if person is not None else ""
            return team if team and len(q.team_members(s, team)) > 1 else ""

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


def _done(s: Session, scope: Scope) -> Window:
    """The counts a window and a pace share: new engagements, wins, activities by type."""
    won_n, won_v = q.closed(s, scope).get("won", (0, 0))
    return Window(
        start=scope.period.start,
        end=scope.period.end,
        new_engagements=q.new_engagements(s, scope),
        won_count=won_n,
        won_value=won_v,
        activities=q.by_type(s, scope)[1],
    )


def outcome_label(outcome: str, kind: ProcessKind) -> str:
    if outcome == "won_value":
        return "Won value" if kind is ProcessKind.HUNTING else "Renewed value"
    return "Deals won" if kind is ProcessKind.HUNTING else "Renewals"
