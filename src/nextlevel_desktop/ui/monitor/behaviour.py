"""The Monitor's “Behaviour” tab: is a change real or noise? (Wheeler's XmR chart)

One measure of one process per whole week or month, for the person or team chosen on
Scorecards, up to the period's end (or today); the centre line and natural process limits come
from the baseline points the user chooses and stay fixed after it. The signals are marked on the
chart and listed in words below it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QComboBox, QLabel, QListWidget, QSpinBox, QVBoxLayout, QWidget

from ...domain import behaviour as bh
from ...domain.periods import MONTHS, Granularity
from ...render.behaviour import ValueText, draw_xmr
from ...services.container import Services
from ...services.health import last_whole
from ...services.scorecards import Scope
from ..kit.ops import Host
from .canvas import ChartPanel
from .health import ProcessPage

MEASURES = (
    (bh.Measure.ACTIVITY_COUNT, str(QT_TRANSLATE_NOOP("BehaviourPage", "Done activities"))),
    (bh.Measure.NEW_ENGAGEMENTS, str(QT_TRANSLATE_NOOP("BehaviourPage", "New engagements"))),
    (bh.Measure.WON_COUNT, str(QT_TRANSLATE_NOOP("BehaviourPage", "Won (renewed) count"))),
    (bh.Measure.WON_VALUE, str(QT_TRANSLATE_NOOP("BehaviourPage", "Won (renewed) value"))),
    (bh.Measure.CYCLE_DAYS, str(QT_TRANSLATE_NOOP("BehaviourPage", "Cycle days of the won"))),
)


def read_chart(
    services: Services, scope: Scope, measure: bh.Measure, bucket: Granularity, baseline: int
) -> bh.XmR:
    """The chart, with the chosen baseline where there are points enough for it."""
    chart = services.health.behaviour(scope, measure, bucket)
    if bh.MIN_BASELINE <= baseline <= len(chart.points) and baseline != chart.baseline:
        return bh.xmr(chart.points, baseline)
    return chart


def point_label(day: date, bucket: Granularity) -> str:
    if bucket is Granularity.MONTH:
        return f"{MONTHS[day.month - 1]} {day.year % 100:02d}"
    return f"{day.day} {MONTHS[day.month - 1]}"


class BehaviourPage(ProcessPage):
    def __init__(
        self, host: Host, today: date, currency: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(host, today, parent)
        self.currency = currency
        self.chart: bh.XmR | None = None
        self.measure_box = QComboBox()
        for m, text in MEASURES:
            self.measure_box.addItem(self.tr(text), m)
        self.bucket_box = QComboBox()
        self.bucket_box.addItem(self.tr("per week"), Granularity.WEEK)
        self.bucket_box.addItem(self.tr("per month"), Granularity.MONTH)
        self.points_box = QSpinBox()
        self.points_box.setRange(bh.MIN_BASELINE, 104)
        self.points_box.setValue(26)
        self.points_box.setSuffix(self.tr(" points"))
        self.points_box.setToolTip(self.tr("How many weeks or months the chart shows"))
        self.baseline_box = QSpinBox()
        self.baseline_box.setRange(bh.MIN_BASELINE, 104)
        self.baseline_box.setValue(bh.DEFAULT_BASELINE)
        self.baseline_box.setPrefix(self.tr("baseline "))
        self.baseline_box.setToolTip(
            self.tr(
                "The first points that set the centre line and limits (at least 6); the limits "
                "stay fixed after them"
            )
        )
        self.bar.addWidget(self.measure_box)
        self.bar.addWidget(self.bucket_box)
        self.bar.addWidget(self.points_box)
        self.bar.addWidget(self.baseline_box)
        self.bar.addStretch(1)
        for box in (self.measure_box, self.bucket_box):
            box.currentIndexChanged.connect(lambda _i: self.stale.mark())
        for spin in (self.points_box, self.baseline_box):
            spin.valueChanged.connect(lambda _v: self.stale.mark())
        self.panel = ChartPanel(
            host.ops,
            self.tr("Behaviour"),
            self.tr(
                "Points with their centre line and natural process limits (dashed), moving "
                "ranges below. React to signals (red, numbered by rule), not to every wiggle."
            ),
        )
        self.signals_title = QLabel()
        self.signals = QListWidget()
        self.signals.setMaximumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(self.bar)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.signals_title)
        layout.addWidget(self.signals)

    @property
    def measure(self) -> bh.Measure:
        return bh.Measure(self.measure_box.currentData())

    @property
    def bucket(self) -> Granularity:
        return Granularity(self.bucket_box.currentData())

    def refresh(self) -> None:
        super().refresh()
        scope = self.scope()
        if scope is None:
            return
        window = last_whole(scope, self.bucket, self.points_box.value())
        measure, bucket, baseline = self.measure, self.bucket, self.baseline_box.value()
        self.host.ops.read(
            self,
            "chart",
            lambda s: read_chart(s, window, measure, bucket, baseline),
            lambda chart: self.show_chart(window, measure, bucket, chart),
            busy=self.panel,
        )

    def show_chart(
        self, scope: Scope, measure: bh.Measure, bucket: Granularity, chart: bh.XmR
    ) -> None:
        self.chart = chart
        fmt = value_text(self, measure, self.currency)
        labels = [point_label(p.start, bucket) for p in chart.points]
        who = self.person_name or self.tr("Team")
        title = f"{self.measure_box.currentText()} {self.bucket_box.currentText()} — {who}"

        def table() -> tuple[list[str], list[list[Any]]]:
            flagged = chart.flagged()
            ranges = [None, *chart.moving_ranges]
            headers = [self.tr("Starts"), self.tr("Value"), self.tr("Moving range")]
            rows = [
                [
                    p.start.isoformat(),
                    fmt(p.value),
                    None if r is None else fmt(r),
                    ", ".join(str(x) for x in flagged.get(i, [])),
                ]
                for i, (p, r) in enumerate(zip(chart.points, ranges, strict=True))
            ]
            return [*headers, self.tr("Signal rules")], rows

        self.panel.set_content(partial(draw_xmr, chart, labels, title, fmt), table)
        self.show_signals(chart, bucket, fmt)

    def show_signals(self, chart: bh.XmR, bucket: Granularity, fmt: Callable[[float], str]) -> None:
        self.signals.clear()
        runs = bh.signal_runs(chart)
        if chart.centre is None:
            self.signals_title.setText(
                self.tr("{0} points: limits need at least 6. Choose more points.").format(
                    len(chart.points)
                )
            )
            return
        if not runs:
            self.signals_title.setText(
                self.tr(
                    "No signals: the variation is routine. Judge a change against the limits, "
                    "not point by point."
                )
            )
            return
        self.signals_title.setText(
            self.tr("{0} signals: look for what changed at these times.").format(len(runs))
        )
        for run in runs:
            self.signals.addItem(signal_words(self, run, chart, bucket, fmt))


def value_text(w: QWidget, measure: bh.Measure, currency: str) -> ValueText:
    """How a value of ``measure`` is written (money, days or a count)."""
    return ValueText(measure, currency, w.tr("{0} days"))


def signal_words(
    w: QWidget, run: bh.SignalRun, chart: bh.XmR, bucket: Granularity, fmt: Callable[[float], str]
) -> str:
    """One signal told in a sentence (translated through ``w``)."""
    first = point_label(run.first.start, bucket)
    last = point_label(run.last.start, bucket)
    span = first if run.count == 1 else f"{first} – {last}"
    side = w.tr("above") if run.above else w.tr("below")
    if run.rule == 1:
        limit = chart.upper_limit if run.above else chart.lower_limit
        return w.tr("{0}: {1} is {2} the natural process limit ({3}) — rule 1.").format(
            span, fmt(run.first.value), side, fmt(limit or 0.0)
        )
    if run.rule == 2 and run.above:
        return w.tr(
            "{0}: three of four points nearer the upper limit than the centre line — rule 2."
        ).format(span)
    if run.rule == 2:
        return w.tr(
            "{0}: three of four points nearer the lower limit than the centre line — rule 2."
        ).format(span)
    return w.tr("{0}: {1} points in a row {2} the centre line ({3}) — rule 3.").format(
        span, run.count, side, fmt(chart.centre or 0.0)
    )
