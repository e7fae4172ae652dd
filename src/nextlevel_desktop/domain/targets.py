"""The measures a target can be set on (DESIGN.md §4), their units and validation."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import date

from .errors import ValidationError
from .models import PeriodKind, ProcessKind


class Unit(enum.StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    MONEY = "money"
    DAYS = "days"


@dataclass(frozen=True)
class MeasureInfo:
    key: str
    label: str
    unit: Unit
    kinds: frozenset[ProcessKind]
    higher_is_better: bool = True
    needs_activity_type: bool = False


# Larger targets are typing slips (and overflow the stored hundredths).
MAX_TARGET_VALUE = 1e12

H, F = ProcessKind.HUNTING, ProcessKind.FARMING
BOTH = frozenset({H, F})

TARGET_MEASURES: dict[str, MeasureInfo] = {
    m.key: m
    for m in (
        MeasureInfo(
            "activity_count", "Activities of a type", Unit.COUNT, BOTH, needs_activity_type=True
        ),
        MeasureInfo("new_engagements", "New engagements opened", Unit.COUNT, BOTH),
        MeasureInfo(
            "stage_conversion", "Stage conversion (funnel yield)", Unit.PERCENT, frozenset({H})
        ),
        MeasureInfo("win_rate", "Win rate", Unit.PERCENT, frozenset({H})),
        MeasureInfo("won_value", "Won value", Unit.MONEY, frozenset({H})),
        MeasureInfo("won_count", "Deals won", Unit.COUNT, frozenset({H})),
        MeasureInfo("renewal_rate", "Renewal rate", Unit.PERCENT, frozenset({F})),
        MeasureInfo("review_coverage", "Review coverage", Unit.PERCENT, frozenset({F})),
        MeasureInfo(
            "cycle_days", "Cycle length (days)", Unit.DAYS, frozenset({H}), higher_is_better=False
        ),
    )
}


def validate_target(
    measure: str,
    kind: ProcessKind,
    period: PeriodKind,
    value: float,
    valid_from: date | None,
    activity_type_id: int | None,
) -> None:
    problems: dict[str, str] = {}
    info = TARGET_MEASURES.get(measure)
    if info is None:
        problems["measure"] = f"“{measure}” is not a measure a target can be set on."
    elif kind not in info.kinds:
        problems["measure"] = f"{info.label} is not measured in a {kind.value} process."
    else:
        if info.needs_activity_type and activity_type_id is None:
            problems["activity_type"] = "Choose the activity type this target counts."
        if not math.isfinite(value):
            problems["value"] = f"A target must be a number, not {value}."
        elif abs(value) > MAX_TARGET_VALUE:
            problems["value"] = f"A target can be at most {MAX_TARGET_VALUE:,.0f}, not {value:g}."
        elif info.unit is Unit.PERCENT and not 0 <= value <= 100:
            problems["value"] = f"A percentage target must be between 0 and 100, not {value:g}."
        elif value < 0:
            problems["value"] = f"A target cannot be negative ({value:g})."
    if valid_from is None:
        problems["valid_from"] = "Choose the date the target is valid from."
    if not isinstance(period, PeriodKind):
        problems["period"] = "Choose week, month or quarter."
    if problems:
        raise ValidationError(problems)
