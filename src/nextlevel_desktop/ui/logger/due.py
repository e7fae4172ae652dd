"""Due tab: planned activities of one person (or everyone): overdue, today and the next
seven days."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...domain.activities import ActivityColumn, ActivityFilter
from ...domain.changes import Changes
from ...domain.models import ActivityStatus
from ..kit.form_dialog import ask
from ..kit.ops import run_op
from ..kit.stale import Stale
from ..plain_text import plain_label
from ..wording import counted
from .activity_form import from_utc
from .activity_list import ActivityActions, activity_table, tool_button
from .activity_model import ActivityTableModel
from .dialogs import Host, RescheduleDialog, me_of

UPCOMING_DAYS = 7


class DuePanel(QWidget):
    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.title = plain_label()
        self.title.setStyleSheet("font-size: 12pt; font-weight: 600;")
        bar.addWidget(self.title, 1)
        label = QLabel(self.tr("&For:"))
        self.person = QComboBox()
        self.person.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        label.setBuddy(self.person)
        bar.addWidget(label)
        bar.addWidget(self.person)
        layout.addLayout(bar)
        self.fill_people()
        self.model = ActivityTableModel(host.ops, self, self.current_filter())
        self.model.sort(ActivityColumn.DATE, Qt.SortOrder.AscendingOrder)
        self.table = activity_table(self.model)
        self.table.horizontalHeader().setSortIndicator(
            ActivityColumn.DATE, Qt.SortOrder.AscendingOrder
        )
        self.table.setColumnHidden(ActivityColumn.STATUS, True)
        layout.addWidget(self.table, 1)
        self.activity_actions = ActivityActions(host, self.table, self.model)
        self.reschedule = QAction(self.tr("&Reschedule…"), self)
        self.reschedule.setShortcut(QKeySequence("Ctrl+R"))
        self.reschedule.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.reschedule.triggered.connect(self.reschedule_selected)
        self.table.addAction(self.reschedule)
        self.table.selectionModel().selectionChanged.connect(self._update)
        self.model.modelReset.connect(self._update)
        self.model.modelReset.connect(self._show_count)
        foot = QHBoxLayout()
        self.empty = QLabel()
        foot.addWidget(self.empty, 1)
        for action in (
            self.activity_actions.done,
            self.reschedule,
            self.activity_actions.edit,
            self.activity_actions.delete,
        ):
            foot.addWidget(tool_button(action))
        layout.addLayout(foot)
        self.person.currentIndexChanged.connect(lambda _index: self.refresh())
        self.stale = Stale(self, self.refresh)
        self._show_count()

    def fill_people(self) -> None:
        keep = (
            self.person.currentData()
            if self.person.count()
            else me_of(self.host.services, self.host.settings)
        )
        self.person.blockSignals(True)
        self.person.clear()
        self.person.addItem(self.tr("Everyone"), None)
        for p in self.host.services.people.people():
            self.person.addItem(p.name, p.id)
        self.person.setCurrentIndex(max(self.person.findData(keep), 0))
        self.person.blockSignals(False)

    def _update(self, *_args: object) -> None:
        self.reschedule.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def current_filter(self) -> ActivityFilter:
        return ActivityFilter(
            person_id=self.person.currentData(),
            status=ActivityStatus.PLANNED,
            date_to=date.today() + timedelta(days=UPCOMING_DAYS),
        )

    def refresh(self, changes: Changes = Changes.everything()) -> None:  # noqa: B008 - frozen
        """Count and read again (in the background), following ``changes``: a new day moves
        what is due on, and the list may be someone else's."""
        self.stale.clear()
        flt = self.current_filter()
        if flt != self.model.filter:
            self.model.set_filter(flt)
        else:
            self.model.follow(changes)

    def on_changes(self, changes: Changes) -> None:
        """A write: the list follows it now if shown, else when next shown."""
        self.stale.mark(changes)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.current_filter() != self.model.filter:  # a new day: what is due moved on
            self.refresh()

    def _show_count(self) -> None:
        n = self.model.rowCount()
        self.title.setText(
            counted(
                n,
                self.tr("{0} planned activity: overdue, today and the next 7 days"),
                self.tr("{0} planned activities: overdue, today and the next 7 days"),
            )
        )
        self.empty.setText(
            self.tr(
                "Nothing planned for the next 7 days. Plan next steps from the quick log "
                "(Ctrl+L): tick “Plan next activity”."
            )
            if n == 0
            else self.tr("Overdue activities are shown in red. Ctrl+D marks one done.")
        )

    def reschedule_selected(self) -> None:
        ids = self.activity_actions.selected_ids()
        if not ids:
            return
        first = self.model.row(self.table.selectionModel().selectedRows()[0].row())
        due = from_utc(first.occurred_at) if first else QDateTime.currentDateTime()
        dialog = RescheduleDialog(due, self)
        if not ask(dialog):
            return
        due_at = dialog.due_at()
        run_op(
            self.host, self, self.tr("Reschedule"), lambda s: s.activities.reschedule(ids, due_at)
        )
