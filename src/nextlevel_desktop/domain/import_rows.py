"""Turning the rows of a CSV table into checked records (pure: lookups come in as plain values).

Each row either becomes a record or a :class:`RowProblem` with its line number and a specific
reason. Names that do not exist yet (people, accounts, activity types, stages) are collected so
the wizard can show what an import will add before anything is written.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from .csv_cells import unescape_cell
from .importing import (
    CsvTable,
    DateOrder,
    ImportKind,
    ImportMapping,
    RowProblem,
    closed_word,
    guess_stage,
    is_stage_date_field,
    local_datetime,
    norm,
    parse_datetime,
    parse_minutes,
    parse_money,
)
from .models import ActivityStatus, PersonRole, Process, ProcessKind, StageCategory
from .stage_history import Stay
from .text_rules import MAX_STAGE_NAME, bad_character

KEY_PREFIX = "key:"
# The most characters an imported cell may hold, by kind of field; longer cells are row errors.
NOTES_LIMIT = 100_000
# A workspace's own tag, written into the ids of records it exports without an external id
# ("NL-<tag>-<id>"), so that re-importing such a file into the same workspace matches them.
EXPORT_TAG_KEY = "workspace.export_tag"
DONE_WORDS = {"done", "completed", "complete", "yes", "true", "1", "held", "closed", "finished"}
PLANNED_WORDS = {"planned", "open", "scheduled", "not started", "no", "false", "0", "to do", "todo"}


@dataclass(frozen=True)
class Lookups:
    """What already exists in the workspace, keyed by normalised name."""

    processes: Sequence[Process]
    people: dict[str, int] = field(default_factory=dict)
    accounts: dict[str, int] = field(default_factory=dict)
    activity_types: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, norm name)
    engagements_by_key: dict[str, int] = field(default_factory=dict)
    engagements_by_name: dict[str, int] = field(default_factory=dict)
    engagement_process: dict[int, int] = field(default_factory=dict)  # id → process id
    today: date = field(default_factory=date.today)
    export_tag: str = ""
    account_keys: dict[str, int] = field(default_factory=dict)  # account key → id
    currency: str = ""  # the workspace's: amounts naming another one are row errors


@dataclass(frozen=True)
class StageRef:
    process_id: int
    name: str  # a stage's exact name; may be a stage to be added
    category: StageCategory


@dataclass(frozen=True)
class EngagementRecord:
    row: int
    key: str
    name: str
    process_id: int
    stage: StageRef
    value_minor: int
    opened: date
    closed: date | None
    owner: str
    account: str
    lost_reason: str
    notes: str
    expected_close: date | None = None
    # What the file says about the stages it was in (stage names), and when it entered its
    # current stage; empty/None where the file does not say (unknown, never made up).
    stays: tuple[Stay[str], ...] = ()
    current_entered: datetime | None = None
    account_key: str = ""
    product: str = ""


@dataclass(frozen=True)
class StageEntryRecord:
    """A row of a stage-history file: the engagement entered the stage at that moment."""

    row: int
    engagement_id: int
    stage: StageRef
    at: datetime


@dataclass(frozen=True)
class ActivityRecord:
    row: int
    key: str
    process_id: int
    kind: ProcessKind
    type_name: str
    occurred_at: datetime
    occurred_on: date
    owner: str
    account: str
    engagement_id: int | None
    status: ActivityStatus
    duration_min: int
    outcome: str
    notes: str
    account_key: str = ""


@dataclass(frozen=True)
class AccountRecord:
    row: int
    key: str | None  # the account's key (its id in the source system), when the file has one
    name: str
    values: dict[str, Any]  # the mapped optional fields only (industry, website, phone, …)
    parent: str = ""  # the parent account's key or name


@dataclass(frozen=True)
class PersonRecord:
    row: int
    name: str
    values: dict[str, str]
    manager: str = ""  # the manager's name


Record = EngagementRecord | ActivityRecord | AccountRecord | PersonRecord | StageEntryRecord


@dataclass
class Converted:
    records: list[Record] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    unmapped_stages: Counter[str] = field(default_factory=Counter)
    new_stages: dict[tuple[int, str], StageCategory] = field(default_factory=dict)
    new_people: set[str] = field(default_factory=set)
    new_accounts: set[str] = field(default_factory=set)
    new_account_keys: dict[str, str] = field(default_factory=dict)  # new account name → key
    new_types: set[tuple[ProcessKind, str]] = field(default_factory=set)


@functools.lru_cache(maxsize=65536)
def _utc_moment(text: str, order: DateOrder | None) -> datetime:
    return local_datetime(*parse_datetime(text, order)).astimezone(UTC)


def exported_key(tag: str, id_: int) -> str:
    """The id an export writes for a record that has no external id."""
    return f"NL-{tag}-{id_}" if tag else f"NL-{id_}"


def stable_key(*parts: object) -> str:
    """A key for files without an id column: the same row always gives the same key."""
    text = "\x1f".join(norm(str(p)) for p in parts)
    return KEY_PREFIX + hashlib.sha1(text.encode("utf-8")).hexdigest()[:24]


def default_process(processes: Sequence[Process], name: str) -> Process | None:
    live = [p for p in processes if not p.archived]
    if name:
        return next((p for p in processes if norm(p.name) == norm(name)), None)
    return next((p for p in live if p.kind is ProcessKind.HUNTING), live[0] if live else None)


def resolve_stage(
    value: str, process: Process, mapping: ImportMapping
) -> tuple[str, StageCategory] | None:
    """The stage (name, category) of ``process`` a file's stage value goes to, if known."""
    stages = process.active_stages
    target = mapping.stages.get(value)
    if target is None:
        target = next((t for v, t in mapping.stages.items() if norm(v) == norm(value)), None)
    if target is not None:
        hit = next((s for s in stages if norm(s.name) == norm(target)), None)
        return (hit.name, hit.category) if hit else None
    name = guess_stage(value, [s.name for s in stages])
    if name is None:
        return None
    hit = next(s for s in stages if s.name == name)
    return hit.name, hit.category


