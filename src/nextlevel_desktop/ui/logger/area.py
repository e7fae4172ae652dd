"""Activities area (Ctrl+2): Log | Due | Pipeline | Accounts | People, as inner tabs."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ...domain.activities import ActivityFilter
from ...domain.changes import Changes
from ..accounts.panel import AccountsPanel
from ..area import Area
from ..engagements.panel import PipelinePanel
from ..kit.ops import Host
from ..people.panel import PeoplePanel
from .activity_list import ActivityListPanel
from .due import DuePanel


class ActivitiesArea(Area):
    LOG, DUE, PIPELINE, ACCOUNTS, PEOPLE = range(5)

    def __init__(
        self,
        host: Host,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(host, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.log = ActivityListPanel(self)
        self.due = DuePanel(self)
        self.pipeline = PipelinePanel(self)
        self.accounts = AccountsPanel(self)
        self.people = PeoplePanel(self)
        for panel, name in (
            (self.log, self.tr("&Log")),
            (self.due, self.tr("D&ue")),
            (self.pipeline, self.tr("P&ipeline")),
            (self.accounts, self.tr("A&ccounts")),
            (self.people, self.tr("Peo&ple")),
        ):
            self.tabs.addTab(panel, name)
        layout.addWidget(self.tabs)
        self.accounts.openEngagement.connect(self.open_engagement)
        self.pipeline.openAccount.connect(self.open_account)
        self.pipeline.logActivity.connect(self.log_activity)
        # Kept for callers that knew the single-list area.
        self.table = self.log.table
        self.model = self.log.model
        self.search = self.log.search

    def current_filter(self) -> ActivityFilter:
        """The activity list's filter (File > Export > Activities exports what it shows)."""
        return self.log.current_filter()

    def open_account(self, account_id: int) -> None:
        self.tabs.setCurrentWidget(self.accounts)
        self.accounts.select_account(account_id)

    def log_activity(self, account_id: int, engagement_id: int) -> None:
        """The quick log, for this account and engagement (from the pipeline's menu)."""
        open_for = getattr(self.window(), "quick_log_for", None)
        if callable(open_for):
            open_for(account_id or None, engagement_id)

    def open_engagement(self, engagement_id: int) -> None:
        self.tabs.setCurrentWidget(self.pipeline)
        self.pipeline.show_engagement(engagement_id)

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("people", "processes", "activity_types"):
            self.log.fill_pickers()
            self.due.fill_people()
        if changes.touches("activities", "accounts", "engagements", "people", "processes"):
            self.log.on_changes(changes)
            self.due.on_changes(changes)
        self.pipeline.on_changes(changes)
        self.accounts.on_changes(changes)
        self.people.on_changes(changes)

    def refresh(self) -> None:
        self.on_changes(Changes.everything())

    def save_state(self) -> None:
        self.settings.set_bytes("activities/header", self.log.table.horizontalHeader().saveState())
        self.settings.set_value("activities/tab", self.tabs.currentIndex())
        self.accounts.save_state(self.settings)

    def restore_state(self) -> None:
        state = self.settings.bytes_value("activities/header")
        if state is not None:
            self.log.table.horizontalHeader().restoreState(state)
        self.tabs.setCurrentIndex(self.settings.int_value("activities/tab", 0))
        self.accounts.restore_state(self.settings)
