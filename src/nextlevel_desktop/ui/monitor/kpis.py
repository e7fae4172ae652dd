"""KPI tiles from scorecards: targets with status first, then every headline figure that has
no target, for the team and for one person alike."""

from __future__ import annotations

from dataclasses import dataclass

from ...domain import measures as ms
from ...domain.measures import FarmingMeasures, HuntingMeasures, TargetResult
from ...domain.targets import Unit
from ...render.cards import format_value
from ...services.scorecards import Scorecard
from .tiles import Tile


@dataclass(frozen=True)
class Figure:
    """A headline figure without a target: its value now and in the previous period."""

    title: str
    unit: Unit
    now: float | None
    before: float | None = None
    higher_is_better: bool = True
    explain: str = ""


def _delta(
    now: float | None, before: float | None, unit: Unit, currency: str, higher_is_better: bool
) -> tuple[str, bool | None]:
    """``▲ EUR 1,200``, ``▼ 16 pts`` (percentage points), ``▲ 3``: short enough for a tile."""
    if now is None or before is None:
        return "", None
    diff = now - before
    if abs(diff) < 1e-9:
        return "= previous", None
    arrow = "▲" if diff > 0 else "▼"
    if unit is Unit.PERCENT:
        size = f"{abs(diff):.0f} pts" if abs(diff) >= 1 else f"{abs(diff):.1f} pts"
    else:
        size = format_value(abs(diff), unit, currency)
    if size in (format_value(0, unit, currency), "0.0 pts"):  # too small to show
        return "≈ previous", None
    return f"{arrow} {size}", (diff > 0) == higher_is_better


def _target_tooltip(t: TargetResult, currency: str) -> str:
    lines = [
        f"{t.label}: actual ÷ target"
        + ("" if t.higher_is_better else " (lower is better: target ÷ actual)")
    ]
    if t.summed_people == 1:
        lines.append("Team target: the one person's target that is set")
    elif t.summed_people:
        lines.append(f"Team target: the sum of {t.summed_people} people's targets")
    if t.scaling and t.base_value is not None:
        lines.append(
            f"Target {format_value(t.base_value, t.unit, currency)} a {t.period_kind} "
            f"{t.scaling} = {format_value(t.target, t.unit, currency)} for this period"
        )
    return "\n".join(lines)


def _previous_line(before: float | None, unit: Unit, currency: str) -> str:
    return "" if before is None else f"Previous period: {format_value(before, unit, currency)}"


def tiles_for(card: Scorecard, previous: Scorecard | None, currency: str) -> list[Tile]:
    """Targets first (with status), then the headline figures that have no target."""
    tiles: list[Tile] = []
    prev_targets = (
        {(t.measure, t.activity_type_id): t for t in previous.targets} if previous else {}
    )
    for t in card.targets:
        before_t = prev_targets.get((t.measure, t.activity_type_id))
        before = before_t.actual if before_t else None
        delta, good = _delta(t.actual, before, t.unit, currency, t.higher_is_better)
        tip = _target_tooltip(t, currency)
        if delta:
            tip += "\n" + _previous_line(before, t.unit, currency)
        tiles.append(
            Tile(
                t.title,
                format_value(t.actual, t.unit, currency),
                format_value(t.target, t.unit, currency),
                "" if t.attainment is None else f"{t.attainment * 100:.0f} %",
                t.status,
                delta,
                good,
                tooltip=tip,
            )
        )
    for f in _figures(card, previous):
        delta, good = _delta(f.now, f.before, f.unit, currency, f.higher_is_better)
        tip = "\n".join(
            x for x in (f.explain, delta and _previous_line(f.before, f.unit, currency)) if x
        )
        tiles.append(
            Tile(
                f.title,
                format_value(f.now, f.unit, currency),
                delta=delta,
                delta_good=good,
                tooltip=tip,
            )
        )
    coverage = _coverage_tile(card, currency)
    if coverage is not None:
        tiles.append(coverage)
    return tiles


