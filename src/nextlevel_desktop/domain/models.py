"""Plain dataclasses for every glossary term (DESIGN.md §2).

Services return these to the UI; they carry no database state. Money is held in integer minor
units (cents) so it is always exact; timestamps are timezone-aware UTC ``datetime`` values.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class ProcessKind(enum.StrEnum):
    HUNTING = "hunting"
    FARMING = "farming"

    @property
    def label(self) -> str:
        return "Hunting" if self is ProcessKind.HUNTING else "Farming"

    @property
    def engagement_label(self) -> str:
        """UI name of an engagement in this kind of process."""
        return "Opportunity" if self is ProcessKind.HUNTING else "Account plan"


class StageCategory(enum.StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class ActivityStatus(enum.StrEnum):
    PLANNED = "planned"
    DONE = "done"


class PersonRole(enum.StrEnum):
    REP = "rep"
    MANAGER = "manager"


class Outcome(enum.StrEnum):
    WON = "won"
    LOST = "lost"


class PeriodKind(enum.StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    email: str = ""
    role: PersonRole = PersonRole.REP
    active: bool = True
    team: str = ""
    office: str = ""
    manager_id: int | None = None


@dataclass(frozen=True)
class Contact:
    id: int
    account_id: int
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    industry: str = ""
    website: str = ""
    phone: str = ""
    notes: str = ""
    external_id: str | None = None  # the account's key (its id in the source system)
    size_band: str = ""
    employees: int | None = None
    annual_revenue_minor: int | None = None
    country: str = ""
    parent_id: int | None = None


@dataclass(frozen=True)
class ExitCriterion:
    id: int
    text: str
    position: int


@dataclass(frozen=True)
class Stage:
    id: int
    process_id: int
    name: str
    position: int
    category: StageCategory = StageCategory.OPEN
    guidance: str = ""
    expected_days: int | None = None
    target_conversion: int | None = None  # percent, to the next stage
    probability: int | None = None  # percent, hunting only
    color: str = ""
    archived: bool = False
    exit_criteria: tuple[ExitCriterion, ...] = ()


@dataclass(frozen=True)
class Process:
    id: int
    kind: ProcessKind
    name: str
    purpose: str = ""
    owner_id: int | None = None
    owner_name: str = ""
    archived: bool = False
    review_cadence_days: int = 90
    stages: tuple[Stage, ...] = field(default_factory=tuple)

    @property
    def active_stages(self) -> tuple[Stage, ...]:
        return tuple(s for s in self.stages if not s.archived)

    @property
    def open_stages(self) -> tuple[Stage, ...]:
        return tuple(s for s in self.active_stages if s.category is StageCategory.OPEN)

    @property
    def first_stage(self) -> Stage | None:
        stages = self.open_stages
        return stages[0] if stages else None


@dataclass(frozen=True)
class ActivityType:
    id: int
    kind: ProcessKind
    name: str
    position: int
    is_review: bool = False
    archived: bool = False


@dataclass(frozen=True)
class Engagement:
    id: int
    process_id: int
    name: str
    stage_id: int
    account_id: int | None = None
    account_name: str = ""
    owner_id: int | None = None
    owner_name: str = ""
    stage_name: str = ""
    value_minor: int = 0
    opened_on: date | None = None
    closed_on: date | None = None
    outcome: Outcome | None = None
    lost_reason: str = ""
    stage_entered_at: datetime | None = None  # None: unknown (an import did not say)
    external_id: str | None = None
    expected_close: date | None = None
    product: str = ""


@dataclass(frozen=True)
class Activity:
    id: int
    type_id: int
    process_id: int
    occurred_at: datetime
    status: ActivityStatus = ActivityStatus.DONE
    duration_min: int = 0
    person_id: int | None = None
    account_id: int | None = None
    engagement_id: int | None = None
    outcome: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Target:
    id: int
    process_id: int
    measure: str
    period: PeriodKind
    value: float
    valid_from: date
    person_id: int | None = None  # None = the whole team
    activity_type_id: int | None = None
    team: str = ""  # a team's own target (person_id None)


def format_money(minor: int, currency: str = "EUR") -> str:
    """Format integer minor units for display, e.g. ``1234500`` → ``EUR 12,345``."""
    whole, cents = divmod(abs(minor), 100)
    sign = "-" if minor < 0 else ""
    text = f"{whole:,}" if cents == 0 else f"{whole:,}.{cents:02d}"
    return f"{sign}{currency} {text}".strip()
