"""Activities area (Ctrl+2): Log | Due | Pipeline | Accounts | People, as inner tabs."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QTableView, QTabWidget, QVBoxLayout, QWidget

from ...domain.activities import ActivityFilter
from ...domain.changes import Changes
from ..accounts.panel import AccountsPanel
from ..area import Area
from ..engagements.panel import PipelinePanel
from ..kit.lazy_tabs import LazyPage, LazyTabs
from ..kit.ops import Host
from ..people.panel import PeoplePanel
from .activity_list import ActivityListPanel
from .activity_model import ActivityTableModel
from .due import DuePanel


class ActivitiesArea(Area):
    """Each tab's panel is made when the tab is first shown or used (``self.log`` makes it):
    start-up builds only the tab on screen."""

    LOG, DUE, PIPELINE, ACCOUNTS, PEOPLE = range(5)
    log = LazyPage[ActivityListPanel](LOG)
    due = LazyPage[DuePanel](DUE)
    pipeline = LazyPage[PipelinePanel](PIPELINE)
    accounts = LazyPage[AccountsPanel](ACCOUNTS)
    people = LazyPage[PeoplePanel](PEOPLE)

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
        self.pages = LazyTabs(self.tabs)
        self.pages.add(self.tr("&Log"), self._make_log)
        self.pages.add(self.tr("D&ue"), lambda: DuePanel(self))
        self.pages.add(self.tr("P&ipeline"), self._make_pipeline)
        self.pages.add(self.tr("A&ccounts"), self._make_accounts)
        self.pages.add(self.tr("Peo&ple"), lambda: PeoplePanel(self))
        layout.addWidget(self.tabs)

    def _make_log(self) -> ActivityListPanel:
        log = ActivityListPanel(self)
        state = self.settings.bytes_value("activities/header")
        if state is not None:
            log.table.horizontalHeader().restoreState(state)
        return log

    def _make_pipeline(self) -> PipelinePanel:
        pipeline = PipelinePanel(self)
        pipeline.openAccount.connect(self.open_account)
        pipeline.logActivity.connect(self.log_activity)
        return pipeline

    def _make_accounts(self) -> AccountsPanel:
        accounts = AccountsPanel(self)
        accounts.openEngagement.connect(self.open_engagement)
        accounts.restore_state(self.settings)
        return accounts

    # Kept for callers that knew the single-list area.
    @property
    def table(self) -> QTableView:
        return self.log.table

    @property
    def model(self) -> ActivityTableModel:
        return self.log.model

    @property
    def search(self) -> QLineEdit:
        return self.log.search

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
        """Tell the panels made so far; one made later reads everything then."""
        log, due, pipeline, accounts, people = (self.pages.built(i) for i in range(5))
        if changes.touches("people", "processes", "activity_types"):
            if isinstance(log, ActivityListPanel):
                log.refill_pickers()
            if isinstance(due, DuePanel):
                due.fill_people()
        if changes.touches("activities", "accounts", "engagements", "people", "processes"):
            if isinstance(log, ActivityListPanel):
                log.on_changes(changes)
            if isinstance(due, DuePanel):
                due.on_changes(changes)
        for panel in (pipeline, accounts, people):
            if isinstance(panel, (PipelinePanel, AccountsPanel, PeoplePanel)):
                panel.on_changes(changes)

    def refresh(self) -> None:
        self.on_changes(Changes.everything())

    def save_state(self) -> None:
        log, accounts = self.pages.built(self.LOG), self.pages.built(self.ACCOUNTS)
        if isinstance(log, ActivityListPanel):
            self.settings.set_bytes("activities/header", log.table.horizontalHeader().saveState())
        self.settings.set_value("activities/tab", self.tabs.currentIndex())
        if isinstance(accounts, AccountsPanel):
            accounts.save_state(self.settings)

    def restore_state(self) -> None:
        self.tabs.setCurrentIndex(self.settings.int_value("activities/tab", 0))
