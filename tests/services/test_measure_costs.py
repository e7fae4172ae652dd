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