class RowConverter:
    """Converts the rows of one table under one mapping."""

    def __init__(self, table: CsvTable, mapping: ImportMapping, lookups: Lookups) -> None:
        self.table = table
        self.mapping = mapping
        self.lookups = lookups
        self.out = Converted()
        self._index = {
            f: table.headers.index(h) for f, h in mapping.columns.items() if h in table.headers
        }
        self._seen: dict[str, int] = {}
        self._stage_cache: dict[tuple[int, str], tuple[str, StageCategory] | None] = {}
        self._processes = {norm(p.name): p for p in lookups.processes}
        self._default = default_process(lookups.processes, mapping.process)
        self._stages_to_add: dict[tuple[int, str], StageCategory] = {}
        self._stage_dates = [f for f in self._index if is_stage_date_field(f)]

    def get(self, row: Sequence[str], name: str) -> str:
        """A cell's text, stripped, with the export's formula escape removed; a field without
        a column gives its constant (``--set``), if any."""
        i = self._index.get(name)
        if i is None:
            return self.mapping.constants.get(name, "").strip()
        value = row[i].strip()
        return unescape_cell(value) if value[:1] == "'" else value

    def text(
        self,
        row: Sequence[str],
        name: str,
        limit: int,
        label: str,
        required: bool = False,
        multiline: bool = False,
    ) -> str:
        """A cell's text, checked against the length its column holds and, for names, free of
        control and bidi override characters (``multiline`` texts may hold line breaks)."""
        value = self.get(row, name)
        if required and not value:
            raise ValueError(f"the {label} is empty")
        if len(value) > limit:
            raise ValueError(f"the {label} is longer than {limit:,} characters")
        bad = bad_character(value, multiline=multiline)
        if bad is not None:
            raise ValueError(f"the {label} contains {bad}")
        return value

    def has(self, name: str) -> bool:
        return name in self._index or name in self.mapping.constants

    def run(self, progress: Callable[[int], None] | None = None) -> Converted:
        convert = {
            ImportKind.ENGAGEMENTS: self._engagement,
            ImportKind.ACTIVITIES: self._activity,
            ImportKind.ACCOUNTS: self._account,
            ImportKind.PEOPLE: self._person,
            ImportKind.STAGE_HISTORY: self._stage_entry,
            ImportKind.TEAMS: self._person,
        }[self.mapping.kind]
        missing = self.mapping.missing_required()
        if missing:
            self.out.problems.append(
                RowProblem(1, "No column is chosen for " + ", ".join(missing) + ".")
            )
            return self.out
        if self.mapping.kind in (ImportKind.ENGAGEMENTS, ImportKind.ACTIVITIES) and (
            self._default is None
        ):
            self.out.problems.append(
                RowProblem(1, f"There is no process named “{self.mapping.process}”.")
            )
            return self.out
        for n, row in enumerate(self.table.rows):
            line = n + 2
            try:
                record = convert(line, row)
            except ValueError as exc:
                self.out.problems.append(RowProblem(line, str(exc)))
                continue
            if record is not None:
                self.out.records.append(record)
                self._note_new(record)
            if progress is not None and n % 2000 == 0:
                progress(n)
        self._note_managers()
        self._check_parents()
        return self.out

    def _check_parents(self) -> None:
        """A parent account must be in the file or the workspace (by key or name)."""
        accounts = [r for r in self.out.records if isinstance(r, AccountRecord)]
        if not any(r.parent for r in accounts):
            return
        known = set(self.lookups.account_keys) | {r.key for r in accounts if r.key}
        names = set(self.lookups.accounts) | {norm(r.name) for r in accounts}
        kept: list[Record] = []
        for r in self.out.records:
            if isinstance(r, AccountRecord) and r.parent:
                if r.parent not in known and norm(r.parent) not in names:
                    self.out.problems.append(
                        RowProblem(r.row, f"there is no parent account “{r.parent}”")
                    )
                    continue
            kept.append(r)
        self.out.problems.sort(key=lambda p: p.row)
        self.out.records = kept

    def _note_managers(self) -> None:
        """Managers named in a people or teams file who are neither in it nor in the
        workspace are added as people."""
        people = [r for r in self.out.records if isinstance(r, PersonRecord)]
        named = {norm(r.name) for r in people} | set(self.lookups.people)
        for r in people:
            if r.manager and norm(r.manager) not in named:
                self.out.new_people.add(r.manager)
                named.add(norm(r.manager))

    # Shared pieces ---------------------------------------------------------------------
    def _note_new(self, record: Record) -> None:
        """Collect the names a written record needs that do not exist yet.

        Only records that are written count: a row skipped as invalid adds no person,
        account, stage or activity type.
        """
        if isinstance(record, EngagementRecord | ActivityRecord):
            if record.owner and norm(record.owner) not in self.lookups.people:
                self.out.new_people.add(record.owner)
            known_key = record.account_key in self.lookups.account_keys
            if (
                record.account
                and not known_key
                and norm(record.account) not in self.lookups.accounts
            ):
                self.out.new_accounts.add(record.account)
                if record.account_key:
                    self.out.new_account_keys.setdefault(record.account, record.account_key)

        if isinstance(record, EngagementRecord):
            key = (record.stage.process_id, record.stage.name)
            if key in self._stages_to_add:
                self.out.new_stages.setdefault(key, self._stages_to_add[key])
        elif isinstance(record, ActivityRecord):
            if (record.kind.value, norm(record.type_name)) not in self.lookups.activity_types:
                self.out.new_types.add((record.kind, record.type_name))

    def _unique(self, line: int, key: str, label: str) -> None:
        first = self._seen.setdefault(key, line)
        if first != line:
            raise ValueError(f"the same {label} as row {first}; a record is imported once")

    def _process_of(self, row: Sequence[str]) -> Process:
        name = self.get(row, "process")
        if name:
            process = self._processes.get(norm(name))
            if process is None:
                raise ValueError(f"there is no process named “{name}”")
            return process
        assert self._default is not None
        return self._default

    def _person(self, line: int, row: Sequence[str]) -> PersonRecord:
        name = self.text(row, "name", 120, "name", required=True)
        self._unique(line, "p:" + norm(name), "name")
        values = {f: self.get(row, f) for f in ("email", "role") if self.has(f)}
        for f in ("team", "office"):
            if self.has(f):
                values[f] = self.text(row, f, 120, f)
        if self.mapping.kind is ImportKind.TEAMS and "team" not in values and "office" in values:
            values["team"] = values["office"]  # a teams file without teams: one per office
        manager = self.text(row, "manager", 120, "manager's name")
        if manager and norm(manager) == norm(name):
            raise ValueError(f"“{name}” is named as their own manager")
        if "role" in values:
            values["role"] = (
                PersonRole.MANAGER.value
                if "manager" in norm(values["role"]) or "head" in norm(values["role"])
                else PersonRole.REP.value
            )
        self.text(row, "email", 200, "email")
        return PersonRecord(line, name, values, manager)

    def _owner(self, row: Sequence[str]) -> str:
        return self.text(row, "owner", 120, "owner's name")

    def _account_name(self, row: Sequence[str]) -> tuple[str, str]:
        """The row's account: (name, key); a key the workspace does not know needs a name."""
        name = self.text(row, "account", 200, "account name")
        key = self.text(row, "account_key", 120, "account key")
        if key and key not in self.lookups.account_keys and not name:
            raise ValueError(
                f"no account has the key “{key}”: import the accounts (with their key column) "
                "first, or map the account name too"
            )
        return name, key

    def _currency(self, row: Sequence[str]) -> None:
        code = self.get(row, "currency").upper()
        wanted = self.lookups.currency.upper()
        if code and wanted and code != wanted:
            raise ValueError(
                f"its currency is {code}, but this workspace's currency is {wanted}: "
                "amounts would be wrong (convert them, or import into a workspace in "
                f"{code})"
            )

    @staticmethod
    def _default_name(process: Process, account: str, id_text: str, line: int) -> str:
        """A name for a row without one: "Acme opportunity", "Opportunity D-17"."""
        label = process.kind.engagement_label
        if account:
            return f"{account} {label.lower()}"
        return f"{label} {id_text}" if id_text else f"{label} (imported row {line})"

    def _stage(self, process: Process, value: str) -> tuple[str, StageCategory] | None:
        """The stage a file's stage text goes to (cached per process); ``None`` if unknown."""
        cache_key = (process.id, value)
        if cache_key not in self._stage_cache:
            self._stage_cache[cache_key] = resolve_stage(value, process, self.mapping)
        return self._stage_cache[cache_key]

    def _moment(self, row: Sequence[str], name: str, label: str) -> datetime | None:
        """A date with its time of day (noon when none is given), as an aware moment."""
        text = self.get(row, name)
        if not text:
            return None
        try:
            return _utc_moment(text, self.mapping.date_order)
        except ValueError as exc:
            raise ValueError(f"{label}: {exc}") from None

    def _stays(self, row: Sequence[str], process: Process) -> tuple[Stay[str], ...]:
        """The per-stage "Date entered"/"Date exited" cells of a row, by stage name."""
        found: dict[str, tuple[datetime | None, datetime | None]] = {}
        for name in self._stage_dates:
            at = self._moment(row, name, f"date {name.replace(':', ' ', 1)}")
            if at is None:
                continue
            prefix, text = name.split(":", 1)
            stage = self._stage(process, text)
            if stage is None:
                self.out.unmapped_stages[text] += 1
                continue
            entered, exited = found.get(stage[0], (None, None))
            found[stage[0]] = (at, exited) if prefix == "entered" else (entered, at)
        return tuple(Stay(st, entered, exited) for st, (entered, exited) in found.items())

    def _date(self, row: Sequence[str], name: str, label: str) -> date | None:
        text = self.get(row, name)
        if not text:
            return None
        try:
            return parse_datetime(text, self.mapping.date_order)[0]
        except ValueError as exc:
            raise ValueError(f"{label}: {exc}") from None

    # Kinds -----------------------------------------------------------------------------
    def _account(self, line: int, row: Sequence[str]) -> AccountRecord:
        name = self.text(row, "name", 200, "account name", required=True)
        key = self.text(row, "key", 120, "key") or None
        self._unique(line, "a:" + (key or norm(name)), "key" if key else "name")
        self._currency(row)
        values: dict[str, Any] = {}
        limits = (
            ("industry", 120),
            ("size_band", 40),
            ("country", 80),
            ("website", 200),
            ("phone", 60),
            ("notes", NOTES_LIMIT),
        )
        for f, limit in limits:
            if self.has(f):
                values[f] = self.text(row, f, limit, f.replace("_", " "), multiline=f == "notes")
        if self.has("employees"):
            text = self.get(row, "employees").replace(",", "").replace(" ", "")
            if text and not text.isdigit() or len(text) > 9:
                raise ValueError(f"employees: “{self.get(row, 'employees')}” is not a number")
            values["employees"] = int(text) if text else None
        if self.has("annual_revenue"):
            try:
                revenue = parse_money(self.get(row, "annual_revenue"))
            except ValueError as exc:
                raise ValueError(f"annual revenue: {exc}") from None
            if revenue < 0:
                raise ValueError("annual revenue: it is negative")
            values["annual_revenue_minor"] = revenue if self.get(row, "annual_revenue") else None
        parent = self.text(row, "parent", 200, "parent account")
        if parent and parent in (key, name):
            raise ValueError(f"“{name}” is named as its own parent account")
        return AccountRecord(line, key, name, values, parent)

    def _engagement(self, line: int, row: Sequence[str]) -> EngagementRecord | None:
        process = self._process_of(row)
        value_text = self.get(row, "stage")
        if not value_text:
            raise ValueError("the stage is empty")
        stage = self._stage(process, value_text)
        if stage is None:
            if not self.mapping.add_missing_stages:
                self.out.unmapped_stages[value_text] += 1
                return None
            word = closed_word(value_text)
            category = StageCategory(word) if word else StageCategory.OPEN
            name = self.text(row, "stage", MAX_STAGE_NAME, "new stage's name")
            self._stages_to_add.setdefault((process.id, name), category)
            stage = (name, category)
        stays = self._stays(row, process) if self._stage_dates else ()
        current_entered = self._moment(row, "stage_changed", "last stage change")
        outcome = norm(self.get(row, "outcome"))
        if outcome in ("won", "lost") and stage[1] is StageCategory.OPEN:
            # Closed from the open stage the file names, entered at its last stage change.
            closing = next((s for s in process.active_stages if s.category.value == outcome), None)
            if closing is None:
                raise ValueError(f"“{process.name}” has no {outcome} stage")
            stays = (*stays, Stay(stage[0], current_entered))
            stage = (closing.name, closing.category)
        elif outcome not in ("", "open", "won", "lost"):
            raise ValueError(f"status “{self.get(row, 'outcome')}” is none of open, won, lost")
        name = self.text(row, "name", 200, "name")
        account, account_key = self._account_name(row)
        owner = self._owner(row)
        self._currency(row)
        try:
            value = parse_money(self.get(row, "value"), self.lookups.currency)
        except ValueError as exc:
            raise ValueError(f"value: {exc}") from None
        if value < 0:
            raise ValueError(f"value: “{self.get(row, 'value')}” is negative")
        given_opened = self._date(row, "opened", "opened date")
        opened = given_opened or self.mapping.opened_default
        if opened is None:
            raise ValueError(
                "the opened date is empty: give one, or choose the date rows without one get"
            )
        closed = None
        stage_name, category = stage
        expected = self._date(row, "expected_close", "expected close date")
        if category is StageCategory.OPEN:
            # An open deal's close date is when it is expected to close (HubSpot, Salesforce).
            expected = expected or self._date(row, "closed", "close date")
        else:
            field = "won_time" if category is StageCategory.WON else "lost_time"
            closed_at = self._moment(row, field, field.replace("_", " "))
            closed = closed_at.astimezone().date() if closed_at else None
            closed = closed or self._date(row, "closed", "close date")
            if closed is None:
                raise ValueError(f"the stage “{stage_name}” closes it, but the close date is empty")
            if closed < opened:
                raise ValueError(
                    f"it was closed ({closed.isoformat()}) before it was opened "
                    f"({opened.isoformat()})"
                )
            current_entered = closed_at or local_datetime(closed, None).astimezone(UTC)
        key = self.text(row, "id", 120, "id")
        if not key:
            key = stable_key(process.id, account, name, given_opened or "")
        self._unique(line, "e:" + key, "id" if self.has("id") else "name, account and date")
        lost_reason = (
            self.text(row, "lost_reason", 200, "lost reason", multiline=True)
            if category is StageCategory.LOST
            else ""
        )
        return EngagementRecord(
            row=line,
            key=key,
            name=name or self._default_name(process, account, self.get(row, "id"), line),
            process_id=process.id,
            stage=StageRef(process.id, stage_name, category),
            value_minor=value,
            opened=opened,
            closed=closed,
            owner=owner,
            account=account,
            lost_reason=lost_reason,
            notes=self.text(row, "notes", NOTES_LIMIT, "notes", multiline=True),
            expected_close=expected,
            stays=stays,
            current_entered=current_entered,
            account_key=account_key,
            product=self.text(row, "product", 200, "product"),
        )

    def _stage_entry(self, line: int, row: Sequence[str]) -> StageEntryRecord | None:
        key = self.text(row, "engagement", 200, "opportunity or account plan", required=True)
        eid = self.lookups.engagements_by_key.get(key) or self.lookups.engagements_by_name.get(
            norm(key)
        )
        if eid is None:
            raise ValueError(
                f"there is no opportunity or account plan “{key}”: import the opportunities "
                "first, with their id column"
            )
        process = next(
            p for p in self.lookups.processes if p.id == self.lookups.engagement_process[eid]
        )
        value = self.get(row, "stage")
        if not value:
            raise ValueError("the stage is empty")
        stage = self._stage(process, value)
        if stage is None:
            self.out.unmapped_stages[value] += 1
            return None
        at = self._moment(row, "entered_at", "entered at")
        if at is None:
            raise ValueError("the moment the stage was entered is empty")
        self._unique(line, f"h:{eid}:{stage[0]}:{at.isoformat()}", "stage entry")
        return StageEntryRecord(line, eid, StageRef(process.id, stage[0], stage[1]), at)

    def _activity(self, line: int, row: Sequence[str]) -> ActivityRecord:
        process = self._process_of(row)
        text = self.get(row, "date")
        if not text:
            raise ValueError("the date is empty")
        try:
            day, at = parse_datetime(text, self.mapping.date_order)
        except ValueError as exc:
            raise ValueError(f"date: {exc}") from None
        try:
            occurred_at = local_datetime(day, at).astimezone(UTC)
        except (OverflowError, ValueError) as exc:
            raise ValueError(f"date: “{text}” is out of range ({exc})") from None
        type_name = self.text(row, "type", 80, "activity type", required=True)
        owner = self._owner(row)
        account, account_key = self._account_name(row)
        engagement_id = None
        engagement = self.get(row, "engagement")
        if engagement:
            engagement_id = self.lookups.engagements_by_key.get(
                engagement
            ) or self.lookups.engagements_by_name.get(norm(engagement))
            if engagement_id is None:
                raise ValueError(f"there is no opportunity or account plan “{engagement}”")
        status_text = norm(self.get(row, "status"))
        if status_text in DONE_WORDS:
            status = ActivityStatus.DONE
        elif status_text in PLANNED_WORDS:
            status = ActivityStatus.PLANNED
        elif not status_text:
            status = ActivityStatus.DONE if day <= self.lookups.today else ActivityStatus.PLANNED
        else:
            raise ValueError(f"status “{self.get(row, 'status')}” is neither done nor planned")
        try:
            duration = parse_minutes(self.get(row, "duration"))
        except ValueError as exc:
            raise ValueError(f"duration: {exc}") from None
        outcome = self.text(row, "outcome", 200, "outcome", multiline=True)
        notes = self.text(row, "notes", NOTES_LIMIT, "notes", multiline=True)
        key = self.text(row, "id", 120, "id")
        if not key:
            key = stable_key(occurred_at.isoformat(), type_name, owner, account, outcome, notes)
        self._unique(line, "x:" + key, "id" if self.has("id") else "date, type, owner and notes")
        return ActivityRecord(
            row=line,
            key=key,
            process_id=process.id,
            kind=process.kind,
            type_name=type_name,
            occurred_at=occurred_at,
            occurred_on=day,
            owner=owner,
            account=account,
            engagement_id=engagement_id,
            status=status,
            duration_min=duration,
            outcome=outcome,
            notes=notes,
            account_key=account_key,
        )
