"""Writing what an import says of stage history beyond its rows: a stage-history file, and the
handover of won hunting rows to farming (dated at the close), inside the import's transaction.

``import_history.HistoryWriter`` plans the histories and handovers; these write them through
the import's :class:`Writer`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, update

from ..domain.changes import Changes
from ..domain.import_records import StageEntryRecord
from ..domain.importing import ImportKind
from ..domain.models import StageCategory
from ..storage.orm import EngagementRow, StageChangeRow
from .bulk_insert import batches as _batches
from .import_history import Step
from .import_result import ImportResult

if TYPE_CHECKING:
    from .import_writer import Writer


def stage_entries(w: Writer) -> tuple[list[tuple[int, list[Step], int | None]], int]:
    records = [r for r in w.c.records if isinstance(r, StageEntryRecord)]
    if not all(w.resolvable(r) for r in records):
        return [], len(records)  # (a check before the import adds its stages)
    return w.history.stage_entries(records, w.stage_map())


def write_stage_history(w: Writer, skipped: int, dry_run: bool, new_stages: int) -> ImportResult:
    """A stage-history file replaces the imported history of each engagement it names."""
    changed, unchanged = stage_entries(w)
    w.history.drop_imported([eid for eid, _steps, _owner in changed])
    rows = [row for eid, steps, owner in changed for row in w.history.rows(eid, steps, owner)]
    for batch in _batches(rows):
        w.insert_rows(StageChangeRow, list(batch))
        w.tick(len(batch))
    # Only the engagements whose current stage's moment changes (three indexes hold it).
    now = {eid: steps[-1][2] if steps[-1][3] else None for eid, steps, _owner in changed}
    entered = [
        {"eid": eid, "at": at} for eid, at in now.items() if at != w.history.entered.get(eid)
    ]
    table: Any = EngagementRow.__table__
    stmt = (
        update(table).where(table.c.id == bindparam("eid")).values(stage_entered_at=bindparam("at"))
    )
    for batch in _batches(entered):
        w.journal.capture_ids(EngagementRow, [r["eid"] for r in batch])
        w.s.connection().execute(stmt, list(batch))
    return ImportResult(
        created=0,
        updated=len(changed),
        unchanged=unchanged,
        skipped=skipped,
        new_stages=new_stages,
        dry_run=dry_run,
        changes=Changes(engagements=True, stages=bool(new_stages)) if changed else Changes(),
        history=w.history.result(),
    )


def write_handovers(w: Writer, creates: Sequence[Any], updates: Sequence[Any]) -> int:
    """Won hunting rows (new, or won since the last import) hand their accounts over."""
    if w.kind is not ImportKind.ENGAGEMENTS:
        return 0
    won = [r for r in creates if r.stage.category is StageCategory.WON]
    pairs = [(w.created[r.key], r, w.values(r)) for r in won]
    pairs += [
        (row.id, r, w.values(r))
        for r, row, diff in updates
        if diff.get("outcome") == StageCategory.WON.value
    ]
    rows = w.history.handovers(pairs)
    if not rows:
        return 0
    top = w.top_id()
    w.insert_rows(EngagementRow, rows)
    found = w.ids_since(
        EngagementRow.source_engagement_id, top, [r["source_engagement_id"] for r in rows]
    )
    changes = [
        {
            "engagement_id": found[r["source_engagement_id"]],
            "from_stage_id": None,
            "to_stage_id": r["stage_id"],
            "changed_at": r["stage_entered_at"],
            "entered_known": True,
            "person_id": r["owner_id"],
            "note": "Imported",
        }
        for r in rows
    ]
    w.insert_rows(StageChangeRow, changes)
    return len(rows)
