"""The measures as ``report --json`` writes them: the snake_case keys of DESIGN.md §4, money in
currency units."""

from __future__ import annotations

from .measures import FarmingMeasures, HuntingMeasures, funnel_yield, pipeline_coverage


def money(minor: float | None) -> float | None:
    """Minor units to currency units for reports (two decimals)."""
    return None if minor is None else round(minor / 100, 2)


def hunting_report(m: HuntingMeasures) -> dict[str, object]:
    """The hunting measures under the snake_case keys of DESIGN.md §4 (money in currency units)."""
    return {
        "activity_count": m.activity_count,
        "activities_by_type": dict(m.activities_by_type),
        "new_engagements": m.new_engagements,
        "won_count": m.won_count,
        "lost_count": m.lost_count,
        "win_rate": m.win_rate,
        "won_value": money(m.won_value),
        "average_won_value": money(m.average_won_value),
        "cycle_days_mean": m.cycle_days_mean,
        "cycle_days_median": m.cycle_days_median,
        "open_count": m.open_count,
        "open_value": money(m.open_value),
        "weighted_pipeline": money(m.weighted_pipeline),
        "stalled_count": m.stalled_count,
        "sales_velocity": money(m.sales_velocity),
        "stage_conversion": dict(m.stage_conversion),
        "time_in_stage_days_median": dict(m.time_in_stage_days_median),
    }


def farming_report(m: FarmingMeasures) -> dict[str, object]:
    return {
        "activity_count": m.activity_count,
        "activities_by_type": dict(m.activities_by_type),
        "accounts_managed": m.accounts_managed,
        "review_coverage": m.review_coverage,
        "renewed_count": m.renewed_count,
        "churned_count": m.churned_count,
        "renewal_rate": m.renewal_rate,
        "at_risk_count": m.at_risk_count,
        "handover_lag_days_mean": m.handover_lag_days_mean,
    }


def process_report(
    m: HuntingMeasures | FarmingMeasures, value_target: float | None
) -> dict[str, object]:
    """The figures ``report --json`` carries beside its measures, for either kind (``None``
    where the kind or the data does not define them): pipeline coverage against the period's
    value target, funnel yield, mean days in each stage, value and net retention."""
    coverage = None
    if isinstance(m, HuntingMeasures):
        coverage = pipeline_coverage(m.open_value, value_target, m.won_value)
    retention = m.retention if isinstance(m, FarmingMeasures) else None
    return {
        "pipeline_coverage": coverage,
        "funnel_yield": funnel_yield([f.conversion for f in m.stages]),
        "time_in_stage_days_mean": {f.name: f.time_mean for f in m.stages},
        "value_retention": retention.value_retention if retention else None,
        "net_retention": retention.net_retention if retention else None,
    }
