"""Monitor area (Ctrl+3): each process measured against its targets, per person and period,
and the one-on-one review.

Everything that needs matplotlib is built the first time the area is shown, so start-up does not
pay for it. Each page marks itself stale on a write and reads again when on screen; charts redraw
only when their data or the filters change, and only the visible one.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ...domain.changes import Changes
from ..area import Area
from ..kit.lazy_tabs import LazyTabs
from ..kit.ops import Host

if TYPE_CHECKING:
    from ..review.page import ReviewPage
    from .dashboard import Dashboard
    from .filters import Filters

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
        self.tabs = QTabWidget()
        self.pages = LazyTabs(self.tabs)  # the review is made when its tab is first shown
        self.pages.made.append(self._made)
        self.tabs.setDocumentMode(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.tabs)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fixed_today is None and self.today != date.today() and self.dashboard is not None:
            # The app was left open past midnight: “today” moves on, and so do the figures.
            self.today = date.today()
            self.dashboard.today = self.today
            review = self._review_made()
            if review is not None:
                review.today = self.today
            self.on_changes(Changes(activities=True))
        self.ensure_built()

    def ensure_built(self) -> None:
        """Build the dashboard on first use; the review when its tab is first shown."""
        if self.dashboard is not None:
            return
        from .dashboard import Dashboard

        self.pages.add(self.tr("Scorecards"), lambda: Dashboard(self, self.today, self))
        self.dashboard = cast(Dashboard, self.pages.page(0))
        self.pages.add(self.tr("One-on-one review"), self._make_review)
        self.tabs.setTabToolTip(0, self.tr("Each process against its targets"))
        self.tabs.setTabToolTip(1, self.tr("Review a person's period and agree actions"))
        self.restore_state()
        # The review follows the person and period chosen on Scorecards.
        self.dashboard.filter_bar.changed.connect(self._review_follows)
        self._review_follows(self.dashboard.filter_bar.filters())
        self.dashboard.refresh()

    def _make_review(self) -> ReviewPage:
        from ..review.page import ReviewPage

        return ReviewPage(self, self.today, self)

    @property
    def review(self) -> ReviewPage | None:
        """The review page (made now if its tab has not been shown yet), once the dashboard
        is built."""
        return cast("ReviewPage", self.pages.page(1)) if self.dashboard is not None else None

    def _review_made(self) -> ReviewPage | None:
        return cast("ReviewPage | None", self.pages.built(1)) if self.dashboard else None

    def _made(self, page: QWidget) -> None:
        if page is self._review_made() and self.dashboard is not None:
            self._review_follows(self.dashboard.filter_bar.filters())

    def _review_follows(self, filters: Filters) -> None:
        review = self._review_made()
        if review is not None:
            review.follow(filters.person_id, filters.period)

    def on_changes(self, changes: Changes) -> None:
        """Pass ``changes`` on; each page refreshes when it is on screen. Before the first
        showing there is nothing to refresh: the pages are built then, from what is there."""
        if self.dashboard is None:
            return
        if changes.touches(*RELEVANT):
            self.dashboard.on_changes(changes)
        review = self._review_made()
        if review is not None and changes.touches(*RELEVANT, "reviews"):
            review.on_changes(changes)

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
