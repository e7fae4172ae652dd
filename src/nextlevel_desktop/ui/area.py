"""The base of the three main-window areas (Designer, Activities, Monitor)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtWidgets import QWidget

from ..domain.changes import Changes
from ..domain.models import ActivityType, Person, Process
from ..domain.settings import WorkspaceSettings
from .kit.ops import Host


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


class Area(QWidget):
    """An area gets its window (the :class:`Host`) through its constructor and refreshes on
    ``Changes``. It is itself a ``Host`` for its panels and dialogs."""

    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.services = host.services
        self.ops = host.ops
        self.bus = host.bus
        self.undo_stack = host.undo_stack
        self.settings = host.settings
        self.bus.changed.connect(self.on_changes)

    def on_changes(self, changes: Changes) -> None:
        """Refresh what ``changes`` touches; the default refreshes everything."""
        self.refresh()

    def refresh(self) -> None:  # pragma: no cover - every area overrides it
        pass

    @property
    def read_ahead(self) -> ReadAhead | None:
        """The window's lists read as the workspace opened, while they hold."""
        return self.host.read_ahead

    def prepare(self) -> None:
        """Build what the area shows first, before it is first shown (start-up builds it on
        a turn of its own, and shows it on the next), from :attr:`read_ahead` where it can."""

    def save_state(self) -> None:
        """Store splitter positions and the like in the user settings."""

    def restore_state(self) -> None:
        """Restore what ``save_state`` stored."""
