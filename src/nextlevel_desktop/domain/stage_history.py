"""An imported engagement's stage history from what its file says, and nothing more (pure).

DESIGN §4, "unknown is unknown": where a file does not say when an engagement entered a stage,
the entry is recorded as unknown. Its moment then only keeps the history in order (it is placed
just after the previous entry), and the stay counts in no time-in-stage figure, is never
stalled, and enters no conversion cohort. Nothing is invented: no first stage at the opened date,
no straight move to Won/Lost.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

S = TypeVar("S", bound=Hashable)

# How far after the previous entry an unknown one is placed: a strict order is all it keeps.
UNKNOWN_STEP = timedelta(seconds=1)


@dataclass(frozen=True)
class Stay(Generic[S]):
    """What a file says about one stage an engagement was in: when it entered and left it."""

    stage: S
    entered: datetime | None = None
    exited: datetime | None = None


@dataclass(frozen=True)
class Entry(Generic[S]):
    """One recorded stage change: from ``from_stage`` into ``stage`` at ``at``."""

    from_stage: S | None
    stage: S
    at: datetime
    known: bool


class HistoryQuality(enum.StrEnum):
    FULL = "full"  # every stage's entry is known, from the one it was opened in
    PARTIAL = "partial"  # some entries into open stages are known
    NONE = "none"  # no entry into an open stage is known (at most the close)


def plan_history(
    stays: Sequence[Stay[S]], current: S, current_entered: datetime | None, start: datetime
) -> list[Entry[S]]:
    """The stage changes of an engagement: the file's stays in time order, then ``current``.

    ``stays`` come in the file's order; Python's sort is stable, so equal moments keep it.
    ``current_entered`` is when it entered its current stage, if known (a "last stage change"
    column, a closed row's close date, or its own "Date entered" column). A stay whose entry is
    not given takes the exit of the stay before it, when that is given. ``start`` (the opened
    moment) only places the first entry when its moment is unknown.
    """
    # A stay without any moment keeps its place after the stays given before it.
    keyed: list[tuple[datetime, Stay[S]]] = []
    for stay in stays:
        key = stay.entered or stay.exited or (keyed[-1][0] if keyed else start)
        keyed.append((key, stay))
    ordered = [s for _k, s in sorted(keyed, key=lambda ks: ks[0]) if s.stage != current]
    own = next((s for s in stays if s.stage == current), None)
    last = Stay(current, (own.entered if own else None) or current_entered)
    out: list[Entry[S]] = []
    previous: Stay[S] | None = None
    for stay in [*ordered, last]:
        at = stay.entered or (previous.exited if previous else None)
        floor = out[-1].at + UNKNOWN_STEP if out else start
        if at is not None and out and at < out[-1].at:
            at = None  # (a file contradicting itself: the order is kept, the moment dropped)
        out.append(
            Entry(previous.stage if previous else None, stay.stage, at or floor, at is not None)
        )
        previous = stay
    return out


def quality(
    entries: Sequence[Entry[S]], open_stages: set[S] | frozenset[S], opened: datetime
) -> HistoryQuality:
    """How much of a planned history the file proves (the import summary counts these):
    full when every entry is known from an open stage entered on the day it was ``opened``."""
    into_open = [e for e in entries if e.stage in open_stages]
    if not any(e.known for e in into_open):
        return HistoryQuality.NONE
    first = entries[0]
    from_the_start = first.at.astimezone().date() <= opened.astimezone().date()
    if all(e.known for e in entries) and first.stage in open_stages and from_the_start:
        return HistoryQuality.FULL
    return HistoryQuality.PARTIAL