def _figures(card: Scorecard, previous: Scorecard | None) -> list[Figure]:
    """Every headline measure of the process that no target already shows."""
    targeted = {t.measure for t in card.targets}
    m, p = card.measures, previous.measures if previous else None
    out: list[Figure] = []

    def add(measure: str, figure: Figure) -> None:
        if measure not in targeted:
            out.append(figure)

    if isinstance(m, HuntingMeasures):
        pm = p if isinstance(p, HuntingMeasures) else None
        add(
            "win_rate",
            Figure(
                "Win rate",
                Unit.PERCENT,
                _pct(m.win_rate),
                _pct(pm.win_rate if pm else None),
                explain=EXPLAIN["Win rate"],
            ),
        )
        add("won_value", Figure("Won value", Unit.MONEY, m.won_value, pm.won_value if pm else None))
        add("won_count", Figure("Deals won", Unit.COUNT, m.won_count, pm.won_count if pm else None))
        add(
            "new_engagements",
            Figure(
                "New opportunities",
                Unit.COUNT,
                m.new_engagements,
                pm.new_engagements if pm else None,
                explain=EXPLAIN["New opportunities"],
            ),
        )
        out += [
            Figure("Open pipeline", Unit.MONEY, m.open_value, pm.open_value if pm else None),
            Figure(
                "Weighted pipeline",
                Unit.MONEY,
                m.weighted_pipeline,
                pm.weighted_pipeline if pm else None,
                explain=EXPLAIN["Weighted pipeline"],
            ),
            Figure(
                "Stalled",
                Unit.COUNT,
                m.stalled_count,
                pm.stalled_count if pm else None,
                higher_is_better=False,
                explain=EXPLAIN["Stalled"],
            ),
        ]
    elif isinstance(m, FarmingMeasures):
        pf = p if isinstance(p, FarmingMeasures) else None
        out += [
            Figure(
                "Accounts managed",
                Unit.COUNT,
                m.accounts_managed,
                pf.accounts_managed if pf else None,
                explain=EXPLAIN["Accounts managed"],
            ),
            Figure(
                "At risk",
                Unit.COUNT,
                m.at_risk_count,
                pf.at_risk_count if pf else None,
                higher_is_better=False,
                explain=EXPLAIN["At risk"],
            ),
        ]
        for title, now, before in (
            (
                "Value retention",
                m.retention.value_retention,
                pf.retention.value_retention if pf else None,
            ),
            (
                "Net retention",
                m.retention.net_retention,
                pf.retention.net_retention if pf else None,
            ),
        ):
            out.append(Figure(title, Unit.PERCENT, _pct(now), _pct(before), explain=EXPLAIN[title]))
        add(
            "renewal_rate",
            Figure(
                "Renewal rate",
                Unit.PERCENT,
                _pct(m.renewal_rate),
                _pct(pf.renewal_rate if pf else None),
            ),
        )
        add(
            "review_coverage",
            Figure(
                "Review coverage",
                Unit.PERCENT,
                _pct(m.review_coverage),
                _pct(pf.review_coverage if pf else None),
                explain=EXPLAIN["Review coverage"],
            ),
        )
        add(
            "new_engagements",
            Figure(
                "New account plans",
                Unit.COUNT,
                m.new_engagements,
                pf.new_engagements if pf else None,
            ),
        )
    return out


def _coverage_tile(card: Scorecard, currency: str) -> Tile | None:
    """Pipeline coverage, only where it means something: a value target for the period that is
    not met yet, in the period that is still running (a past period's remaining target is
    history, and today's pipeline says nothing about it)."""
    m = card.measures
    value_target = next((t.target for t in card.targets if t.measure == "won_value"), None)
    if not isinstance(m, HuntingMeasures) or value_target is None or not card.scope.current:
        return None
    coverage = ms.pipeline_coverage(m.open_value, value_target, m.won_value)

    def money(value: float) -> str:
        return format_value(value, Unit.MONEY, currency)

    if coverage is None:
        return Tile(
            "Pipeline coverage",
            "target met",
            detail="value target reached",
            tooltip=f"{EXPLAIN['Pipeline coverage']}\n{money(m.won_value)} won of a "
            f"{money(value_target)} target: nothing left to cover",
        )
    remaining = value_target - m.won_value
    return Tile(
        "Pipeline coverage",
        f"{coverage:.1f}×",
        detail=f"{money(remaining)} to go",
        tooltip=(
            f"{EXPLAIN['Pipeline coverage']}\n{money(m.open_value)} open ÷ "
            f"({money(value_target)} target − {money(m.won_value)} won) = {coverage:.1f}×\n"
            "About 3× is the usual rule of thumb; far more means the target is nearly met."
        ),
    )


def _pct(x: float | None) -> float | None:
    return None if x is None else x * 100


EXPLAIN = {
    "Win rate": "Won ÷ (won + lost), of the engagements closed in the period",
    "New opportunities": "Opportunities opened in the period",
    "Pipeline coverage": "Open pipeline ÷ what is left of the period's value target",
    "Weighted pipeline": "Σ value × stage win probability",
    "Stalled": "Open engagements longer in their stage than its expected days",
    "At risk": "Stalled, or no done activity on the account for longer than the review cadence",
    "Accounts managed": "Open farming engagements at the end of the period",
    "Review coverage": "Managed accounts with a done review within the cadence ÷ managed accounts",
    "Value retention": "Of the value of the accounts managed at the period's start: what was not "
    "churned or contracted in it (from recorded value changes)",
    "Net retention": "(Value at the start + expansion − churn − contraction) ÷ value at the "
    "start, for the accounts managed at the period's start",
}
