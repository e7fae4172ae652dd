"""The stage history an import writes, and the handover of won hunting rows to farming.

Histories come from :func:`domain.stage_history.plan_history`: only what the file says, with
unknown entries marked so. An import owns the stage changes it wrote (note "Imported"); a
re-import replaces them when the file now says something else, and leaves an engagement whose
history was recorded in the app as it is.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..domain.import_records import EngagementRecord, Lookups, StageEntryRecord
from ..domain.importing import local_datetime
from ..domain.models import ProcessKind, StageCategory
from ..domain.stage_history import Entry, HistoryQuality, Stay, plan_history, quality
from ..storage.orm import AccountRow, EngagementRow, ProcessRow, StageChangeRow, StageRow
from ..storage.stage_links import with_next_stages
from .bulk_insert import batches
from .bulk_revision import Capture

IMPORTED = "Imported"
Step = tuple[int | None, int, datetime, bool]  # from stage, to stage, at (UTC), known


@functools.lru_cache(maxsize=4096)
def noon(day: date) -> datetime:
    return local_datetime(day, None).astimezone(UTC)


def _steps(plan: Sequence[Entry[int]]) -> list[Step]:
    return [(e.from_stage, e.stage, e.at.astimezone(UTC), e.known) for e in plan]


@dataclass(frozen=True)
class HistoryCounts:
    """How many imported engagements have a full, partial or no stage history."""

    full: int = 0
    partial: int = 0
    none: int = 0
    kept: int = 0  # recorded in the app: left as it is

    def text(self) -> str:
        if not (self.full or self.partial or self.none or self.kept):
            return ""
        out = (
            f"Stage history: {self.full:,} full, {self.partial:,} partial, {self.none:,} none "
            "(a stage entered at an unknown moment counts in no time-in-stage, stall or "
            "conversion figure)."
        )
        if self.kept:
            out += f" Kept the history recorded in the app of {self.kept:,}."
        return out


class HistoryWriter:
    """Plans, compares and writes imported stage histories inside the import's transaction."""

    def __init__(self, session: Session, lookups: Lookups, capture: Capture | None = None) -> None:
        self.s = session
        self.lookups = lookups
        self.capture = capture  # (keeps the rows the import deletes, for undo)
        # (From the database: stages the import adds count too.)
        self.open_stages = frozenset(
            session.scalars(
                select(StageRow.id).where(StageRow.category == StageCategory.OPEN.value)
            )
        )
        self.counts: Counter[str] = Counter()
        self._existing: dict[int, list[Step]] | None = None
        self._app: set[int] = set()
        self.entered: dict[int, datetime | None] = {}  # (stage_entries: when each entered)

    # Planning --------------------------------------------------------------------------
    def plan(
        self, r: EngagementRecord, stage_id: int, stage_ids: dict[str, int], *, new: bool = False
    ) -> list[Step]:
        """What the file says of one engagement row (stage names → ids via ``stage_ids``);
        a ``new`` one (never recorded in the app) is counted too, from the same plan."""
        stays = [Stay(stage_ids[s.stage], s.entered, s.exited) for s in r.stays]
        opened = noon(r.opened)
        entries = plan_history(stays, stage_id, r.current_entered, opened)
        if new:
            self.counts[quality(entries, self.open_stages, opened).value] += 1
        return _steps(entries)

    @staticmethod
    def says_something(r: EngagementRecord) -> bool:
        """Whether the row dates its stages (a closed row's close alone is not a history)."""
        return bool(r.stays) or (
            r.current_entered is not None and r.stage.category is StageCategory.OPEN
        )

    def count(self, steps: Sequence[Step], opened: datetime, eid: int | None = None) -> None:
        if eid is not None and eid in self.app_recorded():
            self.counts["kept"] += 1
            return
        entries = [Entry(*step) for step in steps]
        self.counts[quality(entries, self.open_stages, opened).value] += 1

    def result(self) -> HistoryCounts:
        c = self.counts
        return HistoryCounts(
            c[HistoryQuality.FULL.value],
            c[HistoryQuality.PARTIAL.value],
            c[HistoryQuality.NONE.value],
            c["kept"],
        )

    # Existing histories ---------------------------------------------------------------
    def existing(self, eids: Collection[int] | None = None) -> dict[int, list[Step]]:
        """Each engagement's imported changes in order; app-recorded ones mark it as kept.

        Of the engagements ``eids`` only, when given on the first call (a stage-history file
        names some). Read as stored (one parse per moment, not three conversions): a big
        workspace has hundreds of thousands of changes."""
        if self._existing is None:
            out: dict[int, list[Step]] = defaultdict(list)
            columns = "engagement_id, from_stage_id, to_stage_id, changed_at, entered_known, note"
            execute = self.s.connection().exec_driver_sql
            wheres = ["1"] if eids is None else [
                f"engagement_id IN ({','.join(str(int(e)) for e in chunk)})"
                for chunk in batches(sorted(eids), 500)
            ]  # fmt: skip
            parse = datetime.fromisoformat
            for where in wheres:
                for eid, frm, to, at, known, note in execute(
                    f"SELECT {columns} FROM stage_change WHERE {where} "
                    "ORDER BY engagement_id, changed_at, id"
                ):
                    if note != IMPORTED:
                        self._app.add(eid)
                    out[eid].append((frm, to, parse(at).replace(tzinfo=UTC), bool(known)))
            self._existing = out
        return self._existing

    def app_recorded(self) -> set[int]:
        self.existing()
        return self._app

    def differs(self, eid: int, steps: Sequence[Step]) -> bool:
        return eid not in self.app_recorded() and self.existing().get(eid, []) != list(steps)

    # Writing ---------------------------------------------------------------------------
    @staticmethod
    def rows(eid: int, steps: Sequence[Step], person_id: int | None) -> list[dict[str, Any]]:
        rows = [
            {
                "engagement_id": eid,
                "from_stage_id": frm,
                "to_stage_id": to,
                "changed_at": at,
                "entered_known": known,
                "person_id": person_id,
                "note": IMPORTED,
            }
            for frm, to, at, known in steps
        ]
        return with_next_stages(rows)

    def drop_imported(self, eids: Sequence[int]) -> None:
        for start in range(0, len(eids), 500):
            where = (
                StageChangeRow.engagement_id.in_(eids[start : start + 500]),
                StageChangeRow.note == IMPORTED,
            )
            if self.capture is not None:
                self.capture(StageChangeRow, *where)
            self.s.execute(delete(StageChangeRow).where(*where))

    def stage_entries(
        self, records: Sequence[StageEntryRecord], stage_ids: dict[tuple[int, str], int]
    ) -> tuple[list[tuple[int, list[Step], int | None]], int]:
        """A stage-history file's rows, per engagement: (id, new history, owner) for those
        whose history changes, and how many are left unchanged."""
        by_eid: dict[int, list[StageEntryRecord]] = defaultdict(list)
        for r in records:
            by_eid[r.engagement_id].append(r)
        e = EngagementRow.__table__.c
        self.existing(by_eid)
        rows = {
            r.id: r
            for start in range(0, len(by_eid), 500)
            for r in self.s.execute(
                select(
                    e.id, e.stage_id, e.opened_on, e.closed_on, e.owner_id, e.stage_entered_at
                ).where(e.id.in_(list(by_eid)[start : start + 500]))
            )
        }
        changed: list[tuple[int, list[Step], int | None]] = []
        unchanged = 0
        for eid, entries in by_eid.items():
            row = rows[eid]
            stays = [Stay(stage_ids[(x.stage.process_id, x.stage.name)], x.at) for x in entries]
            first = min(x.at for x in entries)
            start = noon(row.opened_on) if row.opened_on else first
            closed_at = noon(row.closed_on) if row.closed_on else None
            steps = _steps(plan_history(stays, row.stage_id, closed_at, min(start, first)))
            self.count(steps, start, eid)
            if self.differs(eid, steps):
                changed.append((eid, steps, row.owner_id))
                self.entered[eid] = row.stage_entered_at
            else:
                unchanged += 1
        return changed, unchanged

    # Handover --------------------------------------------------------------------------
    def handovers(self, won: Sequence[tuple[int, EngagementRecord, dict[str, Any]]]) -> list[Any]:
        """Farming engagements for won hunting rows (id, record, values), dated at the close,
        in the first farming process's first open stage; none for an account that already
        has an open farming engagement (DESIGN §2 "handover")."""
        hunting = {p.id for p in self.lookups.processes if p.kind is ProcessKind.HUNTING}
        farming = next(
            (
                p
                for p in self.lookups.processes  # (in the workspace's order)
                if p.kind is ProcessKind.FARMING and not p.archived and p.open_stages
            ),
            None,
        )
        wins = [
            (eid, r, v)
            for eid, r, v in won
            if r.process_id in hunting and v["account_id"] is not None and r.closed is not None
        ]
        if farming is None or not wins:
            return []
        managed = set(
            self.s.scalars(
                select(EngagementRow.account_id)
                .join(ProcessRow, ProcessRow.id == EngagementRow.process_id)
                .where(
                    EngagementRow.outcome.is_(None),
                    ProcessRow.kind == ProcessKind.FARMING.value,
                    EngagementRow.account_id.is_not(None),
                )
            )
        )
        names = dict(
            self.s.execute(
                select(AccountRow.id, AccountRow.name).where(
                    AccountRow.id.in_({v["account_id"] for _e, _r, v in wins})
                )
            ).all()
        )
        stage = farming.open_stages[0].id
        out = []
        for eid, r, v in sorted(wins, key=lambda w: (w[1].closed or date.min, w[0])):
            account = v["account_id"]
            if account in managed:
                continue
            managed.add(account)
            assert r.closed is not None
            out.append(
                {
                    "process_id": farming.id,
                    "account_id": account,
                    "owner_id": v["owner_id"],
                    "stage_id": stage,
                    "name": f"{names.get(account, r.account)} account plan"[:200],
                    "value_minor": r.value_minor,
                    "opened_on": r.closed,
                    "closed_on": None,
                    "expected_close": None,
                    "outcome": None,
                    "lost_reason": "",
                    "notes": "",
                    "stage_entered_at": noon(r.closed),
                    "source_engagement_id": eid,
                    "external_id": None,
                }
            )
        return out
