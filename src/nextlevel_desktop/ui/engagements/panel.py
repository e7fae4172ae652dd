"""Pipeline tab: per process, a kanban board and a sortable list; move, close, reopen, edit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.changes import Changes
from ...domain.engagements import EngagementColumn, is_forward
from ...domain.errors import NotFoundError
from ...domain.models import Engagement, Outcome, Process, format_money
from ...services.container import Services
from ...services.revisions import Revision
from ..kit.form_dialog import ask
from ..kit.ops import Op, run_op
from ..kit.stale import Stale
from ..kit.tables import paint_cells_in_cpp
from ..lifetime import clear_menu
from ..logger.dialogs import Host, me_of
from ..plain_text import plain_label
from ..wording import counted, number
from .board import MAX_CARDS, Board, Column, board_columns
from .dialogs import CloseDialog, EngagementDialog, MoveDialog
from .list_model import EngagementTableModel, ListTable, list_table


@dataclass(frozen=True)
class Pipeline:
    """One process's engagements as read for the board or the list (the one shown)."""

    currency: str
    table: ListTable | None  # the list's
    columns: list[Column]  # the board's
    open_count: int
    open_value: int
    stalled: int


def _button(action: QAction) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


class PipelinePanel(QWidget):
    """The pipeline of one process, as a board or a list, with the actions on engagements."""

    openAccount = Signal(int)  # account id
    logActivity = Signal(int, int)  # account id (0: none), engagement id

    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.processes: list[Process] = []
        self._chosen: Engagement | None = None  # the list's selected row, as last read
        self._loading = False  # a read of the rows is under way
        self._select: int | None = None  # to select once they have been read
        self.stale = Stale(self, lambda _changes: self.reload())
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.process = QComboBox()
        self.process.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.board_button = QToolButton()
        self.board_button.setText(self.tr("&Board"))
        self.list_button = QToolButton()
        self.list_button.setText(self.tr("Li&st"))
        self.view_group = QButtonGroup(self)
        for i, b in enumerate((self.board_button, self.list_button)):
            b.setCheckable(True)
            self.view_group.addButton(b, i)
        self.board_button.setChecked(True)
        self.owner = QComboBox()
        self.owner.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Filter by name or account…"))
        self.search.setClearButtonEnabled(True)
        self.show_closed = QCheckBox(self.tr("Show c&losed"))
        for w in (self.process, self.board_button, self.list_button, self.owner):
            bar.addWidget(w)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.show_closed)
        layout.addLayout(bar)

        acts = QHBoxLayout()
        self.summary = QLabel()
        acts.addWidget(self.summary, 1)
        self.new_action = self._action(self.tr("&New…"), self.new_engagement, "Ctrl+Shift+N")
        self.move_action = self._action(self.tr("&Move to"), lambda: None)
        self.move_menu = QMenu(self)
        self.move_action.setMenu(self.move_menu)
        self.won_action = self._action(
            self.tr("&Won…"), lambda: self.close_current(Outcome.WON), "Ctrl+Shift+W"
        )
        self.lost_action = self._action(
            self.tr("Los&t…"), lambda: self.close_current(Outcome.LOST), "Ctrl+Shift+L"
        )
        self.reopen_action = self._action(self.tr("&Reopen…"), self.reopen_current)
        self.edit_action = self._action(self.tr("&Edit…"), self.edit_current, "Ctrl+E")
        self.reasons_action = self._action(self.tr("Reasons…"), self.edit_reasons)
        self.reasons_action.setToolTip(self.tr("Edit the list of reasons for losing"))
        self.next_action = self._action(
            self.tr("Move to next stage"), lambda: self.step(1), "Ctrl+Shift+Right"
        )
        self.previous_action = self._action(
            self.tr("Move to previous stage"), lambda: self.step(-1), "Ctrl+Shift+Left"
        )
        self.log_action = self._action(self.tr("&Log activity…"), self.log_for_current)
        self.account_action = self._action(self.tr("Open &account"), self.open_current_account)
        # Right-click on a card or a row: what the toolbar does, for that engagement.
        self.card_menu = QMenu(self)
        for action in (self.move_action, self.won_action, self.lost_action, self.reopen_action):
            self.card_menu.addAction(action)
        self.card_menu.addSeparator()
        for action in (self.edit_action, self.log_action, self.account_action):
            self.card_menu.addAction(action)
        for action in (
            self.new_action,
            self.move_action,
            self.won_action,
            self.lost_action,
            self.reopen_action,
            self.edit_action,
            self.reasons_action,
        ):
            button = _button(action)
            if action is self.move_action:
                button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            acts.addWidget(button)
        layout.addLayout(acts)

        self.stack = QStackedWidget()
        self.board = Board()
        self.model = EngagementTableModel(self)
        self.model.sorter = self.reload  # sorted on the reader thread
        self.table = QTableView()
        paint_cells_in_cpp(self.table)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(EngagementColumn.DAYS, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in (
            (EngagementColumn.NAME, 230),
            (EngagementColumn.ACCOUNT, 200),
            (EngagementColumn.STAGE, 130),
            (EngagementColumn.VALUE, 110),
            (EngagementColumn.OWNER, 130),
        ):
            self.table.horizontalHeader().resizeSection(col, width)
        self.stack.addWidget(self.board)
        self.stack.addWidget(self.table)
        layout.addWidget(self.stack, 1)
        self.status = plain_label()  # quotes engagement and stage names
        layout.addWidget(self.status)

        self.board.moveRequested.connect(self.move_to)
        self.board.currentChanged.connect(lambda _e: self._update_actions())
        self.board.activated.connect(lambda _e: self.edit_current())
        self.board.menuRequested.connect(self.card_menu.popup)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.table.activated.connect(lambda _i: self.edit_current())
        self.view_group.idClicked.connect(self._set_view)
        self.process.currentIndexChanged.connect(self.reload)
        self.owner.currentIndexChanged.connect(self.reload)
        self.show_closed.toggled.connect(self.reload)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(self._debounce.start)
        self.fill_pickers()
        self._set_view(0)

    def _action(
        self, text: str, slot: Callable[[], object], shortcut: str | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{text.replace('&', '').rstrip('…')} ({shortcut})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # Data ---------------------------------------------------------------------------------
    def fill_pickers(self) -> None:
        self.processes = self.host.services.processes.processes()
        keep = self.process.currentData()
        self.process.blockSignals(True)
        self.process.clear()
        for p in self.processes:
            self.process.addItem(f"{p.name} ({p.kind.label})", p.id)
        self.process.setCurrentIndex(max(self.process.findData(keep), 0))
        self.process.blockSignals(False)
        keep = self.owner.currentData()
        self.owner.blockSignals(True)
        self.owner.clear()
        self.owner.addItem(self.tr("All owners"), None)
        for person in self.host.services.people.people():
            self.owner.addItem(person.name, person.id)
        self.owner.setCurrentIndex(max(self.owner.findData(keep), 0))
        self.owner.blockSignals(False)
        self.reload()

    def current_process(self) -> Process | None:
        pid = self.process.currentData()
        return next((p for p in self.processes if p.id == pid), None)

    def select_process(self, process_id: int) -> None:
        self.process.setCurrentIndex(max(self.process.findData(process_id), 0))

    def reload(self, *_signal: object) -> None:
        """Read the process's engagements again on the reader thread (the busy bar shows if
        that is slow); the board or the list shows them when the answer comes."""
        # A hidden board is only marked stale: building hundreds of cards for a tab nobody
        # looks at would slow start-up and every write; it reloads when shown.
        if not self.isVisible():
            self.stale.mark(Changes(engagements=True))
            return
        self.stale.clear()
        process = self.current_process()
        if process is None:
            return
        list_view = self.stack.currentIndex() == 1
        self.show_closed.setVisible(list_view)
        closed = list_view and self.show_closed.isChecked()
        owner, text, today = self.owner.currentData(), self.search.text(), date.today()
        header = self.table.horizontalHeader()
        sort = header.sortIndicatorSection(), header.sortIndicatorOrder()
        stages, words = {s.id: s for s in process.stages}, self.model.words()

        def read(s: Services) -> Pipeline:
            # Done here, on the reader thread: the open figures, and the board's columns (each
            # one's oldest cards), from the board's index; or every row of the list, sorted and
            # written as lines, one engagement at a time. The GUI thread shows only the view on
            # screen, and never holds (or frees) tens of thousands of objects.
            currency = s.workspace.settings().currency
            board = s.engagements.board(process, today, 0 if list_view else MAX_CARDS, owner, text)
            figures = board.count, board.value_minor, board.stalled
            if not list_view:
                return Pipeline(
                    currency, None, board_columns(process, board, today, currency), *figures
                )
            rows = s.engagements.each(process.id, not closed, owner_id=owner, text=text)
            table = list_table(rows, stages, currency, today, sort, words)
            return Pipeline(currency, table, [], *figures)

        def show(pipeline: Pipeline) -> None:
            self._loading = False
            self._show(process, closed, pipeline)

        self._loading = True
        self.host.ops.read(self, "engagements", read, show, busy=self.stack)

    def _show(self, process: Process, closed: bool, pipeline: Pipeline) -> None:
        kept = self.current() if self.stack.currentIndex() == 1 else None  # the board keeps its own
        currency, self._chosen = pipeline.currency, None
        if pipeline.table is None:
            self.board.show_columns(pipeline.columns, currency)
        else:
            old = [self.model.show(pipeline.table)]
            self.table.setColumnHidden(EngagementColumn.CLOSED, not closed)
            self.table.setColumnHidden(EngagementColumn.OUTCOME, not closed)
            # The list shown before may be tens of thousands of lines: let go of them there.
            self.host.ops.read(self, "let go", lambda _s: old.clear(), lambda _r: None)
        n, stalled = pipeline.open_count, pipeline.stalled
        open_text = (
            counted(n, self.tr("{0} open opportunity"), self.tr("{0} open opportunities"))
            if process.kind.value == "hunting"
            else counted(n, self.tr("{0} open account plan"), self.tr("{0} open account plans"))
        )
        self.summary.setText(
            self.tr("{0} · {1} · {2} stalled").format(
                open_text, format_money(pipeline.open_value, currency), number(stalled)
            )
            if n
            else self.tr(
                "{0}. New… (Ctrl+Shift+N) starts one, or choose “New …” as the engagement in the "
                "quick log (Ctrl+L)."
            ).format(open_text)
        )
        wanted, self._select = self._select or (kept.id if kept else None), None
        if wanted is not None:
            self.select(wanted)
        self._update_actions()

    def on_changes(self, changes: Changes) -> None:
        """A write: the pickers follow it at once (a short read), the board and list now if
        shown, else when next shown."""
        if changes.touches("processes", "stages", "people"):
            self.fill_pickers()
        elif changes.touches("engagements", "accounts", "settings"):
            self.stale.mark(changes)

    def _set_view(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        (self.board_button if index == 0 else self.list_button).setChecked(True)
        self.reload()

    def current(self) -> Engagement | None:
        if self.stack.currentIndex() == 0:
            return self.board.current()
        rows = self.table.selectionModel().selectedRows()
        engagement_id = self.model.id_at(rows[0].row()) if rows else None
        return None if engagement_id is None else self._engagement(engagement_id)

    def _engagement(self, engagement_id: int) -> Engagement | None:
        """The engagement of the board's current card, or of the list's row (one short read:
        the list holds only its text); ``None`` if it is gone."""
        card = self.board.current() if self.stack.currentIndex() == 0 else None  # else stale
        for eng in (card, self._chosen):
            if eng is not None and eng.id == engagement_id:
                return eng
        try:
            self._chosen = self.host.services.engagements.get(engagement_id)
        except NotFoundError:
            return None
        return self._chosen

    def show_engagement(self, engagement_id: int) -> None:
        """Switch to the engagement's process (and to the list if it is closed) and select it."""
        eng = self.host.services.engagements.get(engagement_id)
        self.select_process(eng.process_id)
        if eng.outcome is not None:
            self.show_closed.setChecked(True)
            self._set_view(1)
        self.select(engagement_id)

    def select(self, engagement_id: int) -> None:
        """Select the engagement on the board or in the list (once they are read, when a read
        is under way)."""
        if self._loading or self.stale.is_stale:
            self._select = engagement_id
        elif self.stack.currentIndex() == 0:
            self.board.select(engagement_id)
        else:
            row = self.model.row_of(engagement_id)
            if row >= 0:
                self.table.selectRow(row)

    def _update_actions(self) -> None:
        eng = self.current()
        is_open = eng is not None and eng.outcome is None
        for action in (self.move_action, self.won_action, self.lost_action):
            action.setEnabled(is_open)
        self.reopen_action.setEnabled(eng is not None and eng.outcome is not None)
        self.log_action.setEnabled(eng is not None)
        self.account_action.setEnabled(eng is not None and eng.account_id is not None)
        self.edit_action.setEnabled(eng is not None)
        self.next_action.setEnabled(is_open)
        self.previous_action.setEnabled(is_open)
        clear_menu(self.move_menu)  # a stage action here may be what moved it
        process = self.current_process()
        if is_open and process is not None and eng is not None:
            self.move_menu.addAction(self.next_action)
            self.move_menu.addAction(self.previous_action)
            self.move_menu.addSeparator()
            for stage in process.open_stages:
                if stage.id != eng.stage_id:
                    self.move_menu.addAction(stage.name, partial(self.move_to, eng.id, stage.id))

    # Actions ------------------------------------------------------------------------------
    def _table_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        self.card_menu.popup(self.table.viewport().mapToGlobal(pos))

    def log_for_current(self) -> None:
        """The quick log, ready for an activity on this engagement and its account."""
        eng = self.current()
        if eng is not None:
            self.logActivity.emit(eng.account_id or 0, eng.id)

    def open_current_account(self) -> None:
        eng = self.current()
        if eng is not None and eng.account_id is not None:
            self.openAccount.emit(eng.account_id)

    def _me(self) -> int | None:
        return me_of(self.host.services, self.host.settings)

    def move_to(self, engagement_id: int, stage_id: int) -> None:
        process = self.current_process()
        eng = self._engagement(engagement_id)
        if process is None or eng is None or eng.stage_id == stage_id:
            return
        stages = {s.id: s for s in process.stages}
        leaving, target = stages[eng.stage_id], stages[stage_id]
        note = ""
        if is_forward(leaving, target) and leaving.exit_criteria:
            dialog = MoveDialog(eng.name, leaving, target, self)
            if not ask(dialog):
                return
            note = dialog.note()
        me, name = self._me(), eng.name

        def done(_rev: object) -> None:
            self.status.setText(self.tr("{0} moved to {1}.").format(name, target.name))
            self.stale.flush()  # the board shows the move before the card is selected
            self.select(engagement_id)

        run_op(
            self.host,
            self,
            self.tr("Move to {0}").format(target.name),
            lambda s: s.engagements.move(engagement_id, stage_id, me, note),
            on_done=done,
        )

    def edit_reasons(self) -> None:
        process = self.current_process()
        if process is not None:
            from .reasons import ReasonsDialog

            ask(ReasonsDialog(self.host, process.kind, self))

    def step(self, direction: int) -> None:
        """Move the current engagement one open stage forward (+1) or back (-1)."""
        eng, process = self.current(), self.current_process()
        if eng is None or process is None or eng.outcome is not None:
            return
        ids = [s.id for s in process.open_stages]
        if eng.stage_id not in ids:
            return
        target = ids.index(eng.stage_id) + direction
        if 0 <= target < len(ids):
            self.move_to(eng.id, ids[target])
        else:
            message = (
                self.tr("{0} is already in the last open stage: close it as won or lost.")
                if direction > 0
                else self.tr("{0} is already in the first stage.")
            )
            self.status.setText(message.format(eng.name))

    def close_current(self, outcome: Outcome) -> None:
        eng, process = self.current(), self.current_process()
        if eng is None or process is None or eng.outcome is not None:
            return
        dialog = CloseDialog(self.host.services, eng, process, outcome, self)
        engagement_id, me, name, account = eng.id, self._me(), eng.name, eng.account_name

        def op() -> Op:
            reason, handover, note = dialog.lost_reason(), dialog.wants_handover(), dialog.note()
            return lambda s: s.engagements.close(
                engagement_id, outcome, me, reason, handover, note=note
            )

        def done(rev: Revision) -> None:
            text = self.tr("{0} closed as {1}.").format(name, outcome.value)
            if "handover" in rev.ids:
                text += " " + self.tr(
                    "Handed over to farming: an account plan started for {0}."
                ).format(account)
            self.status.setText(text)

        dialog.save_with(self.host, self.tr("Close as {0}").format(outcome.value), op, done)

    def reopen_current(self) -> None:
        eng, process = self.current(), self.current_process()
        if eng is None or process is None or eng.outcome is None:
            return
        names = [s.name for s in process.open_stages]
        history = self.host.services.engagements.history(eng.id)
        default = history[-1].from_stage if history else names[0]
        name, ok = QInputDialog.getItem(
            self,
            self.tr("Reopen"),
            self.tr("Reopen {0} in stage:").format(eng.name),
            names,
            max(names.index(default), 0) if default in names else 0,
            False,
        )
        if not ok:
            return
        stage_id = next(s.id for s in process.open_stages if s.name == name)
        engagement_id, me = eng.id, self._me()
        run_op(
            self.host,
            self,
            self.tr("Reopen"),
            lambda s: s.engagements.reopen(engagement_id, me, stage_id),
        )

    def edit_current(self) -> None:
        eng, process = self.current(), self.current_process()
        if eng is None or process is None:
            return
        dialog = EngagementDialog(self.host, process, eng, self._me(), self)
        engagement_id, me = eng.id, self._me()

        def op() -> Op:
            draft = dialog.draft()
            return lambda s: s.engagements.update(engagement_id, draft, me)

        dialog.save_with(self.host, self.tr("Edit {0}").format(eng.name), op)

    def new_engagement(self) -> None:
        process = self.current_process()
        if process is None:
            return
        dialog = EngagementDialog(self.host, process, None, self._me(), self)

        def op() -> Op:
            new, account_id, owner = dialog.new_engagement()
            return lambda s: s.engagements.create(new, account_id or 0, owner)

        def done(rev: Revision) -> None:
            self.stale.flush()  # the new card is on the board before it is selected
            self.select(rev.ids["engagement"])

        dialog.save_with(
            self.host, self.tr("New {0}").format(process.kind.engagement_label.lower()), op, done
        )
