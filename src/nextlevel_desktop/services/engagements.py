"""Engagement use cases: pipeline summary, board and list, moving through stages (always via
``record_move``), closing as won or lost with the hunting → farming handover, reopening, editing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.changes import Changes
from ..domain.engagements import (
    EngagementDraft,
    LostReason,
    StageChangeView,
    validate_reason,
)
from ..domain.errors import NotFoundError, ValidationError
from ..domain.models import Engagement, Outcome, Process, ProcessKind, StageCategory
from ..domain.settings import WorkspaceSettings
from ..storage import repositories as repo
from ..storage.db import Database
from ..storage.orm import (
    AccountRow,
    EngagementRow,
    LostReasonRow,
    PersonRow,
    ProcessRow,
    StageChangeRow,
    StageRow,
    ValueChangeRow,
)
from .engagement_reads import BoardRead, engagement_of, engagement_select, matching, read_board
from .revisions import Recorder, Revision
from .sql import STREAM_ROWS


@dataclass(frozen=True)
class NewEngagement:
    """An engagement to open (from the quick log or the pipeline)."""

    process_id: int
    name: str = ""
    value_minor: int = 0
    stage_id: int | None = None  # None = the process's first open stage
    product: str = ""


def _stage(session: Session, stage_id: int) -> StageRow:
    row = session.get(StageRow, stage_id)
    if row is None:
        raise NotFoundError("This stage no longer exists.")
    return row


def _first_open_stage(session: Session, process_id: int) -> StageRow | None:
    return session.scalars(
        select(StageRow)
        .where(
            StageRow.process_id == process_id,
            StageRow.archived.is_(False),
            StageRow.category == StageCategory.OPEN.value,
        )
        .order_by(StageRow.position)
        .limit(1)
    ).first()


def open_engagement(
    rec: Recorder,
    new: NewEngagement,
    account_id: int,
    owner_id: int | None,
    at: datetime,
    source_engagement_id: int | None = None,
) -> EngagementRow:
    """Insert an engagement in its first (or given) open stage with its opening stage change."""
    session = rec.session
    process = session.get(ProcessRow, new.process_id)
    if process is None or process.archived:
        raise ValidationError({"engagement": "This process no longer exists."})
    stage = (
        _stage(session, new.stage_id)
        if new.stage_id is not None
        else _first_open_stage(session, new.process_id)
    )
    if stage is None or stage.process_id != process.id or stage.category != "open":
        raise ValidationError({"engagement": f"“{process.name}” has no open stage to start in."})
    if new.value_minor < 0:
        raise ValidationError({"value": "The value cannot be negative."})
    account = session.get(AccountRow, account_id)
    label = ProcessKind(process.kind).engagement_label
    name = new.name.strip() or f"{account.name if account else ''} {label.lower()}".strip()
    row = EngagementRow(
        process_id=process.id,
        account_id=account_id,
        owner_id=owner_id,
        stage_id=stage.id,
        name=name[:200],
        product=new.product.strip()[:200],
        value_minor=new.value_minor,
        opened_on=at.astimezone().date(),
        stage_entered_at=at,
        source_engagement_id=source_engagement_id,
        lost_reason="",
        notes="",
    )
    rec.add(row)
    rec.add(
        StageChangeRow(
            engagement_id=row.id,
            from_stage_id=None,
            to_stage_id=stage.id,
            changed_at=at,
            person_id=owner_id,
            note="",
        )
    )
    return row


@dataclass(frozen=True)
class CloseRequest:
    """Close as won or lost: the lost reason, and whether a won hunting engagement hands its
    account over to farming (``None``: as the workspace setting says)."""

    outcome: Outcome
    lost_reason: str = ""
    handover: bool | None = None


def close_engagement(
    rec: Recorder,
    row: EngagementRow,
    request: CloseRequest,
    person_id: int | None,
    at: datetime,
    note: str = "",
    activity_id: int | None = None,
) -> dict[str, int]:
    """Close within a recorded write (the board's Won/Lost and the quick log's move to Won or
    Lost): the move to the process's won or lost stage, the reason, and the handover. Returns
    the ids made: ``stage_change`` and, on a handover, ``handover``."""
    session = rec.session
    outcome = request.outcome
    reason = request.lost_reason.strip()
    if outcome is Outcome.LOST and not reason:
        raise ValidationError({"reason": "Choose why it was lost."})
    if row.outcome is not None:
        raise ValidationError({"outcome": "This engagement is already closed."})
    process = session.get(ProcessRow, row.process_id)
    assert process is not None
    target = session.scalars(
        select(StageRow)
        .where(
            StageRow.process_id == row.process_id,
            StageRow.category == outcome.value,
            StageRow.archived.is_(False),
        )
        .order_by(StageRow.position)
        .limit(1)
    ).first()
    if target is None:
        raise ValidationError({"outcome": f"“{process.name}” has no {outcome.value} stage."})
    change = move_engagement(rec, row, target.id, at, person_id, activity_id, note)
    ids = {"stage_change": change.id}
    if outcome is Outcome.LOST:
        _remember_reason(session, ProcessKind(process.kind), reason)
        row.lost_reason = reason[:200]
    handover = request.handover
    if handover is None:
        settings = WorkspaceSettings.from_pairs(repo.get_settings(session))
        handover = settings.handover == "automatic"
    if (
        outcome is Outcome.WON
        and handover
        and process.kind == ProcessKind.HUNTING.value
        and row.account_id is not None
    ):
        farm = _handover(rec, row, person_id, at)
        if farm is not None:
            ids["handover"] = farm.id
    return ids


def _handover(
    rec: Recorder, won: EngagementRow, person_id: int | None, at: datetime
) -> EngagementRow | None:
    session = rec.session
    already = session.scalar(
        select(EngagementRow.id)
        .join(ProcessRow, ProcessRow.id == EngagementRow.process_id)
        .where(
            EngagementRow.account_id == won.account_id,
            EngagementRow.outcome.is_(None),
            ProcessRow.kind == ProcessKind.FARMING.value,
        )
        .limit(1)
    )
    if already is not None:
        return None  # the account is already under management
    farming = session.scalar(
        select(ProcessRow.id)
        .where(ProcessRow.kind == ProcessKind.FARMING.value, ProcessRow.archived.is_(False))
        .order_by(ProcessRow.position, ProcessRow.id)
        .limit(1)
    )
    if farming is None:
        return None
    account = session.get(AccountRow, won.account_id)
    name = f"{account.name if account else won.name} account plan"
    return open_engagement(
        rec,
        NewEngagement(farming, name, won.value_minor),
        won.account_id or 0,
        won.owner_id or person_id,
        at,
        source_engagement_id=won.id,
    )


def _remember_reason(session: Session, kind: ProcessKind, reason: str) -> None:
    """A reason typed in the close dialog joins the editable list of lost reasons."""
    known = session.scalar(
        select(LostReasonRow.id).where(
            LostReasonRow.kind == kind.value, func.lower(LostReasonRow.name) == reason.lower()
        )
    )
    if known is None:
        last = session.scalar(
            select(func.max(LostReasonRow.position)).where(LostReasonRow.kind == kind.value)
        )
        session.add(
            LostReasonRow(
                kind=kind.value, name=reason[:120], position=(last or 0) + 1, archived=False
            )
        )


def move_engagement(
    rec: Recorder,
    engagement: EngagementRow,
    to_stage_id: int,
    at: datetime,
    person_id: int | None,
    activity_id: int | None = None,
    note: str = "",
) -> StageChangeRow:
    """Move within a recorded write, through ``record_move`` (the one way to change stage)."""
    target = _stage(rec.session, to_stage_id)
    if target.process_id != engagement.process_id:
        raise ValidationError({"move": "The stage belongs to another process."})
    if target.archived:
        raise ValidationError({"move": f"The stage “{target.name}” is archived."})
    if target.id == engagement.stage_id:
        raise ValidationError({"move": f"The engagement is already in “{target.name}”."})
    rec.will_update(engagement)
    change = repo.record_move(rec.session, engagement, target, at, person_id, activity_id, note)
    rec.inserted(change)
    if target.category == StageCategory.OPEN.value:
        engagement.lost_reason = ""
    return change


class EngagementService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # Reading ----------------------------------------------------------------------------
    def engagements(
        self,
        process_id: int | None = None,
        open_only: bool = True,
        account_id: int | None = None,
        owner_id: int | None = None,
        text: str = "",
    ) -> list[Engagement]:
        """Engagements filtered in SQL (a process's board or list, an account's engagements)."""
        return list(self.each(process_id, open_only, account_id, owner_id, text))

    def each(
        self,
        process_id: int | None = None,
        open_only: bool = True,
        account_id: int | None = None,
        owner_id: int | None = None,
        text: str = "",
    ) -> Iterator[Engagement]:
        """``engagements`` one at a time (oldest in their stage first), read in chunks: a
        caller that keeps a little of each (a list's text, a board's oldest cards) never has
        tens of thousands of them in memory at once."""
        stmt = engagement_select()
        if process_id is not None:
            stmt = stmt.where(EngagementRow.process_id == process_id)
        if open_only:
            stmt = stmt.where(EngagementRow.outcome.is_(None))
        if account_id is not None:
            stmt = stmt.where(EngagementRow.account_id == account_id)
        if owner_id is not None:
            stmt = stmt.where(EngagementRow.owner_id == owner_id)
        if text.strip():
            stmt = stmt.where(matching(text))
        stmt = stmt.order_by(EngagementRow.stage_entered_at, EngagementRow.id)
        with self.db.read() as session:
            for r in session.execute(stmt.execution_options(yield_per=STREAM_ROWS)):
                yield engagement_of(r)

    def board(
        self,
        process: Process,
        today: date,
        cards: int,
        owner_id: int | None = None,
        text: str = "",
    ) -> BoardRead:
        """The board of ``process``: each stage's figures and its oldest ``cards`` cards
        (see :func:`~.engagement_reads.read_board`)."""
        with self.db.read() as session:
            return read_board(session, process, today, cards, owner_id, text)

    def get(self, engagement_id: int) -> Engagement:
        with self.db.read() as session:
            row = session.execute(engagement_select().where(EngagementRow.id == engagement_id))
            found = row.first()
            if found is None:
                raise NotFoundError("This engagement no longer exists.")
            return engagement_of(found)

    def history(self, engagement_id: int) -> list[StageChangeView]:
        """Every recorded move of an engagement, oldest first."""
        with self.db.read() as session:
            names = {k: v for k, v in session.execute(select(StageRow.id, StageRow.name))}
            people = {k: v for k, v in session.execute(select(PersonRow.id, PersonRow.name))}
            rows = session.scalars(
                select(StageChangeRow)
                .where(StageChangeRow.engagement_id == engagement_id)
                .order_by(StageChangeRow.changed_at, StageChangeRow.id)
            )
            return [
                StageChangeView(
                    r.id,
                    r.changed_at,
                    names.get(r.from_stage_id, "") if r.from_stage_id else "",
                    names[r.to_stage_id],
                    people.get(r.person_id or -1, ""),
                    r.note,
                    r.activity_id,
                    r.entered_known,
                )
                for r in rows
            ]

    def lost_reasons(self, kind: ProcessKind) -> list[str]:
        with self.db.read() as session:
            return list(
                session.scalars(
                    select(LostReasonRow.name)
                    .where(LostReasonRow.kind == kind.value, LostReasonRow.archived.is_(False))
                    .order_by(LostReasonRow.position, LostReasonRow.id)
                )
            )

    def reason_list(self, kind: ProcessKind) -> list[LostReason]:
        with self.db.read() as session:
            rows = session.scalars(
                select(LostReasonRow)
                .where(LostReasonRow.kind == kind.value, LostReasonRow.archived.is_(False))
                .order_by(LostReasonRow.position, LostReasonRow.id)
            )
            return [LostReason(r.id, r.name, r.position) for r in rows]

    def add_reason(self, kind: ProcessKind, name: str) -> Revision:
        clean = validate_reason(name, [r.name for r in self.reason_list(kind)])
        with self.db.transaction() as session:
            last = session.scalar(
                select(func.max(LostReasonRow.position)).where(LostReasonRow.kind == kind.value)
            )
            rec = Recorder(session)
            row = LostReasonRow(kind=kind.value, name=clean, position=(last or 0) + 1)
            row.archived = False
            rec.add(row)
            return rec.revision(Changes(engagements=True), reason=row.id)

    def rename_reason(self, reason_id: int, name: str) -> Revision:
        """Rename a reason; engagements lost for it keep the name they were closed with."""
        with self.db.transaction() as session:
            row = session.get(LostReasonRow, reason_id)
            if row is None:
                raise NotFoundError("This reason no longer exists.")
            others = session.scalars(
                select(LostReasonRow.name).where(
                    LostReasonRow.kind == row.kind,
                    LostReasonRow.archived.is_(False),
                    LostReasonRow.id != reason_id,
                )
            ).all()
            clean = validate_reason(name, list(others))
            rec = Recorder(session)
            rec.will_update(row)
            row.name = clean
            return rec.revision(Changes(engagements=True), reason=reason_id)

    def remove_reason(self, reason_id: int) -> Revision:
        """Take a reason off the list (archived: closed engagements keep their reason)."""
        with self.db.transaction() as session:
            row = session.get(LostReasonRow, reason_id)
            if row is None:
                raise NotFoundError("This reason no longer exists.")
            rec = Recorder(session)
            rec.will_update(row)
            row.archived = True
            return rec.revision(Changes(engagements=True), reason=reason_id)

    # Writing ----------------------------------------------------------------------------
    def create(
        self, new: NewEngagement, account_id: int, owner_id: int | None, at: datetime | None = None
    ) -> Revision:
        with self.db.transaction() as session:
            if session.get(AccountRow, account_id) is None:
                raise ValidationError({"account": "This account no longer exists."})
            rec = Recorder(session)
            row = open_engagement(rec, new, account_id, owner_id, at or datetime.now(UTC))
            return rec.revision(Changes(engagements=True), engagement=row.id)

    def move(
        self,
        engagement_id: int,
        to_stage_id: int,
        person_id: int | None,
        note: str = "",
        at: datetime | None = None,
    ) -> Revision:
        """Move to another open stage (closing goes through :meth:`close`)."""
        with self.db.transaction() as session:
            row = self._row(session, engagement_id)
            target = _stage(session, to_stage_id)
            if target.category != StageCategory.OPEN.value:
                raise ValidationError({"move": "Use Won or Lost to close an engagement."})
            if row.outcome is not None:
                raise ValidationError({"move": "Reopen the engagement before moving it."})
            rec = Recorder(session)
            change = move_engagement(
                rec, row, to_stage_id, at or datetime.now(UTC), person_id, None, note
            )
            return rec.revision(Changes(engagements=True), stage_change=change.id)

    def close(
        self,
        engagement_id: int,
        outcome: Outcome,
        person_id: int | None,
        lost_reason: str = "",
        handover: bool | None = None,
        at: datetime | None = None,
        note: str = "",
    ) -> Revision:
        """Close as won or lost. Winning a hunting engagement hands the account over: a farming
        engagement starts in the farming process's first stage (``handover`` None = use the
        workspace setting; the setting ``ask`` without an answer means no handover)."""
        at = at or datetime.now(UTC)
        with self.db.transaction() as session:
            rec = Recorder(session)
            row = self._row(session, engagement_id)
            request = CloseRequest(outcome, lost_reason, handover)
            ids = close_engagement(rec, row, request, person_id, at, note)
            return rec.revision(Changes(engagements=True), **ids)

    def reopen(
        self,
        engagement_id: int,
        person_id: int | None,
        stage_id: int | None = None,
        at: datetime | None = None,
    ) -> Revision:
        """Reopen a closed engagement in ``stage_id`` (default: the stage it was closed from)."""
        with self.db.transaction() as session:
            row = self._row(session, engagement_id)
            if row.outcome is None:
                raise ValidationError({"outcome": "This engagement is already open."})
            if stage_id is None:
                stage_id = session.scalar(
                    select(StageChangeRow.from_stage_id)
                    .where(
                        StageChangeRow.engagement_id == engagement_id,
                        StageChangeRow.to_stage_id == row.stage_id,
                    )
                    .order_by(StageChangeRow.changed_at.desc(), StageChangeRow.id.desc())
                    .limit(1)
                )
                first = _first_open_stage(session, row.process_id)
                if stage_id is None or _stage(session, stage_id).archived:
                    stage_id = first.id if first else None
            if stage_id is None or _stage(session, stage_id).category != "open":
                raise ValidationError({"move": "Choose an open stage to reopen in."})
            rec = Recorder(session)
            change = move_engagement(rec, row, stage_id, at or datetime.now(UTC), person_id)
            return rec.revision(Changes(engagements=True), stage_change=change.id)

    def update(
        self,
        engagement_id: int,
        draft: EngagementDraft,
        person_id: int | None = None,
        at: datetime | None = None,
    ) -> Revision:
        """Edit name, value, owner, dates and product; a new value is recorded as a value change (by
        ``person_id``), the history expansion and contraction are measured from."""
        with self.db.transaction() as session:
            row = self._row(session, engagement_id)
            clean = draft.validated(closed=row.outcome is not None)
            rec = Recorder(session)
            if clean.value_minor != row.value_minor:
                rec.add(
                    ValueChangeRow(
                        engagement_id=row.id,
                        changed_at=at or datetime.now(UTC),
                        old_value_minor=row.value_minor,
                        new_value_minor=clean.value_minor,
                        person_id=person_id,
                    )
                )
            rec.will_update(row)
            row.name = clean.name.strip()
            row.value_minor = clean.value_minor
            row.owner_id = clean.owner_id
            row.opened_on = clean.opened_on
            row.closed_on = clean.closed_on
            row.expected_close = clean.expected_close
            row.product = clean.product
            return rec.revision(Changes(engagements=True), engagement=engagement_id)

    @staticmethod
    def _row(session: Session, engagement_id: int) -> EngagementRow:
        row = session.get(EngagementRow, engagement_id)
        if row is None:
            raise NotFoundError("This engagement no longer exists.")
        return row
