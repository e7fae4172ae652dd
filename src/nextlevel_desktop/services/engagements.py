"""Engagement use cases: the pipeline summary (the logger adds moving and closing)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..storage.db import Database
from ..storage.orm import EngagementRow


@dataclass(frozen=True)
class StageSummary:
    stage_id: int
    open_count: int
    open_value_minor: int


class EngagementService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def open_by_stage(self) -> dict[int, StageSummary]:
        """Open engagements per stage (count and value), computed in SQL."""
        stmt = (
            select(
                EngagementRow.stage_id,
                func.count(EngagementRow.id),
                func.coalesce(func.sum(EngagementRow.value_minor), 0),
            )
            .where(EngagementRow.outcome.is_(None))
            .group_by(EngagementRow.stage_id)
        )
        with self.db.read() as session:
            return {sid: StageSummary(sid, int(n), int(v)) for sid, n, v in session.execute(stmt)}
