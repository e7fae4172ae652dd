"""Process-behaviour charts (Donald Wheeler's XmR, “Understanding Variation”; DESIGN.md §4).

Is a change real or noise? Points per calendar week or month; the centre line is the mean of
the baseline points, the natural process limits are centre ± 2.66 × the average moving range of
the baseline, the upper range limit is 3.268 × that average. The limits stay fixed after the
baseline. Signals: (1) a point outside the limits; (2) three of four successive points nearer
the same limit than the centre line; (3) eight successive points on one side of the centre line.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from .errors import ValidationError
from .reports import money as as_money

NPL_FACTOR = 2.66
URL_FACTOR = 3.268
DEFAULT_BASELINE = 12
MIN_BASELINE = 6


class Measure(enum.StrEnum):
    ACTIVITY_COUNT = "activity_count"
    NEW_ENGAGEMENTS = "new_engagements"
    WON_COUNT = "won_count"
    WON_VALUE = "won_value"
    CYCLE_DAYS = "cycle_days"

    @property
    def label(self) -> str:
        return {
            "activity_count": "Done activities",
            "new_engagements": "New engagements",
            "won_count": "Won",
            "won_value": "Won value",
            "cycle_days": "Cycle days (won)",
        }[self.value]

    @property
    def is_mean(self) -> bool:
        """A mean per bucket: an empty bucket has no point (not a zero)."""
        return self is Measure.CYCLE_DAYS


@dataclass(frozen=True)
class Point:
    start: date  # the bucket's first day
    value: float


@dataclass(frozen=True)
class Signal:
    rule: int  # 1, 2 or 3
    index: int  # the point's index in the chart's points

    @property
    def words(self) -> str:
        return RULE_WORDS[self.rule]


RULE_WORDS = {
    1: "a point outside the natural process limits",
    2: "three of four successive points nearer a limit than the centre line",
    3: "eight successive points on one side of the centre line",
}


@dataclass(frozen=True)
class XmR:
    """An XmR chart: the points, their moving ranges, the baseline's limits and the signals.
    Without enough points for a baseline the limits are ``None`` and there are no signals."""

    points: tuple[Point, ...]
    baseline: int
    centre: float | None
    average_moving_range: float | None
    signals: tuple[Signal, ...]

    @property
    def moving_ranges(self) -> list[float]:
        """|xᵢ − xᵢ₋₁| for each point after the first (empty buckets of a mean are skipped, so
        a range joins the points on either side)."""
        v = [p.value for p in self.points]
        return [abs(b - a) for a, b in zip(v, v[1:], strict=False)]

    @property
    def upper_limit(self) -> float | None:
        if self.centre is None or self.average_moving_range is None:
            return None
        return self.centre + NPL_FACTOR * self.average_moving_range

    @property
    def lower_limit(self) -> float | None:
        """The computed value: it may be below zero (a chart may clip it there)."""
        if self.centre is None or self.average_moving_range is None:
            return None
        return self.centre - NPL_FACTOR * self.average_moving_range

    @property
    def upper_range_limit(self) -> float | None:
        amr = self.average_moving_range
        return None if amr is None else URL_FACTOR * amr

    def flagged(self) -> dict[int, list[int]]:
        """Point index → the rules it is part of."""
        out: dict[int, list[int]] = {}
        for s in self.signals:
            out.setdefault(s.index, []).append(s.rule)
        return out


def check_baseline(baseline: int, points: int) -> None:
    if baseline < MIN_BASELINE:
        raise ValidationError(
            {"baseline": f"The baseline needs at least {MIN_BASELINE} points (not {baseline})."}
        )
    if baseline > points:
        raise ValidationError(
            {
                "baseline": f"The window has only {points} points: choose a baseline of at "
                f"most {points}, or a longer window."
            }
        )


def xmr(points: Sequence[Point], baseline: int | None = None) -> XmR:
    """The XmR chart of ``points`` with limits from the first ``baseline`` points (default:
    the first 12, or all when fewer, at least 6). A baseline given explicitly is checked."""
    pts = tuple(points)
    if baseline is None:
        baseline = min(DEFAULT_BASELINE, len(pts))
        if baseline < MIN_BASELINE:
            return XmR(pts, baseline, None, None, ())
    else:
        check_baseline(baseline, len(pts))
    base = [p.value for p in pts[:baseline]]
    centre = sum(base) / len(base)
    ranges = [abs(b - a) for a, b in zip(base, base[1:], strict=False)]
    amr = sum(ranges) / len(ranges)
    chart = XmR(pts, baseline, centre, amr, ())
    assert chart.upper_limit is not None and chart.lower_limit is not None
    found = signals([p.value for p in pts], centre, chart.upper_limit, chart.lower_limit)
    return XmR(pts, baseline, centre, amr, tuple(found))


def signals(values: Sequence[float], centre: float, upper: float, lower: float) -> list[Signal]:
    """Wheeler's three detection rules; each point of a pattern is marked (once per rule)."""
    marked: set[tuple[int, int]] = set()
    for i, v in enumerate(values):
        if v > upper or v < lower:
            marked.add((1, i))
    # Rule 2: beyond the line halfway between the centre and a limit, on the same side.
    hi_mid, lo_mid = (centre + upper) / 2, (centre + lower) / 2
    for side in (lambda v: v > hi_mid, lambda v: v < lo_mid):
        for i in range(len(values) - 3):
            near = [j for j in range(i, i + 4) if side(values[j])]
            if len(near) >= 3:
                marked |= {(2, j) for j in near}
    # Rule 3: runs of eight or more strictly on one side (a point on the centre breaks a run).
    run: list[int] = []
    run_side = 0
    for i, v in enumerate([*values, centre]):
        side_now = (v > centre) - (v < centre)
        if side_now != 0 and side_now == run_side:
            run.append(i)
            continue
        if len(run) >= 8:
            marked |= {(3, j) for j in run}
        run, run_side = ([i], side_now) if side_now != 0 else ([], 0)
    return [Signal(rule, i) for rule, i in sorted(marked, key=lambda m: (m[1], m[0]))]


