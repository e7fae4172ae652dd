"""A small hand-made workspace whose every measure was computed by hand (see the tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from nextlevel_desktop.services.container import Services
from nextlevel_desktop.storage.db import Database
from nextlevel_desktop.storage.orm import (
    AccountRow,
    ActivityRow,
    ActivityTypeRow,
    EngagementRow,
    PersonRow,
    ProcessRow,
    StageChangeRow,
    StageRow,
    TargetRow,
)

TODAY = date(2026, 11, 27)


def noon(day: date) -> datetime:
    """Local noon of ``day`` as aware UTC (how the app stores moments)."""
    return datetime.combine(day, time(12)).astimezone(UTC)


@dataclass
class Hand:
    """Ids of the hand-made records."""

    ann: int
    bob: int
    cara: int
    hunting: int
    farming: int
    stages: dict[str, int]
    types: dict[str, int]
    engagements: dict[str, int]


def build(db: Database) -> Hand:
    with db.transaction() as s:
        people = [PersonRow(name=n, role="rep", active=True) for n in ("Ann", "Bob", "Cara")]
        s.add_all(people)
        hunting = s.scalars(select(ProcessRow).where(ProcessRow.kind == "hunting")).one()
        farming = s.scalars(select(ProcessRow).where(ProcessRow.kind == "farming")).one()
        accounts = [AccountRow(name=f"A{i}") for i in range(8)]
        s.add_all(accounts)
        s.flush()
        ann, bob, cara = (p.id for p in people)
        stages = {st.name: st.id for st in s.scalars(select(StageRow))}
        types = {t.name: t.id for t in s.scalars(select(ActivityTypeRow))}
        engagements: dict[str, int] = {}

        def engagement(
            key: str,
            process: ProcessRow,
            owner: int,
            value: int,
            opened: date | None,
            path: list[tuple[str, date]],
            account: int | None = None,
            closed: tuple[str, date] | None = None,
            source: str | None = None,
        ) -> None:
            final = path[-1][0] if path else None
            if closed:
                final = closed[0]
            row = EngagementRow(
                process_id=process.id,
                owner_id=owner,
                account_id=account,
                stage_id=stages[final] if final else stages["Qualified"],
                name=key,
                value_minor=value,
                opened_on=opened,
                closed_on=closed[1] if closed else None,
                outcome=None
                if not closed
                else ("won" if closed[0] in ("Won", "Renewed/expanded") else "lost"),
                stage_entered_at=noon((closed or path[-1])[1]) if path else None,
                source_engagement_id=engagements.get(source or ""),
            )
            s.add(row)
            s.flush()
            engagements[key] = row.id
            steps = [*path, closed] if closed else path
            prev = None
            for name, day in steps:
                s.add(
                    StageChangeRow(
                        engagement_id=row.id,
                        from_stage_id=stages[prev] if prev else None,
                        to_stage_id=stages[name],
                        changed_at=noon(day),
                        person_id=owner,
                    )
                )
                prev = name

        d = date
        # Hunting (September 2026 is the period the tests look at).
        engagement(
            "E1",
            hunting,
            ann,
            1_000_000,
            d(2026, 8, 20),
            [
                ("Suspect", d(2026, 8, 20)),
                ("Prospect", d(2026, 9, 3)),
                ("Qualified", d(2026, 9, 10)),
            ],
            closed=("Won", d(2026, 9, 24)),
        )
        engagement(
            "E2",
            hunting,
            ann,
            500_000,
            d(2026, 9, 5),
            [("Suspect", d(2026, 9, 5))],
            closed=("Lost", d(2026, 9, 15)),
        )
        engagement(
            "E3",
            hunting,
            bob,
            2_000_000,
            d(2026, 9, 10),
            [("Suspect", d(2026, 9, 10)), ("Prospect", d(2026, 9, 12))],
        )
        engagement("E4", hunting, ann, 800_000, None, [])  # no dates, no history
        engagement("E5", hunting, bob, 300_000, d(2026, 7, 1), [("Suspect", d(2026, 7, 1))])
        engagement(
            "H",
            hunting,
            bob,
            100_000,
            d(2026, 6, 1),
            [],
            account=accounts[2].id,
            closed=("Won", d(2026, 7, 10)),
        )
        # Farming (Q3 2026).
        engagement(
            "F1",
            farming,
            ann,
            0,
            d(2026, 6, 1),
            [("Onboarding", d(2026, 6, 1)), ("Account plan", d(2026, 6, 20))],
            account=accounts[1].id,
        )
        engagement(
            "F2",
            farming,
            bob,
            0,
            d(2026, 7, 10),
            [("Onboarding", d(2026, 7, 10)), ("Account plan", d(2026, 9, 20))],
            account=accounts[2].id,
            source="H",
        )
        engagement(
            "F3",
            farming,
            ann,
            0,
            d(2025, 10, 1),
            [("Renewal", d(2025, 10, 1))],
            account=accounts[3].id,
            closed=("Renewed/expanded", d(2026, 8, 30)),
        )
        engagement(
            "F4",
            farming,
            bob,
            0,
            d(2025, 10, 1),
            [("Renewal", d(2025, 10, 1))],
            account=accounts[4].id,
            closed=("Churned", d(2026, 9, 10)),
        )
        engagement(
            "F5",
            farming,
            ann,
            0,
            d(2026, 9, 1),
            [("Regular review", d(2026, 9, 1))],
            account=accounts[5].id,
        )

        def activity(
            who: int, kind: str, day: date, status: str = "done", account: int | None = None
        ) -> None:
            process = hunting if kind in ("Call", "Email", "Meeting") else farming
            s.add(
                ActivityRow(
                    type_id=types[kind],
                    process_id=process.id,
                    occurred_at=noon(day),
                    occurred_on=day,
                    person_id=who,
                    account_id=account,
                    status=status,
                )
            )

        for day in (d(2026, 9, 1), d(2026, 9, 15), d(2026, 9, 30)):
            activity(ann, "Call", day)
        activity(ann, "Email", d(2026, 9, 10))
        activity(ann, "Call", d(2026, 8, 31))  # before the period
        activity(ann, "Call", d(2026, 9, 20), status="planned")  # not done: not counted
        activity(bob, "Meeting", d(2026, 9, 2))
        activity(bob, "Meeting", d(2026, 9, 3))
        activity(ann, "Account review", d(2026, 8, 15), account=accounts[1].id)
        activity(bob, "Check-in", d(2026, 7, 14), account=accounts[2].id)

        def target(
            process: ProcessRow,
            measure: str,
            person: int | None,
            period: str,
            value: float,
            type_name: str | None = None,
            valid: date = date(2026, 1, 1),  # noqa: B008
        ) -> None:
            s.add(
                TargetRow(
                    process_id=process.id,
                    measure=measure,
                    person_id=person,
                    period=period,
                    value_x100=round(value * 100),
                    valid_from=valid,
                    activity_type_id=types[type_name] if type_name else None,
                )
            )

        target(hunting, "win_rate", None, "quarter", 40)
        target(hunting, "win_rate", None, "quarter", 60, valid=d(2026, 9, 1))  # the later one wins
        target(hunting, "activity_count", ann, "week", 1, "Call")
        target(hunting, "activity_count", bob, "week", 2, "Call")
        target(hunting, "won_value", None, "month", 2_000_000)
        target(hunting, "cycle_days", None, "quarter", 28)
        target(farming, "review_coverage", None, "quarter", 50)
    return Hand(ann, bob, cara, hunting.id, farming.id, stages, types, engagements)


@pytest.fixture
def hand(services: Services) -> Hand:
    return build(services.db)
