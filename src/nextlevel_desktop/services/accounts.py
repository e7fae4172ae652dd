"""Account use cases: search and paging in SQL, details, contacts and the account timeline."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, exists, func, nulls_last, select
from sqlalchemy.orm import Session

from ..domain.changes import Changes
from ..domain.engagements import TimelineEntry, TimelineKind
from ..domain.errors import NotFoundError, ValidationError
from ..domain.models import Account, ActivityStatus, Contact
from ..storage import repositories as repo
from ..storage.db import Database
from ..storage.orm import (
    AccountRow,
    ActivityRow,
    ActivityTypeRow,
    ContactRow,
    EngagementRow,
    PersonRow,
    ProcessRow,
    StageChangeRow,
    StageRow,
)
from .revisions import Recorder, Revision

TIMELINE_LIMIT = 300


class AccountSort(enum.IntEnum):
    """The Accounts list's columns, each sortable in SQL."""

    NAME = 0
    INDUSTRY = 1
    OWNER = 2
    STATUS = 3
    OPEN_VALUE = 4
    LAST = 5
    NEXT = 6


@dataclass(frozen=True)
class AccountLine:
    """One row of the Accounts list: the account and where it stands in both processes."""

    account: Account
    owner_name: str = ""  # of its most recently opened open engagement
    hunting: bool = False  # an open opportunity
    farming: bool = False  # an open account plan (under management)
    open_value: int = 0  # minor units, open engagements
    last_done: datetime | None = None
    next_planned: datetime | None = None


