"""The Pipeline board's read (issue 14: another process on the board within 200 ms on a large
workspace): each stage's figures and oldest cards, read from the board index alone, are what
the board showed when it streamed every open engagement of the process: the same counts,
values, stalls, cards and their order, filtered or not, stays of unknown start included."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update
from test_measure_plans import plans, statements

from nextlevel_desktop.domain.engagements import days_in_stage, is_stalled
from nextlevel_desktop.domain.models import Engagement, Process
from nextlevel_desktop.domain.periods import local_midnight_utc
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.storage.orm import EngagementRow

Figures = dict[int, tuple[int, int, int, list[Engagement]]]


def streamed(
    services: Services, process: Process, today: date, cards: int, owner: int | None, text: str
) -> tuple[Figures, tuple[int, int, int]]:
    """The board as it was made before: every open engagement of the process streamed, oldest
    in its stage first; each stage counted and its first ``cards`` kept (those of unknown
    start after the others)."""
    stages = {s.id: s for s in process.stages}
    figures: dict[int, list] = {}  # type: ignore[type-arg]
    for e in services.engagements.each(process.id, owner_id=owner, text=text):
        stalled = is_stalled(days_in_stage(e.stage_entered_at, today), stages.get(e.stage_id))
        f = figures.setdefault(e.stage_id, [0, 0, 0, [], []])
        f[0], f[1], f[2] = f[0] + 1, f[1] + e.value_minor, f[2] + stalled
        f[4 if e.stage_entered_at is None else 3].append(e)
    out = {
        sid: (n, v, st, (known + unknown)[:cards])
        for sid, (n, v, st, known, unknown) in figures.items()
    }
    totals = tuple(sum(f[i] for f in out.values()) for i in range(3))
    return out, totals  # type: ignore[return-value]


def read(
    services: Services, process: Process, today: date, cards: int, owner: int | None, text: str
):  # type: ignore[no-untyped-def]
    board = services.engagements.board(process, today, cards, owner, text)
    figures = {
        sid: (s.count, s.value_minor, s.stalled, list(s.cards)) for sid, s in board.stages.items()
    }
    return figures, (board.count, board.value_minor, board.stalled)


def unsettle(services: Services, process: Process, today: date) -> None:
    """Stays of unknown start among the known ones, and stays a moment either side of the
    stall line (local midnight, that many days ago), in every open stage."""
    with services.db.transaction() as s:
        for stage in process.open_stages:
            ids = s.scalars(
                select(EngagementRow.id)
                .where(EngagementRow.stage_id == stage.id, EngagementRow.outcome.is_(None))
                .order_by(EngagementRow.id)
            ).all()
            line = local_midnight_utc(today - timedelta(days=stage.expected_days or 3))
            at = [None, None, line, line - timedelta(microseconds=1), line + timedelta(hours=23)]
            for eid, when in zip(ids[1::2], at, strict=False):
                s.execute(
                    update(EngagementRow)
                    .where(EngagementRow.id == eid)
                    .values(stage_entered_at=when)
                )


@pytest.mark.parametrize("cards", [2, 100])
def test_the_board_read_is_the_streamed_board(demo_services: Services, cards: int) -> None:
    today = date.today()
    processes = demo_services.processes.processes()
    for process in processes:
        unsettle(demo_services, process, today)
    checked = 0
    for process in processes:
        some = demo_services.engagements.engagements(process.id)
        owner = some[0].owner_id
        for who, text in ((None, ""), (owner, ""), (None, "a"), (owner, "e"), (None, "zz-none")):
            assert read(demo_services, process, today, cards, who, text) == streamed(
                demo_services, process, today, cards, who, text
            )
            checked += 1
        board = demo_services.engagements.board(process, today, cards)
        # The cases above are there: stalls, and unknown starts after the known ones (with room
        # for them) or columns cut at ``cards``.
        assert board.stalled > 0
        if cards == 2:
            assert any(s.count > len(s.cards) for s in board.stages.values())
        else:
            assert any(e.stage_entered_at is None for s in board.stages.values() for e in s.cards)
    assert checked == 10


def test_the_board_reads_its_index_and_only_the_cards_rows(demo_services: Services) -> None:
    """The figures and which cards come from the board index alone; only the cards' own rows
    (with their account, owner and stage) are read from the tables."""
    today = date.today()
    processes = demo_services.processes.processes()
    owners = [demo_services.engagements.engagements(p.id)[0].owner_id for p in processes]
    with statements(demo_services) as seen:
        for process, owner in zip(processes, owners, strict=True):
            demo_services.engagements.board(process, today, 100)
            demo_services.engagements.board(process, today, 100, owner)
    lines = plans(demo_services, seen)
    reads = [line for line, _ in lines if line.startswith(("SEARCH engagement", "SCAN engagement"))]
    assert reads and all(
        "COVERING INDEX ix_engagement_board" in line or "INTEGER PRIMARY KEY" in line
        for line in reads
    ), reads
    assert not any(line.startswith("SCAN") for line, _ in lines)
    assert not any("TEMP B-TREE" in line for line, _ in lines)  # no sort, no grouping apart
