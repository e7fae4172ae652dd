"""KPI tiles from scorecards: targets with status first, then headline figures without one."""

from __future__ import annotations

from ...domain import measures as ms
from ...domain.measures import FarmingMeasures, HuntingMeasures
from ...domain.targets import Unit
from ...services.scorecards import Scorecard
from . import charts
from .build import format_value
from .tiles import Tile


def _delta(
    now: float | None, before: float | None, unit: str, higher_is_better: bool = True
) -> tuple[str, bool | None]:
    if now is None or before is None:
        return "", None
    diff = now - before
    if abs(diff) < 1e-9:
        return "= previous", None
    arrow = "▲" if diff > 0 else "▼"
    text = f"{arrow} {abs(diff):.0f}{unit} vs previous"
    return text, (diff > 0) == higher_is_better


def tiles_for(card: Scorecard, previous: Scorecard | None, currency: str) -> list[Tile]:
    """Targets first (with status), then the headline figures that have no target."""
    tiles: list[Tile] = []
    prev_targets = (
        {(t.measure, t.activity_type_id): t for t in previous.targets} if previous else {}
    )
    for t in card.targets:
        before = prev_targets.get((t.measure, t.activity_type_id))
        unit = " %" if t.unit is Unit.PERCENT else " d" if t.unit is Unit.DAYS else ""
        if t.unit is Unit.MONEY:
            delta, good = _delta(
                None if t.actual is None else t.actual / 100,
                None if before is None or before.actual is None else before.actual / 100,
                f" {currency}",
                t.higher_is_better,
            )
        else:
            delta, good = _delta(
                t.actual, before.actual if before else None, unit, t.higher_is_better
            )
        tiles.append(
            Tile(
                t.title,
                format_value(t.actual, t.unit, currency),
                format_value(t.target, t.unit, currency),
                "" if t.attainment is None else f"{t.attainment * 100:.0f} %",
                t.status,
                delta,
                good,
                tooltip=f"{t.label}: actual ÷ target"
                + ("" if t.higher_is_better else " (lower is better: target ÷ actual)"),
            )
        )
    targeted = {t.measure for t in card.targets}
    m, p = card.measures, previous.measures if previous else None
    extra: list[tuple[str, str, float | None, float | None, str, bool]] = []
    if isinstance(m, HuntingMeasures):
        pm = p if isinstance(p, HuntingMeasures) else None
        if "win_rate" not in targeted:
            extra.append(
                (
                    "Win rate",
                    charts.fmt_pct(m.win_rate),
                    _pct(m.win_rate),
                    _pct(pm.win_rate) if pm else None,
                    " %",
                    True,
                )
            )
        extra += [
            (
                "Open pipeline",
                format_value(m.open_value, Unit.MONEY, currency),
                m.open_value / 100,
                pm.open_value / 100 if pm else None,
                f" {currency}",
                True,
            ),
            (
                "Weighted pipeline",
                format_value(m.weighted_pipeline, Unit.MONEY, currency),
                m.weighted_pipeline / 100,
                pm.weighted_pipeline / 100 if pm else None,
                f" {currency}",
                True,
            ),
            (
                "Stalled",
                str(m.stalled_count),
                m.stalled_count,
                pm.stalled_count if pm else None,
                "",
                False,
            ),
        ]
        value_target = next((t.target for t in card.targets if t.measure == "won_value"), None)
        coverage = ms.pipeline_coverage(m.open_value, value_target, m.won_value)
        if value_target is not None:
            text = "target met" if coverage is None else f"{coverage:.1f}×"
            extra.append(("Pipeline coverage", text, coverage, None, "", True))
    elif isinstance(m, FarmingMeasures):
        pf = p if isinstance(p, FarmingMeasures) else None
        extra += [
            (
                "Accounts managed",
                str(m.accounts_managed),
                m.accounts_managed,
                pf.accounts_managed if pf else None,
                "",
                True,
            ),
            (
                "At risk",
                str(m.at_risk_count),
                m.at_risk_count,
                pf.at_risk_count if pf else None,
                "",
                False,
            ),
        ]
        if "renewal_rate" not in targeted:
            extra.append(
                (
                    "Renewal rate",
                    charts.fmt_pct(m.renewal_rate),
                    _pct(m.renewal_rate),
                    _pct(pf.renewal_rate) if pf else None,
                    " %",
                    True,
                )
            )
        if "review_coverage" not in targeted:
            extra.append(
                (
                    "Review coverage",
                    charts.fmt_pct(m.review_coverage),
                    _pct(m.review_coverage),
                    _pct(pf.review_coverage) if pf else None,
                    " %",
                    True,
                )
            )
    for title, text, now, before, unit, higher in extra:
        delta, good = _delta(now, before, unit, higher)
        tip = EXPLAIN.get(title, "")
        tiles.append(Tile(title, text, delta=delta, delta_good=good, tooltip=tip))
    return tiles


EXPLAIN = {
    "Pipeline coverage": "Open pipeline ÷ (value target − won value so far)",
    "Weighted pipeline": "Σ value × stage win probability",
    "Stalled": "Open engagements longer in their stage than its expected days",
    "At risk": "Stalled, or no done activity on the account within the review cadence",
    "Accounts managed": "Open farming engagements at the end of the period",
}


def _pct(x: float | None) -> float | None:
    return None if x is None else x * 100


EXPLAIN = {
    "Pipeline coverage": "Open pipeline ÷ (value target − won value so far)",
    "Weighted pipeline": "Σ value × stage win probability",
    "Stalled": "Open engagements longer in their stage than its expected days",
    "At risk": "Stalled, or no done activity on the account within the review cadence",
    "Accounts managed": "Open farming engagements at the end of the period",
}
