"""Process use cases: reading and designing processes and their stages.

Every write runs in one transaction and returns a :class:`Revision` (its ``Changes`` and every
row it touched), so undo and redo are :meth:`RevisionService.revert` and ``reapply``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..domain.changes import Changes
from ..domain.errors import NotFoundError, ValidationError
from ..domain.models import Process, ProcessKind, StageCategory
from ..domain.processes import (
    TEMPLATES,
    StageSpec,
    blank_template,
    move_item,
    spec_of,
    validate_name,
    validate_purpose,
    validate_stage,
    validate_stage_count,
    validate_stage_set,
)
from ..domain.text_rules import MAX_PROCESS_NAME
from ..storage import repositories as repo
from ..storage.db import Database
from ..storage.orm import (
    EngagementRow,
    ExitCriterionRow,
    PersonRow,
    ProcessRow,
    StageChangeRow,
    StageRow,
)
from .revisions import Recorder, Revision
from .workspace import record_process_from_template

PROCESS_CHANGED = Changes(processes=True, stages=True)
STAGES_CHANGED = Changes(stages=True)


def _process_row(session: Session, process_id: int) -> ProcessRow:
    row = session.get(ProcessRow, process_id)
    if row is None:
        raise NotFoundError(f"Process {process_id} no longer exists.")
    return row


def _stage_row(session: Session, stage_id: int) -> StageRow:
    row = session.get(StageRow, stage_id)
    if row is None:
        raise NotFoundError(f"Stage {stage_id} no longer exists.")
    return row


def _stages(session: Session, process_id: int) -> list[StageRow]:
    return list(
        session.scalars(
            select(StageRow)
            .where(StageRow.process_id == process_id)
            .order_by(StageRow.position, StageRow.id)
        )
    )


def _renumber(rec: Recorder, process_id: int, active_order: list[int]) -> None:
    """Active stages get positions 0..n-1 in ``active_order``; archived ones follow."""
    rows = _stages(rec.session, process_id)
    by_id = {r.id: r for r in rows}
    ordered = [by_id[sid] for sid in active_order]
    ordered += [r for r in rows if r.id not in set(active_order)]
    for pos, row in enumerate(ordered):
        if row.position != pos:
            rec.will_update(row)
            row.position = pos


def _active_ids(session: Session, process_id: int) -> list[int]:
    return [r.id for r in _stages(session, process_id) if not r.archived]


def _stage_referenced(session: Session, stage_id: int) -> bool:
    engagements = session.scalar(
        select(func.count()).select_from(EngagementRow).where(EngagementRow.stage_id == stage_id)
    )
    changes = session.scalar(
        select(func.count())
        .select_from(StageChangeRow)
        .where(
            or_(StageChangeRow.from_stage_id == stage_id, StageChangeRow.to_stage_id == stage_id)
        )
    )
    return bool(engagements or changes)


def _open_engagements(session: Session, stage_id: int) -> list[EngagementRow]:
    return list(
        session.scalars(
            select(EngagementRow)
            .where(EngagementRow.stage_id == stage_id, EngagementRow.outcome.is_(None))
            .order_by(EngagementRow.id)
        )
    )


def _write_fields(row: StageRow, spec: StageSpec, kind: ProcessKind) -> None:
    row.name = spec.name.strip()
    row.category = spec.category.value
    row.guidance = spec.guidance.strip()
    row.expected_days = spec.expected_days
    row.target_conversion = spec.target_conversion
    row.probability = spec.probability if kind is ProcessKind.HUNTING else None
    row.color = spec.color


def _write_criteria(rec: Recorder, row: StageRow, spec: StageSpec) -> None:
    texts = [c.strip() for c in spec.exit_criteria]
    current = list(row.exit_criteria)
    for pos, text in enumerate(texts):
        if pos < len(current):
            rec.will_update(current[pos])
            current[pos].text, current[pos].position = text, pos
        else:
            rec.add(ExitCriterionRow(stage_id=row.id, position=pos, text=text))
    for extra in current[len(texts) :]:
        rec.delete(extra)
    rec.session.expire(row, ["exit_criteria"])


def _delete_stage(rec: Recorder, row: StageRow) -> None:
    for criterion in list(row.exit_criteria):
        rec.delete(criterion)
    rec.session.expire(row, ["exit_criteria"])
    rec.delete(row)


class ProcessService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # Reading ----------------------------------------------------------------------------
    def processes(self, include_archived: bool = False) -> list[Process]:
        with self.db.read() as session:
            return repo.load_processes(session, include_archived)

    def processes_of_kind(self, kind: ProcessKind) -> list[Process]:
        return [p for p in self.processes() if p.kind is kind]

    def process(self, process_id: int) -> Process:
        for p in self.processes(include_archived=True):
            if p.id == process_id:
                return p
        raise NotFoundError(f"Process {process_id} no longer exists.")

    def open_engagement_count(self, stage_id: int) -> int:
        """Open engagements currently in a stage (they must move before it is archived)."""
        with self.db.read() as session:
            return len(_open_engagements(session, stage_id))

    # Processes --------------------------------------------------------------------------
    def _active_names(self, session: Session, exclude: int | None = None) -> list[str]:
        stmt = select(ProcessRow.name).where(ProcessRow.archived.is_(False))
        if exclude is not None:
            stmt = stmt.where(ProcessRow.id != exclude)
        return list(session.scalars(stmt))

    def add_process(self, kind: ProcessKind, name: str, blank: bool = False) -> Revision:
        """A new process from the default template of its kind, or a blank one (3 stages);
        ``ids["process"]`` names it."""
        with self.db.transaction() as session:
            rec = Recorder(session)
            clean = validate_name(name, "process", MAX_PROCESS_NAME, self._active_names(session))
            template = blank_template(kind, clean) if blank else TEMPLATES[kind]
            last = session.scalar(select(func.max(ProcessRow.position))) or 0
            row = record_process_from_template(rec, template, clean, last + 1)
            return rec.revision(PROCESS_CHANGED, process=row.id)

    def update_process(
        self, process_id: int, name: str, purpose: str, owner_id: int | None
    ) -> Revision:
        with self.db.transaction() as session:
            rec = Recorder(session)
            row = _process_row(session, process_id)
            clean = validate_name(
                name, "process", MAX_PROCESS_NAME, self._active_names(session, exclude=process_id)
            )
            if owner_id is not None and session.get(PersonRow, owner_id) is None:
                raise ValidationError({"owner": "The chosen owner no longer exists."})
            rec.will_update(row)
            row.name, row.purpose, row.owner_id = clean, validate_purpose(purpose), owner_id
            return rec.revision(Changes(processes=True), process=process_id)

    def set_process_archived(self, process_id: int, archived: bool) -> Revision:
        """Archive (or restore) a process; each kind keeps at least one active process."""
        with self.db.transaction() as session:
            rec = Recorder(session)
            row = _process_row(session, process_id)
            if archived and not row.archived:
                others = session.scalar(
                    select(func.count())
                    .select_from(ProcessRow)
                    .where(
                        ProcessRow.kind == row.kind,
                        ProcessRow.archived.is_(False),
                        ProcessRow.id != row.id,
                    )
                )
                if not others:
                    kind = ProcessKind(row.kind).label.lower()
                    raise ValidationError(
                        f"“{row.name}” is the only active {kind} process; a workspace keeps at "
                        f"least one. Add another {kind} process first."
                    )
            if not archived and row.archived:
                validate_name(
                    row.name,
                    "process",
                    MAX_PROCESS_NAME,
                    self._active_names(session, exclude=row.id),
                )
            rec.will_update(row)
            row.archived = archived
            return rec.revision(PROCESS_CHANGED, process=process_id)

    # Stages -----------------------------------------------------------------------------
    def _validated(self, session: Session, process_id: int, spec: StageSpec, exclude: int) -> None:
        others = [
            r.name for r in _stages(session, process_id) if not r.archived and r.id != exclude
        ]
        validate_stage(spec, others)

    def add_stage(self, process_id: int, spec: StageSpec, index: int | None = None) -> Revision:
        """Insert a stage at ``index`` among the active stages (default: after the last open
        one for an open stage, else at the end); ``ids["stage"]`` names it."""
        with self.db.transaction() as session:
            rec = Recorder(session)
            proc = _process_row(session, process_id)
            self._validated(session, process_id, spec, exclude=-1)
            rows = [r for r in _stages(session, process_id) if not r.archived]
            validate_stage_count(len(rows) + 1)
            if index is None:
                opens = [i for i, r in enumerate(rows) if r.category == StageCategory.OPEN.value]
                at_end = spec.category is not StageCategory.OPEN or not opens
                index = len(rows) if at_end else opens[-1] + 1
            row = StageRow(process_id=process_id, position=len(rows) + 1000, archived=False)
            _write_fields(row, spec, ProcessKind(proc.kind))
            rec.add(row)
            _write_criteria(rec, row, spec)
            order = move_item([r.id for r in rows] + [row.id], row.id, index)
            _renumber(rec, process_id, order)
            return rec.revision(STAGES_CHANGED, stage=row.id, process=process_id)

    def update_stage(self, stage_id: int, spec: StageSpec) -> Revision:
        with self.db.transaction() as session:
            rec = Recorder(session)
            row = _stage_row(session, stage_id)
            proc = _process_row(session, row.process_id)
            self._validated(session, row.process_id, spec, exclude=stage_id)
            if spec.category.value != row.category:
                validate_stage_set(
                    spec.category if r.id == stage_id else StageCategory(r.category)
                    for r in _stages(session, row.process_id)
                    if not r.archived
                )
                held = session.scalar(
                    select(func.count())
                    .select_from(EngagementRow)
                    .where(EngagementRow.stage_id == stage_id)
                )
                if held:
                    raise ValidationError(
                        {
                            "category": f"{held} engagement(s) are in “{row.name}”; move them "
                            "to another stage before changing its category."
                        }
                    )
            rec.will_update(row)
            _write_fields(row, spec, ProcessKind(proc.kind))
            _write_criteria(rec, row, spec)
            return rec.revision(STAGES_CHANGED, stage=stage_id)

    def rename_stage(self, stage_id: int, name: str) -> Revision:
        with self.db.read() as session:
            current = _spec(_stage_row(session, stage_id))
        return self.update_stage(stage_id, replace(current, name=name))

    def move_stage(self, stage_id: int, index: int) -> Revision:
        """Move an active stage to ``index`` among its process's active stages."""
        with self.db.transaction() as session:
            rec = Recorder(session)
            row = _stage_row(session, stage_id)
            if row.archived:
                raise ValidationError(f"“{row.name}” is archived; restore it before moving it.")
            ids = _active_ids(session, row.process_id)
            _renumber(rec, row.process_id, move_item(ids, stage_id, index))
            return rec.revision(STAGES_CHANGED, stage=stage_id)

    def remove_stage(
        self,
        stage_id: int,
        move_to: int | None = None,
        person_id: int | None = None,
        at: datetime | None = None,
    ) -> Revision:
        """Delete a stage nothing refers to; archive one that history refers to.

        Open engagements still in the stage must go somewhere: ``move_to`` names the stage, and
        each move is recorded as a stage change.
        """
        with self.db.transaction() as session:
            rec = Recorder(session)
            row = _stage_row(session, stage_id)
            if row.archived:
                raise ValidationError(f"“{row.name}” is already archived.")
            rows = [r for r in _stages(session, row.process_id) if not r.archived]
            validate_stage_set(StageCategory(r.category) for r in rows if r.id != stage_id)
            open_rows = _open_engagements(session, stage_id)
            if open_rows:
                target = session.get(StageRow, move_to) if move_to is not None else None
                if (
                    target is None
                    or target.id == stage_id
                    or target.archived
                    or target.process_id != row.process_id
                ):
                    raise ValidationError(
                        {
                            "move_to": f"{len(open_rows)} open engagement(s) are in "
                            f"“{row.name}”; choose another stage of this process to move them to."
                        }
                    )
                when = at or datetime.now(UTC)
                for eng in open_rows:
                    rec.will_update(eng)
                    change = repo.record_move(
                        session, eng, target, when, person_id, note=f"Stage “{row.name}” archived"
                    )
                    rec.inserted(change)
            process_id = row.process_id
            if _stage_referenced(session, stage_id):
                rec.will_update(row)
                row.archived = True
            else:
                _delete_stage(rec, row)
            _renumber(rec, process_id, [r.id for r in rows if r.id != stage_id])
            changes = STAGES_CHANGED | (Changes(engagements=True) if open_rows else Changes())
            return rec.revision(changes, stage=stage_id)

    def unarchive_stage(self, stage_id: int, index: int | None = None) -> Revision:
        """Bring back an archived stage (e.g. after a redesign was reconsidered)."""
        with self.db.transaction() as session:
            rec = Recorder(session)
            row = _stage_row(session, stage_id)
            others = [r.name for r in _stages(session, row.process_id) if not r.archived]
            validate_stage(_spec(row), others)
            validate_stage_count(len(others) + 1)
            rec.will_update(row)
            row.archived = False
            session.flush()
            ids = _active_ids(session, row.process_id)
            ids.remove(row.id)
            _renumber(
                rec,
                row.process_id,
                move_item(ids, row.id, len(ids) if index is None else index),
            )
            return rec.revision(STAGES_CHANGED, stage=stage_id)


def _spec(row: StageRow) -> StageSpec:
    return spec_of(repo.stage(row))
