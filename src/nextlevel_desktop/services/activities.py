"""Activity use cases: listing with SQL-side filtering and paging; logging, editing, deleting,
marking done and rescheduling (each write returns an undoable ``Revision``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from ..domain.activities import (
    ActivityColumn,
    ActivityDraft,
    ActivityFilter,
    ActivityListRow,
)
from ..domain.changes import Changes
from ..domain.errors import NotFoundError, ValidationError
from ..domain.models import Activity, ActivityStatus, ActivityType, ProcessKind
from ..storage import repositories as repo
from ..storage.db import Database
from ..storage.orm import (
    AccountRow,
    ActivityCountRow,
    ActivityRow,
    ActivityTypeRow,
    EngagementRow,
    PersonRow,
    ProcessRow,
    StageChangeRow,
)
from .accounts import create_account
from .activity_paging import ActivityPager
from .engagements import (
    CloseRequest,
    NewEngagement,
    close_engagement,
    move_engagement,
    open_engagement,
)
from .revisions import Recorder, Revision

_S = TypeVar("_S", bound=Select)


def _apply_filter(stmt: _S, flt: ActivityFilter) -> _S:
    if flt.person_id is not None:
        stmt = stmt.where(ActivityRow.person_id == flt.person_id)
    if flt.person_ids is not None:
        stmt = stmt.where(ActivityRow.person_id.in_(flt.person_ids))
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


def _written(activity_ids: Iterable[int]) -> Changes:
    """What a write of these activities (and of no other record) changed: the activity lists
    then read again only these rows of the pages they show (``page``'s ``known``)."""
    return Changes(activities=True, ids=frozenset(activity_ids))


def _countable(flt: ActivityFilter) -> bool:
    """Whether the kept counts answer ``flt`` (it filters on their dimensions only)."""
    kept = ActivityFilter(flt.person_id, flt.process_id, flt.type_id, flt.status)
    return not flt.text.strip() and replace(flt, text="") == kept


def _count_where(stmt: _S, flt: ActivityFilter) -> _S:
    for column, value in (
        (ActivityCountRow.person_id, flt.person_id),
        (ActivityCountRow.process_id, flt.process_id),
        (ActivityCountRow.type_id, flt.type_id),
        (ActivityCountRow.status, flt.status.value if flt.status else None),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    return stmt


class ActivityService:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._pager = ActivityPager()

    def activity_types(self, include_archived: bool = False) -> list[ActivityType]:
        with self.db.read() as session:
            stmt = select(ActivityTypeRow).order_by(
                ActivityTypeRow.kind.desc(), ActivityTypeRow.position
            )
            if not include_archived:
                stmt = stmt.where(ActivityTypeRow.archived.is_(False))
            return [repo.activity_type(r) for r in session.scalars(stmt)]

    def count(self, flt: ActivityFilter) -> int:
        """The filtered total. Counting starts a fresh view of the list, so the paging caches
        (per-key counts, small orders) are dropped here: every list reload counts first.

        A filter on process, type, person and status only sums the counts the triggers keep
        (``ActivityCountRow``: a few hundred rows, not a million); any other filter counts."""
        with self.db.read() as session:
            if _countable(flt):
                stmt = _count_where(select(func.coalesce(func.sum(ActivityCountRow.n), 0)), flt)
            else:
                stmt = _apply_filter(select(func.count(ActivityRow.id)), flt)
            total = int(session.scalar(stmt) or 0)
        self._pager.forget()
        return total

    def page(
        self,
        flt: ActivityFilter,
        offset: int,
        limit: int,
        sort: ActivityColumn = ActivityColumn.DATE,
        descending: bool = True,
        total: int | None = None,
        known: Mapping[int, ActivityListRow] | None = None,
    ) -> list[ActivityListRow]:
        """One page of the filtered, sorted list (a total order: pages never overlap).
        ``total`` is the filtered total when the caller knows it (saves a count); ``known``,
        rows the caller already has and no write has changed since: only the others are read.

        Two steps keep every page fast on a million rows: ``ActivityPager`` finds the page's
        ids without sorting the whole list, then only those rows are joined with their names.
        """
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
        with self.db.read() as session:
            ids = self._pager.page_ids(
                session,
                lambda stmt: _apply_filter(stmt, flt),
                flt,
                offset,
                limit,
                sort,
                descending,
                total,
            )
            known = known or {}
            missing = [i for i in ids if i not in known]
            if not missing:
                return [known[i] for i in ids]
            rows = {
                r[0]: ActivityListRow(
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
                for r in session.execute(stmt.where(ActivityRow.id.in_(missing)))
            }
            return [rows[i] if i in rows else known[i] for i in ids if i in rows or i in known]

    # Reading one ------------------------------------------------------------------------
    def get(self, activity_id: int) -> Activity:
        with self.db.read() as session:
            return _activity(_get_activity(session, activity_id))

    # Writing ----------------------------------------------------------------------------
    def log(
        self,
        draft: ActivityDraft,
        move_to_stage_id: int | None = None,
        next_step: NextStep | None = None,
        new_engagement: NewEngagement | None = None,
        now: datetime | None = None,
        move_note: str = "",
        close: CloseRequest | None = None,
    ) -> Revision:
        """Log (or plan) an activity, optionally creating its account or engagement inline,
        moving its engagement to another stage or closing it as won or lost (``close``, with
        the handover), and planning the next activity, in one write.

        ``Revision.ids`` names ``activity``, and ``account``, ``engagement``, ``stage_change``,
        ``handover`` and ``next`` when those were made.
        """
        if close is not None and move_to_stage_id is not None:
            raise ValidationError({"move": "Either move the engagement or close it, not both."})
        now = now or datetime.now(UTC)
        draft.validated(now)
        if next_step is not None:
            next_step.validated(now)
        with self.db.transaction() as session:
            rec = Recorder(session)
            ids: dict[str, int] = {}
            changes = Changes(activities=True)
            account_id = draft.account_id
            if account_id is None:
                account = create_account(rec, draft.account_name)
                account_id = ids["account"] = account.id
                changes |= Changes(accounts=True)
            else:
                _require(
                    session, AccountRow, account_id, "account", "This account no longer exists."
                )
            type_row = _require(
                session, ActivityTypeRow, draft.type_id, "type", "This activity type is gone."
            )
            engagement_id = draft.engagement_id
            if new_engagement is not None:
                eng = open_engagement(
                    rec, new_engagement, account_id, draft.person_id, draft.occurred_at or now
                )
                engagement_id = ids["engagement"] = eng.id
                changes |= Changes(engagements=True)
            process_id = _process_for(session, type_row, engagement_id, account_id)
            row = ActivityRow(process_id=process_id, external_id=None)
            _fill(row, draft, account_id, engagement_id, type_row)
            rec.add(row)
            ids["activity"] = row.id
            if move_to_stage_id is not None or close is not None:
                if engagement_id is None:
                    raise ValidationError({"move": "Choose the engagement to move."})
                eng_row = session.get(EngagementRow, engagement_id)
                assert eng_row is not None
                # The move happened when the activity did (never before the last move).
                at = min(draft.occurred_at or now, now)
                if eng_row.stage_entered_at is not None:
                    at = max(at, eng_row.stage_entered_at)
                if close is not None:
                    ids |= close_engagement(
                        rec, eng_row, close, draft.person_id, at, move_note, row.id
                    )
                else:
                    assert move_to_stage_id is not None
                    change = move_engagement(
                        rec, eng_row, move_to_stage_id, at, draft.person_id, row.id, move_note
                    )
                    ids["stage_change"] = change.id
                changes |= Changes(engagements=True)
            if next_step is not None:
                nxt_type = _require(
                    session, ActivityTypeRow, next_step.type_id, "next_type", "Type is gone."
                )
                nxt = ActivityRow(process_id=process_id, external_id=None)
                _fill(
                    nxt,
                    ActivityDraft(
                        type_id=next_step.type_id,
                        occurred_at=next_step.due_at,
                        status=ActivityStatus.PLANNED,
                        duration_min=next_step.duration_min,
                        person_id=draft.person_id,
                        notes=next_step.notes,
                    ),
                    account_id,
                    engagement_id,
                    nxt_type,
                )
                if ProcessKind(nxt_type.kind) != ProcessKind(type_row.kind):
                    raise ValidationError(
                        {"next_type": "The next activity must be of the same process kind."}
                    )
                rec.add(nxt)
                ids["next"] = nxt.id
            written = _written(v for k, v in ids.items() if k in ("activity", "next"))
            return rec.revision(changes | written, **ids)

    def update(
        self, activity_id: int, draft: ActivityDraft, now: datetime | None = None
    ) -> Revision:
        """Change an activity's fields (a new account name creates the account)."""
        now = now or datetime.now(UTC)
        draft.validated(now)
        with self.db.transaction() as session:
            rec = Recorder(session)
            row = _get_activity(session, activity_id)
            changes = Changes(activities=True)
            ids: dict[str, int] = {"activity": activity_id}
            account_id = draft.account_id
            if account_id is None:
                account_id = ids["account"] = create_account(rec, draft.account_name).id
                changes |= Changes(accounts=True)
            type_row = _require(
                session, ActivityTypeRow, draft.type_id, "type", "This activity type is gone."
            )
            rec.will_update(row)
            row.process_id = _process_for(session, type_row, draft.engagement_id, account_id)
            _fill(row, draft, account_id, draft.engagement_id, type_row)
            return rec.revision(changes | _written([activity_id]), **ids)

    def delete(self, activity_ids: list[int]) -> Revision:
        """Delete activities; a stage change logged with one keeps its record (link cleared)."""
        with self.db.transaction() as session:
            rec = Recorder(session)
            for activity_id in activity_ids:
                row = _get_activity(session, activity_id)
                for change in session.scalars(
                    select(StageChangeRow).where(StageChangeRow.activity_id == activity_id)
                ):
                    rec.will_update(change)
                    change.activity_id = None
                session.flush()
                rec.delete(row)
            return rec.revision(_written(activity_ids))

    def mark_done(
        self, activity_ids: list[int], at: datetime | None = None, outcome: str | None = None
    ) -> Revision:
        """Planned → done. The activity is dated when it was done (now unless given), and gets
        ``outcome`` when one is given (what came of it)."""
        at = at or datetime.now(UTC)
        if outcome is not None:
            outcome = outcome.strip()
            if len(outcome) > 200:
                raise ValidationError(
                    {"outcome": "The outcome can be at most 200 characters; use the notes."}
                )
        with self.db.transaction() as session:
            rec = Recorder(session)
            for activity_id in activity_ids:
                row = _get_activity(session, activity_id)
                if row.status == ActivityStatus.DONE.value:
                    continue
                rec.will_update(row)
                row.status = ActivityStatus.DONE.value
                row.occurred_at = at
                row.occurred_on = at.astimezone().date()
                if outcome:
                    row.outcome = outcome
            return rec.revision(_written(activity_ids))

    def reschedule(self, activity_ids: list[int], due_at: datetime) -> Revision:
        """Move planned activities to a new due date and time."""
        if due_at.tzinfo is None:
            raise ValidationError({"when": "The time needs a time zone."})
        with self.db.transaction() as session:
            rec = Recorder(session)
            for activity_id in activity_ids:
                row = _get_activity(session, activity_id)
                if row.status != ActivityStatus.PLANNED.value:
                    raise ValidationError({"when": "Only planned activities can be rescheduled."})
                rec.will_update(row)
                row.occurred_at = due_at
                row.occurred_on = due_at.astimezone().date()
            return rec.revision(_written(activity_ids))


@dataclass(frozen=True)
class NextStep:
    """ "Plan next activity" in the quick-log form."""

    type_id: int | None
    due_at: datetime | None
    duration_min: int = 30
    notes: str = ""

    def validated(self, now: datetime) -> NextStep:
        problems: dict[str, str] = {}
        if self.type_id is None:
            problems["next_type"] = "Choose the type of the next activity."
        if self.due_at is None:
            problems["next_when"] = "Enter when the next activity is due."
        elif (now - self.due_at).total_seconds() > 24 * 3600:
            problems["next_when"] = "The next activity cannot be due in the past."
        if problems:
            raise ValidationError(problems)
        return self


def _get_activity(session: Session, activity_id: int) -> ActivityRow:
    row = session.get(ActivityRow, activity_id)
    if row is None:
        raise NotFoundError("This activity no longer exists; it may have been deleted.")
    return row


def _require(session: Session, cls: Any, row_id: int | None, key: str, message: str) -> Any:
    row = session.get(cls, row_id) if row_id is not None else None
    if row is None:
        raise ValidationError({key: message})
    return row


def _process_for(
    session: Session, type_row: ActivityTypeRow, engagement_id: int | None, account_id: int
) -> int:
    """The process an activity counts for: its engagement's, else the kind's first process."""
    kind = ProcessKind(type_row.kind)
    if engagement_id is not None:
        eng = session.get(EngagementRow, engagement_id)
        if eng is None:
            raise ValidationError({"engagement": "This engagement no longer exists."})
        if eng.account_id != account_id:
            raise ValidationError({"engagement": "This engagement belongs to another account."})
        proc = session.get(ProcessRow, eng.process_id)
        assert proc is not None
        if ProcessKind(proc.kind) is not kind:
            raise ValidationError(
                {
                    "type": f"“{type_row.name}” is a {kind.label.lower()} activity, but the "
                    f"engagement is in the {ProcessKind(proc.kind).label.lower()} process."
                }
            )
        return proc.id
    proc_id = session.scalar(
        select(ProcessRow.id)
        .where(ProcessRow.kind == kind.value, ProcessRow.archived.is_(False))
        .order_by(ProcessRow.position, ProcessRow.id)
        .limit(1)
    )
    if proc_id is None:
        raise ValidationError({"type": f"There is no active {kind.label.lower()} process."})
    return int(proc_id)


def _fill(
    row: ActivityRow,
    draft: ActivityDraft,
    account_id: int,
    engagement_id: int | None,
    type_row: ActivityTypeRow,
) -> None:
    assert draft.occurred_at is not None
    row.type_id = type_row.id
    row.occurred_at = draft.occurred_at
    row.occurred_on = draft.occurred_at.astimezone().date()
    row.status = draft.status.value
    row.duration_min = draft.duration_min
    row.person_id = draft.person_id
    row.account_id = account_id
    row.engagement_id = engagement_id
    row.outcome = draft.outcome.strip()
    row.notes = draft.notes.strip()


def _activity(row: ActivityRow) -> Activity:
    return Activity(
        id=row.id,
        type_id=row.type_id,
        process_id=row.process_id,
        occurred_at=row.occurred_at,
        status=ActivityStatus(row.status),
        duration_min=row.duration_min,
        person_id=row.person_id,
        account_id=row.account_id,
        engagement_id=row.engagement_id,
        outcome=row.outcome,
        notes=row.notes,
    )
