"""Activity list rows and filters (plain values the activity list and its services share)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from .errors import ValidationError
from .models import ActivityStatus


class ActivityColumn(enum.IntEnum):
    """Columns of the activity list, in display order."""

    DATE = 0
    TYPE = 1
    PERSON = 2
    ACCOUNT = 3
    ENGAGEMENT = 4
    PROCESS = 5
    OUTCOME = 6
    STATUS = 7


@dataclass(frozen=True)
class ActivityFilter:
    """What the activity list shows. ``None`` means no restriction."""

    person_id: int | None = None
    process_id: int | None = None
    type_id: int | None = None
    status: ActivityStatus | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    text: str = ""
    account_id: int | None = None
    engagement_id: int | None = None

    def matches(self, facts: ActivityFacts) -> bool | None:
        """Whether the list shows an activity with these facts; ``None`` when the facts cannot
        tell (a text search also matches account names). Mirrors the SQL filter of the list."""
        if self.text.strip():
            return None
        return (
            (self.person_id is None or facts.person_id == self.person_id)
            and (self.process_id is None or facts.process_id == self.process_id)
            and (self.type_id is None or facts.type_id == self.type_id)
            and (self.status is None or facts.status == self.status.value)
            and (self.date_from is None or facts.occurred_on >= self.date_from)
            and (self.date_to is None or facts.occurred_on <= self.date_to)
            and (self.account_id is None or facts.account_id == self.account_id)
            and (self.engagement_id is None or facts.engagement_id == self.engagement_id)
        )


@dataclass(frozen=True)
class ActivityFacts:
    """The fields of one stored activity that the list's filters look at."""

    type_id: int
    process_id: int
    status: str
    occurred_on: date
    person_id: int | None
    account_id: int | None
    engagement_id: int | None

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> ActivityFacts:
        """From an activity row's column values."""
        return cls(**{f.name: values[f.name] for f in fields(cls)})


@dataclass(frozen=True)
class ActivityEdit:
    """One activity row a write changed: before and after (``None``: did not exist)."""

    before: ActivityFacts | None
    after: ActivityFacts | None

    def inverted(self) -> ActivityEdit:
        return ActivityEdit(self.after, self.before)


def count_delta(flt: ActivityFilter, edits: Iterable[ActivityEdit]) -> int | None:
    """How the filtered total changes through ``edits``; ``None`` if the filter cannot tell."""
    delta = 0
    for edit in edits:
        for facts, sign in ((edit.before, -1), (edit.after, 1)):
            if facts is None:
                continue
            shown = flt.matches(facts)
            if shown is None:
                return None
            delta += sign if shown else 0
    return delta


@dataclass(frozen=True)
class ActivityListRow:
    id: int
    occurred_at: datetime
    type_name: str
    person_name: str
    account_name: str
    engagement_name: str
    process_name: str
    outcome: str
    status: ActivityStatus


MAX_DURATION_MIN = 24 * 60


@dataclass(frozen=True)
class ActivityDraft:
    """What a user enters to log or edit an activity.

    ``account_name`` without ``account_id`` creates that account in the same write.
    """

    type_id: int | None
    occurred_at: datetime | None
    status: ActivityStatus = ActivityStatus.DONE
    duration_min: int = 0
    person_id: int | None = None
    account_id: int | None = None
    account_name: str = ""
    engagement_id: int | None = None
    outcome: str = ""
    notes: str = ""

    def validated(self, now: datetime) -> ActivityDraft:
        problems: dict[str, str] = {}
        if self.account_id is None and not self.account_name.strip():
            problems["account"] = "Choose an account, or type a new name to create one."
        elif self.account_id is None and len(self.account_name.strip()) > 200:
            problems["account"] = "An account name can be at most 200 characters."
        if self.type_id is None:
            problems["type"] = "Choose what kind of activity this was."
        if self.occurred_at is None:
            problems["when"] = "Enter the date and time."
        elif self.occurred_at.tzinfo is None:
            problems["when"] = "The time needs a time zone."
        elif self.status is ActivityStatus.DONE and (self.occurred_at - now).total_seconds() > 3600:
            problems["when"] = (
                "A done activity cannot be in the future. Mark it planned, or correct the date."
            )
        if not 0 <= self.duration_min <= MAX_DURATION_MIN:
            problems["duration"] = "The duration must be between 0 and 1,440 minutes (24 hours)."
        if len(self.outcome) > 200:
            problems["outcome"] = "The outcome can be at most 200 characters; use the notes."
        if problems:
            raise ValidationError(problems)
        return self
