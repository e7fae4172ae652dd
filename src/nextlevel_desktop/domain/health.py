"""Stage health (DESIGN.md §4, “process health”): is the process running as designed?

Per open stage, the designed target conversion against the entry cohort's actual conversion
with a 90 % Wilson interval, the expected days against the median and 80th percentile of
completed stays, and how many open engagements are stalled there now. A stage is flagged only
when the interval excludes the design, so a few unlucky deals do not raise an alarm.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .measures import histogram_median, histogram_total, rate

# The two-sided 90 % normal quantile (Φ⁻¹(0.95)).
Z90 = 1.6448536269514722
# Below this many entries (or completed stays) a measured figure is not offered as the design.
MIN_ENTRIES = 10
MIN_STAYS = 5


def wilson_interval(successes: int, n: int, z: float = Z90) -> tuple[float, float] | None:
    """The Wilson score interval of ``successes`` in ``n`` trials (``None`` for ``n == 0``)."""
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    denom = 1 + z2 / n
    return max(0.0, (centre - half) / denom), min(1.0, (centre + half) / denom)


def histogram_percentile(hist: Mapping[int, int], q: float) -> int | None:
    """The nearest-rank ``q`` quantile of ``{value: how many}``: the smallest value that at
    least ``q`` of the observations do not exceed (“80 % of stays took at most N days”)."""
    n = histogram_total(hist)
    if n == 0:
        return None
    rank = max(1, math.ceil(q * n - 1e-9))
    seen = 0
    for value in sorted(hist):
        seen += max(hist[value], 0)
        if seen >= rank:
            return value
    return max(hist)


@dataclass(frozen=True)
class StageHealth:
    """One open stage, designed against actual. Fractions 0–1; ``None`` where unknown."""

    stage_id: int
    stage: str
    next_stage: str  # where advancing leads: the next open stage, or the won stage
    entered: int
    advanced: int
    target_conversion: float | None
    expected_days: int | None
    stays: int  # completed stays behind the median and 80th percentile
    median_days: float | None
    p80_days: int | None
    stalled_now: int

    @property
    def conversion(self) -> float | None:
        return rate(self.advanced, self.entered)

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.advanced, self.entered)

    @property
    def flagged(self) -> bool:
        """The 90 % interval excludes the designed conversion."""
        iv, t = self.interval, self.target_conversion
        return iv is not None and t is not None and not iv[0] <= t <= iv[1]

    @property
    def leaking(self) -> bool:
        """Flagged, and converting below the design."""
        return (
            self.flagged
            and self.conversion is not None
            and self.conversion < (self.target_conversion or 0)
        )

    @property
    def shortfall(self) -> float:
        """Engagements that would have advanced at the designed conversion, and did not."""
        if self.target_conversion is None:
            return 0.0
        return self.entered * self.target_conversion - self.advanced

    @property
    def slowness(self) -> float | None:
        """Median stay ÷ expected days (above 1: slower than designed)."""
        if self.median_days is None or not self.expected_days:
            return None
        return self.median_days / self.expected_days

    @property
    def few(self) -> bool:
        """Resting on few observations (said beside the figure)."""
        return self.entered < MIN_ENTRIES


def stage_health(
    stages: Sequence[tuple[int, str, int | None, int | None]],
    next_names: Sequence[str],
    entries: Mapping[int, tuple[int, int]],
    stays: Mapping[int, Mapping[int, int]],
    stalled: Mapping[int, int],
) -> list[StageHealth]:
    """One :class:`StageHealth` per open stage, in order.

    ``stages``: (id, name, target conversion %, expected days) of the open stages;
    ``next_names``: where each leads; ``entries``: id → (entered, advanced) for the cohort;
    ``stays``: id → histogram of completed stays' days; ``stalled``: id → stalled now.
    """
    out = []
    for (sid, name, target_pct, expected), nxt in zip(stages, next_names, strict=True):
        entered, advanced = entries.get(sid, (0, 0))
        hist = stays.get(sid, {})
        out.append(
            StageHealth(
                stage_id=sid,
                stage=name,
                next_stage=nxt,
                entered=entered,
                advanced=advanced,
                target_conversion=None if target_pct is None else target_pct / 100,
                expected_days=expected,
                stays=histogram_total(hist),
                median_days=histogram_median(hist),
                p80_days=histogram_percentile(hist, 0.8),
                stalled_now=stalled.get(sid, 0),
            )
        )
    return out


def biggest_leak(rows: Sequence[StageHealth]) -> StageHealth | None:
    """The flagged stage losing the most engagements against its design."""
    leaks = [r for r in rows if r.leaking]
    return max(leaks, key=lambda r: (r.shortfall, -r.advanced), default=None)


def slowest_stage(rows: Sequence[StageHealth]) -> StageHealth | None:
    """The stage whose median stay most exceeds its expected days (``None``: none does)."""
    slow = [r for r in rows if (r.slowness or 0) > 1]
    return max(slow, key=lambda r: r.slowness or 0, default=None)


def percent(x: float | None) -> str:
    return "–" if x is None else f"{round(x * 100)} %"


def days_text(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:g}"


def leak_sentence(row: StageHealth | None) -> str:
    """“Qualified → Proposal converts 31 % (17 of 54) against a designed 60 %: the biggest
    leak.” (English; the UI words it through its translator with the same figures.)"""
    if row is None:
        return "No stage converts measurably below its design."
    return (
        f"{row.stage} → {row.next_stage} converts {percent(row.conversion)} "
        f"({row.advanced} of {row.entered}) against a designed "
        f"{percent(row.target_conversion)}: the biggest leak."
    )


def slow_sentence(row: StageHealth | None) -> str:
    if row is None:
        return "Every stage's median stay is within its expected days."
    return (
        f"{row.stage} takes a median {days_text(row.median_days)} days (80 % within "
        f"{row.p80_days}) against {row.expected_days} expected: the slowest stage."
    )


@dataclass(frozen=True)
class DesignUpdate:
    """What the measurements say a stage's design should be (``None``: leave as it is)."""

    stage_id: int
    stage: str
    expected_days: tuple[int | None, int] | None  # (designed, measured)
    target_conversion: tuple[int | None, int] | None  # whole percents

    @property
    def changes(self) -> bool:
        return self.expected_days is not None or self.target_conversion is not None


