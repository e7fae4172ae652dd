"""From scorecards and series to tiles, chart drawings and chart tables (no Qt, no pyplot).

The Monitor, the review and the PDF exports all use these, so a figure looks and reads the same
on screen and on paper.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial, wraps
from typing import Any, ParamSpec

from ...domain import measures as ms
from ...domain.measures import FarmingMeasures, HuntingMeasures
from ...domain.models import Process, ProcessKind, format_money
from ...domain.periods import Granularity, Period, short_range
from ...domain.scorecards import ActivitySeries, Scorecard, TrendPoint
from ...render import charts
from ...render.cards import kind_colour, plot_card_mix, plot_card_time, target_row
from ...render.chart_style import plots
from ...render.charts import ChartTheme, Hit

Draw = Callable[[Any, ChartTheme], list[Hit]]
Table = Callable[[], tuple[Sequence[str], Sequence[Sequence[Any]]]]
P = ParamSpec("P")


def chart_window(period: Period) -> tuple[Period, Granularity]:
    """The range and bar size of the activity chart: the period in context."""
    if period.kind is Granularity.WEEK:
        return Period(period.shifted(-7).start, period.end, Granularity.CUSTOM), Granularity.WEEK
    if period.kind is Granularity.MONTH:
        return Period(period.shifted(-5).start, period.end, Granularity.CUSTOM), Granularity.MONTH
    if period.kind is Granularity.QUARTER:
        return Period(period.shifted(-3).start, period.end, Granularity.CUSTOM), Granularity.MONTH
    return period, Granularity.WEEK if period.days <= 92 else Granularity.MONTH


def bucket_label(p: Period, bucket: Granularity) -> str:
    if bucket is Granularity.MONTH:
        return p.start.strftime("%b %y")
    return short_range(p.start, p.end)


# Charts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartContent:
    draw: Draw
    table: Table


def portable(make: Callable[P, ChartContent]) -> Callable[P, ChartContent]:
    """Decorate a chart maker (plain values in, a ``ChartContent`` out) so that its ``draw``
    can be sent to the chart drawing process (``render.chart_process``): the drawing sent is
    the maker and its arguments, from which that process makes the chart again and draws it.
    The maker's arguments must pickle (domain values, no services, rows or widgets)."""

    @wraps(make)
    def maker(*args: P.args, **kwargs: P.kwargs) -> ChartContent:
        content = make(*args, **kwargs)
        return ChartContent(partial(_draw_made, make.__qualname__, args, kwargs), content.table)

    return maker


def _draw_made(name: str, args: Any, kwargs: Any, fig: Any, theme: ChartTheme) -> list[Hit]:
    made: ChartContent = globals()[name].__wrapped__(*args, **kwargs)
    return made.draw(fig, theme)


@portable
def activity_chart(
    items: Sequence[tuple[Process, ActivitySeries, Granularity]],
) -> ChartContent:
    def ordered(series: ActivitySeries) -> list[int]:
        first = [t for t in series.types if t in series.targeted_types]
        return first + [t for t in series.types if t not in series.targeted_types]

    def draw(fig: Any, theme: ChartTheme) -> list[Hit]:
        hits: list[Hit] = []
        for ax, (proc, series, bucket) in zip(plots(fig, len(items)), items, strict=False):
            labels = [bucket_label(b.period, bucket) for b in series.buckets]
            data: dict[str, Sequence[int]] = {
                series.types[t]: [b.counts.get(t, 0) for b in series.buckets]
                for t in ordered(series)
            }
            data = {k: v for k, v in data.items() if any(v)} or data
            targeted = [series.types[t] for t in ordered(series) if t in series.targeted_types]
            hits += charts.plot_activity_volume(
                ax,
                labels,
                data,
                [b.target for b in series.buckets],
                theme,
                proc.name,
                "Target: " + " + ".join(targeted) + " (solid)" if targeted else "Activity target",
                keys=[(proc.id, b.period) for b in series.buckets],
                type_keys={v: k for k, v in series.types.items()},
                targeted=targeted,
            )
        return hits

    def table() -> tuple[list[str], list[list[Any]]]:
        rows: list[list[Any]] = []
        for proc, series, bucket in items:
            name = proc.name
            for b in series.buckets:
                for t in ordered(series):
                    if b.counts.get(t, 0) or t in series.targeted_types:
                        rows.append(
                            [
                                name,
                                bucket_label(b.period, bucket),
                                series.types[t],
                                b.counts.get(t, 0),
                            ]
                        )
                rows.append(
                    [name, bucket_label(b.period, bucket), "All types", sum(b.counts.values())]
                )
                if b.target is not None:
                    rows.append(
                        [
                            name,
                            bucket_label(b.period, bucket),
                            "Target (targeted types)",
                            round(b.target, 1),
                        ]
                    )
        return ["Process", "Period", "Type", "Done activities"], rows

    return ChartContent(draw, table)


