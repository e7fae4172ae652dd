"""The stage history an import plans from what a file says (pure, hand-worked)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from matplotlib.figure import Figure

from nextlevel_desktop.domain.measures import few_transitions
from nextlevel_desktop.domain.stage_history import (
    UNKNOWN_STEP,
    Entry,
    HistoryQuality,
    Stay,
    plan_history,
    quality,
)
from nextlevel_desktop.render.charts import plot_funnel


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 12, tzinfo=UTC)


START = at(1)
OPEN = frozenset({"A", "B", "C"})


def test_known_entries_in_time_order_then_the_current_stage() -> None:
    stays = [Stay("B", at(5), at(9)), Stay("A", at(2), at(5))]
    plan = plan_history(stays, "C", None, START)
    # C's entry is B's exit: the file gives it.
    assert plan == [
        Entry(None, "A", at(2), True),
        Entry("A", "B", at(5), True),
        Entry("B", "C", at(9), True),
    ]
    assert quality(plan, OPEN, at(2)) is HistoryQuality.FULL
    # Opened before the first entry the file gives: where it started is not known.
    assert quality(plan, OPEN, START) is HistoryQuality.PARTIAL


def test_an_unknown_entry_is_marked_and_only_keeps_the_order() -> None:
    plan = plan_history([Stay("A", at(2))], "B", None, START)
    assert plan == [Entry(None, "A", at(2), True), Entry("A", "B", at(2) + UNKNOWN_STEP, False)]
    assert quality(plan, OPEN, START) is HistoryQuality.PARTIAL


def test_nothing_said_nothing_made_up() -> None:
    # An open row: in its stage since an unknown moment (placed at the opened moment).
    assert plan_history([], "B", None, START) == [Entry(None, "B", START, False)]
    assert quality(plan_history([], "B", None, START), OPEN, START) is HistoryQuality.NONE
    # A won row: only the close is known; no first stage at the opened date.
    won = plan_history([], "Won", at(20), START)
    assert won == [Entry(None, "Won", at(20), True)]
    assert quality(won, OPEN, START) is HistoryQuality.NONE


def test_a_stay_without_moments_keeps_its_place_and_a_contradiction_is_dropped() -> None:
    # Pipedrive: won from the open stage it names, entered at an unknown moment.
    plan = plan_history([Stay("C")], "Won", at(20), START)
    assert plan == [Entry(None, "C", START, False), Entry("C", "Won", at(20), True)]
    # A close before the last known entry cannot be: its moment is dropped, the order kept.
    back = plan_history([Stay("A", at(10))], "Won", at(5), START)
    assert back[-1] == Entry("A", "Won", at(10) + UNKNOWN_STEP, False)


def test_few_known_transitions_are_said() -> None:
    assert few_transitions(0) == "" and few_transitions(5) == ""
    assert few_transitions(1) == "rests on only 1 known transition"
    assert few_transitions(4) == "rests on only 4 known transitions"
    fig = Figure()
    ax = fig.add_subplot()
    hits = plot_funnel(ax, ["A", "B"], [2, 40], [1, 20], [0.5, 0.5], [None, None])
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["50 %  (rests on only 2 known transitions)", "50 %"]
    assert "read it with care" in hits[0].tooltip and "care" not in hits[2].tooltip
    assert timedelta(0) < UNKNOWN_STEP
