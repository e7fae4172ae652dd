"""Drill-down: the engagements or activities behind a bar, and one engagement opened."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.activities import ActivityListRow
from ...domain.models import format_money
from ...services.container import Services
from ...services.scorecards import EngagementDetail, EngagementLine
from ..kit.ops import Host
from ..kit.tables import paint_cells_in_cpp
from ..plain_text import plain_label, rich
from ..wording import counted, long_day_text, moment_text
from .tables import EngagementModel, ValuesModel

ROWS_MEASURED = 20


def configure_table(view: QTableView) -> None:
    """A read-only, whole-row table over the model it has (set it first), its columns fitted to
    their contents whenever new rows come."""
    paint_cells_in_cpp(view)  # (opening the at-risk list: 30-85 ms in the style's Python)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    # Fitted once per new set of rows, not at every layout (a header resizing to contents
    # measured the cells again at each: opening the at-risk list, 25-35 ms, now 16-20). The
    # rows on screen and the next ROWS_MEASURED are measured: Qt's default, 1000 rows with each
    # cell asked of the Python model, held the GUI thread for seconds over a large list.
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setResizeContentsPrecision(ROWS_MEASURED)
    header.setStretchLastSection(True)
    model = view.model()
    if model is None:
        raise ValueError("configure_table: set the view's model first")
    model.modelReset.connect(view.resizeColumnsToContents)
    model.layoutChanged.connect(view.resizeColumnsToContents)
    view.resizeColumnsToContents()


class EngagementDialog(QDialog):
    """One engagement: its facts and its stage history, read-only (``d`` read on the reader
    thread by :func:`open_engagement`)."""

    def __init__(self, d: EngagementDetail, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(d.name)
        self.resize(620, 480)
        form = QFormLayout()
        form.addRow(self.tr("Process"), plain_label(d.process))
        form.addRow(self.tr("Account"), plain_label(d.account or "–"))
        form.addRow(self.tr("Owner"), plain_label(d.owner or "–"))
        form.addRow(self.tr("Stage"), plain_label(d.stage))
        form.addRow(self.tr("Value"), QLabel(format_money(d.value_minor, currency)))
        form.addRow(self.tr("Opened"), QLabel(long_day_text(d.opened_on) if d.opened_on else "–"))
        if d.closed_on:
            outcome = (d.outcome or "").capitalize()
            reason = f" — {d.lost_reason}" if d.lost_reason else ""
            form.addRow(
                self.tr("Closed"), plain_label(f"{outcome} {long_day_text(d.closed_on)}{reason}")
            )
        if d.notes:
            notes = plain_label(d.notes)
            notes.setWordWrap(True)
            form.addRow(self.tr("Notes"), notes)
        self.history = ValuesModel(
            [self.tr("When"), self.tr("From"), self.tr("To"), self.tr("By")],
            [
                [
                    moment_text(h.at) if h.known else self.tr("(date unknown)"),
                    h.from_stage or "–",
                    h.to_stage,
                    h.person,
                ]
                for h in d.history
            ],
        )
        view = QTableView()
        view.setModel(self.history)
        configure_table(view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Stage history")))
        layout.addWidget(view, 1)
        layout.addWidget(buttons)


class DrillDownDialog(QDialog):
    """A list of engagements or activities behind a chart bar; double-click opens an engagement.

    It opens at once, saying it is loading; ``rows`` reads the list on the reader thread.
    """

    def __init__(
        self,
        host: Host,
        title: str,
        rows: Callable[[Services], Sequence[EngagementLine] | Sequence[ActivityListRow]],
        activities: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.host, self.services = host, host.services
        self.title = title
        self.setWindowTitle(title)
        self.resize(900, 460)
        self.view = QTableView()
        self.model: EngagementModel | ValuesModel
        self._headers = [
            self.tr("When"),
            self.tr("Type"),
            self.tr("Person"),
            self.tr("Account"),
            self.tr("Engagement"),
            self.tr("Outcome"),
        ]
        if activities:
            self.model = ValuesModel(self._headers)
        else:
            self.model = EngagementModel(self.services.workspace.settings().currency)
            self.view.doubleClicked.connect(self.open_engagement)
        self.view.setModel(self.model)
        configure_table(self.view)
        self.view.setSortingEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.head = QLabel()
        self.head.setTextFormat(Qt.TextFormat.RichText)
        self._head(self.tr("Loading…"))
        layout.addWidget(self.head)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        host.ops.read(self, "rows", rows, self._show, busy=self.view)

    def _head(self, line: str) -> None:
        self.head.setText(f"<b>{rich(self.title)}</b><br>{rich(line)}")

    def _show(self, rows: Sequence[Any]) -> None:
        if isinstance(self.model, EngagementModel):
            self.model.set_rows(rows)
            self._head(
                counted(
                    len(rows),
                    self.tr("{0} engagement — double-click it to open it"),
                    self.tr("{0} engagements — double-click one to open it"),
                )
            )
            return
        self.model.set_rows(
            [
                [
                    moment_text(a.occurred_at),
                    a.type_name,
                    a.person_name,
                    a.account_name,
                    a.engagement_name,
                    a.outcome,
                ]
                for a in rows
            ],
            self._headers,
        )
        self._head(counted(len(rows), self.tr("{0} activity"), self.tr("{0} activities")))

    def open_engagement(self, index: QModelIndex) -> None:
        if isinstance(self.model, EngagementModel) and index.isValid():
            open_engagement(self.host, self.model.row(index.row()).id, self)


def open_engagement(host: Host, engagement_id: int, parent: QWidget) -> None:
    """Read the engagement on the reader thread, then show it (a newer double-click on the
    same parent wins)."""

    def read(services: Services) -> tuple[EngagementDetail, str]:
        return services.scorecards.engagement_detail(engagement_id), (
            services.workspace.settings().currency
        )

    def show(answer: tuple[EngagementDetail, str]) -> None:
        dialog = EngagementDialog(*answer, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    host.ops.read(parent, "engagement", read, show)
