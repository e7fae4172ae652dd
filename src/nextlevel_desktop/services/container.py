"""The services of one open workspace, built once by the composition root.

The services every screen needs at start-up are built at once; the ones only a menu command or
a later screen uses (design, process files, import, export, revisions, reviews) are imported and
built on first use, so opening a workspace does not pay for them.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..storage.db import Database
from .accounts import AccountService
from .activities import ActivityService
from .engagements import EngagementService
from .people import PeopleService
from .processes import ProcessService
from .scorecards import ScorecardService
from .workspace import WorkspaceService

if TYPE_CHECKING:
    from .exporting import ExportService
    from .health import HealthService
    from .importing import ImportService
    from .planning import PlanningService
    from .process_design import DesignService
    from .process_files import ProcessFileService
    from .reviews import ReviewService
    from .revisions import RevisionService
    from .search import SearchService


class Services:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.workspace = WorkspaceService(db)
        self.processes = ProcessService(db)
        self.activities = ActivityService(db)
        self.engagements = EngagementService(db)
        self.people = PeopleService(db)
        self.accounts = AccountService(db)
        self.scorecards = ScorecardService(db)

    @classmethod
    def for_database(cls, db: Database) -> Services:
        return cls(db)

    @property
    def path(self) -> Path:
        """The open workspace's file."""
        return self.db.path

    def save_copy(self, dest: Path) -> Path:
        """Write a consistent copy of the workspace to ``dest`` (see ``files.save_copy``)."""
        from . import files

        return files.save_copy(self.db, dest)

    def sibling(self) -> Services:
        """The same services on a connection of their own, for a worker thread."""
        return Services(self.db.sibling())

    @cached_property
    def design(self) -> DesignService:
        from .process_design import DesignService

        return DesignService(self.db)

    @cached_property
    def health(self) -> HealthService:
        from .health import HealthService

        return HealthService(self.db)

    @cached_property
    def process_files(self) -> ProcessFileService:
        from .process_files import ProcessFileService

        return ProcessFileService(self.db)

    @cached_property
    def importing(self) -> ImportService:
        from .importing import ImportService

        return ImportService(self.db)

    @cached_property
    def exporting(self) -> ExportService:
        from .exporting import ExportService

        return ExportService(self.db)

    @cached_property
    def planning(self) -> PlanningService:
        from .planning import PlanningService

        return PlanningService(self.db)

    @cached_property
    def revisions(self) -> RevisionService:
        from .revisions import RevisionService

        return RevisionService(self.db)

    @cached_property
    def reviews(self) -> ReviewService:
        from .reviews import ReviewService

        return ReviewService(self.db)

    @cached_property
    def search(self) -> SearchService:
        from .search import SearchService

        return SearchService(self.db)

    def close(self) -> None:
        self.db.close()
