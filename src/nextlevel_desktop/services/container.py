"""The services of one open workspace, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from ..storage.db import Database
from .activities import ActivityService
from .engagements import EngagementService
from .people import PeopleService
from .processes import ProcessService
from .reviews import ReviewService
from .scorecards import ScorecardService
from .workspace import WorkspaceService


@dataclass
class Services:
    db: Database
    workspace: WorkspaceService
    processes: ProcessService
    activities: ActivityService
    engagements: EngagementService
    people: PeopleService
    scorecards: ScorecardService
    reviews: ReviewService

    @classmethod
    def for_database(cls, db: Database) -> Services:
        return cls(
            db=db,
            workspace=WorkspaceService(db),
            processes=ProcessService(db),
            activities=ActivityService(db),
            engagements=EngagementService(db),
            people=PeopleService(db),
            scorecards=ScorecardService(db),
            reviews=ReviewService(db),
        )

    def close(self) -> None:
        self.db.close()
