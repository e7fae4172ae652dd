"""The Monitor's “Process health” tab: is the process running as designed?

Per open stage, the designed conversion against the entry cohort's, with its 90 % interval, the
expected days against the median and 80th percentile of completed stays, and the stalled now;
a sentence names the biggest leak and the slowest stage. “Update design…” writes the measured
figures into the process as one undoable designer edit. The page follows the Scorecards tab's
person and period; its figures are read on the reader thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain import health as hl
from ...domain.changes import Changes
from ...domain.models import Process
from ...domain.periods import Period
from ...render.health import draw_health
from ...services.container import Services
from ...services.revisions import Revision
from ...services.scorecards import Scope
from ..kit.ops import Host, run_op
from ..kit.stale import Stale
from ..plain_text import plain_label
from ..theme import PALETTE
from .canvas import ChartPanel
from .drilldown import configure_table
from .filters import Filters
from .tables import ValuesModel


class ProcessPage(QWidget):
    """A Monitor page about one process, for the person and period chosen on Scorecards."""

    def __init__(self, host: Host, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.today = today
        self.person_id: int | None = None
        self.team: tuple[str, tuple[int, ...]] = ("", ())  # a team's name and people
        self.person_name = ""
        self.currency = ""
        self.period: Period | None = None
        self.stale = Stale(self, lambda _c: self.refresh())
        self.process_box = QComboBox()
        self.process_box.setToolTip(self.tr("The process to look at"))
        self.process_box.currentIndexChanged.connect(lambda _i: self.stale.mark())
        self.bar = QHBoxLayout()
        self.bar.addWidget(QLabel(self.tr("Process:")))
        self.bar.addWidget(self.process_box)

    def set_processes(self, processes: Sequence[Process]) -> None:
        current = self.process_box.currentData()
        self.process_box.blockSignals(True)
        self.process_box.clear()
        for p in processes:
            self.process_box.addItem(p.name, p)
        found = [i for i, p in enumerate(processes) if current and p.id == current.id]
        self.process_box.setCurrentIndex(found[0] if found else 0)
        self.process_box.blockSignals(False)

    def follow(self, filters: Filters, person_name: str) -> None:
        """Take the Scorecards tab's person and period (and its process, if only one)."""
        self.person_id, self.person_name, self.period = (
            filters.person_id,
            person_name,
            filters.period,
        )
        self.team = (filters.team, filters.members)
        if len(filters.process_ids) == 1:
            for i in range(self.process_box.count()):
                if self.process_box.itemData(i).id == filters.process_ids[0]:
                    self.process_box.setCurrentIndex(i)
        self.stale.mark()

    def on_changes(self, changes: Changes) -> None:
        self.stale.mark(changes)

    def scope(self) -> Scope | None:
        process = self.process_box.currentData()
        if process is None or self.period is None:
            return None
        return Scope(process, self.person_id, self.period, self.today, *self.team)

    def refresh(self) -> None:
        """Each page reads its figures for :meth:`scope` after this."""
        self.stale.clear()


COLUMNS = (
    str(QT_TRANSLATE_NOOP("HealthPage", "Stage")),
    str(QT_TRANSLATE_NOOP("HealthPage", "Entered")),
    str(QT_TRANSLATE_NOOP("HealthPage", "Advanced")),
    str(QT_TRANSLATE_NOOP("HealthPage", "Conversion")),
    str(QT_TRANSLATE_NOOP("HealthPage", "90 % interval")),
    str(QT_TRANSLATE_NOOP("HealthPage", "Designed")),
    str(QT_TRANSLATE_NOOP("HealthPage", "Median days")),
    str(QT_TRANSLATE_NOOP("HealthPage", "80 % within")),
    str(QT_TRANSLATE_NOOP("HealthPage", "Expected days")),
    str(QT_TRANSLATE_NOOP("HealthPage", "Stalled now")),
    str(QT_TRANSLATE_NOOP("HealthPage", "Verdict")),
)


class HealthModel(ValuesModel):
    """The stage health rows; a flagged stage's verdict in the “behind” colour."""

    def foreground(self, row: Sequence[Any], column: int) -> Any:
        if column == len(COLUMNS) - 1 and row[column]:
            return QColor(PALETTE.behind)
        return None


