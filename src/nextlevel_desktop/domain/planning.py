"""The reverse funnel (DESIGN §4): from an outcome target back to the work that produces it.

An outcome target for a period (won value or won count) ÷ the average won value → wins needed;
÷ each stage's conversion, from the last stage back → entries needed per stage (the first stage's
entries are the new engagements); the advances those entries make × the activities per advance,
by type → activities; each ÷ the period's weeks → per week, started one average cycle before the
period. The rates are what the scope did in a window the user chooses; a rate resting on fewer
than ``MIN_OBSERVATIONS`` of a person's own observations is taken from their team instead
(everybody's, for a person without a team or for a team's own plan), and the plan says whose.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .errors import ValidationError
from .measures import rate
from .models import PeriodKind
from .processes import TargetSpec

# Fewer observations than this and a rate is the fallback's (and the plan says so).
MIN_OBSERVATIONS = 5
PACE_DAYS = 28  # the current pace: what was done per week over the last four weeks
OUTCOMES = ("won_value", "won_count")


def pace_window(today: date) -> tuple[date, date]:
    """The last four weeks up to and including ``today``: the current pace's window."""
    return today - timedelta(days=PACE_DAYS - 1), today


def rate_window(today: date, months: int) -> tuple[date, date]:
    """The ``months`` months up to and including ``today`` (same day of the month, clamped)."""
    if not 1 <= months <= 60:
        raise ValidationError({"window": f"The window is 1 to 60 months, not {months}."})
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day) + timedelta(days=1), today


@dataclass(frozen=True)
class Window:
    """What one scope (a person or a team) did in a window of days: the measured raw counts."""

    start: date
    end: date
    new_engagements: int = 0
    won_count: int = 0
    won_value: int = 0  # minor units
    cycle_days: float | None = None  # mean days from opened to won, of the wins in the window
    cycle_count: int = 0  # wins whose cycle is known
    # Per open stage in order: (name, entered in the window, of those left forward).
    stages: tuple[tuple[str, int, int], ...] = ()
    activities: Mapping[str, int] = field(default_factory=dict)  # done, by type

    @property
    def weeks(self) -> float:
        return ((self.end - self.start).days + 1) / 7

    @property
    def advances(self) -> int:
        """Engagements moved forward out of a stage (a later open stage or won)."""
        return sum(advanced for _, _, advanced in self.stages)


@dataclass(frozen=True)
class Rate:
    """One rate a plan uses, the observations behind it, and whose it is."""

    value: float | None
    observations: int
    source: str = "own"  # or whose rates filled in a thin one: "team" or "everybody"

    @property
    def team(self) -> bool:
        """Whether the rate is borrowed (not the scope's own)."""
        return self.source != "own"


@dataclass(frozen=True)
class Rates:
    average_won_value: Rate  # minor units
    cycle_days: Rate
    conversions: tuple[tuple[str, Rate], ...]  # per open stage, in order
    activities_per_advance: tuple[tuple[str, Rate], ...]  # by activity type
    window: tuple[date, date]

    @property
    def sources(self) -> list[str]:
        """Whose rates filled in thin ones ("team", "everybody"), in that order."""
        used = {r.source for r in self._all()}
        return [s for s in ("team", "everybody") if s in used]

    def _all(self) -> list[Rate]:
        return [
            self.average_won_value,
            self.cycle_days,
            *(r for _, r in self.conversions),
            *(r for _, r in self.activities_per_advance),
        ]

    @property
    def team_notes(self) -> list[str]:
        """Which rates are the fallback's, in words."""
        notes = []
        if self.average_won_value.team:
            notes.append("average won value")
        if self.cycle_days.team:
            notes.append("cycle length")
        notes += [f"{name} conversion" for name, r in self.conversions if r.team]
        if any(r.team for _, r in self.activities_per_advance):
            notes.append("activities per advance")
        return notes


def needs_team(own: Window) -> bool:
    """Whether any rate of ``own`` rests on fewer than ``MIN_OBSERVATIONS`` observations."""
    counts = [own.won_count, own.cycle_count, own.advances, *(e for _, e, _ in own.stages)]
    return min(counts, default=0) < MIN_OBSERVATIONS


def choose_rates(own: Window, *fallbacks: tuple[str, Window]) -> Rates:
    """The rates of ``own``; each one resting on fewer than ``MIN_OBSERVATIONS`` observations
    is taken from the first of ``fallbacks`` (named windows, e.g. the person's "team", then
    "everybody") where it rests on enough, else from the last; its ``source`` says whose."""

    def pick(mine: Rate, of: Callable[[Window], Rate]) -> Rate:
        if mine.observations >= MIN_OBSERVATIONS or not fallbacks:
            return mine
        for name, window in fallbacks[:-1]:
            theirs = of(window)
            if theirs.observations >= MIN_OBSERVATIONS:
                return replace(theirs, source=name)
        name, window = fallbacks[-1]  # the last resort, however thin
        return replace(of(window), source=name)

    def conversion(name: str) -> Callable[[Window], Rate]:
        def of(w: Window) -> Rate:
            entered, adv = next(((e, a) for n, e, a in w.stages if n == name), (0, 0))
            return Rate(rate(adv, entered), entered)

        return of

    def value(w: Window) -> Rate:
        return Rate(rate(w.won_value, w.won_count), w.won_count)

    def cycle(w: Window) -> Rate:
        return Rate(w.cycle_days, w.cycle_count)

    def advances(w: Window) -> Rate:
        return Rate(None, w.advances)

    # Activities per advance all come from one window: the one whose advances are enough.
    acts_from = pick(advances(own), advances)
    source = dict(fallbacks).get(acts_from.source, own)
    activities = tuple(
        (t, Rate(rate(n, source.advances), source.advances, acts_from.source))
        for t, n in source.activities.items()
    )
    return Rates(
        average_won_value=pick(value(own), value),
        cycle_days=pick(cycle(own), cycle),
        conversions=tuple((n, pick(Rate(rate(a, e), e), conversion(n))) for n, e, a in own.stages),
        activities_per_advance=activities,
        window=(own.start, own.end),
    )


