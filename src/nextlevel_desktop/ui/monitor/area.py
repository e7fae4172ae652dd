"""Monitor area (Ctrl+3): each process measured against its targets, per person and period,
and the one-on-one review.

The dashboard and review are built the first time the area is shown, and their charts are
drawn on the chart thread (matplotlib is never imported on the GUI thread). Each page marks
itself stale on a write and reads again when on screen; charts redraw only when their data or
the filters change, and only the visible one.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ...domain.changes import Changes
from ..area import Area
from ..kit.ops import Host

if TYPE_CHECKING:
    from ..review.page import ReviewPage
    from .behaviour import BehaviourPage
    from .dashboard import Dashboard
    from .filters import Filters
    from .health import HealthPage
    from .plan_page import PlanPage

RELEVANT = (
    "activities",
    "engagements",
    "targets",
    "processes",
    "stages",
    "people",
    "settings",
    "activity_types",
    "accounts",
)


class MonitorArea(Area):
    """Two tabs: the scorecard dashboard and the one-on-one review."""

    def __init__(
        self,
        host: Host,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(host, parent)
        self._fixed_today = today  # tests pin the date; the app follows the calendar
        self.today = today or date.today()
        self.dashboard: Dashboard | None = None
        self.review: ReviewPage | None = None
        self.health: HealthPage | None = None
        self.behaviour: BehaviourPage | None = None
        self.plan: PlanPage | None = None
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.tabs)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fixed_today is None and self.today != date.today() and self.dashboard is not None:
            # The app was left open past midnight: “today” moves on, and so do the figures.
            self.today = date.today()
            assert self.review is not None
            self.dashboard.today = self.review.today = self.today
            if self.plan is not None:
                self.plan.today = self.today
            self.on_changes(Changes(activities=True))
        self.ensure_built()

    def ensure_built(self) -> None:
        """Build the dashboard and review on first use (their charts start matplotlib's
        warm-up on the chart thread)."""
        if self.dashboard is not None:
            return
        from ..review.page import ReviewPage
        from .dashboard import Dashboard
        from .plan_page import PlanPage

        self.dashboard = Dashboard(self, self.today, self)
        self.review = ReviewPage(self, self.today, self)
        self.plan = PlanPage(self, self.today, self)
        self.tabs.addTab(self.dashboard, self.tr("Scorecards"))
        self.tabs.addTab(self.review, self.tr("One-on-one review"))
        self.tabs.setTabToolTip(0, self.tr("Each process against its targets"))
        self.tabs.setTabToolTip(1, self.tr("Review a person's period and agree actions"))
        self._add_health_pages()
        self.tabs.setTabToolTip(
            self.tabs.addTab(self.plan, self.tr("Plan")),
            self.tr("Work back from a target to the new engagements and activities per week"),
        )
        self.restore_state()
        # The review follows the person and period chosen on Scorecards.
        self.dashboard.filter_bar.changed.connect(self._review_follows)
        self._review_follows(self.dashboard.filter_bar.filters())
        self.dashboard.refresh()

    def _add_health_pages(self) -> None:
        from .behaviour import BehaviourPage
        from .health import HealthPage

        assert self.dashboard is not None
        self.health = HealthPage(self, self.today, self)
        self.behaviour = BehaviourPage(self, self.today, self.dashboard.currency, self)
        for page in (self.health, self.behaviour):
            page.set_processes(self.services.processes.processes())
        self.tabs.addTab(self.health, self.tr("Process health"))
        self.tabs.setTabToolTip(2, self.tr("Is each process running as designed?"))
        self.tabs.addTab(self.behaviour, self.tr("Behaviour"))
        self.tabs.setTabToolTip(3, self.tr("Is a change real or noise? (XmR charts)"))

    def _review_follows(self, filters: Filters) -> None:
        if self.review is not None:
            self.review.follow(filters.person_id, filters.period)
        assert self.dashboard is not None
        for page in (self.health, self.behaviour):
            if page is not None:
                page.follow(filters, self.dashboard.filter_bar.person.currentText())
        if self.plan is not None:
            self.plan.follow(filters.person_id)

    def on_changes(self, changes: Changes) -> None:
        """Pass ``changes`` on; each page refreshes when it is on screen. Before the first
        showing there is nothing to refresh: the pages are built then, from what is there."""
        if self.dashboard is None or self.review is None:
            return
        if changes.touches(*RELEVANT):
            self.dashboard.on_changes(changes)
        if changes.touches(*RELEVANT, "reviews"):
            self.review.on_changes(changes)
        for page in (self.health, self.behaviour):
            if page is not None and changes.touches(*RELEVANT):
                if changes.touches("processes", "stages", "settings"):
                    page.set_processes(self.services.processes.processes())
                    page.currency = self.services.workspace.settings().currency
                page.on_changes(changes)
        if self.plan is not None:
            self.plan.on_changes(changes)

    def refresh(self) -> None:
        if self.dashboard is not None:
            self.dashboard.refresh()

    def save_state(self) -> None:
        if self.dashboard is not None:
            self.settings.set_value("monitor/tab", self.tabs.currentIndex())
            self.dashboard.save_state()

    def restore_state(self) -> None:
        if self.dashboard is not None:
            self.tabs.setCurrentIndex(self.settings.int_value("monitor/tab", 0))
            self.dashboard.restore_state()
