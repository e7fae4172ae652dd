"""What an import adds beside its rows: the stages and activity types they name that do not
exist yet, and the managers and parent accounts a people or accounts file names (linked once
every row is written, as a manager or parent may come later in the same file).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..domain.import_records import AccountRecord, PersonRecord
from ..domain.importing import ImportKind, norm
from ..domain.models import ProcessKind, StageCategory
from ..storage.orm import AccountRow, ActivityTypeRow, PersonRow, StageRow
from .bulk_insert import batches as _batches
from .bulk_revision import Capture


def add_stages(
    s: Session, new_stages: dict[tuple[int, str], StageCategory], capture: Capture
) -> int:
    """Stages the rows name that their process lacks: open ones after the last open stage
    (``capture`` keeps the stages that move down as they were, for undo)."""
    for (process_id, name), category in new_stages.items():
        capture(StageRow, StageRow.process_id == process_id)
        stages = list(
            s.scalars(
                select(StageRow)
                .where(StageRow.process_id == process_id)
                .order_by(StageRow.position)
            )
        )
        if category is StageCategory.OPEN:
            opens = [st.position for st in stages if st.category == "open"]
            position = (max(opens) + 1) if opens else 0
            for st in stages:
                if st.position >= position:
                    st.position += 1
        else:
            position = max((st.position for st in stages), default=-1) + 1
        s.add(
            StageRow(
                process_id=process_id,
                name=name,
                position=position,
                category=category.value,
                archived=False,
            )
        )
        s.flush()
    return len(new_stages)


def add_types(s: Session, new_types: set[tuple[ProcessKind, str]]) -> int:
    """Activity types the rows name that the workspace lacks, after the last of their kind."""
    for kind, name in sorted(new_types):
        top = s.scalar(
            select(func.max(ActivityTypeRow.position)).where(ActivityTypeRow.kind == kind.value)
        )
        s.add(ActivityTypeRow(kind=kind.value, name=name, position=(top or 0) + 1, archived=False))
    s.flush()
    return len(new_types)


def stage_ids(s: Session) -> dict[tuple[int, str], int]:
    """Stage id by (process id, exact name); a live stage before an archived one."""
    out: dict[tuple[int, str], int] = {}
    for sid, pid, name in s.execute(
        select(StageRow.id, StageRow.process_id, StageRow.name).order_by(
            StageRow.archived, StageRow.id
        )
    ):
        out.setdefault((pid, name), sid)
    return out


def activity_type_ids(s: Session) -> dict[tuple[str, str], int]:
    """Activity type id by (kind, normalised name); a live type before an archived one."""
    out: dict[tuple[str, str], int] = {}
    for tid, kind, name in s.execute(
        select(ActivityTypeRow.id, ActivityTypeRow.kind, ActivityTypeRow.name).order_by(
            ActivityTypeRow.archived, ActivityTypeRow.id
        )
    ):
        out.setdefault((kind, norm(name)), tid)
    return out


# Field values per kind ----------------------------------------------------------------


def link(
    s: Session,
    kind: ImportKind,
    records: Sequence[Any],
    capture_ids: Callable[[Any, Sequence[int]], None],
) -> None:
    """Managers and parent accounts named in the file, once every row of it is written
    (a manager or parent may come later in the same file); ``capture_ids`` keeps the rows
    it changes as they were, for undo."""
    orm: Any
    if kind in (ImportKind.PEOPLE, ImportKind.TEAMS):
        orm, column = PersonRow, "manager_id"
        people = [r for r in records if isinstance(r, PersonRecord)]
        links = [(r.name, r.manager) for r in people if r.manager]
    elif kind is ImportKind.ACCOUNTS:
        orm, column = AccountRow, "parent_id"
        accounts = [r for r in records if isinstance(r, AccountRecord)]
        links = [(r.key or r.name, r.parent) for r in accounts if r.parent]
    else:
        return
    if not links:
        return
    table = orm.__table__
    refs: dict[str, int] = {}
    current: dict[int, int | None] = {}
    rows = s.execute(select(table).order_by(table.c.id)).all()
    for r in rows:  # keys first: a key beats an account that has it as its name
        current[r.id] = getattr(r, column)
        if getattr(r, "external_id", None):
            refs.setdefault(r.external_id, r.id)
    for r in rows:
        if not getattr(r, "archived", False):
            refs.setdefault("name:" + norm(r.name), r.id)

    def find(ref: str) -> int | None:
        return refs.get(ref) or refs.get("name:" + norm(ref))

    changes = []
    for ref, target in links:
        own, other = find(ref), find(target)
        if own is not None and other is not None and own != other and current[own] != other:
            changes.append({"id": own, column: other})
    for batch in _batches(changes):
        capture_ids(orm, [c["id"] for c in batch])
        s.execute(update(orm), list(batch))
