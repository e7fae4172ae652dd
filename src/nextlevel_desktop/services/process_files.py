"""Exporting a process to a JSON process file and importing one into a workspace.

An import is checked completely first (``domain.process_file``) and then written in one
transaction, so a bad or foreign file changes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import func, select

from ..domain.changes import Changes
from ..domain.errors import NextLevelError, NotFoundError, ValidationError
from ..domain.models import PeriodKind, ProcessKind
from ..domain.process_file import (
    MAX_FILE_BYTES,
    ActivityTypeDesign,
    ProcessDesign,
    TargetDesign,
    dumps,
    loads,
)
from ..domain.processes import ProcessTemplate, TargetSpec, spec_of, unique_name
from ..storage import repositories as repo
from ..storage.db import Database
from ..storage.orm import ActivityTypeRow, PersonRow, ProcessRow, TargetRow
from .process_design import check_target
from .revisions import Recorder, Revision
from .workspace import record_process_from_template

SUFFIX = ".nlprocess.json"


@dataclass(frozen=True)
class ImportResult:
    revision: Revision
    process_id: int
    name: str
    notes: tuple[str, ...] = ()


class ProcessFileService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def design(self, process_id: int) -> ProcessDesign:
        """Everything a process file holds, read from the workspace."""
        with self.db.read() as session:
            row = session.get(ProcessRow, process_id)
            if row is None:
                raise NotFoundError(f"Process {process_id} no longer exists.")
            proc = repo.process(row)
            types = session.scalars(
                select(ActivityTypeRow)
                .where(ActivityTypeRow.kind == row.kind, ActivityTypeRow.archived.is_(False))
                .order_by(ActivityTypeRow.position, ActivityTypeRow.id)
            ).all()
            type_names = {t.id: t.name for t in session.scalars(select(ActivityTypeRow)).all()}
            people = {p.id: p.name for p in session.scalars(select(PersonRow)).all()}
            targets = session.scalars(
                select(TargetRow).where(TargetRow.process_id == process_id).order_by(TargetRow.id)
            ).all()
            return ProcessDesign(
                kind=proc.kind,
                name=proc.name,
                purpose=proc.purpose,
                review_cadence_days=proc.review_cadence_days,
                stages=tuple(spec_of(s) for s in proc.active_stages),
                targets=tuple(
                    TargetDesign(
                        t.measure,
                        PeriodKind(t.period),
                        t.value_x100 / 100,
                        t.valid_from,
                        people.get(t.person_id, "") if t.person_id else "",
                        type_names.get(t.activity_type_id, "") if t.activity_type_id else "",
                    )
                    for t in targets
                ),
                activity_types=tuple(ActivityTypeDesign(t.name, t.is_review) for t in types),
            )

    def export(self, process_id: int, path: Path) -> Path:
        """Write the process file; written to a temporary file first, so never half-written."""
        text = dumps(self.design(process_id))
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise NextLevelError(f"Cannot write “{path}”: {exc.strerror or exc}.") from exc
        return path

    def export_by_name(self, name: str, path: Path) -> Path:
        matches = [p for p in repo_processes(self.db) if p[1].casefold() == name.strip().casefold()]
        if not matches:
            raise NotFoundError(f"There is no process called “{name}” in this workspace.")
        return self.export(matches[0][0], path)

    @staticmethod
    def read(path: Path) -> ProcessDesign:
        """Read and check a process file (raises a clear ``NextLevelError`` if unusable)."""
        path = Path(path)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ValidationError(
                    f"“{path.name}” is too large to be a Next Level process file "
                    f"(at most {MAX_FILE_BYTES // 1_000_000} MB)."
                )
            raw = path.read_bytes()
        except FileNotFoundError:
            raise NotFoundError(f"There is no file at “{path}”.") from None
        except IsADirectoryError:
            raise NextLevelError(f"“{path}” is a folder, not a process file.") from None
        except OSError as exc:
            raise NextLevelError(f"Cannot read “{path}”: {exc.strerror or exc}.") from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                f"“{path.name}” is not a Next Level process file: it is not text."
            ) from None
        try:
            return loads(text)
        except ValidationError as exc:
            raise ValidationError(f"Cannot import “{path.name}”. {exc.first}") from None

    def import_file(self, path: Path) -> ImportResult:
        return self.import_design(self.read(path))

    def import_design(self, design: ProcessDesign) -> ImportResult:
        """Add the designed process (renamed “Name (2)” if the name is taken), its targets and
        any activity types the workspace lacks, in one transaction."""
        notes: list[str] = []
        with self.db.transaction() as session:
            rec = Recorder(session)
            taken = session.scalars(
                select(ProcessRow.name).where(ProcessRow.archived.is_(False))
            ).all()
            name = unique_name(design.name, taken)
            if name != design.name:
                notes.append(f"A process called “{design.name}” exists; imported as “{name}”.")
            last = session.scalar(select(func.max(ProcessRow.position))) or 0
            stages = design.stages
            if design.kind is ProcessKind.FARMING:  # win probability is a hunting figure
                stages = tuple(replace(s, probability=None) for s in stages)
            template = ProcessTemplate(design.kind, name, design.purpose, stages)
            row = record_process_from_template(rec, template, name, last + 1)
            row.review_cadence_days = design.review_cadence_days
            types = {
                t.name.casefold(): t
                for t in session.scalars(
                    select(ActivityTypeRow).where(ActivityTypeRow.kind == design.kind.value)
                ).all()
            }
            position = len(types)
            for atype in design.activity_types:
                existing = types.get(atype.name.casefold())
                if existing is None:
                    existing = ActivityTypeRow(
                        kind=design.kind.value,
                        name=atype.name,
                        position=position,
                        is_review=atype.is_review and design.kind is ProcessKind.FARMING,
                        archived=False,
                    )
                    rec.add(existing)
                    types[atype.name.casefold()] = existing
                    position += 1
                    notes.append(f"Added the activity type “{atype.name}”.")
                elif existing.archived:
                    rec.will_update(existing)
                    existing.archived = False
                    notes.append(f"Restored the archived activity type “{atype.name}”.")
            session.flush()
            people = {p.name.casefold(): p.id for p in session.scalars(select(PersonRow)).all()}
            for t in design.targets:
                person_id = None
                if t.person:
                    person_id = people.get(t.person.casefold())
                    if person_id is None:
                        notes.append(
                            f"Skipped a {t.measure.replace('_', ' ')} target for “{t.person}”: "
                            "no one of that name works in this workspace."
                        )
                        continue
                type_id = None
                if t.activity_type:
                    found = types.get(t.activity_type.casefold())
                    type_id = found.id if found is not None else None
                spec = TargetSpec(t.measure, t.period, t.value, t.valid_from, person_id, type_id)
                try:
                    check_target(session, row, spec)
                except ValidationError as exc:
                    notes.append(f"Skipped a target: {exc.first}")
                    continue
                rec.add(
                    TargetRow(
                        process_id=row.id,
                        measure=t.measure,
                        period=t.period.value,
                        value_x100=round(t.value * 100),
                        valid_from=t.valid_from,
                        person_id=person_id,
                        activity_type_id=type_id,
                    )
                )
            changes = Changes(processes=True, stages=True, targets=True, activity_types=True)
            return ImportResult(rec.revision(changes, process=row.id), row.id, name, tuple(notes))


def repo_processes(db: Database) -> list[tuple[int, str]]:
    """(id, name) of the active processes, hunting first."""
    with db.read() as session:
        return [
            (p.id, p.name)
            for p in session.scalars(
                select(ProcessRow)
                .where(ProcessRow.archived.is_(False))
                .order_by(ProcessRow.kind.desc(), ProcessRow.position, ProcessRow.id)
            ).all()
        ]
