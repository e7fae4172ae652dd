"""People use cases: list, add, edit and (de)activate team members; teams and managers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
    team: str = ""
    office: str = ""
    manager_id: int | None = None

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
        for key in ("team", "office"):
            if len(getattr(self, key).strip()) > 120:
                problems[key] = f"The {key} can be at most 120 characters."
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

    def teams(self) -> list[str]:
        """The names of the teams people are in, sorted."""
        with self.db.read() as session:
            stmt = select(PersonRow.team).where(PersonRow.team != "").distinct()
            return sorted(session.scalars(stmt), key=str.casefold)

    def members(self, team: str) -> list[Person]:
        """The people of a team (by name, any case), active or not; none: a clear error."""
        with self.db.read() as session:
            rows = session.scalars(
                select(PersonRow)
                .where(func.lower(PersonRow.team) == team.strip().lower())
                .order_by(PersonRow.name)
            )
            found = [repo.person(r) for r in rows]
        if not found:
            teams = ", ".join(f"“{t}”" for t in self.teams()) or "none yet"
            raise NotFoundError(f"There is no team called “{team}”. The teams are: {teams}.")
        return found

    @staticmethod
    def _check_manager(session: Session, person_id: int | None, manager_id: int | None) -> None:
        seen = {person_id}
        current = manager_id
        while current is not None:
            if current in seen:
                raise ValidationError(
                    {"manager": "A person cannot be their own manager, directly or through others."}
                )
            seen.add(current)
            row = session.get(PersonRow, current)
            if row is None:
                raise ValidationError({"manager": "The manager no longer exists."})
            current = row.manager_id

    @staticmethod
    def _values(draft: PersonDraft) -> dict[str, object]:
        return {
            "name": draft.name.strip(),
            "email": draft.email.strip(),
            "role": draft.role.value,
            "team": draft.team.strip(),
            "office": draft.office.strip(),
            "manager_id": draft.manager_id,
        }

    def add(self, draft: PersonDraft) -> Revision:
        draft.validated()
        with self.db.transaction() as session:
            self._check_unique(session, draft.name.strip(), None)
            self._check_manager(session, None, draft.manager_id)
            rec = Recorder(session)
            row = PersonRow(**self._values(draft), active=True)
            rec.add(row)
            return rec.revision(Changes(people=True), person=row.id)

    def update(self, person_id: int, draft: PersonDraft) -> Revision:
        draft.validated()
        with self.db.transaction() as session:
            row = session.get(PersonRow, person_id)
            if row is None:
                raise NotFoundError("This person no longer exists.")
            self._check_unique(session, draft.name.strip(), person_id)
            self._check_manager(session, person_id, draft.manager_id)
            rec = Recorder(session)
            rec.will_update(row)
            for key, value in self._values(draft).items():
                setattr(row, key, value)
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
