"""Activity list rows and filters (plain values the activity list and its services share)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

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
    person_ids: tuple[int, ...] | None = None  # a team's people


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
