"""Global search (Ctrl+K): accounts, contacts, engagements, people and activities by text.

Each kind is one small SQL query, name-matched with LIKE (portable to PostgreSQL, no
SQLite-only full-text index) and limited to a few hits. Activities are matched on their outcome
and notes among the most recent :data:`RECENT_ACTIVITIES`, read on the time index: a text scan
of a million activities takes too long for type-ahead, and what a user looks up is recent work.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from ..domain.models import ActivityStatus
from ..storage.db import Database
from ..storage.orm import (
    AccountRow,
    ActivityRow,
    ActivityTypeRow,
    ContactRow,
    EngagementRow,
    PersonRow,
)

RECENT_ACTIVITIES = 20_000
PER_KIND = 6


class HitKind(enum.StrEnum):
    ACCOUNT = "account"
    CONTACT = "contact"
    ENGAGEMENT = "engagement"
    PERSON = "person"
    ACTIVITY = "activity"


@dataclass(frozen=True)
class SearchHit:
    """One thing found: what it is, its id, what to show, and where it lives."""

    kind: HitKind
    id: int
    title: str
    detail: str = ""
    account_id: int | None = None
    when: datetime | None = None


def _cleaned(text: str) -> str:
    """The text without LIKE's wildcards (``%``, ``_``) and escape, which a user means
    literally but would match anything."""
    return text.strip().replace("\\", "").replace("%", "").replace("_", "")


class SearchService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def search(self, text: str, per_kind: int = PER_KIND) -> list[SearchHit]:
        """Hits for ``text`` (two characters at least), grouped by kind in the order above."""
        cleaned = _cleaned(text)
        if len(cleaned) < 2:
            return []
        like = f"%{cleaned}%"
        hits: list[SearchHit] = []
        with self.db.read() as s:
            for aid, name, industry in s.execute(
                select(AccountRow.id, AccountRow.name, AccountRow.industry)
                .where(AccountRow.archived.is_(False), AccountRow.name.ilike(like))
                .order_by(AccountRow.name)
                .limit(per_kind)
            ):
                hits.append(SearchHit(HitKind.ACCOUNT, aid, name, industry, aid))
            for cid, name, email, aid, account in s.execute(
                select(
                    ContactRow.id, ContactRow.name, ContactRow.email, AccountRow.id, AccountRow.name
                )
                .join(AccountRow, AccountRow.id == ContactRow.account_id)
                .where(or_(ContactRow.name.ilike(like), ContactRow.email.ilike(like)))
                .order_by(ContactRow.name)
                .limit(per_kind)
            ):
                detail = " · ".join(x for x in (account, email) if x)
                hits.append(SearchHit(HitKind.CONTACT, cid, name, detail, aid))
            for eid, name, account, aid in s.execute(
                select(EngagementRow.id, EngagementRow.name, AccountRow.name, AccountRow.id)
                .outerjoin(AccountRow, AccountRow.id == EngagementRow.account_id)
                .where(or_(EngagementRow.name.ilike(like), AccountRow.name.ilike(like)))
                .order_by(EngagementRow.outcome.is_not(None), EngagementRow.name)
                .limit(per_kind)
            ):
                hits.append(SearchHit(HitKind.ENGAGEMENT, eid, name, account or "", aid))
            for pid, name, email in s.execute(
                select(PersonRow.id, PersonRow.name, PersonRow.email)
                .where(or_(PersonRow.name.ilike(like), PersonRow.email.ilike(like)))
                .order_by(PersonRow.name)
                .limit(per_kind)
            ):
                hits.append(SearchHit(HitKind.PERSON, pid, name, email or ""))
            recent = (
                select(ActivityRow.id)
                .order_by(ActivityRow.occurred_at.desc())
                .limit(RECENT_ACTIVITIES)
                .subquery()
            )
            for act_id, type_name, outcome, notes, status, when, account, aid in s.execute(
                select(
                    ActivityRow.id,
                    ActivityTypeRow.name,
                    ActivityRow.outcome,
                    ActivityRow.notes,
                    ActivityRow.status,
                    ActivityRow.occurred_at,
                    AccountRow.name,
                    AccountRow.id,
                )
                .join(recent, recent.c.id == ActivityRow.id)
                .join(ActivityTypeRow, ActivityTypeRow.id == ActivityRow.type_id)
                .outerjoin(AccountRow, AccountRow.id == ActivityRow.account_id)
                .where(or_(ActivityRow.outcome.ilike(like), ActivityRow.notes.ilike(like)))
                .order_by(ActivityRow.occurred_at.desc())
                .limit(per_kind)
            ):
                said = outcome or " ".join((notes or "").split())[:80]
                planned = " (planned)" if status == ActivityStatus.PLANNED.value else ""
                title = f"{type_name}{planned}: {said}"
                hits.append(SearchHit(HitKind.ACTIVITY, act_id, title, account or "", aid, when))
        return hits
