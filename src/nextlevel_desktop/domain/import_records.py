"""What an import makes of a file's rows: records, the workspace's lookups, and record keys.

Plain values only (no database, no Qt): ``import_rows`` and ``import_kinds`` build them, the
import writer writes them.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .importing import RowProblem, norm
from .models import ActivityStatus, Process, ProcessKind, StageCategory
from .stage_history import Stay

KEY_PREFIX = "key:"
# The most characters an imported cell may hold, by kind of field; longer cells are row errors.
NOTES_LIMIT = 100_000
# A workspace's own tag, written into the ids of records it exports without an external id
# ("NL-<tag>-<id>"), so that re-importing such a file into the same workspace matches them.
EXPORT_TAG_KEY = "workspace.export_tag"


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


def exported_key(tag: str, id_: int) -> str:
    """The id an export writes for a record that has no external id."""
    return f"NL-{tag}-{id_}" if tag else f"NL-{id_}"


def stable_key(*parts: object) -> str:
    """A key for files without an id column: the same row always gives the same key."""
    text = "\x1f".join(norm(str(p)) for p in parts)
    return KEY_PREFIX + hashlib.sha1(text.encode("utf-8")).hexdigest()[:24]
