"""Activity list panel (Log tab): filters, the lazy SQL-backed table, and edit/delete/done."""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.activities import ActivityColumn, ActivityFilter
from ...domain.changes import Changes
from ...domain.models import ActivityStatus, ActivityType, Person, Process
from ...services.container import Services
from ..kit.cell_text import KeptTextDelegate
from ..kit.form_dialog import ask
from ..kit.ops import Op, run_op
from ..kit.rows_model import KeepPlace
from ..kit.stale import Stale
from ..kit.tables import paint_cells_in_cpp
from ..plain_text import plain_label
from ..wording import counted
from .activity_model import ActivityTableModel
from .dialogs import Host, open_activity

WIDTHS = {
    ActivityColumn.DATE: 130,
    ActivityColumn.TYPE: 110,
    ActivityColumn.PERSON: 130,
    ActivityColumn.ACCOUNT: 210,
    ActivityColumn.ENGAGEMENT: 200,
    ActivityColumn.PROCESS: 130,
    ActivityColumn.OUTCOME: 180,
    ActivityColumn.STATUS: 80,
}


def combo(all_label: str) -> QComboBox:
    box = QComboBox()
    box.addItem(all_label, None)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(10)
    return box


def refill(box: QComboBox, items: list[tuple[str, object]]) -> None:
    """Replace all but the first ("all") entry, keeping the current choice when it remains."""
    current = box.currentData()
    box.blockSignals(True)
    while box.count() > 1:
        box.removeItem(1)
    for label, value in items:
        box.addItem(label, value)
    box.setCurrentIndex(max(box.findData(current), 0))
    box.blockSignals(False)


