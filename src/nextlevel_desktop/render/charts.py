"""Plotting functions for the Monitor: each takes a matplotlib ``Axes`` and plain data.

No Qt and no pyplot here, so every chart draws on a headless Agg figure in tests, in the PDF
export and on screen alike. Each function returns the bars it drew (the ``Rectangle`` patches
``chart_style.bars`` draws as ``ax.bar``/``ax.barh`` would) with what they stand for, so the
canvas can show exact values on hover and list what is behind a bar on click. Every chart draws
the target beside the measure. Legends stand between the title and the plot; the legend columns
and the slant of x tick labels are chosen from the labels' font metrics, so the layout never has
to squeeze a plot to fit them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..domain.measures import TargetResult, few_transitions
from .chart_style import LIGHT as LIGHT
from .chart_style import NO_ENTRIES, bars, drawn, legend, x_labels
from .chart_style import STATUS_COLOURS as STATUS_COLOURS
from .chart_style import ChartTheme as ChartTheme
from .chart_style import Hit as Hit
from .format import fmt_count as fmt_count
from .format import fmt_money as fmt_money
from .format import fmt_pct as fmt_pct
from .format import integer_ticks, money_formatter, pct_formatter
from .palette import PALETTE


def plot_activity_volume(
    ax: Any,
    labels: Sequence[str],
    series: Mapping[str, Sequence[int]],
    targets: Sequence[float | None],
    theme: ChartTheme = LIGHT,
    title: str = "",
    target_label: str = "Activity target",
    keys: Sequence[Any] = (),
    type_keys: dict[str, Any] | None = None,
    targeted: Sequence[str] = (),
) -> list[Hit]:
    """Stacked bars of done activities per bucket by type; the activity target as a step line.

    A target measures only its ``targeted`` types: put them first in ``series`` so that they
    form the bottom of the stack, drawn solid, and the line is read against them; the other
    types are drawn faint above them, as context that no target counts.
    """
    if not drawn(ax, theme, title, labels and (any(map(sum, series.values())) or any(targets))):
        return []
    hits: list[Hit] = []
    x = list(range(len(labels)))
    bottom = [0.0] * len(labels)
    has_target = any(t is not None for t in targets)
    for i, (name, values) in enumerate(series.items()):
        colour = PALETTE.series[i % len(PALETTE.series)]
        faint = 0.35 if has_target and targeted and name not in targeted else None
        shapes = bars(ax, x, values, 0.68, bottom, color=colour, label=name, alpha=faint)
        for j, bar in enumerate(shapes):
            if values[j]:
                key = (keys[j] if keys else j, (type_keys or {}).get(name, name))
                hits.append(Hit(bar, f"{labels[j]}\n{name}: {values[j]:,}", key))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for j, total in enumerate(bottom):
        if total:
            ax.text(
                j, total, f"{total:,.0f}", ha="center", va="bottom", fontsize=7.5, color=theme.muted
            )
    if any(t is not None for t in targets):
        tx = [j for j, t in enumerate(targets) if t is not None]
        ty = [t for t in targets if t is not None]
        ax.hlines(
            ty,
            [j - 0.45 for j in tx],
            [j + 0.45 for j in tx],
            color=PALETTE.target,
            linewidth=2.5,
            label=target_label,
            zorder=4,
        )
    x_labels(ax, x, labels)
    ax.set_ylim(0, max([*bottom, *[t or 0 for t in targets], 1]) * 1.15)
    integer_ticks(ax.yaxis)
    legend(ax, theme)
    return hits


def plot_funnel(
    ax: Any,
    stages: Sequence[str],
    entered: Sequence[int],
    forward: Sequence[int],
    conversion: Sequence[float | None],
    target: Sequence[float | None],
    theme: ChartTheme = LIGHT,
    title: str = "",
    keys: Sequence[Any] = (),
    colour: str = PALETTE.hunting,
) -> list[Hit]:
    """Horizontal bars: engagements entering each stage, the part that moved on, and a target
    tick where the moved-on bar should reach at the stage's target conversion."""
    if not drawn(ax, theme, title, stages and any(entered), NO_ENTRIES, "x"):
        return []
    hits: list[Hit] = []
    y = list(range(len(stages)))[::-1]
    bars_in = bars(ax, y, entered, 0.7, color=colour, horizontal=True, label="Entered", alpha=0.35)
    bars_fw = bars(ax, y, forward, 0.7, color=colour, horizontal=True, label="Moved forward")
    integer_ticks(ax.xaxis)
    top = max(entered)
    drew_target = False
    for i, stage in enumerate(stages):
        t = target[i]
        key = keys[i] if keys else i
        few = few_transitions(entered[i])
        tip = (
            f"{stage}\nEntered: {entered[i]:,}\nMoved forward: {forward[i]:,}\n"
            f"Conversion: {fmt_pct(conversion[i])}  (target {fmt_pct(t)})"
        ) + (f"\nThis conversion {few}: read it with care." if few else "")
        hits.append(Hit(bars_in[i], tip, key))
        hits.append(Hit(bars_fw[i], tip, key))
        if t is not None and entered[i]:
            ax.plot(
                [entered[i] * t] * 2,
                [y[i] - 0.42, y[i] + 0.42],
                color=PALETTE.target,
                linewidth=2.5,
                label=None if drew_target else "Target conversion",
                zorder=4,
            )
            drew_target = True
        c = conversion[i]
        colour = theme.fg
        if c is not None and t is not None:
            colour = PALETTE.on_track if c >= t else PALETTE.behind
        ax.text(
            entered[i] + top * 0.02,
            y[i],
            f"{fmt_pct(c)}"
            + (f" / {fmt_pct(t)}" if t is not None else "")
            + (f"  ({few})" if few else ""),
            va="center",
            fontsize=8.5,
            color=colour,
        )
    ax.set_yticks(y, stages)
    ax.set_xlim(0, top * 1.3)
    legend(ax, theme)
    return hits


