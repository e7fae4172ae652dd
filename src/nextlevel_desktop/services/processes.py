"""Process use cases: reading and designing processes and their stages.

Every write runs in one transaction and returns a ``Changes`` value. Writes that the designer
must be able to undo return what the undo needs (the new id, or a record of what a removal did),
and the inverse operations accept an explicit id so that redo after undo recreates the same row.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

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
    validate_process_name,
    validate_purpose,
    validate_stage,
    validate_stage_count,
    validate_stage_set,
)
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
from .workspace import add_process_from_template

PROCESS_CHANGED = Changes(processes=True, stages=True)
STAGES_CHANGED = Changes(stages=True)


@dataclass(frozen=True)
class EngagementMove:
    """One engagement moved out of a stage being archived, with what undo must put back."""

    engagement_id: int
    stage_change_id: int
    from_stage_id: int
    entered_at: datetime | None
    outcome: str | None
    closed_on: date | None


@dataclass(frozen=True)
class StageRemoval:
    """What ``remove_stage`` did: deleted (never referenced) or archived, and any moves."""

    changes: Changes
    stage_id: int
    process_id: int
    index: int
    archived: bool
    spec: StageSpec
    moves: tuple[EngagementMove, ...] = ()


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


def _renumber(session: Session, process_id: int, active_order: list[int]) -> None:
    """Active stages get positions 0..n-1 in ``active_order``; archived ones follow."""
    rows = _stages(session, process_id)
    by_id = {r.id: r for r in rows}
    for pos, sid in enumerate(active_order):
        by_id[sid].position = pos
    rest = [r for r in rows if r.id not in set(active_order)]
    for pos, row in enumerate(rest, start=len(active_order)):
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


def _write_stage(row: StageRow, spec: StageSpec, kind: ProcessKind) -> None:
    row.name = spec.name.strip()
    row.category = spec.category.value
    row.guidance = spec.guidance.strip()
    row.expected_days = spec.expected_days
    row.target_conversion = spec.target_conversion
    row.probability = spec.probability if kind is ProcessKind.HUNTING else None
    row.color = spec.color
    texts = [c.strip() for c in spec.exit_criteria]
    current = list(row.exit_criteria)
    # Keep criterion rows where the text is unchanged; nothing refers to them, but it is tidy.
    row.exit_criteria = [
        current[i] if i < len(current) and current[i].text == t else ExitCriterionRow(text=t)
        for i, t in enumerate(texts)
    ]
    for pos, criterion in enumerate(row.exit_criteria):
        criterion.position = pos


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

    def add_process(self, kind: ProcessKind, name: str, blank: bool = False) -> tuple[Changes, int]:
        """A new process from the default template of its kind, or a blank one (3 stages)."""
        with self.db.transaction() as session:
            clean = validate_process_name(name, self._active_names(session))
            template = blank_template(kind, clean) if blank else TEMPLATES[kind]
            last = session.scalar(select(func.max(ProcessRow.position))) or 0
            row = add_process_from_template(session, template, clean, last + 1)
            return PROCESS_CHANGED, row.id

    def update_process(
        self, process_id: int, name: str, purpose: str, owner_id: int | None
    ) -> Changes:
        with self.db.transaction() as session:
            row = _process_row(session, process_id)
            clean = validate_process_name(name, self._active_names(session, exclude=process_id))
            if owner_id is not None and session.get(PersonRow, owner_id) is None:
                raise ValidationError({"owner": "The chosen owner no longer exists."})
            row.name, row.purpose, row.owner_id = clean, validate_purpose(purpose), owner_id
        return Changes(processes=True)

    def set_process_archived(self, process_id: int, archived: bool) -> Changes:
        """Archive (or restore) a process; each kind keeps at least one active process."""
        with self.db.transaction() as session:
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
                validate_process_name(row.name, self._active_names(session, exclude=row.id))
            row.archived = archived
        return PROCESS_CHANGED

    # Stages -----------------------------------------------------------------------------
    def _validated(self, session: Session, process_id: int, spec: StageSpec, exclude: int) -> None:
        others = [
            r.name for r in _stages(session, process_id) if not r.archived and r.id != exclude
        ]
        validate_stage(spec, others)

    def add_stage(
        self,
        process_id: int,
        spec: StageSpec,
        index: int | None = None,
        stage_id: int | None = None,
    ) -> tuple[Changes, int]:
        """Insert a stage at ``index`` among the active stages (default: after the last open
        one for an open stage, else at the end). ``stage_id`` recreates an undone stage."""
        with self.db.transaction() as session:
            proc = _process_row(session, process_id)
            self._validated(session, process_id, spec, exclude=-1)
            rows = [r for r in _stages(session, process_id) if not r.archived]
            validate_stage_count(len(rows) + 1)
            if index is None:
                opens = [i for i, r in enumerate(rows) if r.category == StageCategory.OPEN.value]
                at_end = spec.category is not StageCategory.OPEN or not opens
                index = len(rows) if at_end else opens[-1] + 1
            row = StageRow(process_id=process_id, position=len(rows) + 1000, archived=False)
            if stage_id is not None and session.get(StageRow, stage_id) is None:
                row.id = stage_id
            _write_stage(row, spec, ProcessKind(proc.kind))
            session.add(row)
            session.flush()
            order = move_item([r.id for r in rows] + [row.id], row.id, index)
            _renumber(session, process_id, order)
            return STAGES_CHANGED, row.id

    def update_stage(self, stage_id: int, spec: StageSpec) -> Changes:
        with self.db.transaction() as session:
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
            _write_stage(row, spec, ProcessKind(proc.kind))
        return STAGES_CHANGED

    def rename_stage(self, stage_id: int, name: str) -> Changes:
        with self.db.read() as session:
            current = _spec(_stage_row(session, stage_id))
        return self.update_stage(stage_id, replace(current, name=name))

    def stage_index(self, stage_id: int) -> int:
        with self.db.read() as session:
            row = _stage_row(session, stage_id)
            ids = _active_ids(session, row.process_id)
            return ids.index(stage_id) if stage_id in ids else len(ids)

    def move_stage(self, stage_id: int, index: int) -> Changes:
        """Move an active stage to ``index`` among its process's active stages."""
        with self.db.transaction() as session:
            row = _stage_row(session, stage_id)
            if row.archived:
                raise ValidationError(f"“{row.name}” is archived; restore it before moving it.")
            ids = _active_ids(session, row.process_id)
            _renumber(session, row.process_id, move_item(ids, stage_id, index))
        return STAGES_CHANGED

    def remove_stage(
        self,
        stage_id: int,
        move_to: int | None = None,
        person_id: int | None = None,
        at: datetime | None = None,
    ) -> StageRemoval:
        """Delete a stage nothing refers to; archive one that history refers to.

        Open engagements still in the stage must go somewhere: ``move_to`` names the stage, and
        each move is recorded as a stage change.
        """
        with self.db.transaction() as session:
            row = _stage_row(session, stage_id)
            if row.archived:
                raise ValidationError(f"“{row.name}” is already archived.")
            rows = [r for r in _stages(session, row.process_id) if not r.archived]
            validate_stage_set(StageCategory(r.category) for r in rows if r.id != stage_id)
            index = [r.id for r in rows].index(stage_id)
            spec = _spec(row)
            open_rows = _open_engagements(session, stage_id)
            moves: list[EngagementMove] = []
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
                    before = (eng.stage_id, eng.stage_entered_at, eng.outcome, eng.closed_on)
                    change = repo.record_move(
                        session, eng, target, when, person_id, note=f"Stage “{row.name}” archived"
                    )
                    moves.append(EngagementMove(eng.id, change.id, *before))
            archived = _stage_referenced(session, stage_id)
            if archived:
                row.archived = True
            else:
                session.delete(row)
            session.flush()
            _renumber(session, row.process_id, [r.id for r in rows if r.id != stage_id])
            changes = STAGES_CHANGED | (Changes(engagements=True) if moves else Changes())
            return StageRemoval(
                changes, stage_id, row.process_id, index, archived, spec, tuple(moves)
            )

    def restore_stage(self, removal: StageRemoval) -> Changes:
        """Undo ``remove_stage``: bring the stage back where it was and undo its moves."""
        if not removal.archived:
            changes, _ = self.add_stage(
                removal.process_id, removal.spec, removal.index, removal.stage_id
            )
            return changes
        with self.db.transaction() as session:
            row = _stage_row(session, removal.stage_id)
            active = [r.name for r in _stages(session, row.process_id) if not r.archived]
            validate_stage(removal.spec, active)
            validate_stage_count(len(active) + 1)
            row.archived = False
            # Load every moved row in two queries; the gets below then hit the identity map.
            eng_ids = [m.engagement_id for m in removal.moves]
            change_ids = [m.stage_change_id for m in removal.moves]
            for chunk in range(0, len(eng_ids), 500):
                session.scalars(
                    select(EngagementRow).where(EngagementRow.id.in_(eng_ids[chunk : chunk + 500]))
                ).all()
                session.scalars(
                    select(StageChangeRow).where(
                        StageChangeRow.id.in_(change_ids[chunk : chunk + 500])
                    )
                ).all()
            for move in removal.moves:
                eng = session.get(EngagementRow, move.engagement_id)
                change = session.get(StageChangeRow, move.stage_change_id)
                if eng is None or change is None or eng.stage_id != change.to_stage_id:
                    continue  # moved again since: leave the later history alone
                session.delete(change)
                eng.stage_id = move.from_stage_id
                eng.stage_entered_at = move.entered_at
                eng.outcome = move.outcome
                eng.closed_on = move.closed_on
            session.flush()
            ids = _active_ids(session, row.process_id)
            ids.remove(row.id)
            _renumber(session, row.process_id, move_item(ids, row.id, removal.index))
        return removal.changes

    def unarchive_stage(self, stage_id: int, index: int | None = None) -> Changes:
        """Bring back an archived stage (e.g. after a redesign was reconsidered)."""
        with self.db.transaction() as session:
            row = _stage_row(session, stage_id)
            others = [r.name for r in _stages(session, row.process_id) if not r.archived]
            validate_stage(_spec(row), others)
            validate_stage_count(len(others) + 1)
            row.archived = False
            session.flush()
            ids = _active_ids(session, row.process_id)
            ids.remove(row.id)
            _renumber(
                session,
                row.process_id,
                move_item(ids, row.id, len(ids) if index is None else index),
            )
        return STAGES_CHANGED

    def archived_stages(self, process_id: int) -> list[tuple[int, str]]:
        with self.db.read() as session:
            return [(r.id, r.name) for r in _stages(session, process_id) if r.archived]


def _spec(row: StageRow) -> StageSpec:
    return spec_of(repo.stage(row))