def measured_design(rows: Sequence[StageHealth]) -> list[DesignUpdate]:
    """The stages whose measured figures differ from the design, on enough observations:
    expected days ← the 80th percentile of completed stays (so about one stay in five
    counts as stalled), target conversion ← the measured conversion, whole percents."""
    out = []
    for r in rows:
        days = None
        if r.stays >= MIN_STAYS and r.p80_days is not None:
            new_days = max(1, r.p80_days)
            if new_days != r.expected_days:
                days = (r.expected_days, new_days)
        conv = None
        if r.entered >= MIN_ENTRIES and r.conversion is not None:
            new_pct = round(r.conversion * 100)
            old_pct = None if r.target_conversion is None else round(r.target_conversion * 100)
            if new_pct != old_pct:
                conv = (old_pct, new_pct)
        update = DesignUpdate(r.stage_id, r.stage, days, conv)
        if update.changes:
            out.append(update)
    return out


def health_report(rows: Sequence[StageHealth]) -> list[dict[str, object]]:
    """The ``"stage_health"`` list of ``report --json`` (fractions rounded to 4 places)."""

    def r4(x: float | None) -> float | None:
        return None if x is None else round(x, 4)

    out: list[dict[str, object]] = []
    for r in rows:
        iv = r.interval
        out.append(
            {
                "stage": r.stage,
                "entered": r.entered,
                "advanced": r.advanced,
                "conversion": r4(r.conversion),
                "conversion_low": r4(iv[0]) if iv else None,
                "conversion_high": r4(iv[1]) if iv else None,
                "target_conversion": r4(r.target_conversion),
                "median_days": r.median_days,
                "p80_days": r.p80_days,
                "expected_days": r.expected_days,
                "stalled_now": r.stalled_now,
            }
        )
    return out