def plot_time_in_stage(
    ax: Any,
    stages: Sequence[str],
    median: Sequence[float | None],
    expected: Sequence[int | None],
    stalled: Sequence[int],
    theme: ChartTheme = LIGHT,
    title: str = "",
    colour: str = PALETTE.hunting,
    keys: Sequence[Any] = (),
) -> list[Hit]:
    """Median days per stage against the stage's expected days; stalled counts above the bars."""
    if not drawn(ax, theme, title, stages):
        return []
    hits: list[Hit] = []
    x = list(range(len(stages)))
    values = [m or 0 for m in median]
    over = [
        m is not None and e is not None and m > e for m, e in zip(median, expected, strict=True)
    ]
    shapes = bars(ax, x, values, 0.6, color=[PALETTE.behind if o else colour for o in over])
    from matplotlib.patches import Patch  # imported with the first chart, not with the numbers

    keys_ = [Patch(color=colour, label="Median days in stage")]
    if any(over):
        keys_.append(Patch(color=PALETTE.behind, label="Median over expected"))
    drew = False
    for i, stage in enumerate(stages):
        e = expected[i]
        if e is not None:
            ax.plot(
                [i - 0.38, i + 0.38],
                [e, e],
                color=PALETTE.target,
                linewidth=2.5,
                label=None if drew else "Expected days",
                zorder=4,
            )
            drew = True
        m = median[i]
        top = max(values[i], e or 0)
        if stalled[i]:
            ax.text(
                i,
                top,
                f"{stalled[i]} stalled",
                ha="center",
                va="bottom",
                fontsize=8,
                color=PALETTE.behind,
                fontweight="bold",
            )
        tip = (
            f"{stage}\nMedian: {fmt_count(m)} days\nExpected: {fmt_count(e)} days\n"
            f"Stalled now: {stalled[i]}"
        )
        hits.append(Hit(shapes[i], tip, keys[i] if keys else i))
    x_labels(ax, x, stages)
    ymax = max([*values, *[e or 0 for e in expected], 1])
    ax.set_ylim(0, ymax * 1.2)
    ax.set_ylabel("days", fontsize=8.5)
    legend(ax, theme, [*keys_, *ax.get_legend_handles_labels()[0]])
    return hits


