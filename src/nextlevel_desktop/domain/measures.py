"""The measures of DESIGN.md §4 as pure functions over plain aggregates.

The scorecard service counts and sums in SQL (GROUP BY over indexed columns) and hands the small
aggregates to these functions, so every formula is written once and tested here without a
database. Rates are fractions 0–1; a rate whose denominator is zero is ``None``, never 0.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from .models import ProcessKind
from .periods import Period, scale_factor, scaling_note
from .targets import TARGET_MEASURES, Unit


class Status(enum.StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BEHIND = "behind"

    @property
    def label(self) -> str:
        return {"on_track": "On track", "at_risk": "At risk", "behind": "Behind"}[self.value]


# Basic arithmetic on aggregates -----------------------------------------------------------


def rate(numerator: float, denominator: float) -> float | None:
    """``numerator ÷ denominator``, or ``None`` when there is nothing to divide by."""
    return None if not denominator else numerator / denominator


def histogram_total(hist: Mapping[int, int]) -> int:
    return sum(hist.values())


def histogram_mean(hist: Mapping[int, int]) -> float | None:
    """Mean of values given as ``{value: how many}`` (what a GROUP BY returns)."""
    n = histogram_total(hist)
    return None if n == 0 else sum(v * c for v, c in hist.items()) / n


def histogram_median(hist: Mapping[int, int]) -> float | None:
    """Median of values given as ``{value: how many}``; the mean of the two middles if even."""
    n = histogram_total(hist)
    if n == 0:
        return None
    lo_rank, hi_rank = (n - 1) // 2, n // 2
    lo = hi = None
    seen = 0
    for value in sorted(hist):
        count = hist[value]
        if count <= 0:
            continue
        if lo is None and seen + count > lo_rank:
            lo = value
        if seen + count > hi_rank:
            hi = value
            break
        seen += count
    assert lo is not None and hi is not None
    return (lo + hi) / 2


def day_histogram(pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Merge ``(days, count)`` rows into one histogram (negative days are data errors: dropped)."""
    hist: dict[int, int] = {}
    for days, count in pairs:
        if days is None or days < 0:
            continue
        hist[days] = hist.get(days, 0) + count
    return hist


# Hunting ------------------------------------------------------------------------------------


def win_rate(won: int, lost: int) -> float | None:
    """Won ÷ (won + lost), on engagements closed in the period."""
    return rate(won, won + lost)


def average_won_value(won_value: int, won_count: int) -> float | None:
    return rate(won_value, won_count)


# Below this many known transitions a conversion is shown with a warning: an import whose file
# gives few stage dates proves few of them (DESIGN §4, "unknown is unknown").
FEW_TRANSITIONS = 5


def few_transitions(entered: int) -> str:
    """A note for a conversion resting on few known transitions; "" when there are enough."""
    if 0 < entered < FEW_TRANSITIONS:
        return f"rests on only {entered} known transition{'s' if entered > 1 else ''}"
    return ""


def stage_conversion(entered: int, left_forward: int) -> float | None:
    """c_i = engagements that left stage i forward ÷ engagements that entered stage i."""
    if left_forward > entered:
        raise ValueError("more engagements left a stage than entered it")
    return rate(left_forward, entered)


def funnel_yield(conversions: Sequence[float | None]) -> float | None:
    """The product of the stage conversions; unknown if any stage has no entries."""
    if not conversions or any(c is None for c in conversions):
        return None
    return math.prod(c for c in conversions if c is not None)


def weighted_pipeline(
    value_by_stage: Mapping[int, int], probability: Mapping[int, int | None]
) -> float:
    """Σ value × stage probability (stages without a probability count as 0 %)."""
    return sum(v * (probability.get(s) or 0) / 100 for s, v in value_by_stage.items())


def sales_velocity(
    open_count: int,
    win: float | None,
    average_won: float | None,
    cycle_days: float | None,
) -> float | None:
    """Open engagements × win rate × average won value ÷ average won cycle days (value/day)."""
    if win is None or average_won is None or not cycle_days:
        return None
    return open_count * win * average_won / cycle_days


