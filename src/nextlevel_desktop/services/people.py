"""People use cases: list, add, edit and (de)activate team members."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..domain.changes import Changes
from ..domain.errors import NotFoundError, ValidationError
from ..domain.models import Person, PersonRole
from ..storage import repositories as repo
from ..storage.db import Database
from ..storage.orm import PersonRow
from .revisions import Recorder, Revision


@dataclass(frozen=True)
class PersonDraft:
    name: str
    email: str = ""
    role: PersonRole = PersonRole.REP

    def validated(self) -> PersonDraft:
        problems: dict[str, str] = {}
        name = self.name.strip()
        if not name:
            problems["name"] = "A person needs a name."
        elif len(name) > 120:
            problems["name"] = "A name can be at most 120 characters."
        email = self.email.strip()
        if email and (
            "@" not in email or email.startswith("@") or email.endswith("@") or " " in email
        ):
            problems["email"] = f"“{email}” is not an email address."
        if problems:
            raise ValidationError(problems)
        return self


class PeopleService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def people(self, include_inactive: bool = False) -> list[Person]:
        with self.db.read() as session:
            stmt = select(PersonRow).order_by(PersonRow.name)
            if not include_inactive:
                stmt = stmt.where(PersonRow.active.is_(True))
            return [repo.person(r) for r in session.scalars(stmt)]

    def get(self, person_id: int) -> Person:
        with self.db.read() as session:
            row = session.get(PersonRow, person_id)
            if row is None:
                raise NotFoundError("This person no longer exists.")
            return repo.person(row)

    def _check_unique(self, session, name: str, person_id: int | None) -> None:
        stmt = select(PersonRow.id).where(func.lower(PersonRow.name) == name.lower())
        if person_id is not None:
            stmt = stmt.where(PersonRow.id != person_id)
        if session.scalar(stmt.limit(1)) is not None:
            raise ValidationError({"name": f"There is already a person called “{name}”."})

    def add(self, draft: PersonDraft) -> Revision:
        draft.validated()
        with self.db.transaction() as session:
            self._check_unique(session, draft.name.strip(), None)
            rec = Recorder(session)
            row = PersonRow(
                name=draft.name.strip(),
                email=draft.email.strip(),
                role=draft.role.value,
                active=True,
            )
            rec.add(row)
            return rec.revision(Changes(people=True), person=row.id)

    def update(self, person_id: int, draft: PersonDraft) -> Revision:
        draft.validated()
        with self.db.transaction() as session:
            row = session.get(PersonRow, person_id)
            if row is None:
                raise NotFoundError("This person no longer exists.")
            self._check_unique(session, draft.name.strip(), person_id)
            rec = Recorder(session)
            rec.will_update(row)
            row.name = draft.name.strip()
            row.email = draft.email.strip()
            row.role = draft.role.value
            return rec.revision(Changes(people=True), person=person_id)

    def set_active(self, person_id: int, active: bool) -> Revision:
        """Deactivate (hidden from pickers, history kept) or reactivate a person."""
        with self.db.transaction() as session:
            row = session.get(PersonRow, person_id)
            if row is None:
                raise NotFoundError("This person no longer exists.")
            rec = Recorder(session)
            rec.will_update(row)
            row.active = active
            return rec.revision(Changes(people=True), person=person_id)
