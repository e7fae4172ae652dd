"""The engagements behind a scorecard's figures: drill-down lists, stalled/at-risk lists, and
one engagement with its stage history (the drill-down's “open”)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, case, func, literal, select
from sqlalchemy.orm import Session

from ..domain import measures as ms
from ..domain.errors import NotFoundError
from ..domain.models import ProcessKind, StageCategory
from ..domain.periods import Period
from ..storage.db import Database
from ..storage.orm import AccountRow, EngagementRow, PersonRow, ProcessRow, StageChangeRow, StageRow
from . import farming_queries as fq
from . import scorecard_queries as q
from .sql import rows

if TYPE_CHECKING:
    from .scorecards import Scope

E, SC = EngagementRow, StageChangeRow
# A line's columns, not the engagement's row (its notes and all): a list is up to 1,000 lines.
_LINES = (
    select(
        E.id,
        E.name,
        E.stage_id,
        E.value_minor,
        E.opened_on,
        E.closed_on,
        E.outcome,
        AccountRow.name,
        PersonRow.name,
    )
    .outerjoin(AccountRow, AccountRow.id == E.account_id)
    .outerjoin(PersonRow, PersonRow.id == E.owner_id)
    .where(E.id.in_(bindparam("ids", expanding=True)))
)


@dataclass(frozen=True)
class EngagementLine:
    """An engagement behind a figure (drill-down and stalled/at-risk lists)."""

    id: int
    name: str
    account: str
    owner: str
    stage: str
    value_minor: int
    days_in_stage: int | None
    expected_days: int | None
    opened_on: date | None = None
    closed_on: date | None = None
    outcome: str | None = None
    reason: str = ""

    @property
    def days_over(self) -> int:
        return ms.days_over(self.days_in_stage or 0, self.expected_days)


class EngagementLists:
    """The lists of engagements behind the figures (a part of ``ScorecardService``)."""

    db: Database

    def engagement_detail(self, engagement_id: int) -> EngagementDetail:
        return engagement_detail(self.db, engagement_id)  # the drill-down's “open”

    def open_engagements(
        self, scope: Scope, stage_id: int | None = None, only: str = "", limit: int = 1000
    ) -> list[EngagementLine]:
        """Engagements open at the period's end (in one stage), or only ``stalled``/``at_risk``.

        The ``limit`` most overdue (days over the stage's expected days), most overdue first.
        """
        with self.db.read() as s:
            if scope.process.kind is ProcessKind.FARMING:
                f = fq.farming_flags(scope)
                cols = [f.c.eid, f.c.days, f.c.stalled, f.c.at_risk]
                stmt = select(*cols)
                if only == "at_risk":
                    stmt = stmt.where(f.c.at_risk == 1)
                elif only == "stalled":
                    stmt = stmt.where(f.c.stalled == 1)
                if stage_id is not None:
                    stmt = stmt.where(f.c.sid == stage_id)
                over = f.c.days - func.coalesce(f.c.expected_days, f.c.days)
            else:
                o = q.open_at_end(scope)
                stalled_expr = case((o.c.days > StageRow.expected_days, 1), else_=0)
                stmt = (
                    select(o.c.eid, o.c.days, stalled_expr, literal(0))
                    .join(StageRow, StageRow.id == o.c.sid)
                    .where(StageRow.category == StageCategory.OPEN.value)
                )
                if only in ("stalled", "at_risk"):
                    stmt = stmt.where(o.c.days > StageRow.expected_days)
                if stage_id is not None:
                    stmt = stmt.where(o.c.sid == stage_id)
                over = o.c.days - func.coalesce(StageRow.expected_days, o.c.days)
            stmt = stmt.order_by(over.desc()).limit(limit)
            farming = scope.process.kind is ProcessKind.FARMING
            params = fq.flags_params(scope) if farming else q.open_params(scope)
            flags = {eid: (days, st, ar) for eid, days, st, ar in rows(s, stmt, params)}
            lines = self._lines(s, scope, flags)
        return sorted(lines, key=lambda x: (-x.days_over, -(x.days_in_stage or 0), x.name))

    def closed_engagements(
        self, scope: Scope, period: Period, outcome: str
    ) -> list[EngagementLine]:
        with self.db.read() as s:
            ids = s.scalars(
                select(E.id).where(
                    E.process_id == scope.process.id,
                    E.closed_on >= period.start,
                    E.closed_on <= period.end,
                    E.outcome == outcome,
                    q.owner(scope),
                )
            ).all()
            return self._lines(s, scope, {i: (None, 0, 0) for i in ids})

    def entered_stage(self, scope: Scope, stage_id: int) -> list[EngagementLine]:
        start_utc, end_utc = scope.period.utc_bounds()
        with self.db.read() as s:
            ids = s.scalars(
                select(SC.engagement_id)
                .join(E, E.id == SC.engagement_id)
                .where(
                    SC.to_stage_id == stage_id,
                    SC.changed_at >= start_utc,
                    SC.changed_at < end_utc,
                    SC.entered_known.is_(True),  # (the funnel's cohort)
                    q.owner(scope),
                )
                .distinct()
            ).all()
            return self._lines(s, scope, {i: (None, 0, 0) for i in ids})

    def _lines(
        self, s: Session, scope: Scope, flags: dict[int, tuple[int | None, int, int]]
    ) -> list[EngagementLine]:
        stages = {st.id: st for st in scope.process.stages}
        out = []
        ids = list(flags)
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            found = rows(s, _LINES, {"ids": chunk})
            for eid, name, stage_id, value, opened, closed, outcome, account, owner in found:
                days, stalled, at_risk = flags[eid]
                stage = stages.get(stage_id)
                reason = ""
                if stalled:
                    reason = "stalled"
                elif at_risk:
                    reason = "no activity"
                out.append(
                    EngagementLine(
                        id=eid,
                        name=name,
                        account=account or "",
                        owner=owner or "",
                        stage=stage.name if stage else "",
                        value_minor=value,
                        days_in_stage=days,
                        expected_days=stage.expected_days if stage else None,
                        opened_on=opened,
                        closed_on=closed,
                        outcome=outcome,
                        reason=reason,
                    )
                )
        return out


@dataclass(frozen=True)
class HistoryStep:
    at: datetime
    from_stage: str
    to_stage: str
    person: str
    known: bool = True  # False: an import did not say when (``at`` only keeps the order)


@dataclass(frozen=True)
class EngagementDetail:
    id: int
    name: str
    process: str
    account: str
    owner: str
    stage: str
    value_minor: int
    opened_on: date | None
    closed_on: date | None
    outcome: str | None
    lost_reason: str
    notes: str
    history: tuple[HistoryStep, ...]


def engagement_detail(db: Database, engagement_id: int) -> EngagementDetail:
    """One engagement with its stage history (the drill-down's “open”)."""
    with db.read() as s:
        row = s.get(E, engagement_id)
        if row is None:
            raise NotFoundError(f"Engagement {engagement_id} no longer exists.")
        stages = {i: n for i, n in s.execute(select(StageRow.id, StageRow.name))}
        people = {i: n for i, n in s.execute(select(PersonRow.id, PersonRow.name))}
        account = s.get(AccountRow, row.account_id) if row.account_id else None
        process = s.get(ProcessRow, row.process_id)
        steps = s.scalars(
            select(SC).where(SC.engagement_id == engagement_id).order_by(SC.changed_at, SC.id)
        ).all()
        return EngagementDetail(
            id=row.id,
            name=row.name,
            process=process.name if process else "",
            account=account.name if account else "",
            owner=people.get(row.owner_id or -1, ""),
            stage=stages.get(row.stage_id, ""),
            value_minor=row.value_minor,
            opened_on=row.opened_on,
            closed_on=row.closed_on,
            outcome=row.outcome,
            lost_reason=row.lost_reason,
            notes=row.notes,
            history=tuple(
                HistoryStep(
                    st.changed_at,
                    stages.get(st.from_stage_id or -1, ""),
                    stages.get(st.to_stage_id, ""),
                    people.get(st.person_id or -1, ""),
                    st.entered_known,
                )
                for st in steps
            ),
        )
