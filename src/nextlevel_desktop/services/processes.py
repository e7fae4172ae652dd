"""Process use cases: reading the designed processes (the designer adds editing)."""

from __future__ import annotations

from ..domain.models import Process, ProcessKind
from ..storage import repositories as repo
from ..storage.db import Database


class ProcessService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def processes(self, include_archived: bool = False) -> list[Process]:
        with self.db.read() as session:
            return repo.load_processes(session, include_archived)

    def processes_of_kind(self, kind: ProcessKind) -> list[Process]:
        return [p for p in self.processes() if p.kind is kind]

    def process(self, process_id: int) -> Process:
        for p in self.processes(include_archived=True):
            if p.id == process_id:
                return p
        from ..domain.errors import NotFoundError

        raise NotFoundError(f"Process {process_id} no longer exists.")
