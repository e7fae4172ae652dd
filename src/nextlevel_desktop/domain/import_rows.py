"""Reading the cells of a CSV table's rows under a mapping (pure: lookups come in as values).

``RowConverter`` holds what every kind of row shares: cells as checked text, dates, stages,
processes, owners and accounts, the uniqueness of keys, and the names an import will add.
``import_kinds`` turns one row of each kind into a record with it. Each row either becomes a
record or a :class:`RowProblem` with its line number and a specific reason; names that do not
exist yet (people, accounts, activity types, stages) are collected so the wizard can show what
an import will add before anything is written.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from .csv_cells import unescape_cell
from .import_records import (
    AccountRecord,
    ActivityRecord,
    Converted,
    EngagementRecord,
    Lookups,
    PersonRecord,
    Record,
)
from .importing import (
    CsvTable,
    DateOrder,
    ImportKind,
    ImportMapping,
    RowProblem,
    guess_stage,
    is_stage_date_field,
    local_datetime,
    norm,
    parse_datetime,
)
from .models import Process, ProcessKind, StageCategory
from .stage_history import Stay
from .text_rules import bad_character

# One row of a kind → its record (``None``: left out, e.g. an unmapped stage), or ValueError.
Convert = Callable[["RowConverter", int, Sequence[str]], Record | None]


@functools.lru_cache(maxsize=65536)
def _utc_moment(text: str, order: DateOrder | None) -> datetime:
    return local_datetime(*parse_datetime(text, order)).astimezone(UTC)


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
        self.stages_to_add: dict[tuple[int, str], StageCategory] = {}
        self.stage_dates = [f for f in self._index if is_stage_date_field(f)]

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

    def run(self, convert: Convert, progress: Callable[[int], None] | None = None) -> Converted:
        """Convert every row with ``convert`` (one of ``import_kinds``)."""
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
                record = convert(self, line, row)
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
            if key in self.stages_to_add:
                self.out.new_stages.setdefault(key, self.stages_to_add[key])
        elif isinstance(record, ActivityRecord):
            if (record.kind.value, norm(record.type_name)) not in self.lookups.activity_types:
                self.out.new_types.add((record.kind, record.type_name))

    def unique(self, line: int, key: str, label: str) -> None:
        first = self._seen.setdefault(key, line)
        if first != line:
            raise ValueError(f"the same {label} as row {first}; a record is imported once")

    def process_of(self, row: Sequence[str]) -> Process:
        name = self.get(row, "process")
        if name:
            process = self._processes.get(norm(name))
            if process is None:
                raise ValueError(f"there is no process named “{name}”")
            return process
        assert self._default is not None
        return self._default

    def owner_of(self, row: Sequence[str]) -> str:
        return self.text(row, "owner", 120, "owner's name")

    def account_of(self, row: Sequence[str]) -> tuple[str, str]:
        """The row's account: (name, key); a key the workspace does not know needs a name."""
        name = self.text(row, "account", 200, "account name")
        key = self.text(row, "account_key", 120, "account key")
        if key and key not in self.lookups.account_keys and not name:
            raise ValueError(
                f"no account has the key “{key}”: import the accounts (with their key column) "
                "first, or map the account name too"
            )
        return name, key

    def check_currency(self, row: Sequence[str]) -> None:
        code = self.get(row, "currency").upper()
        wanted = self.lookups.currency.upper()
        if code and wanted and code != wanted:
            raise ValueError(
                f"its currency is {code}, but this workspace's currency is {wanted}: "
                "amounts would be wrong (convert them, or import into a workspace in "
                f"{code})"
            )

    def stage_of(self, process: Process, value: str) -> tuple[str, StageCategory] | None:
        """The stage a file's stage text goes to (cached per process); ``None`` if unknown."""
        cache_key = (process.id, value)
        if cache_key not in self._stage_cache:
            self._stage_cache[cache_key] = resolve_stage(value, process, self.mapping)
        return self._stage_cache[cache_key]

    def moment(self, row: Sequence[str], name: str, label: str) -> datetime | None:
        """A date with its time of day (noon when none is given), as an aware moment."""
        text = self.get(row, name)
        if not text:
            return None
        try:
            return _utc_moment(text, self.mapping.date_order)
        except ValueError as exc:
            raise ValueError(f"{label}: {exc}") from None

    def stays_of(self, row: Sequence[str], process: Process) -> tuple[Stay[str], ...]:
        """The per-stage "Date entered"/"Date exited" cells of a row, by stage name."""
        found: dict[str, tuple[datetime | None, datetime | None]] = {}
        for name in self.stage_dates:
            at = self.moment(row, name, f"date {name.replace(':', ' ', 1)}")
            if at is None:
                continue
            prefix, text = name.split(":", 1)
            stage = self.stage_of(process, text)
            if stage is None:
                self.out.unmapped_stages[text] += 1
                continue
            entered, exited = found.get(stage[0], (None, None))
            found[stage[0]] = (at, exited) if prefix == "entered" else (entered, at)
        return tuple(Stay(st, entered, exited) for st, (entered, exited) in found.items())

    def date_cell(self, row: Sequence[str], name: str, label: str) -> date | None:
        text = self.get(row, name)
        if not text:
            return None
        try:
            return parse_datetime(text, self.mapping.date_order)[0]
        except ValueError as exc:
            raise ValueError(f"{label}: {exc}") from None