@portable
def funnel_chart(cards: Sequence[Scorecard]) -> ChartContent:
    def draw(fig: Any, theme: ChartTheme) -> list[Hit]:
        hits: list[Hit] = []
        for ax, card in zip(plots(fig, len(cards)), cards, strict=False):
            st = card.measures.stages
            hits += charts.plot_funnel(
                ax,
                [f.name for f in st],
                [f.entered for f in st],
                [f.left_forward for f in st],
                [f.conversion for f in st],
                [f.target_conversion for f in st],
                theme,
                card.scope.process.name,
                keys=[(card.scope.process.id, f.stage_id, "entered") for f in st],
                colour=kind_colour(card.kind),
            )
        return hits

    def table() -> tuple[list[str], list[list[Any]]]:
        rows = [
            [
                c.scope.process.name,
                f.name,
                f.entered,
                f.left_forward,
                charts.fmt_pct(f.conversion),
                charts.fmt_pct(f.target_conversion),
                ms.few_transitions(f.entered),
            ]
            for c in cards
            for f in c.measures.stages
        ]
        headers = ["Process", "Stage", "Entered", "Moved forward", "Conversion", "Target", "Note"]
        return headers, rows

    return ChartContent(draw, table)


@portable
def time_chart(cards: Sequence[Scorecard]) -> ChartContent:
    def draw(fig: Any, theme: ChartTheme) -> list[Hit]:
        hits: list[Hit] = []
        for ax, card in zip(plots(fig, len(cards)), cards, strict=False):
            hits += plot_card_time(ax, card, theme, card.scope.process.name)
        return hits

    def table() -> tuple[list[str], list[list[Any]]]:
        rows = [
            [
                c.scope.process.name,
                f.name,
                charts.fmt_count(f.time_median),
                charts.fmt_count(f.time_mean),
                f.expected_days,
                f.stalled_count,
            ]
            for c in cards
            for f in c.measures.stages
        ]
        return [
            "Process",
            "Stage",
            "Median days",
            "Mean days",
            "Expected days",
            "Stalled now",
        ], rows

    return ChartContent(draw, table)