def plot_pipeline(
    ax: Any,
    stages: Sequence[str],
    open_value: Sequence[int],
    weighted: Sequence[float],
    still_to_win: float | None,
    theme: ChartTheme = LIGHT,
    title: str = "",
    currency: str = "",
    keys: Sequence[Any] = (),
) -> list[Hit]:
    """Open and weighted pipeline by stage, plus the total against the value still to win."""
    if not drawn(ax, theme, title, stages):
        return []
    hits: list[Hit] = []
    labels = [*stages, "Total"]
    opens = [*open_value, sum(open_value)]
    weights = [*weighted, sum(weighted)]
    x = list(range(len(labels)))
    w = 0.38
    b1 = bars(ax, [i - w / 2 for i in x], opens, w, color=PALETTE.hunting, label="Open")
    b2 = bars(ax, [i + w / 2 for i in x], weights, w, color=PALETTE.series[5], label="Weighted")
    for i, label in enumerate(labels):
        key = keys[i] if keys and i < len(stages) else None
        tip = (
            f"{label}\nOpen: {fmt_money(opens[i], currency)}\n"
            f"Weighted: {fmt_money(weights[i], currency)}"
        )
        hits.append(Hit(b1[i], tip, (key,)))
        hits.append(Hit(b2[i], tip, (key,)))
    if still_to_win is not None and still_to_win > 0:
        i = len(labels) - 1
        ax.plot(
            [i - 0.45, i + 0.45],
            [still_to_win] * 2,
            color=PALETTE.target,
            linewidth=2.5,
            label="Value target still to win",
            zorder=4,
        )
    x_labels(ax, x, labels)
    ax.yaxis.set_major_formatter(money_formatter(currency))
    top = max([*opens, still_to_win or 0, 1])
    ax.set_ylim(0, top * 1.18)
    legend(ax, theme)
    return hits


def plot_accounts(
    ax: Any,
    stages: Sequence[str],
    counts: Sequence[int],
    at_risk: Sequence[int],
    coverage: float | None,
    coverage_target: float | None,
    theme: ChartTheme = LIGHT,
    title: str = "",
    keys: Sequence[Any] = (),
) -> list[Hit]:
    """Managed accounts by stage (at-risk part highlighted) and review coverage vs its target."""
    if not drawn(ax, theme, title, stages):
        return []
    hits: list[Hit] = []
    labels = [*stages]
    x = list(range(len(labels)))
    ok = [c - r for c, r in zip(counts, at_risk, strict=True)]
    b1 = bars(ax, x, ok, 0.6, color=PALETTE.farming, label="Managed")
    b2 = bars(ax, x, at_risk, 0.6, ok, color=PALETTE.at_risk, label="At risk")
    for i, label in enumerate(labels):
        tip = f"{label}\nManaged accounts: {counts[i]}\nAt risk: {at_risk[i]}"
        key = keys[i] if keys else i
        hits.append(Hit(b1[i], tip, (key, "")))
        hits.append(Hit(b2[i], tip, (key, "at_risk")))
    x_labels(ax, x, labels)
    ax.set_ylim(0, max([*counts, 1]) * 1.25)
    integer_ticks(ax.yaxis)
    cov = "–" if coverage is None else f"{coverage * 100:.0f} %"
    tgt = "no target" if coverage_target is None else f"target {coverage_target * 100:.0f} %"
    colour = theme.fg
    if coverage is not None and coverage_target is not None:
        colour = PALETTE.on_track if coverage >= coverage_target else PALETTE.behind
    ax.text(
        0.99,
        0.98,
        f"Review coverage {cov} ({tgt})",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=9,
        color=colour,
        fontweight="bold",
    )
    legend(ax, theme)
    return hits