def pipeline_coverage(open_value: int, value_target: float | None, won_value: int) -> float | None:
    """Open pipeline ÷ (value target − won value so far); ``None`` once the target is met."""
    if value_target is None:
        return None
    remaining = value_target - won_value
    return None if remaining <= 0 else open_value / remaining


def is_stalled(days_in_stage: int, expected_days: int | None) -> bool:
    return expected_days is not None and days_in_stage > expected_days


def days_over(days_in_stage: int, expected_days: int | None) -> int:
    return 0 if expected_days is None else max(days_in_stage - expected_days, 0)


# Farming ------------------------------------------------------------------------------------


def renewal_rate(renewed: int, churned: int) -> float | None:
    """Renewed ÷ (renewed + churned), on engagements closed in the period."""
    return rate(renewed, renewed + churned)


def review_coverage(reviewed: int, managed: int) -> float | None:
    """Managed accounts reviewed within the cadence ÷ managed accounts."""
    if reviewed > managed:
        raise ValueError("more accounts reviewed than managed")
    return rate(reviewed, managed)


@dataclass(frozen=True)
class Retention:
    """The farming cohort open at a period's start: its value then, and of that value how
    much churned (closed lost in the period), contracted and expanded (recorded value
    changes, net per engagement, of those not churned) by the period's end; minor units."""

    start_value: int = 0
    churned: int = 0
    contracted: int = 0
    expanded: int = 0

    @property
    def value_retention(self) -> float | None:
        """(Start value − churned and contracted value) ÷ start value."""
        return rate(self.start_value - self.churned - self.contracted, self.start_value)

    @property
    def net_retention(self) -> float | None:
        """(Start value + expansion − churned and contracted value) ÷ start value."""
        lost = self.churned + self.contracted
        return rate(self.start_value + self.expanded - lost, self.start_value)


def retention(
    value_now: int, churned_now: int, changes: Iterable[tuple[bool, int, int]]
) -> Retention:
    """The cohort's :class:`Retention` from its values now and its recorded value changes.

    ``value_now``: the cohort's value today; ``churned_now``: that of its members churned in
    the period. ``changes``: per member with value changes since the period's start, whether it
    churned, how much its value moved since the start, and since the end. A value at the start
    is the value now less what moved since the start; a kept member's net change in the period
    is what moved since the start less what moved since the end: expansion if up, contraction
    if down.
    """
    start, churned, contracted, expanded = value_now, churned_now, 0, 0
    for was_churned, since_start, since_end in changes:
        start -= since_start
        if was_churned:
            churned -= since_start
            continue
        net = since_start - since_end
        if net > 0:
            expanded += net
        else:
            contracted -= net
    return Retention(start, churned, contracted, expanded)


# Targets ------------------------------------------------------------------------------------


def attainment(
    actual: float | None, target: float | None, higher_is_better: bool = True
) -> float | None:
    """Actual ÷ target (target ÷ actual where lower is better, e.g. cycle length)."""
    if actual is None or target is None:
        return None
    if higher_is_better:
        return rate(actual, target)
    return rate(target, actual)


def status(value: float | None, on_track_pct: int = 100, at_risk_pct: int = 80) -> Status | None:
    """On track ≥ on_track_pct, at risk ≥ at_risk_pct, behind below; no attainment, no status."""
    if value is None:
        return None
    if value * 100 >= on_track_pct - 1e-9:
        return Status.ON_TRACK
    if value * 100 >= at_risk_pct - 1e-9:
        return Status.AT_RISK
    return Status.BEHIND


def scaled_target(value: float, unit: Unit, factor: float) -> float:
    """A count or money target scales with the period's length; rates and days do not."""
    return value * factor if unit in (Unit.COUNT, Unit.MONEY) else value


@dataclass(frozen=True)
class TargetSpec:
    """A target as stored: ``value`` in the measure's unit per ``period_kind``."""

    measure: str
    activity_type_id: int | None
    activity_type: str
    person_id: int | None  # None = the team
    period_kind: str
    value: float
    valid_from: date
    # After resolve_targets: the value per ``period_kind`` before it was converted to the
    # period (None when people's targets of different period kinds were summed), how it was
    # converted ("× 3 months"), and how many people's targets a team target sums (0: its own).
    base_value: float | None = None
    scaling: str = ""
    summed_people: int = 0
    team: str = ""  # set for a team (person_id None): that team's own target