@portable
def pipeline_chart(cards: Sequence[Scorecard], currency: str) -> ChartContent:
    def still_to_win(card: Scorecard) -> float | None:
        m = card.measures
        value_target = next((t.target for t in card.targets if t.measure == "won_value"), None)
        if value_target is None or not isinstance(m, HuntingMeasures):
            return None
        return value_target - m.won_value

    def coverage_target(card: Scorecard) -> float | None:
        t = next((t.target for t in card.targets if t.measure == "review_coverage"), None)
        return None if t is None else t / 100

    def draw(fig: Any, theme: ChartTheme) -> list[Hit]:
        hits: list[Hit] = []
        for ax, card in zip(plots(fig, len(cards)), cards, strict=False):
            st = card.measures.stages
            pid = card.scope.process.id
            if card.kind is ProcessKind.HUNTING:
                hits += charts.plot_pipeline(
                    ax,
                    [f.name for f in st],
                    [f.open_value for f in st],
                    [f.weighted_value for f in st],
                    still_to_win(card),
                    theme,
                    f"{card.scope.process.name}: open pipeline",
                    currency,
                    keys=[(pid, f.stage_id, "open") for f in st],
                )
            else:
                m = card.measures
                assert isinstance(m, FarmingMeasures)
                hits += charts.plot_accounts(
                    ax,
                    [f.name for f in st],
                    [f.open_count for f in st],
                    [f.at_risk_count for f in st],
                    m.review_coverage,
                    coverage_target(card),
                    theme,
                    f"{card.scope.process.name}: managed accounts",
                    keys=[(pid, f.stage_id, "open") for f in st],
                )
        return hits

    def table() -> tuple[list[str], list[list[Any]]]:
        rows: list[list[Any]] = []
        for c in cards:
            for f in c.measures.stages:
                rows.append(
                    [
                        c.scope.process.name,
                        f.name,
                        f.open_count,
                        format_money(f.open_value, currency),
                        format_money(round(f.weighted_value), currency)
                        if c.kind is ProcessKind.HUNTING
                        else "",
                        f.stalled_count if c.kind is ProcessKind.HUNTING else f.at_risk_count,
                    ]
                )
            m = c.measures
            if isinstance(m, FarmingMeasures):
                rows.append(
                    [
                        c.scope.process.name,
                        "Review coverage",
                        m.reviewed_accounts,
                        charts.fmt_pct(m.review_coverage),
                        f"target {charts.fmt_pct(coverage_target(c))}",
                        "",
                    ]
                )
            else:
                left = still_to_win(c)
                if left is not None:
                    rows.append(
                        [
                            c.scope.process.name,
                            "Value target still to win",
                            "",
                            format_money(round(max(left, 0)), currency),
                            "",
                            "",
                        ]
                    )
        return [
            "Process",
            "Stage",
            "Open",
            "Open value",
            "Weighted value",
            "Stalled / at risk",
        ], rows

    return ChartContent(draw, table)


@portable
def trend_chart(items: Sequence[tuple[Process, Sequence[TrendPoint]]]) -> ChartContent:
    def draw(fig: Any, theme: ChartTheme) -> list[Hit]:
        hits: list[Hit] = []
        for ax, (proc, points) in zip(plots(fig, len(items)), items, strict=False):
            hunting = proc.kind is ProcessKind.HUNTING
            hits += charts.plot_outcome_trend(
                ax,
                [p.period.start.strftime("%b %y") for p in points],
                [p.rate for p in points],
                [p.target for p in points],
                [p.won for p in points],
                [p.lost for p in points],
                theme,
                proc.name,
                "Win rate" if hunting else "Renewal rate",
                kind_colour(proc.kind),
                keys=[(proc.id, p.period) for p in points],
            )
        return hits

    def table() -> tuple[list[str], list[list[Any]]]:
        rows = [
            [
                proc.name,
                p.period.start.strftime("%B %Y"),
                p.won,
                p.lost,
                charts.fmt_pct(p.rate),
                charts.fmt_pct(p.target),
            ]
            for proc, points in items
            for p in points
        ]
        return ["Process", "Month", "Won / renewed", "Lost / churned", "Rate", "Target"], rows

    return ChartContent(draw, table)


@portable
def attainment_chart(
    cards: Sequence[Scorecard], on_track: int, at_risk: int, currency: str
) -> ChartContent:
    groups = [(c.kind.label, c.targets) for c in cards]

    def draw(fig: Any, theme: ChartTheme) -> list[Hit]:
        ax = plots(fig, 1)[0]
        return charts.plot_attainment(
            ax, groups, theme, "Attainment against target", on_track, at_risk
        )

    def table() -> tuple[list[str], list[list[Any]]]:
        rows = [target_row(c.scope.process.name, t, currency) for c in cards for t in c.targets]
        return ["Process", "Measure", "Actual", "Target", "Attainment", "Status"], rows

    return ChartContent(draw, table)


@portable
def mix_chart(cards: Sequence[Scorecard]) -> ChartContent:
    def draw(fig: Any, theme: ChartTheme) -> list[Hit]:
        hits: list[Hit] = []
        for ax, card in zip(plots(fig, len(cards)), cards, strict=False):
            hits += plot_card_mix(ax, card, theme, card.scope.process.name)
        return hits

    def table() -> tuple[list[str], list[list[Any]]]:
        rows = [
            [c.scope.process.name, n, v]
            for c in cards
            for n, v in sorted(c.measures.activities_by_type.items(), key=lambda x: (-x[1], x[0]))
        ]
        return ["Process", "Type", "Done activities"], rows

    return ChartContent(draw, table)
