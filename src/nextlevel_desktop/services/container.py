"""The services of one open workspace, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from ..storage.db import Database
from .accounts import AccountService
from .activities import ActivityService
from .engagements import EngagementService
from .exporting import ExportService
from .importing import ImportService
from .people import PeopleService
from .process_design import DesignService
from .process_files import ProcessFileService
from .processes import ProcessService
from .reviews import ReviewService
from .revisions import RevisionService
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
    design: DesignService
    process_files: ProcessFileService
    importing: ImportService
    exporting: ExportService
    accounts: AccountService
    revisions: RevisionService
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
            design=DesignService(db),
            process_files=ProcessFileService(db),
            importing=ImportService(db),
            exporting=ExportService(db),
            accounts=AccountService(db),
            revisions=RevisionService(db),
            scorecards=ScorecardService(db),
            reviews=ReviewService(db),
        )

    def close(self) -> None:
        self.db.close()
