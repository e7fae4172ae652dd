"""The small lists every screen reads while it is built, read once as the workspace opens."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.changes import Changes
from ..domain.models import ActivityType, Person, Process
from ..domain.settings import WorkspaceSettings


@dataclass(frozen=True)
class ReadAhead:
    """The small lists the opener thread read as the workspace opened (plain values): the
    screens built at start-up take them instead of reading them again on the GUI thread
    (10–30 ms of its CPU in the Monitor's build, 13–23 ms in the Log page's). The window keeps
    them (``read_ahead``) until a write changes one of them."""

    processes: list[Process]
    people: list[Person]  # active ones
    settings: WorkspaceSettings
    everyone: list[Person] = field(default_factory=list)  # the inactive ones too
    activity_types: list[ActivityType] = field(default_factory=list)

    @staticmethod
    def outdated_by(changes: Changes) -> bool:
        return changes.touches("processes", "people", "settings", "activity_types")
