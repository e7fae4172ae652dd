"""Activity use cases: listing with SQL-side filtering and paging."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select

from ..domain.activities import ActivityColumn, ActivityFilter, ActivityListRow
from ..domain.models import ActivityStatus, ActivityType
from ..storage import repositories as repo
from ..storage.db import Database
from ..storage.orm import (
    AccountRow,
    ActivityRow,
    ActivityTypeRow,
    EngagementRow,
    PersonRow,
    ProcessRow,
)

_SORT_COLUMNS: dict[ActivityColumn, Any] = {
    ActivityColumn.DATE: ActivityRow.occurred_at,
    ActivityColumn.TYPE: ActivityTypeRow.name,
    ActivityColumn.PERSON: PersonRow.name,
    ActivityColumn.ACCOUNT: AccountRow.name,
    ActivityColumn.ENGAGEMENT: EngagementRow.name,
    ActivityColumn.PROCESS: ProcessRow.name,
    ActivityColumn.OUTCOME: ActivityRow.outcome,
    ActivityColumn.STATUS: ActivityRow.status,
}


_S = TypeVar("_S", bound=Select)


def _apply_filter(stmt: _S, flt: ActivityFilter) -> _S:
    if flt.person_id is not None:
        stmt = stmt.where(ActivityRow.person_id == flt.person_id)
    if flt.process_id is not None:
        stmt = stmt.where(ActivityRow.process_id == flt.process_id)
    if flt.type_id is not None:
        stmt = stmt.where(ActivityRow.type_id == flt.type_id)
    if flt.status is not None:
        stmt = stmt.where(ActivityRow.status == flt.status.value)
    if flt.date_from is not None:
        stmt = stmt.where(ActivityRow.occurred_on >= flt.date_from)
    if flt.date_to is not None:
        stmt = stmt.where(ActivityRow.occurred_on <= flt.date_to)
    if flt.account_id is not None:
        stmt = stmt.where(ActivityRow.account_id == flt.account_id)
    if flt.engagement_id is not None:
        stmt = stmt.where(ActivityRow.engagement_id == flt.engagement_id)
    text = flt.text.strip()
    if text:
        like = f"%{text.replace('%', '').replace('_', '')}%"
        matching_accounts = select(AccountRow.id).where(AccountRow.name.ilike(like))
        stmt = stmt.where(
            or_(
                ActivityRow.account_id.in_(matching_accounts),
                ActivityRow.notes.ilike(like),
                ActivityRow.outcome.ilike(like),
            )
        )
    return stmt


class ActivityService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def activity_types(self, include_archived: bool = False) -> list[ActivityType]:
        with self.db.read() as session:
            stmt = select(ActivityTypeRow).order_by(
                ActivityTypeRow.kind.desc(), ActivityTypeRow.position
            )
            if not include_archived:
                stmt = stmt.where(ActivityTypeRow.archived.is_(False))
            return [repo.activity_type(r) for r in session.scalars(stmt)]

    def count(self, flt: ActivityFilter) -> int:
        with self.db.read() as session:
            stmt = _apply_filter(select(func.count(ActivityRow.id)), flt)
            return int(session.scalar(stmt) or 0)

    def page(
        self,
        flt: ActivityFilter,
        offset: int,
        limit: int,
        sort: ActivityColumn = ActivityColumn.DATE,
        descending: bool = True,
    ) -> list[ActivityListRow]:
        """One page of the filtered list, sorted in SQL (stable by id)."""
        stmt = (
            select(
                ActivityRow.id,
                ActivityRow.occurred_at,
                ActivityTypeRow.name,
                PersonRow.name,
                AccountRow.name,
                EngagementRow.name,
                ProcessRow.name,
                ActivityRow.outcome,
                ActivityRow.status,
            )
            .join(ActivityTypeRow, ActivityTypeRow.id == ActivityRow.type_id)
            .join(ProcessRow, ProcessRow.id == ActivityRow.process_id)
            .outerjoin(PersonRow, PersonRow.id == ActivityRow.person_id)
            .outerjoin(AccountRow, AccountRow.id == ActivityRow.account_id)
            .outerjoin(EngagementRow, EngagementRow.id == ActivityRow.engagement_id)
        )
        stmt = _apply_filter(stmt, flt)
        key = _SORT_COLUMNS[sort]
        order = [key.desc(), ActivityRow.id.desc()] if descending else [key.asc(), ActivityRow.id]
        stmt = stmt.order_by(*order).offset(offset).limit(limit)
        with self.db.read() as session:
            return [
                ActivityListRow(
                    r[0],
                    r[1],
                    r[2],
                    r[3] or "",
                    r[4] or "",
                    r[5] or "",
                    r[6],
                    r[7],
                    ActivityStatus(r[8]),
                )
                for r in session.execute(stmt)
            ]
