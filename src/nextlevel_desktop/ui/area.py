"""The base of the three main-window areas (Designer, Activities, Monitor)."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from ..domain.changes import Changes
from ..services.container import Services
from .bus import ChangeBus
from .user_settings import UserSettings


class Area(QWidget):
    """An area gets everything through its constructor and refreshes on ``Changes``."""

    def __init__(
        self,
        services: Services,
        bus: ChangeBus,
        undo_stack: QUndoStack,
        settings: UserSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.bus = bus
        self.undo_stack = undo_stack
        self.settings = settings
        bus.changed.connect(self.on_changes)

    def on_changes(self, changes: Changes) -> None:
        """Refresh what ``changes`` touches; the default refreshes everything."""
        self.refresh()

    def refresh(self) -> None:  # pragma: no cover - every area overrides it
        pass

    def save_state(self) -> None:
        """Store splitter positions and the like in the user settings."""

    def restore_state(self) -> None:
        """Restore what ``save_state`` stored."""
