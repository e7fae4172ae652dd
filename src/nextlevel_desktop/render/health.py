"""The stage health chart: per open stage, the measured conversion with its 90 % interval against
the design (left), and the median and 80th percentile of completed stays against the expected
days (right). Qt-free; plots take Axes and plain rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..domain import health as hl
from .chart_style import LIGHT, NO_ENTRIES, ChartTheme, Hit, bars, drawn, legend, plots, x_labels
from .palette import PALETTE


def _tip(r: hl.StageHealth) -> str:
    iv = r.interval
    interval = "–" if iv is None else f"{iv[0] * 100:.0f}–{iv[1] * 100:.0f} %"
    return (
        f"{r.stage} → {r.next_stage}\n"
        f"Converts {hl.percent(r.conversion)} ({r.advanced} of {r.entered}), "
        f"90 % interval {interval}; designed {hl.percent(r.target_conversion)}\n"
        f"Median stay {hl.days_text(r.median_days)} days, 80 % within {r.p80_days or '–'} "
        f"({r.stays} stays); expected {r.expected_days or '–'}\nStalled now: {r.stalled_now}"
    )


def plot_conversion_health(
    ax: Any, rows: Sequence[hl.StageHealth], theme: ChartTheme = LIGHT, title: str = ""
) -> list[Hit]:
    """Measured conversion (dot) with its 90 % interval (bar) and the designed one (tick);
    a stage whose interval excludes the design in red."""
    if not drawn(ax, theme, title, any(r.entered for r in rows), NO_ENTRIES):
        return []
    hits: list[Hit] = []
    x = list(range(len(rows)))
    drew = set()
    for i, r in enumerate(rows):
        colour = PALETTE.behind if r.flagged else PALETTE.hunting
        iv = r.interval
        if iv is not None and r.conversion is not None:
            ax.plot(
                [i, i],
                [iv[0] * 100, iv[1] * 100],
                color=colour,
                linewidth=7,
                alpha=0.3,
                solid_capstyle="butt",
                label=None if "iv" in drew else "90 % interval",
            )
            ax.plot(
                [i],
                [r.conversion * 100],
                "o",
                color=colour,
                markersize=7,
                zorder=4,
                label=None if "c" in drew else "Measured",
            )
            drew |= {"iv", "c"}
        if r.target_conversion is not None:
            ax.plot(
                [i - 0.3, i + 0.3],
                [r.target_conversion * 100] * 2,
                color=PALETTE.target,
                linewidth=2.5,
                zorder=3,
                label=None if "t" in drew else "Designed",
            )
            drew.add("t")
    columns = bars(ax, x, [105] * len(x), 0.9, color="none", zorder=0, visible=False)
    hits += [Hit(columns[i], _tip(r)) for i, r in enumerate(rows)]
    ax.set_ylim(0, 105)
    ax.set_ylabel("Conversion %", fontsize=8)
    x_labels(ax, x, [r.stage for r in rows])
    legend(ax, theme)
    return hits


def plot_days_health(
    ax: Any, rows: Sequence[hl.StageHealth], theme: ChartTheme = LIGHT, title: str = ""
) -> list[Hit]:
    """Median days of completed stays (bar), their 80th percentile (dot), expected days (tick)."""
    if not drawn(ax, theme, title, any(r.stays for r in rows), "No stay ended in this period"):
        return []
    hits: list[Hit] = []
    x = list(range(len(rows)))
    medians = [r.median_days or 0 for r in rows]
    colours = [PALETTE.behind if (r.slowness or 0) > 1 else PALETTE.hunting for r in rows]
    shapes = bars(ax, x, medians, 0.6, color=colours, alpha=0.8, label="Median")
    p80 = [(i, r.p80_days) for i, r in enumerate(rows) if r.p80_days is not None]
    if p80:
        ax.plot(
            *zip(*p80, strict=True),
            "D",
            color=theme.fg,
            markersize=5,
            zorder=4,
            label="80 % within",
        )
    drew = False
    for i, r in enumerate(rows):
        if r.expected_days:
            ax.plot(
                [i - 0.38, i + 0.38],
                [r.expected_days] * 2,
                color=PALETTE.target,
                linewidth=2.5,
                zorder=3,
                label=None if drew else "Expected",
            )
            drew = True
        hits.append(Hit(shapes[i], _tip(r)))
    ax.set_ylabel("Days", fontsize=8)
    x_labels(ax, x, [r.stage for r in rows])
    legend(ax, theme)
    return hits


def draw_health(
    rows: Sequence[hl.StageHealth], title: str, days_title: str, fig: Any, theme: ChartTheme
) -> list[Hit]:
    """The health page's two plots on ``fig`` (reusing its plots from an earlier draw); bound to
    plain values with ``functools.partial``, the drawing the page sends to the drawing process."""
    left, right = plots(fig, 2)
    return plot_conversion_health(left, rows, theme, title) + plot_days_health(
        right, rows, theme, days_title
    )
