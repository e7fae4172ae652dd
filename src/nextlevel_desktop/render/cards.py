"""Scorecards as the review, the Monitor and the PDF pages show them: table rows, measure
labels and the per-process plots (no Qt; matplotlib only through :mod:`.charts`)."""

from __future__ import annotations

from typing import Any

from ..domain.measures import FarmingMeasures, HuntingMeasures, TargetResult
from ..domain.models import ProcessKind, format_money
from ..domain.scorecards import Scorecard
from ..domain.targets import Unit
from . import charts
from .charts import ChartTheme, Hit
from .palette import PALETTE


def kind_colour(kind: ProcessKind) -> str:
    return PALETTE.hunting if kind is ProcessKind.HUNTING else PALETTE.farming


def format_value(value: float | None, unit: Unit, currency: str) -> str:
    if value is None:
        return "–"
    if unit is Unit.MONEY:
        if abs(value) >= 100_000_000:  # a million and more: 1.25M reads better than 7 digits
            return f"{currency} {value / 100_000_000:.2f}M"
        return format_money(round(value / 100) * 100, currency)
    if unit is Unit.PERCENT:
        return f"{value:.0f} %"
    if unit is Unit.DAYS:
        return f"{value:.0f} d"
    return f"{value:,.0f}" if abs(value) >= 10 else charts.fmt_count(value)


def plot_card_time(ax: Any, card: Scorecard, theme: ChartTheme, title: str) -> list[Hit]:
    """One process's time in stage against expected days (Monitor, scorecard PDF)."""
    st = card.measures.stages
    return charts.plot_time_in_stage(
        ax,
        [f.name for f in st],
        [f.time_median for f in st],
        [f.expected_days for f in st],
        [f.stalled_count for f in st],
        theme,
        title,
        kind_colour(card.kind),
        keys=[(card.scope.process.id, f.stage_id, "stalled") for f in st],
    )


def target_row(process: str, t: TargetResult, currency: str) -> list[Any]:
    return [
        process,
        t.title,
        format_value(t.actual, t.unit, currency),
        format_value(t.target, t.unit, currency),
        charts.fmt_pct(t.attainment),
        t.status if t.status else "–",
    ]


def measure_rows(card: Scorecard, currency: str) -> list[tuple[str, str]]:
    """The scorecard's measures as label/value pairs (review and PDF), without those its
    targets already show (they stand in the target table with actual and attainment)."""
    m = card.measures
    targeted = {t.measure for t in card.targets}
    rows: list[tuple[str, str, str]]  # (target measure or "", label, value)
    if isinstance(m, HuntingMeasures):
        rows = [
            ("", "Done activities", str(m.activity_count)),
            ("new_engagements", "New opportunities", str(m.new_engagements)),
            ("", "Won / lost", f"{m.won_count} / {m.lost_count}"),
            ("win_rate", "Win rate", charts.fmt_pct(m.win_rate)),
            ("won_value", "Won value", format_money(m.won_value, currency)),
            (
                "",
                "Average won value",
                format_money(round(m.average_won_value or 0), currency)
                if m.average_won_value is not None
                else "–",
            ),
            (
                "cycle_days",
                "Cycle days (mean / median)",
                f"{charts.fmt_count(m.cycle_days_mean)} / {charts.fmt_count(m.cycle_days_median)}",
            ),
            ("", "Open pipeline", f"{m.open_count} · {format_money(m.open_value, currency)}"),
            ("", "Weighted pipeline", format_money(round(m.weighted_pipeline), currency)),
            ("stage_conversion", *funnel_yield_row(m)),
            ("", "Stalled", str(m.stalled_count)),
            (
                "",
                "Sales velocity (per day)",
                "–"
                if m.sales_velocity is None
                else format_money(round(m.sales_velocity), currency),
            ),
        ]
    else:
        assert isinstance(m, FarmingMeasures)
        rows = [
            ("", "Done activities", str(m.activity_count)),
            ("", "Accounts managed", str(m.accounts_managed)),
            *retention_rows(m),
            ("review_coverage", "Review coverage", charts.fmt_pct(m.review_coverage)),
            ("", "Renewed / churned", f"{m.renewed_count} / {m.churned_count}"),
            ("renewal_rate", "Renewal rate", charts.fmt_pct(m.renewal_rate)),
            ("", "At risk", str(m.at_risk_count)),
            ("", "Handover lag (mean days)", charts.fmt_count(m.handover_lag_days_mean)),
            *retention_money_rows(m, currency),
        ]
    return [(label, value) for measure, label, value in rows if measure not in targeted]


def retention_rows(m: FarmingMeasures) -> list[tuple[str, str, str]]:
    """Value and net retention, then the money behind them (DESIGN §4: the cohort open at the
    period's start; expansion and contraction from recorded value changes)."""
    r = m.retention
    return [
        ("", "Value retention", charts.fmt_pct(r.value_retention)),
        ("", "Net retention", charts.fmt_pct(r.net_retention)),
    ]


def retention_money_rows(m: FarmingMeasures, currency: str) -> list[tuple[str, str, str]]:
    """The money behind value and net retention: the cohort's value at the start, and of it
    what was lost (churned or contracted) and what was added (expansion)."""
    r = m.retention
    lost = format_money(r.churned + r.contracted, currency)
    return [
        ("", "Value at the start", format_money(r.start_value, currency)),
        ("", "Lost · expanded", f"{lost} · {format_money(r.expanded, currency)}"),
    ]


def funnel_yield_row(m: HuntingMeasures) -> tuple[str, str]:
    """Funnel yield with the reason when it is 0 % or unknown: a bare "0 %" read as an error."""
    value = m.funnel_yield
    if value is None:
        empty = [name for name, c in m.stage_conversion.items() if c is None]
        reason = f": nobody entered {empty[0]}" if empty else ""
        return f"Funnel yield{reason}", "–"
    if value == 0:
        stuck = [name for name, c in m.stage_conversion.items() if c == 0]
        return f"Funnel yield: none moved on from {stuck[0]}", "0 %"
    # Five conversions multiply into small numbers: 0.3 % must not read as 0 %.
    text = f"{value * 100:.1f} %" if value < 0.01 else charts.fmt_pct(value)
    return "Funnel yield (first stage to won)", text


def plot_card_mix(ax: Any, card: Scorecard, theme: ChartTheme, title: str) -> list[Hit]:
    """One process's activity mix (review screen and PDF)."""
    mix = card.measures.activities_by_type
    names = sorted(mix, key=lambda n: (-mix[n], n))  # most done first
    colours = [PALETTE.series[i % len(PALETTE.series)] for i in range(len(names))]
    return charts.plot_mix(ax, names, [mix[n] for n in names], colours, theme, title)
