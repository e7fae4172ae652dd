"""People use cases."""

from __future__ import annotations

from sqlalchemy import select

from ..domain.models import Person
from ..storage import repositories as repo
from ..storage.db import Database
from ..storage.orm import PersonRow


class PeopleService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def people(self, include_inactive: bool = False) -> list[Person]:
        with self.db.read() as session:
            stmt = select(PersonRow).order_by(PersonRow.name)
            if not include_inactive:
                stmt = stmt.where(PersonRow.active.is_(True))
            return [repo.person(r) for r in session.scalars(stmt)]
