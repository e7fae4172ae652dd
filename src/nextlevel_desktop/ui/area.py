"""The base of the three main-window areas (Designer, Activities, Monitor)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ..domain.changes import Changes
from ..services.read_ahead import ReadAhead
from .kit.ops import Host


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