class HealthPage(ProcessPage):
    def __init__(self, host: Host, today: date, parent: QWidget | None = None) -> None:
        super().__init__(host, today, parent)
        self.rows: list[hl.StageHealth] = []
        self.caption = plain_label()
        self.caption.setEnabled(False)
        self.caption.setWordWrap(True)
        self.leak = plain_label()
        self.leak.setWordWrap(True)
        self.slow = plain_label()
        self.slow.setWordWrap(True)
        self.model = HealthModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        configure_table(self.view)
        self.update_button = QPushButton(self.tr("Update design from measurements…"))
        self.update_button.setToolTip(
            self.tr("Set expected days and target conversions to what was measured (undoable)")
        )
        self.update_button.setEnabled(False)
        self.update_button.clicked.connect(self.update_design)
        self.bar.addStretch(1)
        self.bar.addWidget(self.update_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(self.bar)
        layout.addWidget(self.caption)
        layout.addWidget(self.leak)
        layout.addWidget(self.slow)
        self.panel = ChartPanel(
            host.ops,
            self.tr("Stage health"),
            self.tr(
                "Left: measured conversion with its 90 % interval against the design (orange). "
                "Right: median and 80th percentile of completed stays against expected days."
            ),
        )
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)

    def refresh(self) -> None:
        super().refresh()
        scope = self.scope()
        if scope is None:
            return
        self.host.ops.read(
            self,
            "health",
            lambda s: s.health.stage_health(scope),
            lambda rows: self.show_rows(scope, rows),
            busy=self.view,
        )

    def show_rows(self, scope: Scope, rows: list[hl.StageHealth]) -> None:
        self.rows = rows
        who = self.person_name or self.tr("Team")
        self.caption.setText(
            self.tr(
                "{0} · {1} · engagements that entered each stage in {2}, and stays that ended "
                "in it; stalled as of today. A stage is flagged only when the 90 % interval of "
                "its conversion excludes the designed one."
            ).format(scope.process.name, who, scope.period.label)
        )
        table = []
        for r in rows:
            iv = r.interval
            verdict = ""
            if r.flagged:
                verdict = self.tr("Below design") if r.leaking else self.tr("Above design")
            conversion = hl.percent(r.conversion)
            if r.few and r.entered:
                conversion += self.tr(" (few)")
            table.append(
                [
                    f"{r.stage} → {r.next_stage}",
                    r.entered,
                    r.advanced,
                    conversion,
                    "–" if iv is None else f"{iv[0] * 100:.0f}–{iv[1] * 100:.0f} %",
                    hl.percent(r.target_conversion),
                    hl.days_text(r.median_days),
                    r.p80_days,
                    r.expected_days,
                    r.stalled_now,
                    verdict,
                ]
            )
        self.model.set_rows(table, [self.tr(c) for c in COLUMNS])
        view = self.view  # the whole table, the chart below takes the rest
        view.setMinimumHeight(view.horizontalHeader().height() + view.verticalHeader().length() + 4)

        title, days_title = self.tr("Conversion: measured vs designed"), self.tr("Days in stage")
        draw = partial(draw_health, rows, title, days_title)
        self.panel.set_content(draw, lambda: ([self.tr(c) for c in COLUMNS], table))
        self.leak.setText(leak_text(self, hl.biggest_leak(rows)))
        self.slow.setText(slow_text(self, hl.slowest_stage(rows)))
        self.update_button.setEnabled(bool(hl.measured_design(rows)))

    def update_design(self) -> DesignDialog | None:
        scope = self.scope()
        updates = hl.measured_design(self.rows)
        if scope is None or not updates:
            return None
        dialog = DesignDialog(updates, self)
        process_id = scope.process.id
        dialog.accepted.connect(lambda: self.apply(process_id, dialog.chosen()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def apply(self, process_id: int, updates: list[tuple[int, int | None, int | None]]) -> None:
        if not updates:
            return

        def op(s: Services) -> Revision:
            return s.health.update_design(process_id, updates)

        run_op(self.host, self, self.tr("Update design from measurements"), op)


class DesignDialog(QDialog):
    """The measured figures proposed as the design, one checkable line per stage."""

    def __init__(self, updates: list[hl.DesignUpdate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Update design from measurements"))
        self.updates = updates
        intro = QLabel(
            self.tr(
                "Expected days become the 80th percentile of completed stays (so about one "
                "stay in five counts as stalled); target conversions become the measured ones. "
                "Only figures resting on enough observations are offered. Undo with Ctrl+Z."
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        for u in updates:
            parts = []
            if u.expected_days is not None:
                old, new = u.expected_days
                parts.append(self.tr("expected days {0} → {1}").format(_or_dash(old), new))
            if u.target_conversion is not None:
                old, new = u.target_conversion
                parts.append(self.tr("target conversion {0} % → {1} %").format(_or_dash(old), new))
            item = QListWidgetItem(f"{u.stage}: " + "; ".join(parts))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Update design"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(560, 320)

    def chosen(self) -> list[tuple[int, int | None, int | None]]:
        out = []
        for i, u in enumerate(self.updates):
            if self.list.item(i).checkState() is Qt.CheckState.Checked:
                days = None if u.expected_days is None else u.expected_days[1]
                pct = None if u.target_conversion is None else u.target_conversion[1]
                out.append((u.stage_id, days, pct))
        return out


def leak_text(w: QWidget, leak: hl.StageHealth | None) -> str:
    """The biggest leak in a sentence (translated through ``w``)."""
    if leak is None:
        return w.tr("No stage converts measurably below its design.")
    return w.tr(
        "{0} → {1} converts {2} ({3} of {4}) against a designed {5}: the biggest leak."
    ).format(
        leak.stage,
        leak.next_stage,
        hl.percent(leak.conversion),
        leak.advanced,
        leak.entered,
        hl.percent(leak.target_conversion),
    )


def slow_text(w: QWidget, slow: hl.StageHealth | None) -> str:
    if slow is None:
        return w.tr("Every stage's median stay is within its expected days.")
    return w.tr(
        "{0} takes a median {1} days (80 % within {2}) against {3} expected: the slowest stage."
    ).format(slow.stage, hl.days_text(slow.median_days), slow.p80_days, slow.expected_days)


def _or_dash(value: int | None) -> str:
    return "–" if value is None else str(value)