@dataclass(frozen=True)
class SignalRun:
    """Successive points marked by one rule, told as one sentence."""

    rule: int
    first: Point
    last: Point
    count: int
    above: bool  # above the centre line (rule 3 and 2), or above the upper limit (rule 1)


def signal_runs(chart: XmR) -> list[SignalRun]:
    """The signals grouped into runs of successive points per rule, in time order."""
    by_rule: dict[int, list[int]] = {}
    for s in chart.signals:
        by_rule.setdefault(s.rule, []).append(s.index)
    runs = []
    centre = chart.centre or 0.0
    for rule, idx in by_rule.items():
        group = [idx[0]]
        for i in idx[1:] + [-1]:
            side = (chart.points[i].value > centre) if i >= 0 else None
            same = side == (chart.points[group[-1]].value > centre)
            # Rule 2's pattern may skip a point (three of four); rule 1 is told point by point.
            gap = 2 if rule == 2 else 1
            if 0 <= i - group[-1] <= gap and same and rule != 1:
                group.append(i)
                continue
            first, last = chart.points[group[0]], chart.points[group[-1]]
            runs.append(SignalRun(rule, first, last, len(group), first.value > centre))
            group = [i]
    return sorted(runs, key=lambda r: (r.first.start, r.rule))


def bucket_values(
    measure: Measure, starts: Sequence[date], sums: Sequence[float], counts: Sequence[int]
) -> list[Point]:
    """The chart's points from per-bucket aggregates: a count or value per bucket (an empty
    bucket is a zero), or for a mean (cycle days) ``sums[i] ÷ counts[i]``, skipping empties."""
    if measure.is_mean:
        return [Point(s, total / n) for s, total, n in zip(starts, sums, counts, strict=True) if n]
    return [Point(s, float(total)) for s, total in zip(starts, sums, strict=True)]


def chart_json(chart: XmR, money: bool = False) -> dict[str, object]:
    """The ``behaviour --json`` object (values in currency units when ``money``)."""

    def v(x: float | None) -> float | None:
        if money:
            return as_money(x)
        return None if x is None else round(x, 4)

    return {
        "points": [{"start": p.start.isoformat(), "value": v(p.value)} for p in chart.points],
        "centre": v(chart.centre),
        "upper_limit": v(chart.upper_limit),
        "lower_limit": v(chart.lower_limit),
        "average_moving_range": v(chart.average_moving_range),
        "upper_range_limit": v(chart.upper_range_limit),
        "signals": [
            {
                "rule": s.rule,
                "start": chart.points[s.index].start.isoformat(),
                "value": v(chart.points[s.index].value),
            }
            for s in chart.signals
        ],
    }


def run_sentence(
    run: SignalRun, chart: XmR, label: Callable[[date], str], fmt: Callable[[float], str]
) -> str:
    """One signal in an English sentence (for PDFs; the UI words it through its translator)."""
    first, last = label(run.first.start), label(run.last.start)
    span = first if run.count == 1 else f"{first} – {last}"
    side = "above" if run.above else "below"
    if run.rule == 1:
        limit = chart.upper_limit if run.above else chart.lower_limit
        return (
            f"{span}: {fmt(run.first.value)} is {side} the natural process limit "
            f"({fmt(limit or 0.0)}) — rule 1."
        )
    if run.rule == 2:
        near = "upper" if run.above else "lower"
        return (
            f"{span}: three of four points nearer the {near} limit than the centre line — rule 2."
        )
    return (
        f"{span}: {run.count} points in a row {side} the centre line "
        f"({fmt(chart.centre or 0.0)}) — rule 3."
    )
