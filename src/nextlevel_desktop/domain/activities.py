"""Activity list rows and filters (plain values the activity list and its services share)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

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
