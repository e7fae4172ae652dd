"""The scorecard dashboard: filters, KPI tiles per process, charts and the stalled/at-risk list."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.activities import ActivityFilter
from ...domain.changes import Changes
from ...domain.errors import NextLevelError
from ...domain.measures import HuntingMeasures
from ...domain.models import ActivityStatus, Process, ProcessKind
from ...domain.periods import Period
from ...services.container import Services
from ...services.scorecards import EngagementLine, Scope, Scorecard
from ..errors import show_error
from ..plain_text import plain_label
from ..user_settings import UserSettings
from ..wording import long_day_text, number
from . import build, kpis
from .canvas import ChartPanel
from .drilldown import DrillDownDialog, configure_table, open_engagement
from .filters import FilterBar, Filters
from .tables import EngagementModel
from .tiles import TileGrid

CHARTS = (
    (
        "activity",
        "Activity",
        "Done activities per week or month by type, against the activity targets.",
    ),
    (
        "funnel",
        "Funnel",
        "Engagements entering each stage in the period, how many moved forward, "
        "and the conversion against the stage's target (orange tick).",
    ),
    (
        "time",
        "Time in stage",
        "Median days in each stage for stays that ended in the period, "
        "against the expected days; stalled engagements now.",
    ),
    (
        "pipeline",
        "Pipeline and accounts",
        "Hunting: open and weighted pipeline by stage. "
        "Farming: managed accounts by stage and review coverage.",
    ),
    (
        "trend",
        "Outcomes",
        "Win rate (hunting) or renewal rate (farming) per month, against target.",
    ),
    ("side", "Side by side", "Every target of both processes for the same person and period."),
)


class Dashboard(QWidget):
    def __init__(
        self,
        services: Services,
        settings: UserSettings,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.settings = settings
        self.today = today
        ws = services.workspace.settings()
        self.week_start = ws.week_start
        self.currency = ws.currency
        self.thresholds = (ws.on_track_pct, ws.at_risk_pct)
        me = settings.me(services.path)
        self.filter_bar = FilterBar(
            services.processes.processes(), services.people.people(), today, ws.week_start, me
        )
        self.filter_bar.changed.connect(lambda _f: self.refresh())
        self.cards: list[Scorecard] = []
        self.previous: list[Scorecard | None] = []
        self.refresh_count = 0

        # Tiles, one grid per process.
        self.tiles_holder = QWidget()
        self.tiles_layout = QVBoxLayout(self.tiles_holder)
        self.tiles_layout.setContentsMargins(2, 2, 2, 2)
        self.tiles_layout.setSpacing(10)
        # A period with nothing logged says what to do next (the tiles alone read as zeros).
        self.empty_hint = plain_label(
            self.tr(
                "Nothing logged in this period yet. Log calls, meetings and reviews with Ctrl+L "
                "and set targets in the Designer (Ctrl+1): the tiles and charts fill in as work "
                "is logged. Or choose an earlier period above."
            )
        )
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: palette(placeholder-text);")
        self.empty_hint.hide()
        self.tiles_layout.addWidget(self.empty_hint)
        self.tiles_layout.addStretch(1)
        self.grids: dict[int, TileGrid] = {}
        tiles_scroll = QScrollArea()
        tiles_scroll.setWidgetResizable(True)
        tiles_scroll.setFrameShape(QFrame.Shape.NoFrame)
        tiles_scroll.setWidget(self.tiles_holder)

        # Charts, each drawn only when visible and stale.
        self.chart_tabs = QTabWidget()
        self.panels: dict[str, ChartPanel] = {}
        self._stale: set[str] = set()
        for key, title, hint in CHARTS:
            panel = ChartPanel(self.tr(title), self.tr(hint))
            panel.barClicked.connect(lambda k, key=key: self.drill(key, k))
            self.panels[key] = panel
            self.chart_tabs.addTab(panel, self.tr(title))
        self.risk_model = EngagementModel(self.currency)
        self.risk_view = QTableView()
        self.risk_view.setModel(self.risk_model)
        configure_table(self.risk_view)
        self.risk_view.doubleClicked.connect(self._open_risk)
        self.risk_label = plain_label()
        self.risk_label.setEnabled(False)
        risk_page = self.risk_page = QWidget()
        risk_layout = QVBoxLayout(risk_page)
        risk_layout.setContentsMargins(0, 4, 0, 0)
        risk_layout.addWidget(self.risk_label)
        risk_layout.addWidget(self.risk_view, 1)
        self.chart_tabs.addTab(risk_page, self.tr("Stalled && at risk"))
        self.chart_tabs.currentChanged.connect(self._draw_current)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(tiles_scroll)
        self.splitter.addWidget(self.chart_tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)

        top = QHBoxLayout()
        top.addWidget(self.filter_bar, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

    # State -------------------------------------------------------------------------------
    def save_state(self) -> None:
        self.settings.set_bytes("monitor/splitter", self.splitter.saveState())
        self.settings.set_value("monitor/chart", self.chart_tabs.currentIndex())

    def restore_state(self) -> None:
        state = self.settings.bytes_value("monitor/splitter")
        self._fitted = state is not None
        if state is not None:
            self.splitter.restoreState(state)
        self.chart_tabs.setCurrentIndex(self.settings.int_value("monitor/chart", 0))

    # Data --------------------------------------------------------------------------------
    @property
    def filters(self) -> Filters:
        return self.filter_bar.filters()

    def processes(self) -> list[Process]:
        ids = self.filters.process_ids
        return [self.filter_bar.processes[i] for i in ids if i in self.filter_bar.processes]

    def scope(self, process: Process, period: Period | None = None) -> Scope:
        f = self.filters
        return Scope(process, f.person_id, period or f.period, self.today)

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("processes", "stages", "people", "settings"):
            ws = self.services.workspace.settings()
            self.currency, self.week_start = ws.currency, ws.week_start
            self.filter_bar.picker.week_start = ws.week_start
            self.thresholds = (ws.on_track_pct, ws.at_risk_pct)
            self.risk_model.currency = ws.currency
            self.filter_bar.set_choices(
                self.services.processes.processes(), self.services.people.people()
            )
        self.refresh()

    def refresh(self) -> None:
        """Recompute the scorecards for the filters; charts are marked stale, the visible one
        redraws."""
        self.refresh_count += 1
        f = self.filters
        try:
            self.cards = [
                self.services.scorecards.scorecard(self.scope(p)) for p in self.processes()
            ]
            self.previous = [
                self.services.scorecards.scorecard(replace(c.scope, period=f.period.previous()))
                if f.compare
                else None
                for c in self.cards
            ]
        except NextLevelError as exc:
            show_error(self, exc, self.tr("Monitor"))
            return
        self._fill_tiles()
        self._stale = {*self.panels, "risks"}
        self._risk_tab_title()
        self._draw_current()
        if not getattr(self, "_fitted", True):
            QTimer.singleShot(0, self._fit_splitter)

    def _fit_splitter(self) -> None:
        """First time: give the tiles the room they need (at most half), the charts the rest."""
        total = self.splitter.height()
        if total < 200:
            return
        self._fitted = True
        need = self.tiles_holder.sizeHint().height() + 4
        tiles = min(need, total // 2)
        self.splitter.setSizes([tiles, total - tiles])

    def _fill_tiles(self) -> None:
        self.empty_hint.setVisible(bool(self.cards) and all(_nothing_logged(c) for c in self.cards))
        keep = {c.scope.process.id for c in self.cards}
        for pid in list(self.grids):
            if pid not in keep:
                self.grids.pop(pid).deleteLater()
        for card, prev in zip(self.cards, self.previous, strict=True):
            proc = card.scope.process
            grid = self.grids.get(proc.id)
            if grid is None:
                grid = TileGrid("", build.kind_colour(proc.kind))
                self.grids[proc.id] = grid
                self.tiles_layout.insertWidget(self.tiles_layout.count() - 1, grid)
            who = self._person_name()
            grid.heading.setText(
                f"{proc.name} — {proc.kind.label}  ·  {who}  ·  {card.scope.period.label}"
            )
            grid.set_tiles(kpis.tiles_for(card, prev, self.currency), columns=self._columns())

    def _columns(self) -> int:
        return max(3, min(8, (self.width() - 40) // 175))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.grids and self._columns() != getattr(self, "_last_columns", 0):
            self._last_columns = self._columns()
            for card, prev in zip(self.cards, self.previous, strict=True):
                grid = self.grids.get(card.scope.process.id)
                if grid is not None:
                    grid.set_tiles(kpis.tiles_for(card, prev, self.currency), self._columns())

    def _person_name(self) -> str:
        return self.filter_bar.person.currentText()

    def _risk_tab_title(self) -> None:
        """The count comes with the scorecards; the list itself loads when its tab is shown."""
        count = 0
        for card in self.cards:
            m = card.measures
            count += m.stalled_count if isinstance(m, HuntingMeasures) else m.at_risk_count
        index = self.chart_tabs.count() - 1
        self.chart_tabs.setTabText(index, self.tr("Stalled && at risk ({0})").format(count))

    def _fill_risks(self) -> None:
        lines: list[EngagementLine] = []
        for card in self.cards:
            only = "stalled" if card.kind is ProcessKind.HUNTING else "at_risk"
            lines += self.services.scorecards.open_engagements(card.scope, only=only)
        lines.sort(key=lambda x: (-x.days_over, x.name))
        self.risk_model.set_rows(lines)
        as_of = min(self.filters.period.end, self.today)
        self.risk_label.setText(
            self.tr(
                "{0} stalled or at-risk engagements on {1}, most days over their stage's "
                "expected days first. Double-click one to open it."
            ).format(number(len(lines)), long_day_text(as_of))
        )

    # Charts ------------------------------------------------------------------------------
    def _draw_current(self, *_: Any) -> None:
        widget = self.chart_tabs.currentWidget()
        if widget is self.risk_page and "risks" in self._stale:
            self._stale.discard("risks")
            self._fill_risks()
        for key, panel in self.panels.items():
            if panel is widget and key in self._stale:
                if not panel.ready():  # the first chart: its data after the numbers show
                    panel.when_ready(self._draw_current)
                    return
                self._stale.discard(key)
                content = self.content(key)
                panel.set_content(content.draw, content.table)

    def content(self, key: str) -> build.ChartContent:
        svc = self.services.scorecards
        if key == "activity":
            window, bucket = build.chart_window(self.filters.period)
            items = []
            for card in self.cards:
                series = svc.activity_series(card.scope, window, bucket)
                items.append((card.scope.process, series, bucket))
            return build.activity_chart(items)
        if key == "funnel":
            return build.funnel_chart(self.cards)
        if key == "time":
            return build.time_chart(self.cards)
        if key == "pipeline":
            return build.pipeline_chart(self.cards, self.currency)
        if key == "trend":
            return build.trend_chart([(c, svc.outcome_trend(c.scope)) for c in self.cards])
        on_track, at_risk = self.thresholds
        return build.attainment_chart(self.cards, on_track, at_risk, self.currency)

    # Drill-down --------------------------------------------------------------------------
    def _card(self, process_id: int) -> Scorecard | None:
        return next((c for c in self.cards if c.scope.process.id == process_id), None)

    def drill(self, chart: str, key: Any) -> DrillDownDialog | None:
        """Open the list of engagements or activities behind a clicked bar."""
        svc = self.services.scorecards
        dialog: DrillDownDialog | None = None
        if chart == "activity":
            (pid, bucket), type_id = key
            card = self._card(pid)
            if card is None:
                return None
            flt = ActivityFilter(
                person_id=self.filters.person_id,
                process_id=pid,
                type_id=type_id,
                status=ActivityStatus.DONE,
                date_from=bucket.start,
                date_to=bucket.end,
            )
            rows = self.services.activities.page(flt, 0, 5000)
            title = self.tr("Activities, {0}").format(build.bucket_label(bucket, bucket.kind))
            dialog = DrillDownDialog(self.services, title, activities=rows, parent=self)
        elif chart in ("funnel", "time", "pipeline"):
            inner = key[0] if chart == "pipeline" else key
            if inner is None:
                return None
            pid, stage_id, what = inner
            card = self._card(pid)
            if card is None:
                return None
            stage = next((s.name for s in card.scope.process.stages if s.id == stage_id), "")
            if chart == "funnel":
                lines = svc.entered_stage(card.scope, stage_id)
                title = self.tr("Entered “{0}” in {1}").format(stage, card.scope.period.label)
            else:
                at_risk = chart == "pipeline" and len(key) > 1 and key[1] == "at_risk"
                only = "at_risk" if at_risk else ""
                lines = svc.open_engagements(card.scope, stage_id, only=only)
                title = self.tr("Open in “{0}”").format(stage)
            dialog = DrillDownDialog(self.services, title, engagements=lines, parent=self)
        elif chart == "trend":
            pid, month = key
            card = self._card(pid)
            if card is None:
                return None
            lines = svc.closed_engagements(card.scope, month, "won") + svc.closed_engagements(
                card.scope, month, "lost"
            )
            title = self.tr("Closed in {0}").format(month.label)
            dialog = DrillDownDialog(self.services, title, engagements=lines, parent=self)
        if dialog is not None:
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()
        return dialog

    def _open_risk(self, index: QModelIndex) -> None:
        if index.isValid():
            open_engagement(self.services, self.risk_model.row(index.row()).id, self)


def _nothing_logged(card: Scorecard) -> bool:
    """No activity, no engagement opened, closed or open: a period (or workspace) with no
    work in it yet."""
    m = card.measures
    if isinstance(m, HuntingMeasures):
        busy = m.won_count + m.lost_count + m.open_count
    else:
        busy = m.renewed_count + m.churned_count + m.accounts_managed
    return not (m.activity_count or m.new_engagements or busy)
