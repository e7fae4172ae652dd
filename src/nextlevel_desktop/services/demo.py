"""Deterministic demo data: people, accounts, engagements with stage history, activities, targets.

The same seed and ``today`` always give the same workspace. Rows are generated lazily and written
in batches, so the same generator produces the benchmark workspace (1,000,000 activities) in
constant memory.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from ..domain.models import ProcessKind, StageCategory
from ..storage.activity_counts import bulk_inserts
from ..storage.db import Database
from ..storage.orm import (
    AccountRow,
    ActivityRow,
    ActivityTypeRow,
    AgreedActionRow,
    ContactRow,
    EngagementRow,
    LostReasonRow,
    PersonRow,
    ProcessRow,
    ReviewRow,
    StageChangeRow,
    StageRow,
    TargetRow,
)
from ..storage.stage_links import bulk_links
from .demo_names import (
    ACTIONS,
    CO_A,
    CO_B,
    CO_C,
    FIRST,
    INDUSTRY,
    LAST,
    NOTES,
    OUTCOMES,
    ROLES,
    TYPE_WEIGHTS,
)


@dataclass(frozen=True)
class DemoSize:
    people: int = 4
    accounts: int = 60
    engagements: int = 150
    activities: int = 3000
    months: int = 6


BENCHMARK_SIZE = DemoSize(50, 20_000, 100_000, 1_000_000, 36)
BATCH = 20_000


def _local_to_utc(day: date, rng: random.Random) -> datetime:
    """A business-hours moment on a local day, as aware UTC."""
    local = datetime.combine(day, time(8 + rng.randrange(9), rng.choice((0, 15, 30, 45))))
    return local.astimezone(UTC)


def _batched(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def generate_demo(
    db: Database,
    size: DemoSize = DemoSize(),
    seed: int = 20261127,
    today: date | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> None:
    """Fill a freshly seeded workspace with demo data (one transaction)."""
    rng = random.Random(seed)
    today = today or date.today()
    start = today - timedelta(days=round(size.months * 30.4))
    report = progress or (lambda _what, _frac: None)

    # Inserting only new activities: counted at the end, not by a trigger per row.
    with (
        db.transaction() as s,
        bulk_inserts(s.connection().exec_driver_sql),
        bulk_links(s.connection().exec_driver_sql),
    ):
        hunting = s.scalars(
            select(ProcessRow).where(ProcessRow.kind == "hunting").order_by(ProcessRow.id)
        ).first()
        farming = s.scalars(
            select(ProcessRow).where(ProcessRow.kind == "farming").order_by(ProcessRow.id)
        ).first()
        assert hunting is not None and farming is not None, "seed the workspace first"
        stages = {
            pid: [
                st
                for st in s.scalars(
                    select(StageRow)
                    .where(StageRow.process_id == pid, StageRow.archived.is_(False))
                    .order_by(StageRow.position)
                )
            ]
            for pid in (hunting.id, farming.id)
        }
        types = {
            kind: [
                t
                for t in s.scalars(
                    select(ActivityTypeRow)
                    .where(ActivityTypeRow.kind == kind.value)
                    .order_by(ActivityTypeRow.position)
                )
            ]
            for kind in ProcessKind
        }
        reasons = {
            kind: [
                r.name
                for r in s.scalars(select(LostReasonRow).where(LostReasonRow.kind == kind.value))
            ]
            for kind in ProcessKind
        }

        weights = {k: [TYPE_WEIGHTS.get(t.name, 10) for t in types[k]] for k in ProcessKind}
        done_counts: dict[int, int] = {}
        won_in_window: list[int] = []  # values of hunting deals won inside the window
        closed_in_window = [0, 0]  # hunting won, lost

        # People: one manager, the rest reps.
        report("people", 0.0)
        names = [f"{f} {ln}" for ln in LAST for f in FIRST]
        rng.shuffle(names)
        people = []
        for i in range(size.people):
            name = names[i % len(names)] + ("" if i < len(names) else f" {i // len(names) + 1}")
            row = PersonRow(
                name=name,
                email=name.lower().replace(" ", ".") + "@example.com",
                role="manager" if i == 0 else "rep",
                active=True,
            )
            s.add(row)
            people.append(row)
        s.flush()
        person_ids = [p.id for p in people]
        reps = person_ids[1:] or person_ids

        # Accounts.
        report("accounts", 0.05)
        first_account = (s.scalar(select(func.max(AccountRow.id))) or 0) + 1
        account_names: list[str] = []
        acc_rows = []
        contacts = []
        for i in range(size.accounts):
            a, b = rng.choice(CO_A), rng.choice(CO_B)
            name = f"{a} {b} {rng.choice(CO_C)}"
            if i >= len(CO_A) * len(CO_B):
                name += f" {i}"
            account_names.append(name)
            aid = first_account + i
            acc_rows.append(
                {
                    "id": aid,
                    "name": name,
                    "industry": INDUSTRY[b],
                    "website": f"www.{a.lower()}{b.lower()}.example",
                    "phone": f"+44 20 7{rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
                    "notes": "",
                    "archived": False,
                }
            )
            for _ in range(rng.randrange(1, 3)):
                cn = names[rng.randrange(len(names))]
                contacts.append(
                    {
                        "account_id": aid,
                        "name": cn,
                        "role": rng.choice(ROLES),
                        "email": cn.lower().replace(" ", ".") + f"@{a.lower()}.example",
                        "phone": "",
                    }
                )
        for batch in _batched(iter(acc_rows)):
            s.execute(insert(AccountRow), batch)
        for batch in _batched(iter(contacts)):
            s.execute(insert(ContactRow), batch)
        del acc_rows, contacts
        account_ids = list(range(first_account, first_account + size.accounts))

        # Engagements with stage history, and their activities, streamed.
        first_eng = (s.scalar(select(func.max(EngagementRow.id))) or 0) + 1
        eng_rows: list[dict[str, Any]] = []
        change_rows: list[dict[str, Any]] = []
        act_rows: list[dict[str, Any]] = []
        n_hunting = round(size.engagements * 0.7)
        per_engagement = size.activities * 0.85 / max(size.engagements, 1)
        next_id = first_eng
        remaining_activities = size.activities
        window_days = (today - start).days

        def flush(final: bool = False) -> None:
            nonlocal eng_rows, change_rows, act_rows
            write_activities = bool(act_rows) and (len(act_rows) >= BATCH or final)
            # Activities refer to engagements: write pending engagements first.
            if eng_rows and (len(eng_rows) >= BATCH or final or write_activities):
                s.execute(insert(EngagementRow), eng_rows)
                eng_rows = []
                s.execute(insert(StageChangeRow), change_rows)
                change_rows = []
            if write_activities:
                s.execute(insert(ActivityRow), act_rows)
                act_rows = []

        def add_activities(
            kind: ProcessKind,
            pid: int,
            eid: int | None,
            aid: int,
            owner: int,
            first: date,
            last: date,
            count: int,
        ) -> None:
            nonlocal remaining_activities
            # Done work lies in the past: up to yesterday, never later today.
            last = min(last, today - timedelta(days=1))
            first = min(first, last)
            span = max((last - first).days, 0)
            for _ in range(count):
                if remaining_activities <= 0:
                    return
                remaining_activities -= 1
                day = first + timedelta(days=rng.randint(0, span))
                if day.weekday() >= 5:
                    day -= timedelta(days=day.weekday() - 4)
                at = _local_to_utc(day, rng)
                tp = rng.choices(types[kind], weights[kind])[0]
                done_counts[tp.id] = done_counts.get(tp.id, 0) + 1
                act_rows.append(
                    {
                        "type_id": tp.id,
                        "process_id": pid,
                        "occurred_at": at,
                        "occurred_on": day,
                        "duration_min": rng.choice((5, 10, 15, 30, 45, 60)),
                        "person_id": owner,
                        "account_id": aid,
                        "engagement_id": eid,
                        "status": "done",
                        "outcome": rng.choice(OUTCOMES["done"]),
                        "notes": "",
                    }
                )

        def walk(
            kind: ProcessKind,
            pid: int,
            aid: int,
            owner: int,
            opened: date,
            source: int | None,
            opened_at: datetime | None = None,
        ) -> tuple[int, str | None, date | None, datetime]:
            nonlocal next_id, remaining_activities
            eid = next_id
            next_id += 1
            sts = stages[pid]
            open_st = [x for x in sts if x.category == StageCategory.OPEN.value]
            won = next(x for x in sts if x.category == StageCategory.WON.value)
            lost = next(x for x in sts if x.category == StageCategory.LOST.value)
            moment = opened
            current = open_st[0]
            # (from, to, moment): each change's moment is drawn once, and the engagement's
            # stage_entered_at is its last change's moment (one source of truth).
            history: list[tuple[int | None, int, datetime]] = [
                (None, current.id, opened_at or _local_to_utc(opened, rng))
            ]
            outcome: str | None = None
            closed: date | None = None
            idx = 0
            while True:
                stay = max(1, round((current.expected_days or 20) * rng.uniform(0.3, 1.7)))
                nxt = moment + timedelta(days=stay)
                if nxt >= today:  # no change later today than now, nor in the future
                    break
                moment = nxt
                conv = (current.target_conversion or 60) / 100
                if rng.random() < min(conv * 1.2, 0.95):
                    idx += 1
                    target = open_st[idx] if idx < len(open_st) else won
                else:
                    if rng.random() < (0.35 if kind is ProcessKind.HUNTING else 0.25):
                        target = lost
                    else:
                        continue  # lingers in the stage
                history.append((current.id, target.id, _local_to_utc(moment, rng)))
                if target is won or target is lost:
                    outcome = "won" if target is won else "lost"
                    closed = moment
                    current = target
                    break
                current = target
            value = rng.choice((5, 8, 12, 15, 20, 25, 40, 60, 90)) * 1000_00
            if kind is ProcessKind.FARMING:
                value = value * 2
            label = "Opportunity" if kind is ProcessKind.HUNTING else "Account plan"
            eng_rows.append(
                {
                    "id": eid,
                    "process_id": pid,
                    "account_id": aid,
                    "owner_id": owner,
                    "stage_id": current.id,
                    "name": f"{account_names[aid - first_account].split(' ')[0]} {label} {eid}",
                    "value_minor": value,
                    "opened_on": opened,
                    "closed_on": closed,
                    "outcome": outcome,
                    "lost_reason": rng.choice(reasons[kind]) if outcome == "lost" else "",
                    "stage_entered_at": history[-1][2],
                    "source_engagement_id": source,
                    "notes": "",
                }
            )
            for frm, to, when in history:
                change_rows.append(
                    {
                        "engagement_id": eid,
                        "from_stage_id": frm,
                        "to_stage_id": to,
                        "changed_at": when,
                        "person_id": owner,
                        "note": "",
                    }
                )
            if kind is ProcessKind.HUNTING and closed is not None and closed >= start:
                closed_in_window[0 if outcome == "won" else 1] += 1
                if outcome == "won":
                    won_in_window.append(value)
            life_end = closed or today
            if life_end >= start:
                # Work is logged inside the window only: older history has stage changes only.
                count = max(1, round(per_engagement * rng.uniform(0.5, 1.5)))
                add_activities(kind, pid, eid, aid, owner, max(opened, start), life_end, count)
            if outcome is None and remaining_activities > 0:
                # One planned next step: most due soon, a few already overdue.
                due = today + timedelta(days=rng.randint(-4, 12))
                remaining_activities -= 1
                act_rows.append(
                    {
                        "type_id": rng.choice(types[kind]).id,
                        "process_id": pid,
                        "occurred_at": _local_to_utc(due, rng),
                        "occurred_on": due,
                        "duration_min": 30,
                        "person_id": owner,
                        "account_id": aid,
                        "engagement_id": eid,
                        "status": "planned",
                        "outcome": "",
                        "notes": "",
                    }
                )
            return eid, outcome, closed, history[-1][2]

        report("engagements", 0.1)
        for i in range(size.engagements):
            if i < n_hunting:
                aid = account_ids[i % len(account_ids)]
                owner = rng.choice(reps)
                opened = start + timedelta(days=rng.randint(0, max(window_days - 7, 0)))
                eid, outcome, closed, won_at = walk(
                    ProcessKind.HUNTING, hunting.id, aid, owner, opened, None
                )
                if outcome == "won" and closed is not None and i < size.engagements:
                    # The handover: a won deal starts the account in farming, that moment.
                    walk(ProcessKind.FARMING, farming.id, aid, owner, closed, eid, won_at)
            else:
                # Existing customers already under management before the window.
                aid = account_ids[(i * 7) % len(account_ids)]
                owner = rng.choice(reps)
                opened = start + timedelta(days=rng.randint(-330, max(window_days // 2, 1)))
                walk(ProcessKind.FARMING, farming.id, aid, owner, opened, None)
            flush()
            if i % 1000 == 0:
                report("engagements", 0.1 + 0.6 * i / max(size.engagements, 1))
        flush(final=True)

        # Prospecting work not yet tied to an engagement.
        report("activities", 0.75)
        while remaining_activities > 0:
            kind = ProcessKind.HUNTING if rng.random() < 0.75 else ProcessKind.FARMING
            pid = hunting.id if kind is ProcessKind.HUNTING else farming.id
            add_activities(
                kind,
                pid,
                None,
                rng.choice(account_ids),
                rng.choice(reps),
                start,
                today,
                min(remaining_activities, 50),
            )
            if len(act_rows) >= BATCH:
                flush()
        flush(final=True)

        # Targets: team and per rep, in the shape a manager would set them.
        report("targets", 0.95)
        valid_from = date(start.year, start.month, 1)
        call = next(t for t in types[ProcessKind.HUNTING] if t.name == "Call")
        meeting = next(t for t in types[ProcessKind.HUNTING] if t.name == "Meeting")
        review = next(t for t in types[ProcessKind.FARMING] if t.is_review)
        weeks = max(window_days / 7, 1.0)
        months = max(window_days / 30.4, 1.0)
        quarters = months / 3

        def per_rep(type_id: int, per: float) -> float:
            return done_counts.get(type_id, 0) / max(len(reps), 1) / per

        won, lost = closed_in_window
        win_rate = 100 * won / (won + lost) if won + lost else 30.0
        average_won = sum(won_in_window) / len(won_in_window) if won_in_window else 2_000_000
        won_per_quarter = max(len(won_in_window) / quarters, 1.0)
        # Targets a manager would set: a little above what the team achieves on calls, win rate
        # and reviews (so some tiles are at risk), a little below on meetings and new business.
        targets: list[tuple[int, str, int | None, int | None, str, float]] = [
            (hunting.id, "new_engagements", None, None, "month", round(n_hunting / months * 0.9)),
            (hunting.id, "win_rate", None, None, "quarter", min(5 * round(win_rate * 1.1 / 5), 90)),
            (
                hunting.id,
                "won_value",
                None,
                None,
                "quarter",
                round(average_won * won_per_quarter * 1.1, -5),
            ),
            (hunting.id, "won_count", None, None, "quarter", round(won_per_quarter * 1.1)),
            (hunting.id, "cycle_days", None, None, "quarter", 75),
            (farming.id, "renewal_rate", None, None, "quarter", 90),
            (farming.id, "review_coverage", None, None, "quarter", 90),
        ]
        for rep in reps:
            targets += [
                (
                    hunting.id,
                    "activity_count",
                    rep,
                    call.id,
                    "week",
                    max(round(per_rep(call.id, weeks) * 1.1), 1),
                ),
                (
                    hunting.id,
                    "activity_count",
                    rep,
                    meeting.id,
                    "week",
                    max(round(per_rep(meeting.id, weeks) * 0.9), 1),
                ),
                (
                    farming.id,
                    "activity_count",
                    rep,
                    review.id,
                    "month",
                    max(round(per_rep(review.id, months) * 1.15), 1),
                ),
            ]
        s.execute(
            insert(TargetRow),
            [
                {
                    "process_id": p,
                    "measure": m,
                    "person_id": who,
                    "activity_type_id": at,
                    "period": per,
                    "value_x100": round(v * 100),
                    "valid_from": valid_from,
                }
                for p, m, who, at, per, v in targets
            ],
        )
        # Last month's one-on-one review of each rep, with agreed actions to follow up.
        held = today - timedelta(days=28)
        last_month_end = date(today.year, today.month, 1) - timedelta(days=1)
        last_month_start = last_month_end.replace(day=1)
        for i, rep in enumerate(reps[:200]):
            review_row = ReviewRow(
                person_id=rep,
                reviewer_id=person_ids[0],
                period="month",
                period_start=last_month_start,
                period_end=last_month_end,
                held_on=held,
                notes=NOTES[i % len(NOTES)],
            )
            picked = rng.sample(ACTIONS, 3)
            review_row.actions = [
                AgreedActionRow(
                    position=j,
                    text=text,
                    due_on=held + timedelta(days=14 + 7 * j),
                    done=j == 0,
                    done_on=held + timedelta(days=10) if j == 0 else None,
                )
                for j, text in enumerate(picked)
            ]
            s.add(review_row)
        s.flush()
        s.execute(
            update(ProcessRow)
            .where(ProcessRow.id.in_((hunting.id, farming.id)))
            .values(owner_id=person_ids[0])
        )
    report("done", 1.0)
