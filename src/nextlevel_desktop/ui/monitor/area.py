"""Monitor area (Ctrl+3): each process measured against its targets, per person and period,
and the one-on-one review.

The dashboard is built the first time the area is shown, the other tabs (review, process
health, behaviour, plan) the first time each is shown or used; their charts are drawn in the
chart drawing process (matplotlib is never imported in the app's own process). Each page marks
itself stale on a write and reads again when on screen; charts redraw only when their data or
the filters change, and only the visible one.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ...domain.changes import Changes
from ..area import Area
from ..kit.lazy_tabs import LazyPage, LazyTabs
from ..kit.ops import Host

if TYPE_CHECKING:
    from ..review.page import ReviewPage
    from .behaviour import BehaviourPage
    from .dashboard import Dashboard
    from .filters import Filters
    from .health import HealthPage
    from .plan_page import PlanPage

REVIEW, HEALTH, BEHAVIOUR, PLAN = 1, 2, 3, 4

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
    """Five tabs: the scorecard dashboard, the one-on-one review, process health, behaviour
    (XmR charts) and the reverse-funnel plan. Every tab but the first is made when first shown
    or used (``self.review`` etc. make it on access)."""

    review: LazyPage[ReviewPage] = LazyPage(REVIEW)
    health: LazyPage[HealthPage] = LazyPage(HEALTH)
    behaviour: LazyPage[BehaviourPage] = LazyPage(BEHAVIOUR)
    plan: LazyPage[PlanPage] = LazyPage(PLAN)

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
        self.pages = LazyTabs(self.tabs)
        self.pages.made.append(self._made)
        self.tabs.setDocumentMode(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.tabs)

    def _built(self) -> list[QWidget]:
        """The pages after the dashboard that are made so far."""
        if self.dashboard is None:
            return []
        pages = (self.pages.built(i) for i in (REVIEW, HEALTH, BEHAVIOUR, PLAN))
        return [page for page in pages if page is not None]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fixed_today is None and self.today != date.today() and self.dashboard is not None:
            # The app was left open past midnight: “today” moves on, and so do the figures.
            self.today = date.today()
            for page in [self.dashboard, *self._built()]:
                page.today = self.today  # type: ignore[attr-defined]  # every page has one
            self.on_changes(Changes(activities=True))
        self.ensure_built()

    def prepare(self) -> None:
        self.ensure_built()

    def ensure_built(self) -> None:
        """Build the dashboard on first use (it starts matplotlib's warm-up on the chart
        thread); the other tabs when each is first shown."""
        if self.dashboard is not None:
            return
        from .dashboard import Dashboard

        self.pages.add(self.tr("Scorecards"), lambda: Dashboard(self, self.today, self))
        self.dashboard = cast("Dashboard", self.pages.page(0))
        self.pages.add(self.tr("Review"), self._make_review)
        self.pages.add(self.tr("Process health"), self._make_health)
        self.pages.add(self.tr("Behaviour"), self._make_behaviour)
        self.pages.add(self.tr("Plan"), self._make_plan)
        for index, tip in enumerate(
            (
                self.tr("Each process against its targets"),
                self.tr("Review a person's or a team's period and agree actions"),
                self.tr("Is each process running as designed?"),
                self.tr("Is a change real or noise? (XmR charts)"),
                self.tr("Work back from a target to the new engagements and activities per week"),
            )
        ):
            self.tabs.setTabToolTip(index, tip)
        self.restore_state()
        # The other pages follow the person and period chosen on Scorecards.
        self.dashboard.filter_bar.changed.connect(self._follow)
        self.dashboard.refresh()

    def _make_review(self) -> QWidget:
        from ..review.page import ReviewPage

        return ReviewPage(self, self.today, self)

    def _make_health(self) -> QWidget:
        from .health import HealthPage

        return HealthPage(self, self.today, self)

    def _make_behaviour(self) -> QWidget:
        from .behaviour import BehaviourPage

        assert self.dashboard is not None
        return BehaviourPage(self, self.today, self.dashboard.currency, self)

    def _make_plan(self) -> QWidget:
        from .plan_page import PlanPage

        return PlanPage(self, self.today, self)

    def _made(self, page: QWidget) -> None:
        """A page just made starts from the processes and the Scorecards' filters."""
        if self.dashboard is None or page is self.dashboard:
            return
        if page in (self.pages.built(HEALTH), self.pages.built(BEHAVIOUR)):
            page.set_processes(self.services.processes.processes())  # type: ignore[attr-defined]
        self._follow_one(page, self.dashboard.filter_bar.filters())

    def _follow(self, filters: Filters) -> None:
        for page in self._built():
            self._follow_one(page, filters)

    def _follow_one(self, page: QWidget, filters: Filters) -> None:
        assert self.dashboard is not None
        if page is self.pages.built(REVIEW):
            cast("ReviewPage", page).follow(filters.person_id, filters.period, filters.team)
        elif page is self.pages.built(PLAN):
            cast("PlanPage", page).follow(filters.person_id)
        else:
            person = self.dashboard.filter_bar.person.currentText()
            page.follow(filters, person)  # type: ignore[attr-defined]  # health, behaviour

    def on_changes(self, changes: Changes) -> None:
        """Pass ``changes`` on; each page refreshes when it is on screen. A page not made yet
        has nothing to refresh: it reads what it shows when it is made."""
        if self.dashboard is None:
            return
        if changes.touches(*RELEVANT):
            self.dashboard.on_changes(changes)
        for page in self._built():
            if page is self.pages.built(REVIEW):
                if changes.touches(*RELEVANT, "reviews"):
                    cast("ReviewPage", page).on_changes(changes)
                continue
            if not changes.touches(*RELEVANT):
                continue
            if page is not self.pages.built(PLAN) and changes.touches(
                "processes", "stages", "settings"
            ):
                page.set_processes(self.services.processes.processes())  # type: ignore[attr-defined]
                page.currency = self.services.workspace.settings().currency  # type: ignore[attr-defined]
            page.on_changes(changes)  # type: ignore[attr-defined]

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
