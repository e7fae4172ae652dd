"""Writing checked import records with bulk statements, inside the import's one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from ..domain.changes import Changes
from ..domain.errors import NextLevelError
from ..domain.import_records import (
    AccountRecord,
    ActivityRecord,
    Converted,
    EngagementRecord,
    Lookups,
    PersonRecord,
    StageEntryRecord,
    exported_key,
)
from ..domain.importing import ImportKind, norm
from ..domain.models import ProcessKind, StageCategory
from ..domain.settings import WorkspaceSettings
from ..storage import repositories as repo
from ..storage.activity_counts import bulk_inserts
from ..storage.orm import (
    AccountRow,
    ActivityRow,
    ActivityTypeRow,
    EngagementRow,
    PersonRow,
    StageChangeRow,
    StageRow,
)
from .bulk_insert import batches as _batches
from .bulk_insert import bulk_insert
from .import_history import HistoryCounts, HistoryWriter, Step, noon

Progress = Callable[[float], None]


class ImportCancelled(NextLevelError):
    """The user cancelled the import; nothing was written."""


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    skipped: int
    new_people: int = 0
    new_accounts: int = 0
    new_stages: int = 0
    new_types: int = 0
    dry_run: bool = False
    changes: Changes = field(default_factory=Changes)
    history: HistoryCounts = field(default_factory=HistoryCounts)
    handovers: int = 0

    def summary(self) -> str:
        verb = "Would create" if self.dry_run else "Created"
        parts = [
            f"{verb} {self.created:,}, updated {self.updated:,}, left {self.unchanged:,} "
            f"unchanged, skipped {self.skipped:,} invalid row(s)."
        ]
        extra = [
            f"{n:,} {label}"
            for n, label in (
                (self.new_people, "new people"),
                (self.new_accounts, "new accounts"),
                (self.new_stages, "new stages"),
                (self.new_types, "new activity types"),
            )
            if n
        ]
        if extra:
            parts.append("Added " + ", ".join(extra) + ".")
        if self.handovers:
            parts.append(
                f"Handed {self.handovers:,} won account(s) over to farming, dated at the close."
            )
        if self.history.text():
            parts.append(self.history.text())
        return " ".join(parts)


class Writer:
    """Writes converted records with bulk statements inside the caller's transaction."""

    def __init__(
        self,
        session: Session,
        kind: ImportKind,
        converted: Converted,
        lookups: Lookups,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        handover: bool | None = None,
    ) -> None:
        self.s = session
        self.kind = kind
        self.c = converted
        self.lookups = lookups
        self.progress = progress
        self.cancelled = cancelled
        self.people = dict(lookups.people)
        self.accounts = dict(lookups.accounts)
        self.account_keys = dict(lookups.account_keys)
        self.now = datetime.now(UTC)
        self._done = 0
        self._stages: dict[tuple[int, str], int] | None = None
        self._types: dict[tuple[str, str], int] | None = None
        self.history = HistoryWriter(session, lookups)
        if handover is None:
            settings = WorkspaceSettings.from_pairs(repo.get_settings(session))
            handover = settings.handover == "automatic"
        self.handover = handover

    def _tick(self, n: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled("The import was cancelled; nothing was changed.")
        self._done += n
        if self.progress is not None:
            total = max(len(self.c.records), 1)
            self.progress(0.3 + 0.7 * min(self._done / total, 1.0))

    # Matching ---------------------------------------------------------------------------
    def _existing(self) -> dict[str, Any]:
        """Existing rows the records match, keyed as the records are.

        Plain Core rows (attribute access by column name), not ORM objects: a re-import of a
        100,000-row file compares against as many rows, and ORM objects are far slower to load.
        """
        tag = self.lookups.export_tag
        if self.kind in (ImportKind.ENGAGEMENTS, ImportKind.ACTIVITIES):
            table: Any = (
                EngagementRow if self.kind is ImportKind.ENGAGEMENTS else ActivityRow
            ).__table__
            stmt: Any = select(table)
            if not tag:
                stmt = stmt.where(table.c.external_id.is_not(None))
            return {r.external_id or exported_key(tag, r.id): r for r in self.s.execute(stmt)}
        if self.kind is ImportKind.ACCOUNTS:
            table = AccountRow.__table__
            out: dict[str, Any] = {}
            for r in self.s.execute(select(table).order_by(table.c.id)):
                if r.external_id or tag:
                    out.setdefault("id:" + (r.external_id or exported_key(tag, r.id)), r)
                if not r.archived:
                    out.setdefault("name:" + norm(r.name), r)
            return out
        return {"name:" + norm(r.name): r for r in self.s.execute(select(PersonRow.__table__))}

    @staticmethod
    def _match_key(record: Any) -> str:
        if isinstance(record, AccountRecord):
            return ("id:" + record.key) if record.key else ("name:" + norm(record.name))
        if isinstance(record, PersonRecord):
            return "name:" + norm(record.name)
        return str(record.key)

    def _find(self, existing: dict[str, Any], record: Any) -> Any:
        hit = existing.get(self._match_key(record))
        if hit is None and isinstance(record, AccountRecord) and record.key:
            hit = existing.get("name:" + norm(record.name))
            if hit is not None and hit.external_id not in (None, record.key):
                hit = None  # same name, different record in the source system
        return hit

    def count_matches(self) -> tuple[int, int, int]:
        if self.kind is ImportKind.STAGE_HISTORY:
            changed, unchanged = self._stage_entries()
            return 0, len(changed), unchanged
        existing = self._existing()
        creates = updates = unchanged = 0
        for record in self.c.records:
            row = self._find(existing, record)
            if row is None:
                creates += 1
            elif self._changes(record, row):
                updates += 1
            else:
                unchanged += 1
        return creates, updates, unchanged

    # Writing ----------------------------------------------------------------------------
    def write(self, skipped: int, dry_run: bool) -> ImportResult:
        self._tick(0)
        new_people = self._add_people(sorted(self.c.new_people))
        new_accounts = self._add_accounts(sorted(self.c.new_accounts))
        new_stages = self._add_stages()
        new_types = self._add_types()
        self._stages = self._types = None
        self.history = HistoryWriter(self.s, self.lookups)  # (knows the added stages)
        if self.kind is ImportKind.STAGE_HISTORY:
            return self._write_stage_entries(skipped, dry_run, new_stages)
        existing = self._existing()
        creates: list[Any] = []
        updates: list[tuple[Any, Any, dict[str, Any]]] = []
        for record in self.c.records:
            row = self._find(existing, record)
            if row is None:
                creates.append(record)
            else:
                diff = self._changes(record, row)
                if diff:
                    updates.append((record, row, diff))
                if isinstance(record, EngagementRecord):
                    steps = diff.get("history") or self.history.existing().get(row.id, [])
                    self.history.count(steps, noon(record.opened), row.id)
        if self.kind is ImportKind.ENGAGEMENTS:
            self._insert_engagements(creates)
        elif self.kind is ImportKind.ACTIVITIES:
            self._insert_activities(creates)
        elif self.kind is ImportKind.ACCOUNTS:
            self._insert_accounts(creates)
        else:
            self._insert_people(creates)
        self._apply_updates(updates)
        self._link()
        handovers = self._handovers(creates, updates) if self.handover else 0
        unchanged = len(self.c.records) - len(creates) - len(updates)
        changes = Changes(
            people=bool(new_people) or self.kind in (ImportKind.PEOPLE, ImportKind.TEAMS),
            accounts=bool(new_accounts) or self.kind is ImportKind.ACCOUNTS,
            stages=bool(new_stages),
            processes=bool(new_stages),
            activity_types=bool(new_types),
            engagements=self.kind is ImportKind.ENGAGEMENTS,
            activities=self.kind is ImportKind.ACTIVITIES,
        )
        return ImportResult(
            created=len(creates),
            updated=len(updates),
            unchanged=unchanged,
            skipped=skipped,
            new_people=new_people,
            new_accounts=new_accounts,
            new_stages=new_stages,
            new_types=new_types,
            dry_run=dry_run,
            changes=changes if (creates or updates or new_people or new_accounts) else Changes(),
            history=self.history.result(),
            handovers=handovers,
        )

    def _stage_entries(self) -> tuple[list[tuple[int, list[Step], int | None]], int]:
        records = [r for r in self.c.records if isinstance(r, StageEntryRecord)]
        if not all(self._resolvable(r) for r in records):
            return [], len(records)  # (a check before the import adds its stages)
        return self.history.stage_entries(records, self._stage_map())

    def _write_stage_entries(self, skipped: int, dry_run: bool, new_stages: int) -> ImportResult:
        """A stage-history file replaces the imported history of each engagement it names."""
        changed, unchanged = self._stage_entries()
        self.history.drop_imported([eid for eid, _steps, _owner in changed])
        rows = [
            row for eid, steps, owner in changed for row in self.history.rows(eid, steps, owner)
        ]
        for batch in _batches(rows):
            self._bulk_insert(StageChangeRow, list(batch))
            self._tick(len(batch))
        entered = [
            {"id": eid, "stage_entered_at": steps[-1][2] if steps[-1][3] else None}
            for eid, steps, _owner in changed
        ]
        for batch in _batches(entered):
            self.s.execute(update(EngagementRow), list(batch))
        return ImportResult(
            created=0,
            updated=len(changed),
            unchanged=unchanged,
            skipped=skipped,
            new_stages=new_stages,
            dry_run=dry_run,
            changes=Changes(engagements=True, stages=bool(new_stages)) if changed else Changes(),
            history=self.history.result(),
        )

    def _handovers(self, creates: Sequence[Any], updates: Sequence[Any]) -> int:
        """Won hunting rows (new, or won since the last import) hand their accounts over."""
        if self.kind is not ImportKind.ENGAGEMENTS:
            return 0
        won = [r for r in creates if r.stage.category is StageCategory.WON]
        ids = self._ids_of([r.key for r in won])
        pairs = [(ids[r.key], r, self._values(r)) for r in won]
        pairs += [
            (row.id, r, self._values(r))
            for r, row, diff in updates
            if diff.get("outcome") == StageCategory.WON.value
        ]
        rows = self.history.handovers(pairs)
        if not rows:
            return 0
        self._bulk_insert(EngagementRow, rows)
        found = self._ids_by_source([r["source_engagement_id"] for r in rows])
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
        self._bulk_insert(StageChangeRow, changes)
        return len(rows)

    def _ids_of(self, keys: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for batch in _batches(keys, 500):
            found = self.s.execute(
                select(EngagementRow.external_id, func.max(EngagementRow.id))
                .where(EngagementRow.external_id.in_(list(batch)))
                .group_by(EngagementRow.external_id)
            )
            out.update({str(key): int(eid) for key, eid in found})
        return out

    def _ids_by_source(self, sources: Sequence[int]) -> dict[int, int]:
        out: dict[int, int] = {}
        for batch in _batches(sources, 500):
            found = self.s.execute(
                select(EngagementRow.source_engagement_id, func.max(EngagementRow.id))
                .where(EngagementRow.source_engagement_id.in_(list(batch)))
                .group_by(EngagementRow.source_engagement_id)
            )
            out.update({int(src or 0): int(eid) for src, eid in found})
        return out

    def _add_people(self, names: Sequence[str]) -> int:
        rows = [{"name": n, "email": "", "role": "rep", "active": True} for n in names]
        ids = self._insert_returning(PersonRow, rows)
        self.people.update({norm(n): i for n, i in zip(names, ids, strict=True)})
        return len(rows)

    def _add_accounts(self, names: Sequence[str]) -> int:
        if self.kind is ImportKind.ACCOUNTS:
            return 0
        keys = self.c.new_account_keys
        rows = [
            {"name": n, "archived": False, "notes": "", "external_id": keys.get(n)} for n in names
        ]
        ids = self._insert_returning(AccountRow, rows)
        self.accounts.update({norm(n): i for n, i in zip(names, ids, strict=True)})
        self.account_keys.update({keys[n]: i for n, i in zip(names, ids, strict=True) if n in keys})
        return len(rows)

    def _account_id(self, record: EngagementRecord | ActivityRecord) -> int | None:
        """The record's account: by its key when the workspace knows it, else by name."""
        if record.account_key and record.account_key in self.account_keys:
            return self.account_keys[record.account_key]
        return self.accounts.get(norm(record.account)) if record.account else None

    def _insert_returning(self, table: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
        ids: list[int] = []
        # Core, not ORM: the ORM's bulk RETURNING path is quadratic in the batch size.
        core = table.__table__
        stmt = insert(core).returning(core.c.id, sort_by_parameter_order=True)
        conn = self.s.connection()
        for batch in _batches(rows):
            ids.extend(conn.execute(stmt, list(batch)).scalars().all())
        return ids

    def _bulk_insert(self, table: Any, rows: Sequence[dict[str, Any]]) -> None:
        bulk_insert(self.s.connection(), table, rows)

    def _add_stages(self) -> int:
        for (process_id, name), category in self.c.new_stages.items():
            stages = list(
                self.s.scalars(
                    select(StageRow)
                    .where(StageRow.process_id == process_id)
                    .order_by(StageRow.position)
                )
            )
            if category is StageCategory.OPEN:
                opens = [s.position for s in stages if s.category == "open"]
                position = (max(opens) + 1) if opens else 0
                for s in stages:
                    if s.position >= position:
                        s.position += 1
            else:
                position = max((s.position for s in stages), default=-1) + 1
            self.s.add(
                StageRow(
                    process_id=process_id,
                    name=name,
                    position=position,
                    category=category.value,
                    archived=False,
                )
            )
            self.s.flush()
        return len(self.c.new_stages)

    def _add_types(self) -> int:
        for kind, name in sorted(self.c.new_types):
            top = self.s.scalar(
                select(func.max(ActivityTypeRow.position)).where(ActivityTypeRow.kind == kind.value)
            )
            self.s.add(
                ActivityTypeRow(kind=kind.value, name=name, position=(top or 0) + 1, archived=False)
            )
        self.s.flush()
        return len(self.c.new_types)

    def _stage_ids(self) -> dict[tuple[int, str], int]:
        out: dict[tuple[int, str], int] = {}
        for sid, pid, name in self.s.execute(
            select(StageRow.id, StageRow.process_id, StageRow.name).order_by(
                StageRow.archived, StageRow.id
            )
        ):
            out.setdefault((pid, name), sid)
        return out

    def _type_ids(self) -> dict[tuple[str, str], int]:
        out: dict[tuple[str, str], int] = {}
        for tid, kind, name in self.s.execute(
            select(ActivityTypeRow.id, ActivityTypeRow.kind, ActivityTypeRow.name).order_by(
                ActivityTypeRow.archived, ActivityTypeRow.id
            )
        ):
            out.setdefault((kind, norm(name)), tid)
        return out

    # Field values per kind ----------------------------------------------------------------
    def _values(self, record: Any) -> dict[str, Any]:
        if isinstance(record, EngagementRecord):
            stage_id = self._stage_id(record)
            return {
                "process_id": record.process_id,
                "account_id": self._account_id(record),
                "owner_id": self.people.get(norm(record.owner)) if record.owner else None,
                "stage_id": stage_id,
                "name": record.name,
                "product": record.product,
                "value_minor": record.value_minor,
                "opened_on": record.opened,
                "closed_on": record.closed,
                "expected_close": record.expected_close,
                "outcome": None
                if record.stage.category is StageCategory.OPEN
                else record.stage.category.value,
                "lost_reason": record.lost_reason,
                "notes": record.notes,
            }
        if isinstance(record, ActivityRecord):
            return {
                "type_id": self._type_id(record.kind, record.type_name),
                "process_id": record.process_id,
                "occurred_at": record.occurred_at,
                "occurred_on": record.occurred_on,
                "duration_min": record.duration_min,
                "person_id": self.people.get(norm(record.owner)) if record.owner else None,
                "account_id": self._account_id(record),
                "engagement_id": record.engagement_id,
                "status": record.status.value,
                "outcome": record.outcome,
                "notes": record.notes,
            }
        if isinstance(record, AccountRecord):
            values: dict[str, Any] = {"name": record.name, **record.values}
            tag = self.lookups.export_tag
            if record.key and not (tag and record.key.startswith(f"NL-{tag}-")):
                values["external_id"] = record.key  # (this workspace's own ids stay implicit)
            if record.parent and (parent := self._parent_id(record)) is not None:
                values["parent_id"] = parent
            return values
        assert isinstance(record, PersonRecord)
        values = {"name": record.name, **record.values}
        if record.manager and norm(record.manager) in self.people:
            values["manager_id"] = self.people[norm(record.manager)]
        return values

    def _parent_id(self, record: AccountRecord) -> int | None:
        return self.account_keys.get(record.parent) or self.accounts.get(norm(record.parent))

    def _stage_id(self, record: EngagementRecord) -> int:
        return self._stage_map()[(record.stage.process_id, record.stage.name)]

    def _type_id(self, kind: ProcessKind, name: str) -> int:
        return self._type_map()[(kind.value, norm(name))]

    def _stage_map(self) -> dict[tuple[int, str], int]:
        if self._stages is None:
            self._stages = self._stage_ids()
        return self._stages

    def _type_map(self) -> dict[tuple[str, str], int]:
        if self._types is None:
            self._types = self._type_ids()
        return self._types

    def _changes(self, record: Any, row: Any) -> dict[str, Any]:
        if not self._resolvable(record):
            return {"pending": True}  # (a check) it names things the import will add
        values = self._values(record)
        diff = {k: v for k, v in values.items() if getattr(row, k) != v}
        if isinstance(record, EngagementRecord) and self.history.says_something(record):
            steps = self.history.plan(record, values["stage_id"], self._names(record.process_id))
            if self.history.differs(row.id, steps):
                diff["history"] = steps
        return diff

    def _names(self, process_id: int) -> dict[str, int]:
        """Stage name → id within one process (for histories, which name stages)."""
        return {name: sid for (pid, name), sid in self._stage_map().items() if pid == process_id}

    def _resolvable(self, record: Any) -> bool:
        """False while (in a check) new people, accounts, stages or types are not yet added."""
        if isinstance(record, EngagementRecord | ActivityRecord):
            if record.owner and norm(record.owner) not in self.people:
                return False
            if record.account and self._account_id(record) is None:
                return False
        if isinstance(record, EngagementRecord):
            return (record.stage.process_id, record.stage.name) in self._stage_map()
        if isinstance(record, ActivityRecord):
            return (record.kind.value, norm(record.type_name)) in self._type_map()
        if isinstance(record, StageEntryRecord):
            return (record.stage.process_id, record.stage.name) in self._stage_map()
        return True

    # Inserts and updates -----------------------------------------------------------------
    def _insert_engagements(self, records: Sequence[EngagementRecord]) -> None:
        """New engagements with the stage history their rows prove (and no more)."""
        names: dict[int, dict[str, int]] = {}
        for batch in _batches(records):
            rows = []
            histories = []
            for r in batch:
                values = self._values(r)
                if r.process_id not in names:
                    names[r.process_id] = self._names(r.process_id)
                steps = self.history.plan(r, values["stage_id"], names[r.process_id])
                self.history.count(steps, noon(r.opened))
                values["external_id"] = r.key
                values["stage_entered_at"] = steps[-1][2] if steps[-1][3] else None
                rows.append(values)
                histories.append(steps)
            self._bulk_insert(EngagementRow, rows)
            # Keys are unique in the file and matched none before, so they find the new rows
            # (a plain multi-row INSERT; RETURNING in order would go row by row).
            ids = self._ids_of([r.key for r in batch])
            changes = [
                change
                for record, steps, values in zip(batch, histories, rows, strict=True)
                for change in self.history.rows(ids[record.key], steps, values["owner_id"])
            ]
            self._bulk_insert(StageChangeRow, changes)
            self._tick(len(batch))

    def _insert_activities(self, records: Sequence[ActivityRecord]) -> None:
        # New rows only: counted once at the end, not by a trigger per row.
        with bulk_inserts(self.s.connection().exec_driver_sql):
            for batch in _batches(records):
                rows = []
                for r in batch:
                    values = self._values(r)
                    values["external_id"] = r.key
                    rows.append(values)
                self._bulk_insert(ActivityRow, rows)
                self._tick(len(batch))

    def _insert_accounts(self, records: Sequence[AccountRecord]) -> None:
        for batch in _batches(records):
            rows = [{"archived": False, "external_id": None, **self._values(r)} for r in batch]
            self._bulk_insert(AccountRow, rows)
            self._tick(len(batch))

    def _insert_people(self, records: Sequence[PersonRecord]) -> None:
        rows = [{"active": True, "role": "rep", "email": "", **self._values(r)} for r in records]
        for batch in _batches(rows):
            self._bulk_insert(PersonRow, list(batch))
            self._tick(len(batch))

    def _apply_updates(self, updates: Sequence[tuple[Any, Any, dict[str, Any]]]) -> None:
        table = {
            ImportKind.ENGAGEMENTS: EngagementRow,
            ImportKind.ACTIVITIES: ActivityRow,
            ImportKind.ACCOUNTS: AccountRow,
            ImportKind.PEOPLE: PersonRow,
            ImportKind.TEAMS: PersonRow,
        }[self.kind]
        moves: list[dict[str, Any]] = []
        replaced: list[int] = []
        rows = []
        for record, row, diff in updates:
            owner = self._values(record)["owner_id"] if isinstance(record, EngagementRecord) else 0
            steps: list[Step] | None = diff.pop("history", None)
            if steps is not None:  # the file says more now: its history replaces the import's
                replaced.append(row.id)
                moves += self.history.rows(row.id, steps, owner)
                diff["stage_entered_at"] = steps[-1][2] if steps[-1][3] else None
            elif isinstance(record, EngagementRecord) and "stage_id" in diff:
                # Moved since the last import, at a moment the file does not give (unless it
                # closed: then at the close).
                known = record.closed is not None
                at = noon(record.closed) if record.closed else self.now
                step = (row.stage_id, diff["stage_id"], at, known)
                moves += self.history.rows(row.id, [step], owner)
                diff["stage_entered_at"] = at if known else None
            rows.append({"id": row.id, **diff})
        self.history.drop_imported(replaced)
        for batch in _batches(rows):
            self.s.execute(update(table), list(batch))
            self._tick(len(batch))
        for batch in _batches(moves):
            self._bulk_insert(StageChangeRow, list(batch))

    def _link(self) -> None:
        """Managers and parent accounts named in the file, once every row of it is written
        (a manager or parent may come later in the same file)."""
        orm: Any
        if self.kind in (ImportKind.PEOPLE, ImportKind.TEAMS):
            orm, column = PersonRow, "manager_id"
            people = [r for r in self.c.records if isinstance(r, PersonRecord)]
            links = [(r.name, r.manager) for r in people if r.manager]
        elif self.kind is ImportKind.ACCOUNTS:
            orm, column = AccountRow, "parent_id"
            accounts = [r for r in self.c.records if isinstance(r, AccountRecord)]
            links = [(r.key or r.name, r.parent) for r in accounts if r.parent]
        else:
            return
        if not links:
            return
        table = orm.__table__
        refs: dict[str, int] = {}
        current: dict[int, int | None] = {}
        rows = self.s.execute(select(table).order_by(table.c.id)).all()
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
            self.s.execute(update(orm), list(batch))
