"""The scorecard dashboard: filters, KPI tiles per process, charts and the stalled/at-risk list.

Every figure is read on the reader thread; a newer choice of process, person or period
supersedes the reads still under way, and the tiles and charts keep their old values (with a
quiet busy bar) until the answer. A chart's panel is made when its tab is first shown; a chart,
and the stalled list, reads and draws only when on screen: a write marks the others stale, and
they catch up when shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from typing import Any, cast

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
from ...domain.measures import HuntingMeasures
from ...domain.models import ActivityStatus, Process
from ...domain.periods import Period
from ...services.container import Services
from ...services.read_ahead import ReadAhead
from ...services.scorecards import EngagementLine, Scope, Scorecard
from ..kit.lazy_tabs import LazyTabs
from ..kit.ops import Host
from ..kit.stale import Stale
from ..plain_text import plain_label
from ..wording import long_day_text, number
from . import build, kpis, reads
from .canvas import ChartPanel
from .drilldown import DrillDownDialog, configure_table, open_engagement
from .filters import FilterBar, Filters
from .tables import EngagementModel
from .tiles import TileGrid

Read = Callable[[Services], Sequence[Any]]

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
        host: Host,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        """The lists read as the workspace opened (``host.read_ahead``) while they hold, else
        read here."""
        super().__init__(parent)
        self.host = host
        self.services = services = host.services  # quick lookups: settings, processes, people
        self.settings = settings = host.settings
        self.today = today
        ahead = host.read_ahead
        if ahead is None:
            ahead = ReadAhead(
                services.processes.processes(),
                services.people.people(),
                services.workspace.settings(),
            )
        ws = ahead.settings
        self.week_start = ws.week_start
        self.currency = ws.currency
        self.thresholds = (ws.on_track_pct, ws.at_risk_pct)
        me = settings.me(services.path)
        self.filter_bar = FilterBar(ahead.processes, ahead.people, today, ws.week_start, me)
        self.filter_bar.changed.connect(lambda _f: self.refresh())
        self.scopes: tuple[Scope, ...] = ()
        self._early = False  # the charts in ``reads.SCOPED`` were asked for with the scopes
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
        tiles_scroll = self.tiles_scroll = QScrollArea()
        tiles_scroll.setWidgetResizable(True)
        tiles_scroll.setFrameShape(QFrame.Shape.NoFrame)
        tiles_scroll.setWidget(self.tiles_holder)

        # Charts: a panel is made when its tab is first shown (or asked for: :meth:`panel`),
        # then reads and draws only when on screen (the chart drawing process, started as the
        # workspace opened, or by the first panel made, has imported matplotlib meanwhile).
        self.chart_tabs = QTabWidget()
        self.chart_tabs.setDocumentMode(True)  # no frame: Fusion drew it at 1-2 ms a paint
        self.charts = LazyTabs(self.chart_tabs)
        self.panels: dict[str, ChartPanel] = {}  # those made so far
        self.stale_charts: dict[str, Stale] = {}
        for key, title, hint in CHARTS:
            self.charts.add(self.tr(title), partial(self._make_panel, key, title, hint))
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
        self.stale_risks = Stale(risk_page, lambda _c: self._load_risks())
        self.stale = Stale(self, self._catch_up)

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
        return Scope(process, f.person_id, period or f.period, self.today, f.team, f.members)

    def on_changes(self, changes: Changes) -> None:
        """Refresh for ``changes`` now if on screen, else when next shown."""
        self.stale.mark(changes)

    def _catch_up(self, changes: Changes) -> None:
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
        """Read the scorecards for the filters (superseding any read still under way); when
        they come, the tiles show them and the charts drawn from them are marked stale. The
        charts read from the scopes alone are marked now, and the open one's read asked first:
        it is drawn in the chart drawing process while the reader reads the scorecards."""
        self.refresh_count += 1
        self.stale.clear()
        scopes = [self.scope(p) for p in self.processes()]
        self.scopes = tuple(scopes)
        # Not before the first scorecards: the tiles then take their room (``_fit_splitter``),
        # which resizes the chart.
        self._early = bool(self.cards)
        for key in reads.SCOPED if self._early else ():
            if key in self.stale_charts:
                self.stale_charts[key].mark()
                if self.panels[key].isVisible():
                    self.stale_charts[key].flush()
        compare = self.filters.compare
        # One read per process: a read asked for meanwhile by a page on screen (at start-up,
        # the activity list the user turned to) waits for one scorecard, not for all.
        groups = [[scope] for scope in scopes] or [[]]
        answers: list[reads.Cards | None] = [None] * len(groups)
        for i, group in enumerate(groups):
            self.host.ops.read(
                self,
                f"cards {i}",
                partial(reads.scorecards, scopes=group, compare=compare),
                partial(self._card_came, self.refresh_count, answers, i),
                busy=self.tiles_scroll,
            )

    def _card_came(
        self, refresh: int, answers: list[reads.Cards | None], index: int, answer: reads.Cards
    ) -> None:
        if refresh != self.refresh_count:  # a newer refresh's reads are on their way
            return
        answers[index] = answer
        if all(a is not None for a in answers):
            got = [a for a in answers if a is not None]
            self._show_cards(
                [c for a in got for c in a.cards], [p for a in got for p in a.previous]
            )

    def _show_cards(self, cards: list[Scorecard], previous: list[Scorecard | None]) -> None:
        self.cards, self.previous = cards, previous
        self._fill_tiles()
        self._risk_tab_title()
        for key, stale in self.stale_charts.items():
            if not (self._early and key in reads.SCOPED):
                stale.mark()
        self.stale_risks.mark()
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

    def _fill_tiles(self, start: int = 0) -> None:
        """Fill each process's tiles from its scorecard. A process's first tiles (new widgets,
        polished when shown) take a turn of their own: both processes' in one turn held the
        GUI thread 25-30 ms at start-up."""
        if start == 0:
            cards = self.cards
            self.empty_hint.setVisible(bool(cards) and all(_nothing_logged(c) for c in cards))
            keep = {c.scope.process.id for c in cards}
            for pid in list(self.grids):
                if pid not in keep:
                    self.grids.pop(pid).deleteLater()
        pairs = list(zip(self.cards, self.previous, strict=True))
        for i in range(start, len(pairs)):
            card, prev = pairs[i]
            proc = card.scope.process
            grid = self.grids.get(proc.id)
            new = grid is None
            if grid is None:
                grid = TileGrid("", build.kind_colour(proc.kind))
                self.grids[proc.id] = grid
                self.tiles_layout.insertWidget(self.tiles_layout.count() - 1, grid)
            who = self._person_name()
            grid.heading.setText(
                f"{proc.name} — {proc.kind.label}  ·  {who}  ·  {card.scope.period.label}"
            )
            grid.set_tiles(kpis.tiles_for(card, prev, self.currency), columns=self._columns())
            if new and i + 1 < len(pairs):
                QTimer.singleShot(0, self, partial(self._fill_rest, self.cards, i + 1))
                return

    def _fill_rest(self, cards: list[Scorecard], start: int) -> None:
        if self.cards is cards:  # (not replaced by a newer refresh meanwhile)
            self._fill_tiles(start)

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

    def _load_risks(self) -> None:
        cards = list(self.cards)
        as_of = min(self.filters.period.end, self.today)
        self.host.ops.read(
            self.risk_page,
            "risks",
            lambda s: reads.risk_lines(s, cards),
            lambda lines: self._fill_risks(lines, as_of),
            busy=self.risk_page,
        )

    def _fill_risks(self, lines: list[EngagementLine], as_of: date) -> None:
        self.risk_model.set_rows(lines)
        self.risk_label.setText(
            self.tr(
                "{0} stalled or at-risk engagements on {1}, most days over their stage's "
                "expected days first. Double-click one to open it."
            ).format(number(len(lines)), long_day_text(as_of))
        )

    # Charts ------------------------------------------------------------------------------
    def panel(self, key: str) -> ChartPanel:
        """Chart ``key``'s panel, made now if it was not yet."""
        index = next(i for i, chart in enumerate(CHARTS) if chart[0] == key)
        return cast(ChartPanel, self.charts.page(index))

    def _make_panel(self, key: str, title: str, hint: str) -> ChartPanel:
        panel = ChartPanel(self.host.ops, self.tr(title), self.tr(hint))
        panel.barClicked.connect(lambda k: self.drill(key, k))
        self.panels[key] = panel
        self.stale_charts[key] = stale = Stale(panel, partial(self._load_chart, key))
        if self.cards or (self._early and key in reads.SCOPED):
            stale.mark()  # read when shown
        return panel

    def chart_read(self, key: str) -> Callable[[Services], build.ChartContent]:
        """The read (for the reader thread) of chart ``key`` for the scorecards shown."""
        on_track, at_risk = self.thresholds
        inputs = reads.ChartInputs(self.scopes, tuple(self.cards), self.currency, on_track, at_risk)
        return lambda services: reads.chart_content(services, key, inputs)

    def _load_chart(self, key: str, _changes: Changes | None = None) -> None:
        panel = self.panels[key]
        self.host.ops.read(
            panel,
            "content",
            self.chart_read(key),
            lambda content: panel.set_content(content.draw, content.table),
            busy=panel,
        )

    # Drill-down --------------------------------------------------------------------------
    def _card(self, process_id: int) -> Scorecard | None:
        return next((c for c in self.cards if c.scope.process.id == process_id), None)

    def drill(self, chart: str, key: Any) -> DrillDownDialog | None:
        """Open the list of engagements or activities behind a clicked bar (it loads on the
        reader thread)."""
        found = self._drill_list(chart, key)
        if found is None:
            return None
        title, rows = found
        dialog = DrillDownDialog(self.host, title, rows, chart == "activity", parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _drill_list(self, chart: str, key: Any) -> tuple[str, Read] | None:
        """The title and the read of the list behind bar ``key`` of ``chart``."""
        if chart == "activity":
            (pid, bucket), type_id = key
            if self._card(pid) is None:
                return None
            flt = ActivityFilter(
                person_id=self.filters.person_id,
                person_ids=self.filters.members if self.filters.team else None,
                process_id=pid,
                type_id=type_id,
                status=ActivityStatus.DONE,
                date_from=bucket.start,
                date_to=bucket.end,
            )
            title = self.tr("Activities, {0}").format(build.bucket_label(bucket, bucket.kind))
            return title, lambda s: s.activities.page(flt, 0, 5000)
        if chart in ("funnel", "time", "pipeline"):
            inner = key[0] if chart == "pipeline" else key
            card = None if inner is None else self._card(inner[0])
            if card is None:
                return None
            scope, stage_id = card.scope, inner[1]
            stage = next((s.name for s in scope.process.stages if s.id == stage_id), "")
            if chart == "funnel":
                title = self.tr("Entered “{0}” in {1}").format(stage, scope.period.label)
                return title, lambda s: s.scorecards.entered_stage(scope, stage_id)
            only = "at_risk" if chart == "pipeline" and key[1:2] == ("at_risk",) else ""
            title = self.tr("Open in “{0}”").format(stage)
            return title, lambda s: s.scorecards.open_engagements(scope, stage_id, only=only)
        if chart == "trend":
            pid, month = key
            card = self._card(pid)
            if card is None:
                return None
            scope = card.scope
            title = self.tr("Closed in {0}").format(month.label)
            return (
                title,
                lambda s: (
                    s.scorecards.closed_engagements(scope, month, "won")
                    + s.scorecards.closed_engagements(scope, month, "lost")
                ),
            )
        return None

    def _open_risk(self, index: QModelIndex) -> None:
        if index.isValid():
            open_engagement(self.host, self.risk_model.row(index.row()).id, self)


def _nothing_logged(card: Scorecard) -> bool:
    """No activity, no engagement opened, closed or open: a period (or workspace) with no
    work in it yet."""
    m = card.measures
    if isinstance(m, HuntingMeasures):
        busy = m.won_count + m.lost_count + m.open_count
    else:
        busy = m.renewed_count + m.churned_count + m.accounts_managed
    return not (m.activity_count or m.new_engagements or busy)
