"""The review PDF's “Process health and signals” page: per process the stage health table and
the sentences naming the biggest leak and the slowest stage, then the behaviour signals since
the last review, in words. Qt-free, on the PDF ``Page`` of ``render.pdf``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from ..domain import behaviour as bh
from ..domain import health as hl
from ..domain.models import format_money
from ..domain.periods import MONTHS


def value_format(measure: bh.Measure, currency: str) -> Callable[[float], str]:
    if measure is bh.Measure.WON_VALUE:
        return lambda v: format_money(round(v), currency)
    if measure is bh.Measure.CYCLE_DAYS:
        return lambda v: f"{v:.1f} days"
    return lambda v: f"{v:.1f}".removesuffix(".0")


def _day(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]}"


def _month(d: date) -> str:
    return f"{MONTHS[d.month - 1]} {d.year}"


def health_page(
    page: Any,
    health: Sequence[tuple[str, Sequence[hl.StageHealth]]],
    signals: Sequence[Any],
    since: date | None,
    currency: str,
    muted: str,
) -> None:
    """Fill ``page`` (a ``render.pdf.Page``) with the health of each process and the signals."""
    for name, rows in health:
        page.heading(f"Process health — {name}")
        page.paragraph(
            f"{hl.leak_sentence(hl.biggest_leak(rows))} {hl.slow_sentence(hl.slowest_stage(rows))}"
        )
        table = []
        for r in rows:
            iv = r.interval
            table.append(
                [
                    r.stage,
                    f"{r.advanced}/{r.entered}",
                    hl.percent(r.conversion),
                    "–" if iv is None else f"{iv[0] * 100:.0f}–{iv[1] * 100:.0f} %",
                    hl.percent(r.target_conversion),
                    hl.days_text(r.median_days),
                    "–" if r.p80_days is None else r.p80_days,
                    "–" if r.expected_days is None else r.expected_days,
                    r.stalled_now,
                    ("below design" if r.leaking else "above design") if r.flagged else "",
                ]
            )
        page.table(
            [
                "Stage",
                "Adv./entered",
                "Conv.",
                "90 % interval",
                "Design",
                "Median d",
                "80 % d",
                "Expected",
                "Stalled",
                "Flag",
            ],
            table,
            [0.17, 0.11, 0.07, 0.14, 0.07, 0.09, 0.07, 0.09, 0.07, 0.12],
            size=7.5,
            right=(1, 2, 4, 5, 6, 7, 8),
        )
    when = f"{_day(since)} {since.year}" if since else "the period's start"
    page.heading(f"Signals since {when}")
    lines = [
        f"{s.process} · {bh.Measure(s.measure).label}: "
        + bh.run_sentence(
            run, s.chart, _month if s.bucket == "month" else _day, value_format(s.measure, currency)
        )
        for s in signals
        for run in s.runs
    ]
    if not lines:
        page.paragraph(
            "None: the week-to-week changes are routine variation; react to signals, not noise.",
            colour=muted,
        )
    for line in lines[:30]:
        page.paragraph("• " + line, 8.5)
    if len(lines) > 30:
        page.paragraph(f"… and {len(lines) - 30} more.", 8, muted)