def resolve_targets(
    specs: Iterable[TargetSpec],
    kind: ProcessKind,
    person_id: int | None,
    period: Period,
    active_people: Iterable[int] = (),
) -> list[TargetSpec]:
    """The targets that apply to a person (or the team) in ``period``, scaled to its length.

    Per measure (and activity type) the latest target valid by the period's end counts. A person
    gets their own targets, and the team's rate and days targets where they have none of their
    own. The team gets team targets, and for counts and money without a team target the sum of
    its active people's targets (20 calls a week each × 3 reps = 60 calls a week).
    """
    active = set(active_people)
    specs = [s for s in specs if not s.team]  # a team's own targets: see ``team_targets``
    latest: dict[tuple[str, int | None, int | None], TargetSpec] = {}
    for spec in sorted(specs, key=lambda t: t.valid_from):
        info = TARGET_MEASURES.get(spec.measure)
        if info is None or kind not in info.kinds or spec.valid_from > period.end:
            continue
        latest[(spec.measure, spec.activity_type_id, spec.person_id)] = spec
    chosen: dict[tuple[str, int | None], TargetSpec] = {}

    def scaled(spec: TargetSpec) -> TargetSpec:
        unit = TARGET_MEASURES[spec.measure].unit
        if unit not in (Unit.COUNT, Unit.MONEY):
            return replace(spec, base_value=spec.value)
        factor = scale_factor(spec.period_kind, period)
        return replace(
            spec,
            value=scaled_target(spec.value, unit, factor),
            base_value=spec.value,
            scaling=scaling_note(spec.period_kind, period),
        )

    for (measure, type_id, person), spec in latest.items():
        unit = TARGET_MEASURES[measure].unit
        key = (measure, type_id)
        if person_id is not None:
            if person == person_id:
                chosen[key] = scaled(spec)
            elif person is None and unit in (Unit.PERCENT, Unit.DAYS):
                chosen.setdefault(key, scaled(spec))
        elif person is None:
            chosen[key] = scaled(spec)
    if person_id is None:
        sums: dict[tuple[str, int | None], TargetSpec] = {}
        for (measure, type_id, person), spec in latest.items():
            unit = TARGET_MEASURES[measure].unit
            key = (measure, type_id)
            if person is None or person not in active or key in chosen:
                continue
            if unit not in (Unit.COUNT, Unit.MONEY):
                continue
            part = scaled(spec)
            old = sums.get(key)
            if old is None:
                sums[key] = replace(part, person_id=None, summed_people=1)
                continue
            base = None
            if old.period_kind == part.period_kind and old.base_value is not None:
                base = old.base_value + (part.base_value or 0.0)
            sums[key] = replace(
                old,
                value=old.value + part.value,
                base_value=base,
                scaling=old.scaling if base is not None else "",
                summed_people=old.summed_people + 1,
            )
        chosen.update(sums)
    order = list(TARGET_MEASURES)
    return sorted(chosen.values(), key=lambda t: (order.index(t.measure), t.activity_type))


@dataclass(frozen=True)
class TargetResult:
    """One target of a scorecard: what was aimed for, what happened, how far along it is."""

    measure: str
    label: str
    unit: Unit
    target: float
    actual: float | None
    attainment: float | None
    status: Status | None
    activity_type_id: int | None = None
    activity_type: str = ""
    person_id: int | None = None
    period_kind: str = ""
    higher_is_better: bool = True
    base_value: float | None = None  # the target per ``period_kind``, before conversion
    scaling: str = ""  # how it was converted to the period ("× 3 months"); "" when not
    summed_people: int = 0  # a team target summed from this many people's targets

    @property
    def title(self) -> str:
        if self.activity_type:
            return f"{self.activity_type} activities"
        return self.label


def target_result(
    measure: str,
    target: float,
    actual: float | None,
    on_track_pct: int,
    at_risk_pct: int,
    **extra: object,
) -> TargetResult:
    info = TARGET_MEASURES[measure]
    att = attainment(actual, target, info.higher_is_better)
    return TargetResult(
        measure=measure,
        label=info.label,
        unit=info.unit,
        target=target,
        actual=actual,
        attainment=att,
        status=status(att, on_track_pct, at_risk_pct),
        higher_is_better=info.higher_is_better,
        **extra,  # type: ignore[arg-type]
    )