def plot_outcome_trend(
    ax: Any,
    months: Sequence[str],
    rates: Sequence[float | None],
    targets: Sequence[float | None],
    won: Sequence[int],
    lost: Sequence[int],
    theme: ChartTheme = LIGHT,
    title: str = "",
    rate_label: str = "Win rate",
    colour: str = PALETTE.hunting,
    keys: Sequence[Any] = (),
) -> list[Hit]:
    """Rate per month as a line with its target as a dashed line; months without closes are gaps."""
    if not drawn(ax, theme, title, months):
        return []
    hits: list[Hit] = []
    x = list(range(len(months)))
    ys = [float("nan") if r is None else r * 100 for r in rates]
    ax.plot(x, ys, color=colour, linewidth=2, marker="o", markersize=5, label=rate_label, zorder=3)
    if any(t is not None for t in targets):
        ts = [float("nan") if t is None else t * 100 for t in targets]
        ax.plot(x, ts, color=PALETTE.target, linewidth=2, linestyle="--", label="Target", zorder=2)
    # Each month's column is its hover target: faceless bars behind the line.
    columns = bars(ax, x, [100] * len(x), 0.9, color="none", zorder=0, visible=False)
    for i, month in enumerate(months):
        tip = (
            f"{month}\n{rate_label}: {fmt_pct(rates[i])} (target {fmt_pct(targets[i])})\n"
            f"Won: {won[i]}  Lost: {lost[i]}"
        )
        hits.append(Hit(columns[i], tip, keys[i] if keys else i))
        if rates[i] is not None:
            ax.annotate(
                f"{won[i]}/{won[i] + lost[i]}",
                (i, ys[i]),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=7,
                color=theme.muted,
            )
    x_labels(ax, x, months)
    ax.set_ylim(0, 109)
    ax.yaxis.set_major_formatter(pct_formatter())
    legend(ax, theme)
    return hits


def plot_attainment(
    ax: Any,
    groups: Sequence[tuple[str, Sequence[TargetResult]]],
    theme: ChartTheme = LIGHT,
    title: str = "",
    on_track_pct: int = 100,
    at_risk_pct: int = 80,
) -> list[Hit]:
    """Side by side: every target of each process as attainment %, coloured by status."""
    labels: list[str] = []
    values: list[float] = []
    colours: list[str] = []
    tips: list[str] = []
    for process_name, results in groups:
        for t in results:
            labels.append(f"{process_name}: {t.title}" if len(groups) > 1 else t.title)
            att = t.attainment
            values.append(min(att, 2.0) * 100 if att is not None else 0)
            colours.append(STATUS_COLOURS.get(t.status, theme.muted) if t.status else theme.muted)
            tips.append(
                f"{process_name} — {t.title}\nActual: {fmt_count(t.actual)}  "
                f"Target: {fmt_count(t.target)}\nAttainment: {fmt_pct(att)}"
            )
    if not drawn(ax, theme, title, labels, "No targets set for this selection", "x"):
        return []
    hits: list[Hit] = []
    y = list(range(len(labels)))[::-1]
    for i, bar in enumerate(bars(ax, y, values, 0.62, color=colours, horizontal=True)):
        hits.append(Hit(bar, tips[i]))
        ax.text(
            values[i] + 2,
            y[i],
            tips[i].split("Attainment: ")[1],
            va="center",
            fontsize=8,
            color=theme.fg,
        )
    ax.axvline(on_track_pct, color=PALETTE.target, linewidth=2, label=f"Target ({on_track_pct} %)")
    ax.axvline(
        at_risk_pct,
        color=theme.muted,
        linewidth=1,
        linestyle=":",
        label=f"At risk below {at_risk_pct} %",
    )
    ax.set_yticks(y, labels)
    ax.set_xlim(0, max([*values, on_track_pct]) * 1.18)
    ax.xaxis.set_major_formatter(pct_formatter())
    legend(ax, theme)
    return hits


def plot_mix(
    ax: Any,
    names: Sequence[str],
    counts: Sequence[int],
    colours: Sequence[str],
    theme: ChartTheme = LIGHT,
    title: str = "",
) -> list[Hit]:
    """Activity mix: horizontal bars per type (used in the review)."""
    if not drawn(ax, theme, title, names and any(counts), "No activities in this period", "x"):
        return []
    y = list(range(len(names)))[::-1]
    shapes = bars(ax, y, counts, 0.65, color=colours, horizontal=True)
    total = sum(counts)
    for i in range(len(shapes)):
        ax.text(
            counts[i],
            y[i],
            f" {counts[i]} ({counts[i] / total:.0%})",
            va="center",
            fontsize=8,
            color=theme.fg,
        )
    ax.set_yticks(y, names)
    ax.set_xlim(0, max(counts) * 1.3)
    return [Hit(b, f"{names[i]}: {counts[i]}") for i, b in enumerate(shapes)]
