"""The demo generator: deterministic, realistic, and consistent with the stage history."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from nextlevel_desktop.services.demo import DemoSize, generate_demo
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage.orm import (
    AccountRow,
    ActivityRow,
    EngagementRow,
    PersonRow,
    ProcessRow,
    StageChangeRow,
    StageRow,
    TargetRow,
)

TODAY = date(2026, 11, 27)
TABLES = (PersonRow, AccountRow, EngagementRow, StageChangeRow, ActivityRow, TargetRow)


def fingerprint(db) -> str:
    h = hashlib.sha256()
    with db.read() as s:
        for table in TABLES:
            cols = [c for c in table.__table__.columns if c.name != "created_at"]
            for row in s.execute(select(*cols).order_by(table.__table__.primary_key.columns[0])):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def make(path: Path, seed: int = 7):
    db, _ = open_workspace(path)
    generate_demo(db, DemoSize(), seed=seed, today=TODAY)
    return db


def test_same_seed_same_workspace(tmp_path: Path) -> None:
    a, b, c = make(tmp_path / "a.nlw"), make(tmp_path / "b.nlw"), make(tmp_path / "c.nlw", seed=8)
    try:
        assert fingerprint(a) == fingerprint(b)
        assert fingerprint(a) != fingerprint(c)
    finally:
        for db in (a, b, c):
            db.close()


def test_demo_has_the_promised_size(demo_db) -> None:
    with demo_db.read() as s:
        count = lambda t: s.scalar(select(func.count()).select_from(t))  # noqa: E731
        assert count(PersonRow) == 4
        assert count(AccountRow) == 60
        assert 150 <= count(EngagementRow) <= 200  # 150 plus the handovers of won deals
        assert count(ActivityRow) == 3000
        assert count(TargetRow) > 0
        kinds = dict(
            s.execute(
                select(ProcessRow.kind, func.count(EngagementRow.id))
                .join(EngagementRow, EngagementRow.process_id == ProcessRow.id)
                .group_by(ProcessRow.kind)
            ).all()
        )
        assert kinds["hunting"] > 50 and kinds["farming"] > 30
        oldest = s.scalar(select(func.min(ActivityRow.occurred_on)))
        assert (TODAY - oldest).days <= 190


def test_history_is_consistent(demo_db) -> None:
    with demo_db.read() as s:
        for eng in s.scalars(select(EngagementRow)):
            changes = s.scalars(
                select(StageChangeRow)
                .where(StageChangeRow.engagement_id == eng.id)
                .order_by(StageChangeRow.changed_at, StageChangeRow.id)
            ).all()
            assert changes, f"engagement {eng.id} has no stage history"
            assert changes[0].from_stage_id is None
            assert changes[-1].to_stage_id == eng.stage_id
            for prev, nxt in zip(changes, changes[1:], strict=False):
                assert nxt.from_stage_id == prev.to_stage_id
            stage = s.get(StageRow, eng.stage_id)
            assert stage is not None and stage.process_id == eng.process_id
            if stage.category == "open":
                assert eng.outcome is None and eng.closed_on is None
            else:
                assert eng.outcome == stage.category and eng.closed_on is not None
        # Every won hunting deal was handed over to farming.
        won = s.scalars(
            select(EngagementRow.id)
            .join(ProcessRow, ProcessRow.id == EngagementRow.process_id)
            .where(ProcessRow.kind == "hunting", EngagementRow.outcome == "won")
        ).all()
        handed = set(
            s.scalars(
                select(EngagementRow.source_engagement_id).where(
                    EngagementRow.source_engagement_id.is_not(None)
                )
            )
        )
        assert won and set(won) == handed


def test_generator_scales_in_batches(tmp_path: Path) -> None:
    db, _ = open_workspace(tmp_path / "big.nlw")
    try:
        generate_demo(db, DemoSize(12, 500, 2_000, 30_000, 12), today=TODAY)
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(ActivityRow)) == 30_000
            assert s.scalar(select(func.count()).select_from(PersonRow)) == 12
    finally:
        db.close()


def test_no_stage_change_after_now_and_one_source_of_truth(tmp_path: Path) -> None:
    """Stage changes lay later today than now; an engagement's stage_entered_at differed from
    its last stage change by hours."""
    from datetime import UTC, datetime

    database, _ = open_workspace(tmp_path / "today.nlw")
    try:
        generate_demo(database, DemoSize())  # today: the real one
        now = datetime.now(UTC)
        with database.read() as s:
            latest = s.scalar(select(func.max(StageChangeRow.changed_at)))
            assert latest is not None and latest.replace(tzinfo=UTC) <= now
            for eng in s.scalars(select(EngagementRow)):
                last = s.scalars(
                    select(StageChangeRow.changed_at)
                    .where(StageChangeRow.engagement_id == eng.id)
                    .order_by(StageChangeRow.changed_at.desc(), StageChangeRow.id.desc())
                ).first()
                assert eng.stage_entered_at == last, eng.name
    finally:
        database.close()
