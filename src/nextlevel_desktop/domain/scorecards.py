"""What a scorecard is: its scope (a process; a person, a team or everybody; a period), its
measures against the targets, and the series the Monitor's charts draw. Plain values: the
services read them, the charts draw them (in the chart drawing process, which unpickles them
without the storage stack)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .measures import FarmingMeasures, HuntingMeasures, TargetResult
from .models import Process, ProcessKind
from .periods import Period


@dataclass(frozen=True)
class Scope:
    """What a scorecard is about: one process; a person, a team or everybody; one period."""

    process: Process
    person_id: int | None
    period: Period
    today: date
    team: str = ""
    members: tuple[int, ...] = ()

    @property
    def owners(self) -> tuple[int, ...] | None:
        """Whose engagements and activities count; ``None``: everybody's."""
        if self.person_id is not None:
            return (self.person_id,)
        return self.members if self.team else None

    @property
    def as_of(self) -> date:
        """The day “open” and “stalled” are judged on: the period's end, or today if sooner."""
        return min(self.period.end, self.today)

    @property
    def current(self) -> bool:
        return self.period.end >= self.today


@dataclass(frozen=True)
class Scorecard:
    scope: Scope
    measures: HuntingMeasures | FarmingMeasures
    targets: tuple[TargetResult, ...]

    @property
    def kind(self) -> ProcessKind:
        return self.scope.process.kind


@dataclass(frozen=True)
class SeriesBucket:
    period: Period
    counts: dict[int, int]  # activity type id → count
    target: float | None


@dataclass(frozen=True)
class ActivitySeries:
    types: dict[int, str]  # type id → name, in the process kind's order
    buckets: tuple[SeriesBucket, ...]
    targeted_types: frozenset[int]


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    won: int
    lost: int
    rate: float | None
    target: float | None  # fraction
