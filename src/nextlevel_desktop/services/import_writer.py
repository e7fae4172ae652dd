"""Writing checked import records with bulk statements, inside the import's one transaction."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from ..domain.changes import Changes
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
    EngagementRow,
    PersonRow,
    StageChangeRow,
)
from .bulk_insert import batches as _batches
from .bulk_insert import bulk_insert, drop, sorted_in_steps
from .bulk_revision import Journal
from .import_history import HistoryWriter, Step, noon
from .import_history_writes import stage_entries, write_handovers, write_stage_history
from .import_names import activity_type_ids, add_stages, add_types, link, stage_ids
from .import_result import ImportCancelled, ImportResult, Progress

# (Names repeat across a file's rows: 100,000 rows name 40 people and 3,000 accounts.)
_norm = functools.lru_cache(maxsize=1 << 16)(norm)


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
        self.created: dict[str, int] = {}  # engagements' keys → ids given
        self._stages: dict[tuple[int, str], int] | None = None
        self._types: dict[tuple[str, str], int] | None = None
        self.history = HistoryWriter(session, lookups)
        self.journal = Journal(session)  # (before anything is written)
        if handover is None:
            settings = WorkspaceSettings.from_pairs(repo.get_settings(session))
            handover = settings.handover == "automatic"
        self.handover = handover

    def tick(self, n: int) -> None:
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
                    out.setdefault("name:" + _norm(r.name), r)
            return out
        return {"name:" + _norm(r.name): r for r in self.s.execute(select(PersonRow.__table__))}

    @staticmethod
    def _match_key(record: Any) -> str:
        if isinstance(record, AccountRecord):
            return ("id:" + record.key) if record.key else ("name:" + _norm(record.name))
        if isinstance(record, PersonRecord):
            return "name:" + _norm(record.name)
        return str(record.key)

    def _find(self, existing: dict[str, Any], record: Any) -> Any:
        hit = existing.get(self._match_key(record))
        if hit is None and isinstance(record, AccountRecord) and record.key:
            hit = existing.get("name:" + _norm(record.name))
            if hit is not None and hit.external_id not in (None, record.key):
                hit = None  # same name, different record in the source system
        return hit

    def count_matches(self) -> tuple[int, int, int]:
        if self.kind is ImportKind.STAGE_HISTORY:
            changed, unchanged = stage_entries(self)
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
        drop(existing)
        return creates, updates, unchanged

    # Writing ----------------------------------------------------------------------------
    def write(self, skipped: int, dry_run: bool) -> ImportResult:
        """Write the records; the result's revision undoes it (see ``bulk_revision``)."""
        self.tick(0)
        result = self._write(skipped, dry_run)
        if dry_run:
            return result
        return replace(result, revision=self.journal.revision(result.changes))

    def _write(self, skipped: int, dry_run: bool) -> ImportResult:
        new_people = self._add_people(sorted(self.c.new_people))
        new_accounts = self._add_accounts(sorted(self.c.new_accounts))
        new_stages = add_stages(self.s, self.c.new_stages, self.journal.capture)
        new_types = add_types(self.s, self.c.new_types)
        self._stages = self._types = None
        # (Knows the added stages.)
        self.history = HistoryWriter(self.s, self.lookups, self.journal.capture)
        if self.kind is ImportKind.STAGE_HISTORY:
            return write_stage_history(self, skipped, dry_run, new_stages)
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
        link(self.s, self.kind, self.c.records, self.journal.capture_ids)
        handovers = write_handovers(self, creates, updates) if self.handover else 0
        created, updated = len(creates), len(updates)
        unchanged = len(self.c.records) - created - updated
        drop(existing)  # (a re-import's rows, all of them: in steps, not all at once)
        drop(updates)
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
            created=created,
            updated=updated,
            unchanged=unchanged,
            skipped=skipped,
            new_people=new_people,
            new_accounts=new_accounts,
            new_stages=new_stages,
            new_types=new_types,
            dry_run=dry_run,
            changes=changes if (created or updated or new_people or new_accounts) else Changes(),
            history=self.history.result(),
            handovers=handovers,
        )

    def top_id(self) -> int:
        return int(self.s.scalar(select(func.max(EngagementRow.id))) or 0)

    def ids_since(self, column: Any, top: int, keys: Sequence[Any]) -> dict[Any, int]:
        """``column`` (a key, a source engagement) → id of the engagements inserted above
        ``top`` (in the import's transaction, all of them its own), ``keys`` being their
        values of ``column`` in the order inserted. SQLite gives each new row the highest id
        plus one: when the ids above ``top`` are just those, they are known without reading
        the rows back (looking up the keys, 500 at a time, cost 1.5 s of 100,000
        opportunities' import; reading the new rows back 0.6 s)."""
        e = EngagementRow.__table__.c
        conn = self.s.connection()
        last, count = conn.execute(select(func.max(e.id), func.count()).where(e.id > top)).one()
        if count == len(keys) and last == top + len(keys):
            return {key: top + 1 + i for i, key in enumerate(keys)}
        return dict(conn.execute(select(column, e.id).where(e.id > top)).all())

    def _add_people(self, names: Sequence[str]) -> int:
        rows = [{"name": n, "email": "", "role": "rep", "active": True} for n in names]
        ids = self._insert_returning(PersonRow, rows)
        self.people.update({_norm(n): i for n, i in zip(names, ids, strict=True)})
        return len(rows)

    def _add_accounts(self, names: Sequence[str]) -> int:
        if self.kind is ImportKind.ACCOUNTS:
            return 0
        keys = self.c.new_account_keys
        rows = [
            {"name": n, "archived": False, "notes": "", "external_id": keys.get(n)} for n in names
        ]
        ids = self._insert_returning(AccountRow, rows)
        self.accounts.update({_norm(n): i for n, i in zip(names, ids, strict=True)})
        self.account_keys.update({keys[n]: i for n, i in zip(names, ids, strict=True) if n in keys})
        return len(rows)

    def _account_id(self, record: EngagementRecord | ActivityRecord) -> int | None:
        """The record's account: by its key when the workspace knows it, else by name."""
        if record.account_key and record.account_key in self.account_keys:
            return self.account_keys[record.account_key]
        return self.accounts.get(_norm(record.account)) if record.account else None

    def _insert_returning(self, table: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
        ids: list[int] = []
        # Core, not ORM: the ORM's bulk RETURNING path is quadratic in the batch size.
        core = table.__table__
        stmt = insert(core).returning(core.c.id, sort_by_parameter_order=True)
        conn = self.s.connection()
        for batch in _batches(rows):
            ids.extend(conn.execute(stmt, list(batch)).scalars().all())
        return ids

    def insert_rows(self, table: Any, rows: Sequence[dict[str, Any]]) -> None:
        bulk_insert(self.s.connection(), table, rows)

    def values(self, record: Any) -> dict[str, Any]:
        if isinstance(record, EngagementRecord):
            stage_id = self._stage_id(record)
            return {
                "process_id": record.process_id,
                "account_id": self._account_id(record),
                "owner_id": self.people.get(_norm(record.owner)) if record.owner else None,
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
                "person_id": self.people.get(_norm(record.owner)) if record.owner else None,
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
        if record.manager and _norm(record.manager) in self.people:
            values["manager_id"] = self.people[_norm(record.manager)]
        return values

    def _parent_id(self, record: AccountRecord) -> int | None:
        return self.account_keys.get(record.parent) or self.accounts.get(_norm(record.parent))

    def _stage_id(self, record: EngagementRecord) -> int:
        return self.stage_map()[(record.stage.process_id, record.stage.name)]

    def _type_id(self, kind: ProcessKind, name: str) -> int:
        return self._type_map()[(kind.value, _norm(name))]

    def stage_map(self) -> dict[tuple[int, str], int]:
        if self._stages is None:
            self._stages = stage_ids(self.s)
        return self._stages

    def _type_map(self) -> dict[tuple[str, str], int]:
        if self._types is None:
            self._types = activity_type_ids(self.s)
        return self._types

    def _changes(self, record: Any, row: Any) -> dict[str, Any]:
        if not self.resolvable(record):
            return {"pending": True}  # (a check) it names things the import will add
        values = self.values(record)
        diff = {k: v for k, v in values.items() if getattr(row, k) != v}
        if isinstance(record, EngagementRecord) and self.history.says_something(record):
            steps = self.history.plan(record, values["stage_id"], self._names(record.process_id))
            if self.history.differs(row.id, steps):
                diff["history"] = steps
        return diff

    def _names(self, process_id: int) -> dict[str, int]:
        """Stage name → id within one process (for histories, which name stages)."""
        return {name: sid for (pid, name), sid in self.stage_map().items() if pid == process_id}

    def resolvable(self, record: Any) -> bool:
        """False while (in a check) new people, accounts, stages or types are not yet added."""
        if isinstance(record, EngagementRecord | ActivityRecord):
            if record.owner and _norm(record.owner) not in self.people:
                return False
            if record.account and self._account_id(record) is None:
                return False
        if isinstance(record, EngagementRecord):
            return (record.stage.process_id, record.stage.name) in self.stage_map()
        if isinstance(record, ActivityRecord):
            return (record.kind.value, _norm(record.type_name)) in self._type_map()
        if isinstance(record, StageEntryRecord):
            return (record.stage.process_id, record.stage.name) in self.stage_map()
        return True

    # Inserts and updates -----------------------------------------------------------------
    def _insert_engagements(self, records: Sequence[EngagementRecord]) -> None:
        """New engagements with the stage history their rows prove (and no more)."""
        names: dict[int, dict[str, int]] = {}
        for batch in _batches(records):
            rows = []
            histories = []
            for r in batch:
                values = self.values(r)
                if r.process_id not in names:
                    names[r.process_id] = self._names(r.process_id)
                steps = self.history.plan(r, values["stage_id"], names[r.process_id], new=True)
                values["external_id"] = r.key
                values["stage_entered_at"] = steps[-1][2] if steps[-1][3] else None
                rows.append(values)
                histories.append(steps)
            top = self.top_id()
            self.insert_rows(EngagementRow, rows)
            # Keys are unique in the file and matched none before, so they find the new rows
            # (a plain multi-row INSERT; RETURNING in order would go row by row).
            ids = self.ids_since(EngagementRow.external_id, top, [r.key for r in batch])
            self.created.update(ids)
            changes = [
                change
                for record, steps, values in zip(batch, histories, rows, strict=True)
                for change in self.history.rows(ids[record.key], steps, values["owner_id"])
            ]
            self.insert_rows(StageChangeRow, changes)
            self.tick(len(batch))

    def _insert_activities(self, records: Sequence[ActivityRecord]) -> None:
        # New rows only: counted once at the end, not by a trigger per row. In time order:
        # most of the table's indexes lead with or follow the moment, so each batch then
        # lands on a few pages of them (100,000 rows: 2.4 -> 1.4 s of SQLite's CPU). Sorted
        # in steps: the GUI thread waits for the interpreter's lock while a ``sorted`` runs.
        records = sorted_in_steps(records, key=attrgetter("occurred_at"))
        with bulk_inserts(self.s.connection().exec_driver_sql):
            for batch in _batches(records):
                rows = []
                for r in batch:
                    values = self.values(r)
                    values["external_id"] = r.key
                    rows.append(values)
                self.insert_rows(ActivityRow, rows)
                self.tick(len(batch))

    def _insert_accounts(self, records: Sequence[AccountRecord]) -> None:
        for batch in _batches(records):
            rows = [{"archived": False, "external_id": None, **self.values(r)} for r in batch]
            self.insert_rows(AccountRow, rows)
            self.tick(len(batch))

    def _insert_people(self, records: Sequence[PersonRecord]) -> None:
        rows = [{"active": True, "role": "rep", "email": "", **self.values(r)} for r in records]
        for batch in _batches(rows):
            self.insert_rows(PersonRow, list(batch))
            self.tick(len(batch))

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
            owner = self.values(record)["owner_id"] if isinstance(record, EngagementRecord) else 0
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
            self.journal.capture_ids(table, [r["id"] for r in batch])
            self.s.execute(update(table), list(batch))
            self.tick(len(batch))
        for batch in _batches(moves):
            self.insert_rows(StageChangeRow, list(batch))
