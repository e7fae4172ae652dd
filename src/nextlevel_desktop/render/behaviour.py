"""The process-behaviour chart (Wheeler's XmR): the values with their centre line and natural
process limits above, the moving ranges with their upper range limit below. Qt-free; drawn on
any matplotlib Figure, on screen, in exports and in PDFs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..domain.behaviour import Measure, XmR
from ..domain.models import format_money
from .chart_style import LIGHT, ChartTheme, Hit, bars, drawn, legend, style, x_labels
from .palette import PALETTE

SIGNAL = PALETTE.lost
LIMIT = PALETTE.target


def _label_right(ax: Any, y: float, text: str, colour: str) -> None:
    ax.annotate(
        text,
        (1, y),
        xycoords=("axes fraction", "data"),
        xytext=(3, 0),
        textcoords="offset points",
        va="center",
        ha="left",
        fontsize=7.5,
        color=colour,
    )


def plot_xmr(
    fig: Any,
    chart: XmR,
    labels: Sequence[str],
    theme: ChartTheme = LIGHT,
    title: str = "",
    fmt: Callable[[float], str] = lambda v: f"{v:,.4g}",
    colour: str = PALETTE.hunting,
) -> list[Hit]:
    """Fill ``fig`` with the X chart (above) and the mR chart (below); every point is a hover
    target. ``labels`` name the points' buckets; ``fmt`` writes a value (money, days…)."""
    fig.clear()
    fig.set_layout_engine("constrained")
    grid = fig.add_gridspec(2, 1, height_ratios=(3, 1.25))
    ax = fig.add_subplot(grid[0])
    mr_ax = fig.add_subplot(grid[1], sharex=ax)
    style(mr_ax, theme)
    if not drawn(ax, theme, title, chart.points):
        mr_ax.set_visible(False)
        return []
    hits: list[Hit] = []
    x = list(range(len(chart.points)))
    values = [p.value for p in chart.points]
    ax.plot(
        x, values, color=colour, linewidth=1.6, marker="o", markersize=4, zorder=3, label="Value"
    )
    flagged = chart.flagged()
    if chart.centre is not None:
        upper, lower = chart.upper_limit, chart.lower_limit
        assert upper is not None and lower is not None
        ax.axvspan(
            -0.5,
            chart.baseline - 0.5,
            color=theme.grid,
            alpha=0.45,
            lw=0,
            zorder=0,
            label=f"Baseline ({chart.baseline} points)",
        )
        ax.axhline(chart.centre, color=theme.fg, linewidth=1.1, zorder=2, label="Centre line")
        ax.axhline(
            upper,
            color=LIMIT,
            linewidth=1.3,
            linestyle="--",
            zorder=2,
            label="Natural process limits",
        )
        _label_right(ax, upper, fmt(upper), LIMIT)
        _label_right(ax, chart.centre, fmt(chart.centre), theme.fg)
        # A negative lower limit is drawn at zero (no count or value is below it).
        floor = min(values) >= 0 and lower < 0
        shown = 0.0 if floor else lower
        ax.axhline(
            shown, color=LIMIT, linewidth=1.3, linestyle="--" if not floor else ":", zorder=2
        )
        _label_right(ax, shown, fmt(lower) + (" (below 0)" if floor else ""), LIMIT)
        if flagged:
            xs = sorted(flagged)
            ax.scatter(
                xs, [values[i] for i in xs], s=46, color=SIGNAL, zorder=4, label="Signal (rule)"
            )
            # Rule numbers beside a few marked points; with many, they are in the tooltips.
            for i in xs if len(xs) <= 12 else ():
                ax.annotate(
                    ",".join(map(str, flagged[i])),
                    (i, values[i]),
                    textcoords="offset points",
                    xytext=(0, 7),
                    ha="center",
                    fontsize=7,
                    color=SIGNAL,
                )
        top = max([*values, upper]) * 1.12 or 1.0
        ax.set_ylim(min(shown, min(values), 0) * 1.1, top)
    else:
        ax.set_ylim(min(min(values), 0), max(values) * 1.15 or 1.0)
        no_limits = f"Limits need at least 6 points ({len(values)} so far)"
        ax.text(
            0.01, 0.97, no_limits, transform=ax.transAxes, fontsize=8, va="top", color=theme.muted
        )
    low, high = ax.get_ylim()
    columns = bars(ax, x, [high - low] * len(x), 0.9, low, color="none", zorder=0, visible=False)
    for i, p in enumerate(chart.points):
        rules = flagged.get(i, [])
        tip = f"{labels[i]}\n{fmt(p.value)}"
        if rules:
            tip += "\nSignal: " + "; ".join(f"rule {r}" for r in rules)
        hits.append(Hit(columns[i], tip, ()))
    legend(ax, theme)
    # The moving ranges: between each point and the one before.
    ranges = chart.moving_ranges
    mr_ax.plot(x[1:], ranges, color=theme.muted, linewidth=1.2, marker="o", markersize=3)
    if chart.average_moving_range is not None:
        url = chart.upper_range_limit
        assert url is not None
        mr_ax.axhline(chart.average_moving_range, color=theme.fg, linewidth=1)
        mr_ax.axhline(url, color=LIMIT, linewidth=1.2, linestyle="--")
        _label_right(mr_ax, url, fmt(url), LIMIT)
        over = [(i + 1, r) for i, r in enumerate(ranges) if r > url]
        if over:
            mr_ax.scatter(*zip(*over, strict=True), s=30, color=SIGNAL, zorder=4)
        mr_ax.set_ylim(0, max([*ranges, url]) * 1.15 or 1.0)
    mr_ax.set_ylabel("Moving range", fontsize=8)
    ax.tick_params(labelbottom=False)
    step = max(1, len(x) // 14)  # a label under every point when they fit
    x_labels(mr_ax, x[::step], [labels[i] for i in x[::step]])
    return hits


def draw_xmr(
    chart: XmR, labels: list[str], title: str, fmt: ValueText, fig: Any, theme: ChartTheme
) -> list[Hit]:
    """The chart on ``fig``; bound to plain values with ``functools.partial``, the drawing the
    Monitor sends to the drawing process."""
    return plot_xmr(fig, chart, labels, theme, title, fmt)


@dataclass(frozen=True)
class ValueText:
    """How a value of a measure is written: money, days (``days``: "{0} days" translated) or
    a count. Plain values, so a chart's drawing can take it to the drawing process."""

    measure: Measure
    currency: str
    days: str

    def __call__(self, v: float) -> str:
        if self.measure is Measure.WON_VALUE:
            return format_money(round(v), self.currency)
        if self.measure is Measure.CYCLE_DAYS:
            return self.days.format(f"{v:.1f}")
        return f"{v:.1f}".removesuffix(".0")
