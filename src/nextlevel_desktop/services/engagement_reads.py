"""Reading engagements for the Pipeline: the plain-column rows of a list, and the board.

The board reads only what it shows (issue 14: another process on the board within 200 ms on a
large workspace): each stage's figures from one aggregate over the board index
(``ix_engagement_board``: process, outcome, stage, entry time, id, owner, value), and each open
stage's oldest cards by a seek on that index that stops at the last card. Only the cards' rows
(at most a hundred a column) are read from the table, with their account and owner names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, case, func, literal, null, select
from sqlalchemy.orm import Session

from ..domain.models import Engagement, Outcome, Process, StageCategory
from ..domain.periods import local_midnight_utc
from ..storage.orm import AccountRow, EngagementRow, PersonRow, StageRow, UTCDateTime

E = EngagementRow

# Plain columns, not ORM entities: listing 100,000 engagements stays fast.
_COLUMNS = (
    E.id,
    E.process_id,
    E.name,
    E.stage_id,
    E.account_id,
    AccountRow.name,
    E.owner_id,
    PersonRow.name,
    StageRow.name,
    E.value_minor,
    E.opened_on,
    E.closed_on,
    E.outcome,
    E.lost_reason,
    E.stage_entered_at,
    E.external_id,
    E.expected_close,
    E.product,
)


def engagement_select() -> Any:
    """Every field of an ``Engagement``, with its account, owner and stage names."""
    return (
        select(*_COLUMNS)
        .join(StageRow, StageRow.id == E.stage_id)
        .outerjoin(AccountRow, AccountRow.id == E.account_id)
        .outerjoin(PersonRow, PersonRow.id == E.owner_id)
    )


def engagement_of(r: Any) -> Engagement:
    """The ``Engagement`` of a row of :func:`engagement_select`."""
    return Engagement(
        id=r[0],
        process_id=r[1],
        name=r[2],
        stage_id=r[3],
        account_id=r[4],
        account_name=r[5] or "",
        owner_id=r[6],
        owner_name=r[7] or "",
        stage_name=r[8],
        value_minor=r[9],
        opened_on=r[10],
        closed_on=r[11],
        outcome=Outcome(r[12]) if r[12] else None,
        lost_reason=r[13],
        stage_entered_at=r[14],
        external_id=r[15],
        expected_close=r[16],
        product=r[17],
    )


def matching(text: str) -> Any:
    """The engagements whose name or account's name holds ``text`` (with the account joined)."""
    like = f"%{text.strip().replace('%', '')}%"
    return E.name.ilike(like) | AccountRow.name.ilike(like)


@dataclass(frozen=True)
class BoardStage:
    """The open engagements of one stage: how many, their value, how many stalled, and the
    oldest ``cards`` (those whose entry is known, in the order they entered, then the others)."""

    count: int = 0
    value_minor: int = 0
    stalled: int = 0
    cards: tuple[Engagement, ...] = ()


@dataclass(frozen=True)
class BoardRead:
    """A process's board: its stages' open engagements (stage id → figures and cards; a stage
    with none is absent) and the figures of every open engagement of the process."""

    stages: dict[int, BoardStage]
    count: int
    value_minor: int
    stalled: int


def read_board(
    session: Session,
    process: Process,
    today: date,
    cards: int,
    owner_id: int | None = None,
    text: str = "",
) -> BoardRead:
    """The board of ``process`` on ``today``: every stage's figures, and at most ``cards``
    cards for each open stage, of the open engagements (of ``owner_id``; whose name or
    account holds ``text``).

    Stalled (DESIGN §4) as ``is_stalled`` counts it, in SQL: more whole local days in an open
    stage than it expects is an entry before local midnight of the day that many days ago.
    """
    where = [E.process_id == process.id, E.outcome.is_(None)]
    if owner_id is not None:
        where.append(E.owner_id == owner_id)
    searched = bool(text.strip())
    if searched:
        where.append(matching(text))

    def rows(*columns: Any) -> Select[Any]:
        stmt = select(*columns).where(*where)
        return stmt.outerjoin(AccountRow, AccountRow.id == E.account_id) if searched else stmt

    cutoffs = {
        s.id: literal(local_midnight_utc(today - timedelta(days=s.expected_days)), UTCDateTime())
        for s in process.stages
        if s.category is StageCategory.OPEN and s.expected_days is not None and s.expected_days > 0
    }
    cutoff = case(cutoffs, value=E.stage_id, else_=null()) if cutoffs else null()
    figures = rows(
        E.stage_id,
        func.count(),
        func.sum(E.value_minor),
        func.sum(case((E.stage_entered_at < cutoff, 1), else_=0)),
        func.sum(case((E.stage_entered_at.is_(None), 1), else_=0)),
    ).group_by(E.stage_id)
    counted = {
        sid: (n, value, stalled, unknown)
        for sid, n, value, stalled, unknown in session.execute(figures)
    }
    order: dict[int, list[int]] = {}
    for stage in process.open_stages if cards > 0 else ():
        n, _value, _stalled, unknown = counted.get(stage.id, (0, 0, 0, 0))
        ids = order[stage.id] = []
        if n > unknown:
            known = rows(E.id).where(E.stage_id == stage.id, E.stage_entered_at.is_not(None))
            ids += session.scalars(known.order_by(E.stage_entered_at, E.id).limit(cards))
        if unknown and len(ids) < cards:
            rest = rows(E.id).where(E.stage_id == stage.id, E.stage_entered_at.is_(None))
            ids += session.scalars(rest.order_by(E.id).limit(cards - len(ids)))
    wanted = [i for ids in order.values() for i in ids]
    found = session.execute(engagement_select().where(E.id.in_(wanted))) if wanted else ()
    made = {e.id: e for e in map(engagement_of, found)}
    stages = {
        sid: BoardStage(n, value, stalled, tuple(made[i] for i in order.get(sid, ()) if i in made))
        for sid, (n, value, stalled, _unknown) in counted.items()
    }
    return BoardRead(
        stages,
        sum(s.count for s in stages.values()),
        sum(s.value_minor for s in stages.values()),
        sum(s.stalled for s in stages.values()),
    )