# Scorecards -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageFigures:
    """Per-stage figures of one process in one period (all stages of the funnel)."""

    stage_id: int
    name: str
    entered: int = 0
    left_forward: int = 0
    conversion: float | None = None
    target_conversion: float | None = None  # fraction
    time_median: float | None = None
    time_mean: float | None = None
    expected_days: int | None = None
    open_count: int = 0
    open_value: int = 0
    weighted_value: float = 0.0
    stalled_count: int = 0
    at_risk_count: int = 0  # farming: stalled, or no activity within the cadence


@dataclass(frozen=True)
class HuntingMeasures:
    activity_count: int
    activities_by_type: dict[str, int]
    new_engagements: int
    won_count: int
    lost_count: int
    won_value: int
    cycle_days_mean: float | None
    cycle_days_median: float | None
    open_count: int
    open_value: int
    weighted_pipeline: float
    stalled_count: int
    stage_conversion: dict[str, float | None]
    time_in_stage_days_median: dict[str, float | None]
    stages: tuple[StageFigures, ...] = field(default=(), compare=False)

    @property
    def win_rate(self) -> float | None:
        return win_rate(self.won_count, self.lost_count)

    @property
    def average_won_value(self) -> float | None:
        return average_won_value(self.won_value, self.won_count)

    @property
    def sales_velocity(self) -> float | None:
        return sales_velocity(
            self.open_count, self.win_rate, self.average_won_value, self.cycle_days_mean
        )

    @property
    def funnel_yield(self) -> float | None:
        return funnel_yield(list(self.stage_conversion.values()))


@dataclass(frozen=True)
class FarmingMeasures:
    activity_count: int
    activities_by_type: dict[str, int]
    new_engagements: int
    accounts_managed: int
    reviewed_accounts: int
    renewed_count: int
    churned_count: int
    at_risk_count: int
    stalled_count: int
    handover_lag_days_mean: float | None
    stages: tuple[StageFigures, ...] = field(default=(), compare=False)
    retention: Retention = Retention()

    @property
    def review_coverage(self) -> float | None:
        return review_coverage(self.reviewed_accounts, self.accounts_managed)

    @property
    def renewal_rate(self) -> float | None:
        return renewal_rate(self.renewed_count, self.churned_count)


def target_actual(
    measure: str,
    m: HuntingMeasures | FarmingMeasures,
    activity_type: str = "",
) -> float | None:
    """The actual value a target on ``measure`` is compared with, in the target's unit (None
    where the measures of ``m``'s kind have no such figure)."""
    if measure == "activity_count":
        return float(m.activities_by_type.get(activity_type, 0))
    name = {"stage_conversion": "funnel_yield", "cycle_days": "cycle_days_mean"}.get(measure)
    value = getattr(m, name or measure, None)
    info = TARGET_MEASURES.get(measure)
    if value is None or info is None:
        return None
    return value * 100 if info.unit is Unit.PERCENT else float(value)


def team_targets(
    specs: Iterable[TargetSpec], team: str, members: Iterable[int], active_people: Iterable[int]
) -> tuple[list[TargetSpec], frozenset[int]]:
    """The specs and active people that make ``resolve_targets`` (for ``person_id`` None)
    resolve a team's targets: the team's own targets; rates and days of the whole workspace
    where the team has none; otherwise the sum of its active members' targets."""
    wanted = team.casefold()
    specs = list(specs)
    own = [
        replace(s, team="") for s in specs if s.team.casefold() == wanted and s.person_id is None
    ]
    keys = {(s.measure, s.activity_type_id) for s in own}
    rates = [
        s
        for s in specs
        if s.person_id is None
        and not s.team
        and (s.measure, s.activity_type_id) not in keys
        and (info := TARGET_MEASURES.get(s.measure)) is not None
        and info.unit in (Unit.PERCENT, Unit.DAYS)
    ]
    people = [s for s in specs if s.person_id is not None]
    return [*own, *rates, *people], frozenset(set(members) & set(active_people))