def _line_columns() -> list[Any]:
    """Per-account figures as correlated subqueries: each reads one account's rows on the
    engagement and activity account indexes, so a page of 200 costs a few ms."""
    E, A = EngagementRow, ActivityRow
    open_here = and_(E.account_id == AccountRow.id, E.outcome.is_(None))

    def open_in(kind: str) -> Any:
        # The process's kind looked up per engagement (a primary-key seek), not joined: with
        # the join SQLite searched each account's engagements through the process index, every
        # open engagement of the process per account (8 s for a page of 200 on 20,000 accounts).
        kind_of = select(ProcessRow.kind).where(ProcessRow.id == E.process_id).scalar_subquery()
        return exists(select(E.id).where(open_here, kind_of == kind))

    owner = (
        select(PersonRow.name)
        .join(E, E.owner_id == PersonRow.id)
        .where(open_here)
        .order_by(E.opened_on.desc(), E.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    open_value = select(func.coalesce(func.sum(E.value_minor), 0)).where(open_here)
    last_done = select(func.max(A.occurred_at)).where(
        A.account_id == AccountRow.id, A.status == ActivityStatus.DONE.value
    )
    next_planned = select(func.min(A.occurred_at)).where(
        A.account_id == AccountRow.id, A.status == ActivityStatus.PLANNED.value
    )
    return [
        owner.label("owner"),
        open_in("hunting").label("hunting"),
        open_in("farming").label("farming"),
        open_value.scalar_subquery().label("open_value"),
        last_done.scalar_subquery().label("last_done"),
        next_planned.scalar_subquery().label("next_planned"),
    ]


@dataclass(frozen=True)
class AccountDraft:
    name: str
    industry: str = ""
    website: str = ""
    phone: str = ""
    notes: str = ""
    key: str = ""  # the account's id in the source system (imports match on it)
    size_band: str = ""
    employees: int | None = None
    annual_revenue_minor: int | None = None
    country: str = ""
    parent: str = ""  # the parent account's name or key ("" = none)

    def validated(self) -> AccountDraft:
        problems: dict[str, str] = {}
        name = self.name.strip()
        if not name:
            problems["name"] = "An account needs a name."
        elif len(name) > 200:
            problems["name"] = "An account name can be at most 200 characters."
        if len(self.industry) > 120:
            problems["industry"] = "The industry can be at most 120 characters."
        if len(self.website) > 200:
            problems["website"] = "The website can be at most 200 characters."
        if len(self.phone) > 60:
            problems["phone"] = "The phone number can be at most 60 characters."
        for name, limit in (("key", 120), ("size_band", 40), ("country", 80)):
            if len(getattr(self, name).strip()) > limit:
                problems[name] = f"The {name.replace('_', ' ')} can be at most {limit} characters."
        if self.employees is not None and not 0 <= self.employees <= 10**8:
            problems["employees"] = "Employees must be a number from 0 to 100,000,000."
        if self.annual_revenue_minor is not None and not 0 <= self.annual_revenue_minor <= 10**15:
            problems["annual_revenue"] = "Annual revenue must be an amount of 0 or more."
        if problems:
            raise ValidationError(problems)
        return self

    def values(self) -> dict[str, Any]:
        """The account row's columns this draft sets."""
        return {
            "name": self.name.strip(),
            "industry": self.industry.strip(),
            "website": self.website.strip(),
            "phone": self.phone.strip(),
            "notes": self.notes.strip(),
            "external_id": self.key.strip() or None,
            "size_band": self.size_band.strip(),
            "employees": self.employees,
            "annual_revenue_minor": self.annual_revenue_minor,
            "country": self.country.strip(),
        }


def parent_id(session: Session, account_id: int | None, parent: str) -> int | None:
    """The id of the parent account named (by key, else by name); checked that it exists and
    is not the account itself or one of its subsidiaries."""
    parent = parent.strip()
    if not parent:
        return None
    found = session.scalar(
        select(AccountRow.id).where(AccountRow.external_id == parent).limit(1)
    ) or session.scalar(
        select(AccountRow.id)
        .where(func.lower(AccountRow.name) == parent.lower(), AccountRow.archived.is_(False))
        .limit(1)
    )
    if found is None:
        raise ValidationError({"parent": f"There is no account called “{parent}”."})
    seen = {account_id}
    current: int | None = found
    while current is not None:
        if current in seen:
            raise ValidationError(
                {"parent": "An account cannot be its own parent, directly or through others."}
            )
        seen.add(current)
        row = session.get(AccountRow, current)
        current = row.parent_id if row is not None else None
    return found


@dataclass(frozen=True)
class ContactDraft:
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""

    def validated(self) -> ContactDraft:
        problems: dict[str, str] = {}
        if not self.name.strip():
            problems["name"] = "A contact needs a name."
        email = self.email.strip()
        if email and ("@" not in email or email.startswith("@") or email.endswith("@")):
            problems["email"] = f"“{email}” is not an email address."
        if problems:
            raise ValidationError(problems)
        return self


def _like(text: str) -> str:
    return f"%{text.strip().replace('%', '').replace('_', '')}%"


def create_account(rec: Recorder, name: str, draft: AccountDraft | None = None) -> AccountRow:
    """Insert an account inside a recorded write (used by quick log to create one inline)."""
    draft = (draft or AccountDraft(name)).validated()
    clean = draft.name.strip()
    exists = rec.session.scalar(
        select(AccountRow.id).where(func.lower(AccountRow.name) == clean.lower()).limit(1)
    )
    if exists is not None:
        raise ValidationError({"account": f"There is already an account called “{clean}”."})
    parent = parent_id(rec.session, None, draft.parent)
    row = AccountRow(**draft.values(), parent_id=parent, archived=False)
    rec.add(row)
    return row


class AccountService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # Reading ----------------------------------------------------------------------------
    def _search(self, stmt: Any, text: str) -> Any:
        stmt = stmt.where(AccountRow.archived.is_(False))
        if text.strip():
            stmt = stmt.where(AccountRow.name.ilike(_like(text)))
        return stmt

    def count(self, text: str = "") -> int:
        with self.db.read() as session:
            return int(session.scalar(self._search(select(func.count(AccountRow.id)), text)) or 0)

    def page(self, text: str, offset: int, limit: int, descending: bool = False) -> list[Account]:
        """One page of accounts whose name contains ``text``, sorted by name in SQL."""
        order = (
            [AccountRow.name.desc(), AccountRow.id.desc()]
            if descending
            else [AccountRow.name, AccountRow.id]
        )
        stmt = self._search(select(AccountRow), text).order_by(*order).offset(offset).limit(limit)
        with self.db.read() as session:
            return [repo.account(r) for r in session.scalars(stmt)]

    def lines(
        self,
        text: str,
        offset: int,
        limit: int,
        sort: AccountSort = AccountSort.NAME,
        descending: bool = False,
    ) -> list[AccountLine]:
        """One page of the Accounts list (names containing ``text``), sorted in SQL by any of
        its columns; accounts without a figure sort last either way."""
        cols = _line_columns()
        keys: dict[AccountSort, Any] = {
            AccountSort.NAME: AccountRow.name,
            AccountSort.INDUSTRY: AccountRow.industry,
            AccountSort.OWNER: cols[0],
            # Hunting only, then farming only, then both (none first, as "").
            AccountSort.STATUS: case((cols[1], 1), else_=0) + case((cols[2], 2), else_=0),
            AccountSort.OPEN_VALUE: cols[3],
            AccountSort.LAST: cols[4],
            AccountSort.NEXT: cols[5],
        }
        key = keys[sort]
        first = nulls_last(key.desc() if descending else key.asc())
        then = (
            [AccountRow.name.desc(), AccountRow.id.desc()]
            if descending
            else [
                AccountRow.name,
                AccountRow.id,
            ]
        )
        stmt = (
            self._search(select(AccountRow, *cols), text)
            .order_by(first, *then)
            .offset(offset)
            .limit(limit)
        )
        with self.db.read() as session:
            return [
                AccountLine(
                    repo.account(row),
                    owner or "",
                    bool(hunting),
                    bool(farming),
                    int(value or 0),
                    last,
                    nxt,
                )
                for row, owner, hunting, farming, value, last, nxt in session.execute(stmt)
            ]

    def suggest(self, text: str, limit: int = 12) -> list[Account]:
        """Type-ahead: names starting with ``text`` first, then names containing it."""
        clean = text.strip()
        if not clean:
            return []
        with self.db.read() as session:
            base = select(AccountRow).where(AccountRow.archived.is_(False))
            starts = session.scalars(
                base.where(AccountRow.name.ilike(f"{clean.replace('%', '')}%"))
                .order_by(AccountRow.name)
                .limit(limit)
            ).all()
            rows = list(starts)
            if len(rows) < limit:
                seen = {r.id for r in rows}
                more = session.scalars(
                    base.where(AccountRow.name.ilike(_like(clean)))
                    .order_by(AccountRow.name)
                    .limit(limit * 2)
                ).all()
                rows += [r for r in more if r.id not in seen][: limit - len(rows)]
            return [repo.account(r) for r in rows]

    def get(self, account_id: int) -> Account:
        with self.db.read() as session:
            return repo.account(self._row(session, account_id))

    def contacts(self, account_id: int) -> list[Contact]:
        with self.db.read() as session:
            stmt = (
                select(ContactRow)
                .where(ContactRow.account_id == account_id)
                .order_by(ContactRow.name, ContactRow.id)
            )
            return [repo.contact(r) for r in session.scalars(stmt)]

    def timeline(self, account_id: int, limit: int = TIMELINE_LIMIT) -> list[TimelineEntry]:
        """The account's activities and stage changes, newest first (at most ``limit``)."""
        with self.db.read() as session:
            acts = session.execute(
                select(
                    ActivityRow.id,
                    ActivityRow.occurred_at,
                    ActivityRow.status,
                    ActivityRow.outcome,
                    ActivityRow.notes,
                    ActivityRow.engagement_id,
                    ActivityTypeRow.name,
                    ProcessRow.name,
                    PersonRow.name,
                )
                .join(ActivityTypeRow, ActivityTypeRow.id == ActivityRow.type_id)
                .join(ProcessRow, ProcessRow.id == ActivityRow.process_id)
                .outerjoin(PersonRow, PersonRow.id == ActivityRow.person_id)
                .where(ActivityRow.account_id == account_id)
                .order_by(ActivityRow.occurred_at.desc(), ActivityRow.id.desc())
                .limit(limit)
            ).all()
            entries = [
                TimelineEntry(
                    at=at,
                    kind=TimelineKind.PLANNED
                    if status == ActivityStatus.PLANNED.value
                    else TimelineKind.ACTIVITY,
                    title=f"{type_name}{' (planned)' if status == 'planned' else ''}",
                    detail=" — ".join(
                        x
                        for x in (person or "", outcome, notes.splitlines()[0] if notes else "")
                        if x
                    ),
                    process_name=process_name,
                    activity_id=aid,
                    engagement_id=eid,
                )
                for aid, at, status, outcome, notes, eid, type_name, process_name, person in acts
            ]
            entries += self._stage_entries(session, account_id, limit)
        entries.sort(key=lambda e: e.at, reverse=True)
        return entries[:limit]

    def _stage_entries(self, session: Session, account_id: int, limit: int) -> list[TimelineEntry]:
        engagements = {
            e.id: e
            for e in session.scalars(
                select(EngagementRow).where(EngagementRow.account_id == account_id)
            )
        }
        if not engagements:
            return []
        stages = {s.id: s for s in session.scalars(select(StageRow))}
        processes = {p.id: p.name for p in session.scalars(select(ProcessRow))}
        people = {k: v for k, v in session.execute(select(PersonRow.id, PersonRow.name))}
        changes = session.scalars(
            select(StageChangeRow)
            .where(StageChangeRow.engagement_id.in_(engagements))
            .order_by(StageChangeRow.changed_at.desc())
            .limit(limit)
        ).all()
        out = []
        for ch in changes:
            eng = engagements[ch.engagement_id]
            to = stages[ch.to_stage_id]
            who = people.get(ch.person_id or -1, "")
            if ch.from_stage_id is None and eng.source_engagement_id is not None:
                source = session.get(EngagementRow, eng.source_engagement_id)
                kind, title = TimelineKind.HANDOVER, f"Handed over to farming: {eng.name}"
                detail = f"Won “{source.name if source else ''}”; starts in {to.name}"
            elif ch.from_stage_id is None and to.category == "open":
                kind, title, detail = TimelineKind.OPENED, f"Opened {eng.name}", f"in {to.name}"
            elif to.category == "won":
                kind, title, detail = TimelineKind.WON, f"Won {eng.name}", to.name
            elif to.category == "lost":
                kind, title = TimelineKind.LOST, f"Lost {eng.name}"
                detail = eng.lost_reason if eng.stage_id == to.id else to.name
            else:
                frm = stages[ch.from_stage_id].name if ch.from_stage_id else "?"
                kind, title, detail = TimelineKind.MOVED, f"{eng.name}: {frm} → {to.name}", ""
            if not ch.entered_known:  # (an import did not say when)
                detail = f"{detail} (date unknown)".strip()
            out.append(
                TimelineEntry(
                    at=ch.changed_at,
                    kind=kind,
                    title=title,
                    detail=" — ".join(x for x in (who, detail, ch.note) if x),
                    process_name=processes.get(eng.process_id, ""),
                    engagement_id=eng.id,
                )
            )
        return out

    @staticmethod
    def _row(session: Session, account_id: int) -> AccountRow:
        row = session.get(AccountRow, account_id)
        if row is None:
            raise NotFoundError("This account no longer exists.")
        return row

    # Writing ----------------------------------------------------------------------------
    def create(self, draft: AccountDraft) -> Revision:
        with self.db.transaction() as session:
            rec = Recorder(session)
            row = create_account(rec, draft.name, draft)
            return rec.revision(Changes(accounts=True), account=row.id)

    def update(self, account_id: int, draft: AccountDraft) -> Revision:
        draft.validated()
        with self.db.transaction() as session:
            rec = Recorder(session)
            row = self._row(session, account_id)
            clash = session.scalar(
                select(AccountRow.id)
                .where(
                    func.lower(AccountRow.name) == draft.name.strip().lower(),
                    AccountRow.id != account_id,
                )
                .limit(1)
            )
            if clash is not None:
                raise ValidationError(
                    {"name": f"There is already an account called “{draft.name.strip()}”."}
                )
            parent = parent_id(session, account_id, draft.parent)
            rec.will_update(row)
            for key, value in draft.values().items():
                setattr(row, key, value)
            row.parent_id = parent
            return rec.revision(Changes(accounts=True), account=account_id)

    def add_contact(self, account_id: int, draft: ContactDraft) -> Revision:
        draft.validated()
        with self.db.transaction() as session:
            self._row(session, account_id)
            rec = Recorder(session)
            row = ContactRow(account_id=account_id, **_contact_values(draft))
            rec.add(row)
            return rec.revision(Changes(accounts=True), contact=row.id)

    def update_contact(self, contact_id: int, draft: ContactDraft) -> Revision:
        draft.validated()
        with self.db.transaction() as session:
            row = session.get(ContactRow, contact_id)
            if row is None:
                raise NotFoundError("This contact no longer exists.")
            rec = Recorder(session)
            rec.will_update(row)
            for key, value in _contact_values(draft).items():
                setattr(row, key, value)
            return rec.revision(Changes(accounts=True), contact=contact_id)

    def delete_contact(self, contact_id: int) -> Revision:
        with self.db.transaction() as session:
            row = session.get(ContactRow, contact_id)
            if row is None:
                raise NotFoundError("This contact no longer exists.")
            rec = Recorder(session)
            rec.delete(row)
            return rec.revision(Changes(accounts=True))


def _contact_values(draft: ContactDraft) -> dict[str, str]:
    return {
        "name": draft.name.strip(),
        "role": draft.role.strip(),
        "email": draft.email.strip(),
        "phone": draft.phone.strip(),
    }
