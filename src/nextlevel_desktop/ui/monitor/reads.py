"""What the Monitor and the review read from the workspace, as functions of a thread's own
:class:`Services`.

They run on the reader thread (``host.ops.read``), so they take only plain values (scopes,
scorecards, periods) and return plain values; nothing here touches Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ...domain.models import ProcessKind
from ...services.container import Services
from ...services.scorecards import EngagementLine, Scope, Scorecard
from . import build


@dataclass(frozen=True)
class Cards:
    """The scorecards of the chosen processes, and those of the period before (or ``None``
    each, when not comparing)."""

    cards: list[Scorecard]
    previous: list[Scorecard | None]


def scorecards(services: Services, scopes: Sequence[Scope], compare: bool = False) -> Cards:
    svc = services.scorecards
    cards = [svc.scorecard(s) for s in scopes]
    previous = [
        svc.scorecard(replace(s, period=s.period.previous())) if compare else None for s in scopes
    ]
    return Cards(cards, previous)


def risk_lines(services: Services, cards: Sequence[Scorecard]) -> list[EngagementLine]:
    """Stalled hunting and at-risk farming engagements, most days over first."""
    lines: list[EngagementLine] = []
    for card in cards:
        only = "stalled" if card.kind is ProcessKind.HUNTING else "at_risk"
        lines += services.scorecards.open_engagements(card.scope, only=only)
    lines.sort(key=lambda x: (-x.days_over, x.name))
    return lines


@dataclass(frozen=True)
class ChartInputs:
    """What a chart is drawn from besides the workspace: the scopes chosen, the scorecards shown
    (empty for the charts in ``SCOPED``, read as soon as the scopes are chosen) and the settings
    in force when they were read."""

    scopes: tuple[Scope, ...]
    cards: tuple[Scorecard, ...]
    currency: str
    on_track: int
    at_risk: int


# The charts read from the scopes alone (series of their own), not from the scorecards: the
# open one's read is asked before the scorecards', so its draw overlaps their reads.
SCOPED = ("activity", "trend")


def chart_content(services: Services, key: str, inputs: ChartInputs) -> build.ChartContent:
    """The data (and drawing) of the Monitor chart ``key``; the activity and outcome charts
    read series of their own, the others are built from the scorecards."""
    svc = services.scorecards
    cards = inputs.cards
    if key == "activity":
        items = []
        for scope in inputs.scopes:
            window, bucket = build.chart_window(scope.period)
            items.append((scope.process, svc.activity_series(scope, window, bucket), bucket))
        return build.activity_chart(items)
    if key == "funnel":
        return build.funnel_chart(cards)
    if key == "time":
        return build.time_chart(cards)
    if key == "pipeline":
        return build.pipeline_chart(cards, inputs.currency)
    if key == "trend":
        return build.trend_chart([(s.process, svc.outcome_trend(s)) for s in inputs.scopes])
    return build.attainment_chart(cards, inputs.on_track, inputs.at_risk, inputs.currency)