@dataclass(frozen=True)
class Need:
    """One number of a plan: in total for the period, per week, and the current pace."""

    name: str
    total: float
    per_week: float
    pace: float | None = None  # per week over the pace window (the last four weeks)

    @property
    def pace_ratio(self) -> float | None:
        """Current pace ÷ what is needed (1.0 = on pace)."""
        return None if self.pace is None else rate(self.pace, self.per_week)


@dataclass(frozen=True)
class Plan:
    outcome: str  # "won_value" or "won_count"
    amount: float  # the target: minor units for won value, a count for won count
    period: tuple[date, date]
    weeks: float
    rates: Rates
    wins: Need
    new_engagements: Need
    entries: tuple[Need, ...]  # per open stage, in order (the first is the new engagements)
    activities: tuple[Need, ...]  # by type
    start_by: date | None  # one average cycle before the period
    pace_window: tuple[date, date] | None = None


def reverse_funnel(
    outcome: str, amount: float, start: date, end: date, rates: Rates, pace: Window | None = None
) -> Plan:
    """Work back from ``amount`` of ``outcome`` in ``start``–``end`` to the weekly work.

    Raises ``ValidationError`` naming the rate that is missing (nothing won, nobody entered a
    stage, nothing moved on from one) — no plan can rest on it.
    """
    if outcome not in OUTCOMES:
        raise ValidationError({"outcome": f"Plan for won value or won count, not “{outcome}”."})
    if not math.isfinite(amount) or amount <= 0:
        raise ValidationError({"target": "The target must be more than zero."})
    if end < start:
        raise ValidationError({"period": "The period ends before it starts."})
    if not rates.conversions:
        raise ValidationError({"rates": "The process has no open stages to plan through."})
    weeks = ((end - start).days + 1) / 7
    if outcome == "won_value":
        average = rates.average_won_value.value
        if not average:
            raise ValidationError(
                {
                    "rates": "Nothing was won in the window, so there is no average won value: "
                    "widen the window or plan for a number of wins."
                }
            )
        wins = amount / average
    else:
        wins = amount
    entries: list[float] = []
    needed = wins
    for name, conv in reversed(rates.conversions):
        if conv.value is None:
            raise ValidationError(
                {
                    "rates": f"Nobody entered {name} in the window: its conversion is unknown. "
                    "Widen the window."
                }
            )
        if conv.value == 0:
            raise ValidationError(
                {
                    "rates": f"Nothing moved on from {name} in the window: no number of entries "
                    "reaches the target at a conversion of 0 %."
                }
            )
        needed = needed / conv.value
        entries.append(needed)
    entries.reverse()
    advances = sum(e * (c.value or 0) for e, (_, c) in zip(entries, rates.conversions, strict=True))

    def pace_of(count: float | None) -> float | None:
        return None if pace is None or count is None else count / pace.weeks

    pace_entries = dict((n, e) for n, e, _ in pace.stages) if pace else {}
    stage_needs = tuple(
        Need(name, e, e / weeks, pace_of(pace_entries.get(name, 0) if pace else None))
        for e, (name, _) in zip(entries, rates.conversions, strict=True)
    )
    activities = tuple(
        Need(
            t,
            advances * r.value,
            advances * r.value / weeks,
            pace_of(pace.activities.get(t, 0) if pace else None),
        )
        for t, r in rates.activities_per_advance
        if r.value
    )
    cycle = rates.cycle_days.value
    return Plan(
        outcome=outcome,
        amount=amount,
        period=(start, end),
        weeks=weeks,
        rates=rates,
        wins=Need("Wins", wins, wins / weeks, pace_of(pace.won_count if pace else None)),
        new_engagements=Need(
            "New engagements",
            entries[0],
            entries[0] / weeks,
            pace_of(pace.new_engagements if pace else None),
        ),
        entries=stage_needs,
        activities=activities,
        start_by=None if cycle is None else start - timedelta(days=round(cycle)),
        pace_window=(pace.start, pace.end) if pace else None,
    )


def whole(x: float) -> int:
    """A needed number as a whole target: rounded up (2.01 calls a week is 3), but not a float
    error's worth over a whole number (12.000000001 wins is 12)."""
    return math.ceil(round(x, 6))


def plan_targets(
    plan: Plan,
    period: PeriodKind | None,
    person_id: int | None,
    type_ids: Mapping[str, int],
    outcome_measures: bool = True,
) -> list[TargetSpec]:
    """The plan as targets: the outcome for its period (when ``period`` is a week, month or
    quarter and the process kind has outcome targets), and new engagements and activities of
    each type per week, whole numbers rounded up, valid from the date work must start."""
    start = plan.period[0]
    begin = min(plan.start_by or start, start)
    specs = []
    if outcome_measures and period is not None:
        specs.append(TargetSpec(plan.outcome, period, round(plan.amount), start, person_id))
    week = PeriodKind.WEEK
    specs.append(
        TargetSpec("new_engagements", week, whole(plan.new_engagements.per_week), begin, person_id)
    )
    specs += [
        TargetSpec("activity_count", week, whole(a.per_week), begin, person_id, type_ids[a.name])
        for a in plan.activities
        if a.name in type_ids
    ]
    return specs
