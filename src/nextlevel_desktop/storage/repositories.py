"""Conversions between ORM rows and domain dataclasses, and small shared queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..domain.models import (
    Account,
    ActivityType,
    Contact,
    ExitCriterion,
    Person,
    PersonRole,
    Process,
    ProcessKind,
    Stage,
    StageCategory,
)
from .orm import (
    AccountRow,
    ActivityTypeRow,
    ContactRow,
    EngagementRow,
    PersonRow,
    ProcessRow,
    SettingRow,
    StageChangeRow,
    StageRow,
)


def person(row: PersonRow) -> Person:
    return Person(
        row.id,
        row.name,
        row.email,
        PersonRole(row.role),
        row.active,
        row.team,
        row.office,
        row.manager_id,
    )


def account(row: AccountRow) -> Account:
    return Account(
        row.id,
        row.name,
        row.industry,
        row.website,
        row.phone,
        row.notes,
        row.external_id,
        row.size_band,
        row.employees,
        row.annual_revenue_minor,
        row.country,
        row.parent_id,
    )


def contact(row: ContactRow) -> Contact:
    return Contact(row.id, row.account_id, row.name, row.role, row.email, row.phone)


def stage(row: StageRow) -> Stage:
    return Stage(
        id=row.id,
        process_id=row.process_id,
        name=row.name,
        position=row.position,
        category=StageCategory(row.category),
        guidance=row.guidance,
        expected_days=row.expected_days,
        target_conversion=row.target_conversion,
        probability=row.probability,
        color=row.color,
        archived=row.archived,
        exit_criteria=tuple(ExitCriterion(c.id, c.text, c.position) for c in row.exit_criteria),
    )


def process(row: ProcessRow, owner_name: str = "") -> Process:
    return Process(
        id=row.id,
        kind=ProcessKind(row.kind),
        name=row.name,
        purpose=row.purpose,
        owner_id=row.owner_id,
        owner_name=owner_name,
        archived=row.archived,
        review_cadence_days=row.review_cadence_days,
        stages=tuple(stage(s) for s in sorted(row.stages, key=lambda s: s.position)),
    )


def activity_type(row: ActivityTypeRow) -> ActivityType:
    return ActivityType(
        row.id, ProcessKind(row.kind), row.name, row.position, row.is_review, row.archived
    )


def load_processes(session: Session, include_archived: bool = False) -> list[Process]:
    stmt = (
        select(ProcessRow)
        .options(selectinload(ProcessRow.stages).selectinload(StageRow.exit_criteria))
        .order_by(ProcessRow.kind.desc(), ProcessRow.position, ProcessRow.id)
    )
    if not include_archived:
        stmt = stmt.where(ProcessRow.archived.is_(False))
    rows = session.scalars(stmt).all()
    owners = {
        p.id: p.name
        for p in session.scalars(
            select(PersonRow).where(PersonRow.id.in_({r.owner_id for r in rows if r.owner_id}))
        )
    }
    return [process(r, owners.get(r.owner_id or -1, "")) for r in rows]


def get_settings(session: Session) -> dict[str, str]:
    return {r.key: r.value for r in session.scalars(select(SettingRow))}


def put_settings(session: Session, pairs: dict[str, str]) -> None:
    for key, value in pairs.items():
        row = session.get(SettingRow, key)
        if row is None:
            session.add(SettingRow(key=key, value=value))
        else:
            row.value = value


def record_move(
    session: Session,
    engagement: EngagementRow,
    to_stage: StageRow,
    at: datetime,
    person_id: int | None = None,
    activity_id: int | None = None,
    note: str = "",
) -> StageChangeRow:
    """Move an engagement to ``to_stage`` and record the stage change (the only way to move).

    Entering a won or lost stage closes the engagement (outcome, closed date); entering an open
    stage reopens it. Every figure of time in stage and conversion is computed from these rows.
    """
    change = StageChangeRow(
        engagement_id=engagement.id,
        from_stage_id=engagement.stage_id,
        to_stage_id=to_stage.id,
        changed_at=at,
        person_id=person_id,
        activity_id=activity_id,
        note=note,
    )
    session.add(change)
    engagement.stage_id = to_stage.id
    engagement.stage_entered_at = at
    if to_stage.category == StageCategory.OPEN.value:
        engagement.outcome = None
        engagement.closed_on = None
    else:
        engagement.outcome = to_stage.category
        engagement.closed_on = at.astimezone().date()
    session.flush()
    return change
