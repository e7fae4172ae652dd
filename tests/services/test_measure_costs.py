"""What a scorecard costs besides its SQL (issue 14: the measures within 2× the raw SQL).

Through the session, every statement also goes through the ORM's compile and loading steps
(≈ 0.5 ms each, more than most measures' SQL): the scorecard's statements run as Core on the
session's connection, and each statement is built once per shape, not once per refresh.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from nextlevel_desktop.domain.periods import month_of
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.scorecards import Scope

TODAY = date(2026, 11, 27)


def test_scorecard_statements_skip_the_orm(demo_services: Services) -> None:
    people = demo_services.people.people()
    period = month_of(TODAY)
    scopes = [
        Scope(process, who, period, TODAY)
        for process in demo_services.processes.processes()
        for who in (people[0].id, None)
    ]
    through_orm: list[str] = []

    def seen(state: ORMExecuteState) -> None:
        through_orm.append(str(state.statement))

    event.listen(Session, "do_orm_execute", seen)
    try:
        for scope in scopes:
            demo_services.scorecards.scorecard(scope)
    finally:
        event.remove(Session, "do_orm_execute", seen)
    # Only the stage moves' two statements (entries and time in stage) are left to the ORM.
    assert len(through_orm) <= 2 * len(scopes), through_orm


def test_farming_lookups_read_only_the_index(demo_services: Services) -> None:
    """The review check reads the type from the account index (no activity type row per
    activity), and the handover lag reads each won account's activities from just before the
    period, not its whole history."""
    farming = next(p for p in demo_services.processes.processes() if p.kind.value == "farming")
    seen: list[tuple[str, object]] = []

    def capture(_c, _cur, statement, params, _ctx, _many):  # type: ignore[no-untyped-def]
        seen.append((statement, params))

    engine = demo_services.db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        demo_services.scorecards.scorecard(Scope(farming, None, month_of(TODAY), TODAY))
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        plans = {
            statement: [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, params)]  # type: ignore[arg-type]
            for statement, params in seen
            if statement.lstrip().upper().startswith(("SELECT", "WITH"))
        }
    flags = next(lines for sql, lines in plans.items() if "is_review" in sql)
    assert "SEARCH activity_type USING INTEGER PRIMARY KEY (rowid=?)" not in flags
    lag = next(lines for sql, lines in plans.items() if "e_won" in sql)
    assert any("ix_activity_account_at (account_id=? AND occurred_at>?)" in line for line in lag)