def activity_table(model: ActivityTableModel) -> QTableView:
    """The table over an activity model: its busy bar, and its place kept across reloads."""
    table = QTableView()
    paint_cells_in_cpp(table)
    table.setModel(model)
    table.setItemDelegate(KeptTextDelegate(table, model.cell_text))
    model.busy = table
    KeepPlace(table, model)
    table.setSortingEnabled(True)
    table.horizontalHeader().setSortIndicator(ActivityColumn.DATE, Qt.SortOrder.DescendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for col, width in WIDTHS.items():
        header.resizeSection(col, width)
    header.setSectionResizeMode(ActivityColumn.OUTCOME, QHeaderView.ResizeMode.Stretch)
    return table


def tool_button(action: QAction) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


class ActivityActions:
    """Edit / delete / mark done on the selected rows of an activity table."""

    def __init__(self, host: Host, table: QTableView, model: ActivityTableModel) -> None:
        self.host = host
        self.table = table
        self.model = model
        parent = table
        self.edit = QAction(parent.tr("&Edit…"), parent)
        self.edit.setToolTip(parent.tr("Open the activity (Enter or double-click)"))
        self.delete = QAction(parent.tr("&Delete"), parent)
        self.delete.setShortcut(QKeySequence.StandardKey.Delete)
        self.done = QAction(parent.tr("Mark &done"), parent)
        self.done.setShortcut(QKeySequence("Ctrl+D"))
        for action in (self.edit, self.delete, self.done):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            table.addAction(action)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.edit.triggered.connect(self.open_current)
        self.delete.triggered.connect(self.delete_selected)
        self.done.triggered.connect(self.mark_done)
        # Enter and double-click both "activate" a row.
        table.activated.connect(lambda _index: self.open_current())
        table.selectionModel().selectionChanged.connect(self.update)
        model.modelReset.connect(self.update)
        self.update()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return self.model.ids(rows)

    def update(self, *_args: object) -> None:
        ids = self.table.selectionModel().selectedRows()
        self.edit.setEnabled(len(ids) == 1)
        self.delete.setEnabled(bool(ids))
        self.done.setEnabled(bool(ids))

    def open_current(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            open_activity(self.host, ids[0], self.table.window())

    def _run(self, text: str, op: Op) -> None:
        run_op(self.host, self.table.window(), text, op)

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        if len(ids) > 1:
            answer = QMessageBox.question(
                self.table.window(),
                self.table.tr("Delete activities"),
                self.table.tr("Delete {0} activities? Ctrl+Z undoes it.").format(len(ids)),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        text = (
            self.table.tr("Delete {0} activities").format(len(ids))
            if len(ids) > 1
            else (self.table.tr("Delete activity"))
        )
        self._run(text, lambda s: s.activities.delete(ids))

    def mark_done(self) -> None:
        """Asks what came of it, and confirms, before planned work is marked done."""
        ids = self.selected_ids()
        if not ids:
            return
        from .dialogs import MarkDoneDialog

        first = self.model.row(self.table.selectionModel().selectedRows()[0].row())
        what = f"{first.type_name} — {first.account_name}" if first else ""
        dialog = MarkDoneDialog(len(ids), what, self.table.window())
        if not ask(dialog):
            return
        outcome = dialog.outcome_text() or None
        self._run(
            self.table.tr("Mark done"),
            lambda s: s.activities.mark_done(ids, outcome=outcome),
        )


class CountLabel(QLabel):
    """A label for a figure that changes on every write, sized once for the widest figure.

    A label whose size hint changes asks its parents to lay out again, and the tab widget
    answers that by repainting the whole tab (filters, table, buttons): a fixed size keeps a
    new count to a repaint of the label itself.
    """

    def __init__(self, widest: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._widest = widest
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()

    def _fit(self) -> None:
        metrics = self.fontMetrics()
        margins = self.contentsMargins()
        self.setFixedSize(
            metrics.horizontalAdvance(self._widest) + margins.left() + margins.right() + 8,
            metrics.height() + margins.top() + margins.bottom() + 4,
        )


class ActivityListPanel(QWidget):
    """Every activity in the workspace, filtered and sorted in SQL, loaded a page at a time."""

    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search accounts, outcomes and notes…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(230)
        self.person = combo(self.tr("Everyone"))
        self.process = combo(self.tr("All processes"))
        self.type = combo(self.tr("All types"))
        self.status = combo(self.tr("Any status"))
        self.status.addItem(self.tr("Done"), ActivityStatus.DONE.value)
        self.status.addItem(self.tr("Planned"), ActivityStatus.PLANNED.value)
        # The log shows work done; planned work has its own Due tab.
        self.status.setCurrentIndex(1)
        self.use_dates = QCheckBox(self.tr("From"))
        self.date_from = QDateEdit(QDate.currentDate().addMonths(-1))
        self.date_to = QDateEdit(QDate.currentDate())
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)
        bar.addWidget(self.search, 2)
        for w in (self.person, self.process, self.type, self.status):
            bar.addWidget(w)
        bar.addWidget(self.use_dates)
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel(self.tr("to")))
        bar.addWidget(self.date_to)
        layout.addLayout(bar)

        self.model = ActivityTableModel(host.ops, self, self.current_filter())
        self.table = activity_table(self.model)
        # An empty list says what to do next instead of showing bare headers.
        self.empty_state = plain_label()
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_state.setWordWrap(True)
        self.empty_state.setStyleSheet("color: palette(placeholder-text); font-size: 11pt;")
        self.views = QStackedWidget()
        self.views.addWidget(self.table)
        self.views.addWidget(self.empty_state)
        layout.addWidget(self.views, 1)
        self.activity_actions = ActivityActions(host, self.table, self.model)
        foot = QHBoxLayout()
        self.count_label = CountLabel(self.tr("{0} activities").format("0,000,000,000"))
        foot.addWidget(self.count_label)
        foot.addStretch(1)
        for action in (
            self.activity_actions.done,
            self.activity_actions.edit,
            self.activity_actions.delete,
        ):
            foot.addWidget(tool_button(action))
        self.log_button = QPushButton(self.tr("Log activity…"))
        self.log_button.setToolTip(self.tr("Open the quick log (Ctrl+L)"))
        self.log_button.clicked.connect(self._quick_log)
        foot.addWidget(self.log_button)
        layout.addLayout(foot)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        for box in (self.person, self.process, self.type, self.status):
            box.currentIndexChanged.connect(self.apply_filter)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.apply_filter)
        self.use_dates.toggled.connect(self.apply_filter)
        self.stale = Stale(self, self.model.follow)
        self.model.modelReset.connect(self._update_count)
        self.fill_pickers()
        self._update_count()

    def _quick_log(self) -> None:
        action = getattr(self.window(), "quick_log_action", None)
        if action is not None:
            action.trigger()

    def fill_pickers(self) -> None:
        """From the lists read as the workspace opened while they hold (start-up), else read
        here."""
        ahead = self.host.read_ahead
        if ahead is None:
            self._fill_pickers(self._pickers(self.host.services))
        else:
            self._fill_pickers(self._labels(ahead.everyone, ahead.processes, ahead.activity_types))

    def refill_pickers(self) -> None:
        """After a change: the lists read on the reader thread (3 reads, 20-40 ms on the GUI
        thread right as an import's wizard closes), the pickers filled from the answer."""
        self.host.ops.read(self, "pickers", self._pickers, self._fill_pickers)

    @classmethod
    def _pickers(cls, services: Services) -> tuple[list[tuple[str, object]], ...]:
        return cls._labels(
            services.people.people(include_inactive=True),
            services.processes.processes(),
            services.activities.activity_types(),
        )

    @staticmethod
    def _labels(
        people: list[Person], processes: list[Process], types: list[ActivityType]
    ) -> tuple[list[tuple[str, object]], ...]:
        return (
            [(p.name, p.id) for p in people],
            [(f"{p.name} ({p.kind.label})", p.id) for p in processes],
            [(f"{t.name} ({t.kind.label})", t.id) for t in types],
        )

    def _fill_pickers(self, lists: tuple[list[tuple[str, object]], ...]) -> None:
        for box, items in zip((self.person, self.process, self.type), lists, strict=True):
            refill(box, items)

    def current_filter(self) -> ActivityFilter:
        status = self.status.currentData()
        use_dates = self.use_dates.isChecked()
        return ActivityFilter(
            person_id=self.person.currentData(),
            process_id=self.process.currentData(),
            type_id=self.type.currentData(),
            status=ActivityStatus(status) if status else None,
            date_from=self.date_from.date().toPython() if use_dates else None,  # type: ignore[arg-type]
            date_to=self.date_to.date().toPython() if use_dates else None,  # type: ignore[arg-type]
            text=self.search.text(),
        )

    def apply_filter(self) -> None:
        flt = self.current_filter()
        if flt != self.model.filter:
            self.stale.clear()  # the new filter is counted afresh
        self.model.set_filter(flt)

    def _update_count(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(counted(n, self.tr("{0} activity"), self.tr("{0} activities")))
        if n == 0:
            flt = self.model.filter
            narrowed = any(
                (flt.text, flt.person_id, flt.process_id, flt.type_id, flt.date_from, flt.date_to)
            )
            self.empty_state.setText(
                self.tr(
                    "No activity matches these filters.\nClear the search or the filters, or "
                    "log one with Ctrl+L."
                )
                if narrowed
                else self.tr(
                    "Nothing logged yet.\nPress Ctrl+L to log a call, a meeting or an email: "
                    "it shows here, and in the Monitor's figures."
                )
            )
        self.views.setCurrentIndex(1 if n == 0 and not self.model.loading else 0)

    def refresh(self) -> None:
        """Count and read again from scratch (in the background)."""
        self.stale.clear()
        self.model.reload()

    def on_changes(self, changes: Changes) -> None:
        """A write: the list follows it now if shown (its read starts at once, while the
        window repaints what the write changed, not a turn later), else when next shown."""
        self.stale.mark(changes)
        if self.isVisible():
            self.stale.flush()
