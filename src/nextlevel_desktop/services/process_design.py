"""Designer use cases beyond stages: a process's targets and each kind's activity types.

Every write runs in one transaction and returns a :class:`Revision` (undo and redo are
:meth:`RevisionService.revert` and ``reapply``); adds name the new row in ``Revision.ids``.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.changes import Changes
from ..domain.errors import NotFoundError, ValidationError
from ..domain.models import ActivityType, PeriodKind, ProcessKind, Target
from ..domain.processes import TargetSpec, move_item, validate_name
from ..domain.targets import validate_target
from ..domain.text_rules import MAX_ACTIVITY_TYPE_NAME, MAX_ACTIVITY_TYPES, MAX_TARGETS
from ..storage import repositories as repo
from ..storage.db import Database
from ..storage.orm import ActivityTypeRow, PersonRow, ProcessRow, TargetRow
from .revisions import Recorder, Revision

TARGETS_CHANGED = Changes(targets=True)
TYPES_CHANGED = Changes(activity_types=True)


def _target(row: TargetRow) -> Target:
    return Target(
        id=row.id,
        process_id=row.process_id,
        measure=row.measure,
        period=PeriodKind(row.period),
        value=row.value_x100 / 100,
        valid_from=row.valid_from,
        person_id=row.person_id,
        activity_type_id=row.activity_type_id,
        team=row.team,
    )


def _type_row(session: Session, type_id: int) -> ActivityTypeRow:
    row = session.get(ActivityTypeRow, type_id)
    if row is None:
        raise NotFoundError(f"Activity type {type_id} no longer exists.")
    return row


def _types(session: Session, kind: ProcessKind) -> list[ActivityTypeRow]:
    return list(
        session.scalars(
            select(ActivityTypeRow)
            .where(ActivityTypeRow.kind == kind.value)
            .order_by(ActivityTypeRow.position, ActivityTypeRow.id)
        )
    )


def check_target(session: Session, process: ProcessRow, spec: TargetSpec) -> None:
    """Validate a target against the domain rules and the rows it names."""
    validate_target(
        spec.measure,
        ProcessKind(process.kind),
        spec.period,
        spec.value,
        spec.valid_from,
        spec.activity_type_id,
    )
    if spec.person_id is not None and spec.team.strip():
        raise ValidationError({"team": "A target is for a person or a team, not both."})
    if len(spec.team.strip()) > 120:
        raise ValidationError({"team": "A team's name can be at most 120 characters."})
    if spec.person_id is not None and session.get(PersonRow, spec.person_id) is None:
        raise ValidationError({"person": "The chosen person no longer exists."})
    if spec.activity_type_id is not None:
        atype = session.get(ActivityTypeRow, spec.activity_type_id)
        if atype is None or atype.kind != process.kind:
            raise ValidationError(
                {"activity_type": "Choose an activity type of this process's kind."}
            )


def _write_target(row: TargetRow, spec: TargetSpec) -> None:
    row.measure = spec.measure
    row.period = spec.period.value
    row.value_x100 = round(spec.value * 100)
    assert spec.valid_from is not None  # checked by validate_target
    row.valid_from = spec.valid_from
    row.person_id = spec.person_id
    row.activity_type_id = spec.activity_type_id
    row.team = spec.team.strip()


class DesignService:
    """Targets per process and activity types per process kind."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # Targets ----------------------------------------------------------------------------
    def targets(self, process_id: int) -> list[Target]:
        with self.db.read() as session:
            stmt = (
                select(TargetRow)
                .where(TargetRow.process_id == process_id)
                .order_by(
                    TargetRow.measure, TargetRow.person_id, TargetRow.valid_from, TargetRow.id
                )
            )
            return [_target(r) for r in session.scalars(stmt)]

    def target(self, target_id: int) -> Target:
        with self.db.read() as session:
            row = session.get(TargetRow, target_id)
            if row is None:
                raise NotFoundError(f"Target {target_id} no longer exists.")
            return _target(row)

    def add_target(self, process_id: int, spec: TargetSpec) -> Revision:
        with self.db.transaction() as session:
            rec = Recorder(session)
            process = session.get(ProcessRow, process_id)
            if process is None:
                raise NotFoundError(f"Process {process_id} no longer exists.")
            check_target(session, process, spec)
            held = session.scalar(
                select(func.count())
                .select_from(TargetRow)
                .where(TargetRow.process_id == process_id)
            )
            if (held or 0) >= MAX_TARGETS:
                raise ValidationError(
                    f"A process can have at most {MAX_TARGETS} targets; remove old ones first."
                )
            row = TargetRow(process_id=process_id)
            _write_target(row, spec)
            rec.add(row)
            return rec.revision(TARGETS_CHANGED, target=row.id)

    def set_targets(self, process_id: int, specs: list[TargetSpec]) -> Revision:
        """Several targets in one undoable write (the planner's "Write as targets"): a target
        of the same measure, type, person, period and start date is updated, others added."""
        with self.db.transaction() as session:
            rec = Recorder(session)
            process = session.get(ProcessRow, process_id)
            if process is None:
                raise NotFoundError(f"Process {process_id} no longer exists.")
            held: dict[tuple[object, ...], TargetRow] = {
                (r.measure, r.activity_type_id, r.person_id, r.period, r.valid_from): r
                for r in session.scalars(
                    select(TargetRow).where(TargetRow.process_id == process_id)
                )
            }
            added = 0
            for spec in specs:
                check_target(session, process, spec)
                key = (
                    spec.measure,
                    spec.activity_type_id,
                    spec.person_id,
                    spec.period.value,
                    spec.valid_from,
                )
                row = held.get(key)
                if row is None:
                    added += 1
                    if len(held) + added > MAX_TARGETS:
                        raise ValidationError(
                            f"A process can have at most {MAX_TARGETS} targets; "
                            "remove old ones first."
                        )
                    row = TargetRow(process_id=process_id)
                    _write_target(row, spec)
                    rec.add(row)
                else:
                    rec.will_update(row)
                    _write_target(row, spec)
            return rec.revision(TARGETS_CHANGED)

    def update_target(self, target_id: int, spec: TargetSpec) -> Revision:
        with self.db.transaction() as session:
            rec = Recorder(session)
            row = session.get(TargetRow, target_id)
            if row is None:
                raise NotFoundError(f"Target {target_id} no longer exists.")
            process = session.get(ProcessRow, row.process_id)
            assert process is not None
            check_target(session, process, spec)
            rec.will_update(row)
            _write_target(row, spec)
            return rec.revision(TARGETS_CHANGED, target=target_id)

    def remove_target(self, target_id: int) -> Revision:
        """Targets are plans, not history: nothing refers to them, so they are deleted."""
        with self.db.transaction() as session:
            rec = Recorder(session)
            row = session.get(TargetRow, target_id)
            if row is None:
                raise NotFoundError(f"Target {target_id} no longer exists.")
            rec.delete(row)
            return rec.revision(TARGETS_CHANGED, target=target_id)

    # Activity types ---------------------------------------------------------------------
    def activity_types(
        self, kind: ProcessKind, include_archived: bool = True
    ) -> list[ActivityType]:
        with self.db.read() as session:
            return [
                repo.activity_type(r)
                for r in _types(session, kind)
                if include_archived or not r.archived
            ]

    def add_activity_type(
        self,
        kind: ProcessKind,
        name: str,
        is_review: bool = False,
        index: int | None = None,
    ) -> Revision:
        with self.db.transaction() as session:
            rec = Recorder(session)
            rows = _types(session, kind)
            clean = validate_name(
                name,
                "activity type",
                MAX_ACTIVITY_TYPE_NAME,
                [r.name for r in rows if not r.archived],
            )
            if sum(not r.archived for r in rows) >= MAX_ACTIVITY_TYPES:
                raise ValidationError(
                    {
                        "name": f"A process kind can have at most {MAX_ACTIVITY_TYPES} active "
                        "activity types; archive one first."
                    }
                )
            row = ActivityTypeRow(
                kind=kind.value,
                name=clean,
                is_review=is_review and kind is ProcessKind.FARMING,
                archived=False,
                position=len(rows),
            )
            rec.add(row)
            order = move_item(
                [r.id for r in rows] + [row.id], row.id, len(rows) if index is None else index
            )
            self._renumber(rec, kind, order)
            return rec.revision(TYPES_CHANGED, activity_type=row.id)

    def _renumber(self, rec: Recorder, kind: ProcessKind, order: list[int]) -> None:
        by_id = {r.id: r for r in _types(rec.session, kind)}
        for pos, tid in enumerate(order):
            if by_id[tid].position != pos:
                rec.will_update(by_id[tid])
                by_id[tid].position = pos

    def update_activity_type(self, type_id: int, name: str, is_review: bool) -> Revision:
        with self.db.transaction() as session:
            rec = Recorder(session)
            row = _type_row(session, type_id)
            kind = ProcessKind(row.kind)
            others = [r.name for r in _types(session, kind) if not r.archived and r.id != type_id]
            rec.will_update(row)
            row.name = validate_name(name, "activity type", MAX_ACTIVITY_TYPE_NAME, others)
            row.is_review = is_review and kind is ProcessKind.FARMING
            return rec.revision(TYPES_CHANGED, activity_type=type_id)

    def move_activity_type(self, type_id: int, index: int) -> Revision:
        with self.db.transaction() as session:
            rec = Recorder(session)
            kind = ProcessKind(_type_row(session, type_id).kind)
            ids = [r.id for r in _types(session, kind)]
            self._renumber(rec, kind, move_item(ids, type_id, index))
            return rec.revision(TYPES_CHANGED, activity_type=type_id)

    def set_activity_type_archived(self, type_id: int, archived: bool) -> Revision:
        """Archived types keep their history but are no longer offered for new activities."""
        with self.db.transaction() as session:
            rec = Recorder(session)
            row = _type_row(session, type_id)
            kind = ProcessKind(row.kind)
            active = [r for r in _types(session, kind) if not r.archived and r.id != type_id]
            if archived and not active:
                raise ValidationError(
                    f"“{row.name}” is the only active {kind.value} activity type; "
                    "a process kind keeps at least one."
                )
            if not archived:
                validate_name(
                    row.name, "activity type", MAX_ACTIVITY_TYPE_NAME, [r.name for r in active]
                )
                if row.archived and len(active) >= MAX_ACTIVITY_TYPES:
                    raise ValidationError(
                        f"A process kind can have at most {MAX_ACTIVITY_TYPES} active "
                        "activity types; archive one first."
                    )
            rec.will_update(row)
            row.archived = archived
            return rec.revision(TYPES_CHANGED, activity_type=type_id)
