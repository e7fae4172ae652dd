"""Engagement rules and list shapes: days in stage, stalls, edits, history and timelines."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from .errors import ValidationError
from .models import Stage, StageCategory


class EngagementColumn(enum.IntEnum):
    """Columns of the engagement list view, in display order."""

    NAME = 0
    ACCOUNT = 1
    STAGE = 2
    VALUE = 3
    OWNER = 4
    DAYS = 5
    OPENED = 6
    CLOSED = 7
    OUTCOME = 8
    EXPECTED_CLOSE = 9


def days_in_stage(entered_at: datetime | None, today: date) -> int:
    """Whole local days since the engagement entered its current stage (0 if unknown)."""
    if entered_at is None:
        return 0
    return max((today - entered_at.astimezone().date()).days, 0)


def is_stalled(days: int, stage: Stage | None) -> bool:
    """Stalled = open and longer in its stage than the stage's expected days (DESIGN §4)."""
    return (
        stage is not None
        and stage.category is StageCategory.OPEN
        and stage.expected_days is not None
        and stage.expected_days > 0
        and days > stage.expected_days
    )


def is_forward(current: Stage, target: Stage) -> bool:
    """A move to a later open stage or to a won stage goes forward."""
    if target.category is StageCategory.WON:
        return True
    if target.category is StageCategory.LOST:
        return False
    return target.position > current.position


@dataclass(frozen=True)
class EngagementDraft:
    """The editable fields of an engagement."""

    name: str
    value_minor: int = 0
    owner_id: int | None = None
    opened_on: date | None = None
    closed_on: date | None = None
    expected_close: date | None = None  # a forecast; never the closing date
    product: str = ""

    def validated(self, closed: bool) -> EngagementDraft:
        problems: dict[str, str] = {}
        name = self.name.strip()
        if not name:
            problems["name"] = "An engagement needs a name."
        elif len(name) > 200:
            problems["name"] = "The name can be at most 200 characters."
        if self.value_minor < 0:
            problems["value"] = "The value cannot be negative."
        if self.opened_on is None:
            problems["opened_on"] = "Enter the date the engagement was opened."
        if closed and self.closed_on is None:
            problems["closed_on"] = "A closed engagement needs its closing date."
        if not closed and self.closed_on is not None:
            problems["closed_on"] = "Only a won or lost engagement has a closing date."
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            problems["closed_on"] = "The closing date cannot be before the opening date."
        if self.opened_on and self.expected_close and self.expected_close < self.opened_on:
            problems["expected_close"] = "The expected close cannot be before the opening date."
        if len(self.product.strip()) > 200:
            problems["product"] = "The product can be at most 200 characters."
        if problems:
            raise ValidationError(problems)
        return EngagementDraft(
            name,
            self.value_minor,
            self.owner_id,
            self.opened_on,
            self.closed_on,
            self.expected_close,
            product=self.product.strip(),
        )


@dataclass(frozen=True)
class StageChangeView:
    """One recorded move, with names, for an engagement's history."""

    id: int
    changed_at: datetime
    from_stage: str
    to_stage: str
    person_name: str
    note: str = ""
    activity_id: int | None = None
    entered_known: bool = True  # False: an import did not say when (``changed_at`` orders only)


class TimelineKind(enum.StrEnum):
    ACTIVITY = "activity"
    PLANNED = "planned"
    OPENED = "opened"
    MOVED = "moved"
    WON = "won"
    LOST = "lost"
    HANDOVER = "handover"


@dataclass(frozen=True)
class TimelineEntry:
    """One line of an account's timeline (activities and stage changes, newest first)."""

    at: datetime
    kind: TimelineKind
    title: str
    detail: str = ""
    process_name: str = ""
    activity_id: int | None = None
    engagement_id: int | None = None


@dataclass(frozen=True)
class LostReason:
    """One entry of a process kind's editable list of reasons for losing (or churning)."""

    id: int
    name: str
    position: int


def validate_reason(name: str, others: list[str]) -> str:
    clean = name.strip()
    if not clean:
        raise ValidationError({"name": "A reason needs a name."})
    if len(clean) > 120:
        raise ValidationError({"name": "A reason can be at most 120 characters."})
    if clean.casefold() in {o.casefold() for o in others}:
        raise ValidationError({"name": f"“{clean}” is already in the list."})
    return clean
