"""The review's “Process health and signals”: per process, the person's biggest leak and slowest
stage, and the behaviour signals since their last review, so a manager reacts to signals, not to
noise. Read on the reader thread; kept for the PDF export."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from ...domain import health as hl
from ...domain.behaviour import Measure
from ...services.container import Services
from ...services.health import BehaviourSignals
from ...services.scorecards import Scope
from ..kit.ops import Host
from ..monitor.behaviour import MEASURES, signal_words, value_text
from ..monitor.health import leak_text, slow_text
from ..plain_text import plain_label
from ..wording import long_day_text

Health = list[tuple[str, list[hl.StageHealth]]]


def read_health(
    services: Services, scopes: Sequence[Scope], since: date
) -> tuple[Health, list[BehaviourSignals]]:
    health = [(s.process.name, services.health.stage_health(s)) for s in scopes]
    signals = [x for s in scopes for x in services.health.signals_since(s, since)]
    return health, signals


class ReviewHealth(QWidget):
    def __init__(self, host: Host, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.currency = currency
        self.health: Health = []
        self.signals: list[BehaviourSignals] = []
        self.since: date | None = None
        self.summary = plain_label()
        self.summary.setWordWrap(True)
        self.caption = QLabel()
        self.caption.setEnabled(False)
        self.caption.setWordWrap(True)
        self.list = QListWidget()
        self.list.setMinimumHeight(90)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.caption)
        layout.addWidget(self.list)

    def load(self, scopes: Sequence[Scope], since: date) -> None:
        self.host.ops.read(
            self,
            "health",
            lambda s: read_health(s, scopes, since),
            lambda answer: self.show_health(since, *answer),
            busy=self,
        )

    def show_health(self, since: date, health: Health, signals: list[BehaviourSignals]) -> None:
        self.since, self.health, self.signals = since, health, signals
        lines = []
        for name, rows in health:
            leak, slow = hl.biggest_leak(rows), hl.slowest_stage(rows)
            lines.append(f"{name}: {leak_text(self, leak)} {slow_text(self, slow)}")
        self.summary.setText("\n".join(lines))
        labels = dict(MEASURES)
        self.list.clear()
        for item in signals:
            fmt = value_text(self, item.measure, self.currency)
            label = QCoreApplication.translate("BehaviourPage", labels[Measure(item.measure)])
            for run in item.runs:
                words = signal_words(self, run, item.chart, item.bucket, fmt)
                self.list.addItem(f"{item.process} · {label} · {words}")
        count = self.list.count()
        when = long_day_text(since)
        self.caption.setText(
            self.tr(
                "{0} signals since {1} (activities and new engagements per week, wins per "
                "month): react to these, not to the routine ups and downs."
            ).format(count, when)
            if count
            else self.tr("No signals since {0}: the ups and downs are routine variation.").format(
                when
            )
        )
