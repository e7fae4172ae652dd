"""Invariants of the SQL measures on generated histories (hypothesis)."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from nextlevel_desktop.domain.measures import HuntingMeasures
from nextlevel_desktop.domain.periods import custom
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage.orm import (
    ActivityRow,
    ActivityTypeRow,
    EngagementRow,
    PersonRow,
    ProcessRow,
    StageChangeRow,
    StageRow,
)

START = date(2026, 1, 5)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12)).astimezone(UTC)


TODAY = date(2026, 12, 31)

# One engagement: how far it gets (number of forward steps), days per step, and its end.
journey = st.tuples(
    st.integers(0, 6),
    st.lists(st.integers(1, 40), min_size=7, max_size=7),
    st.sampled_from(["open", "lost"]),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(journey, min_size=1, max_size=12),
    st.lists(st.tuples(st.integers(0, 300), st.integers(0, 5), st.booleans()), max_size=40),
)
def test_funnel_never_increases_and_totals_add_up(journeys, activities) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        db, _ = open_workspace(Path(tmp) / "h.nlw")
        try:
            with db.transaction() as s:
                person = PersonRow(name="P", role="rep", active=True)
                s.add(person)
                proc = s.scalars(select(ProcessRow).where(ProcessRow.kind == "hunting")).one()
                stages = s.scalars(
                    select(StageRow)
                    .where(StageRow.process_id == proc.id)
                    .order_by(StageRow.position)
                ).all()
                open_st = [x for x in stages if x.category == "open"]
                won = next(x for x in stages if x.category == "won")
                lost = next(x for x in stages if x.category == "lost")
                types = s.scalars(
                    select(ActivityTypeRow).where(ActivityTypeRow.kind == "hunting")
                ).all()
                s.flush()
                for i, (steps, gaps, end) in enumerate(journeys):
                    path = (open_st + [won])[: steps + 1]
                    day = START + timedelta(days=i)
                    row = EngagementRow(
                        process_id=proc.id,
                        owner_id=person.id,
                        stage_id=path[0].id,
                        name=f"E{i}",
                        value_minor=1000 * (i + 1),
                        opened_on=day,
                    )
                    s.add(row)
                    s.flush()
                    prev = None
                    for k, st_row in enumerate(path):
                        s.add(
                            StageChangeRow(
                                engagement_id=row.id,
                                from_stage_id=prev,
                                to_stage_id=st_row.id,
                                changed_at=noon(day),
                            )
                        )
                        prev = st_row.id
                        day += timedelta(days=gaps[k])
                    last = path[-1]
                    if last is won:
                        row.stage_id, row.outcome, row.closed_on = (
                            won.id,
                            "won",
                            day - timedelta(days=gaps[len(path) - 1]),
                        )
                    elif end == "lost":
                        s.add(
                            StageChangeRow(
                                engagement_id=row.id,
                                from_stage_id=prev,
                                to_stage_id=lost.id,
                                changed_at=noon(day),
                            )
                        )
                        row.stage_id, row.outcome, row.closed_on = lost.id, "lost", day
                    else:
                        row.stage_id = last.id
                for offset, type_index, done in activities:
                    d = START + timedelta(days=offset)
                    s.add(
                        ActivityRow(
                            type_id=types[type_index].id,
                            process_id=proc.id,
                            occurred_at=noon(d),
                            occurred_on=d,
                            person_id=person.id,
                            status="done" if done else "planned",
                        )
                    )
            services = Services.for_database(db)
            everything = custom(date(2025, 12, 1), TODAY)
            m = services.scorecards.measures(
                services.scorecards.scope(proc.id, None, everything, TODAY)
            )
            assert isinstance(m, HuntingMeasures)
            entered = [f.entered for f in m.stages]
            assert all(b <= a for a, b in zip(entered, entered[1:], strict=False)), entered
            assert entered[0] == len(journeys)
            for f in m.stages:
                assert f.left_forward <= f.entered
                assert f.conversion is None or 0 <= f.conversion <= 1
            assert m.win_rate is None or 0 <= m.win_rate <= 1
            assert m.activity_count == sum(m.activities_by_type.values())
            assert m.activity_count == sum(1 for *_, done in activities if done)
            assert m.open_count == sum(f.open_count for f in m.stages)
            assert m.open_value == sum(f.open_value for f in m.stages)
            assert m.won_count + m.lost_count + m.open_count == len(journeys)
            # Splitting the year into months: the parts add up to the whole.
            months = [custom(date(2025, 12, 1), date(2025, 12, 31))]
            d = date(2026, 1, 1)
            while d <= TODAY:
                nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
                months.append(custom(d, nxt - timedelta(days=1)))
                d = nxt
            parts = [
                services.scorecards.measures(services.scorecards.scope(proc.id, None, p, TODAY))
                for p in months
            ]
            assert sum(p.activity_count for p in parts) == m.activity_count
            assert sum(p.won_count for p in parts) == m.won_count  # type: ignore[union-attr]
            assert sum(p.new_engagements for p in parts) == m.new_engagements
        finally:
            db.close()
