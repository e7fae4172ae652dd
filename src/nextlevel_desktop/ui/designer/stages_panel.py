"""The stages of one process: the reorderable stage list, its buttons and the stage editor."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ValidationError
from ...domain.models import Process, ProcessKind, Stage, StageCategory
from ...domain.processes import StageSpec, unique_name
from ...services.container import Services
from ...services.revisions import Revision
from ..kit.form_dialog import dialog_buttons
from ..kit.tables import current_id, current_row, row_table, select_table_row
from ..lifetime import clear_menu
from ..plain_text import plain_label
from ..wording import counted
from .stage_editor import StageEditor
from .stage_model import StageColumn, StageTableModel
from .widgets import Edit


class MoveEngagementsDialog(QDialog):
    """Asks where the open engagements of a stage being archived should go."""

    def __init__(self, stage: Stage, count: int, choices: list[Stage], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Archive stage “{0}”").format(stage.name))
        layout = QVBoxLayout(self)
        text = plain_label(
            counted(
                count,
                self.tr("{0} open engagement is still in “{1}”."),
                self.tr("{0} open engagements are still in “{1}”."),
                stage.name,
            )
            + " "
            + self.tr("Choose the stage to move them to; each move is recorded as a stage change.")
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.target = QComboBox()
        for s in choices:
            self.target.addItem(s.name, s.id)
        # The stage before it is the natural home; fall back to the first choice.
        before = [s for s in choices if s.position < stage.position]
        if before:
            self.target.setCurrentIndex(choices.index(before[-1]))
        layout.addWidget(self.target)
        layout.addWidget(dialog_buttons(self, self.tr("Move and archive")))
        self.resize(420, self.sizeHint().height())

    @property
    def target_id(self) -> int:
        return int(self.target.currentData())


class StagesPanel(QWidget):
    """Stage list (drag-and-drop, Move up/down, Alt+Up/Alt+Down) beside the stage editor."""

    stageSelected = Signal(int)

    def __init__(
        self,
        services: Services,
        edit: Edit,
        me: Callable[[], int | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.edit = edit
        self._me = me
        self._process: Process | None = None
        self._next_stage: int | None = None  # where to go once the editor's save answers

        self.model = StageTableModel(self)
        self.model.stageMoved.connect(self._moved)
        # Queued: the rename refreshes the model, which must not happen while the in-place
        # editor is still committing its text.
        self.model.renameRequested.connect(self._rename, Qt.ConnectionType.QueuedConnection)
        self.table = row_table(self.model, StageColumn.EXIT_CRITERIA)
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.table.setDropIndicatorShown(True)
        self.table.setDragDropOverwriteMode(False)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        for text, keys, slot in (
            (self.tr("Move up"), "Alt+Up", lambda: self.move_selected(-1)),
            (self.tr("Move down"), "Alt+Down", lambda: self.move_selected(1)),
        ):
            action = QAction(text, self.table)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            self.table.addAction(action)

        self.add_button = self._button(self.tr("&Add stage"), self.add_stage)
        self.insert_button = self._button(self.tr("&Insert before"), self.insert_stage)
        self.up_button = self._button(self.tr("Move &up"), lambda: self.move_selected(-1))
        self.down_button = self._button(self.tr("Move do&wn"), lambda: self.move_selected(1))
        self.archive_button = self._button(self.tr("Ar&chive…"), self.archive_selected)
        self.add_button.setToolTip(self.tr("Add an open stage after the last open stage"))
        self.insert_button.setToolTip(self.tr("Insert a new stage before the selected one"))
        self.up_button.setToolTip(self.tr("Move the selected stage up (Alt+Up)"))
        self.down_button.setToolTip(self.tr("Move the selected stage down (Alt+Down)"))
        self.archive_button.setToolTip(
            self.tr(
                "Archive the selected stage. A stage no history refers to is removed; one that "
                "history refers to is kept, archived, so past measures stay true."
            )
        )
        self.restore_button = QToolButton()
        self.restore_button.setText(self.tr("Restore"))
        self.restore_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.restore_menu = QMenu(self.restore_button)
        self.restore_button.setMenu(self.restore_menu)
        self.restore_button.setToolTip(self.tr("Bring back an archived stage"))
        buttons = QHBoxLayout()
        for b in (
            self.add_button,
            self.insert_button,
            self.up_button,
            self.down_button,
            self.archive_button,
        ):
            buttons.addWidget(b)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 1)
        ll.addLayout(buttons)

        self.editor = StageEditor()
        self.editor.saveRequested.connect(self._save_stage)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        # On small screens the editor scrolls instead of squeezing its fields and messages.
        self.editor_scroll = QScrollArea()
        self.editor_scroll.setWidget(self.editor)
        self.editor_scroll.setWidgetResizable(True)
        self.editor_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.editor_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scrollbar = self.editor_scroll.verticalScrollBar().sizeHint().width()
        self.editor_scroll.setMinimumWidth(self.editor.minimumSizeHint().width() + scrollbar + 4)
        self.splitter.addWidget(self.editor_scroll)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._update_buttons()

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # Showing -----------------------------------------------------------------------------
    def set_process(self, process: Process | None) -> None:
        self._process = process
        current = current_id(self.table)
        self.model.set_rows(process.active_stages if process else [])
        farming = process is not None and process.kind.value == "farming"
        self.table.setColumnHidden(StageColumn.PROBABILITY, farming)
        row = self.model.row_of(current) if current is not None else None
        if row is None and self.model.rowCount() > 0:
            row = 0
        if row is not None:
            self.select_row(row)
        else:
            self._load_editor(None)
        self._fill_restore_menu()
        self._update_buttons()

    def select_row(self, row: int) -> None:
        select_table_row(self.table, row, StageColumn.NAME)
        # Unsaved edits are never thrown away here: leaving their stage saves them first.
        if not self.editor.dirty:
            self._load_editor(self.model.row(row))

    def select_stage(self, stage_id: int) -> None:
        row = self.model.row_of(stage_id)
        if row is not None:
            self.select_row(row)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        if current.isValid():
            stage = self.model.row(current.row())
            if self.editor.dirty and stage.id != self.editor.stage_id:
                # Leaving a stage saves its edits first (after this signal: saving refreshes
                # the model); invalid edits keep the user on that stage, with the messages.
                QTimer.singleShot(0, lambda sid=stage.id: self._save_then_select(sid))
                return
            if stage.id != self.editor.stage_id or not self.editor.dirty:
                self._load_editor(stage)
            self.stageSelected.emit(stage.id)

    def _save_then_select(self, stage_id: int) -> None:
        # Stay on the stage being saved (its edits still in the editor) until the save
        # answers: then go where the user asked, or stay with the problems shown.
        pending = self.editor.stage_id
        self._next_stage = stage_id
        self.editor.save()
        self._next_stage = None  # not taken: the form itself found a problem
        if pending is not None:
            self.select_stage(pending)

    def _load_editor(self, stage: Stage | None) -> None:
        if self._process is None:
            self.editor.load(None, ProcessKind.HUNTING, [])
            return
        others = [s.name for s in self._process.active_stages if stage is None or s.id != stage.id]
        fresh = stage
        if stage is not None:
            fresh = next((s for s in self._process.stages if s.id == stage.id), stage)
        self.editor.load(fresh, self._process.kind, others)

    def _update_buttons(self) -> None:
        row = current_row(self.table)
        has = row is not None and self._process is not None
        count = self.model.rowCount()
        self.add_button.setEnabled(self._process is not None)
        self.insert_button.setEnabled(has)
        self.up_button.setEnabled(has and row is not None and row > 0)
        self.down_button.setEnabled(has and row is not None and row < count - 1)
        self.archive_button.setEnabled(has)

    def _fill_restore_menu(self) -> None:
        clear_menu(self.restore_menu)  # a restore action here may be what refilled it
        archived = [s for s in self._process.stages if s.archived] if self._process else []
        for stage in archived:
            action = self.restore_menu.addAction(stage.name)
            action.triggered.connect(lambda _=False, s=stage: self.restore_stage(s))
        self.restore_button.setVisible(bool(archived))

    # Edits -------------------------------------------------------------------------------
    def _moved(self, stage_id: int, index: int) -> None:
        """The model moved a row (drag-and-drop, buttons or keys): save it, undoably."""
        name = self.model.row(index).name

        def invalid(exc: ValidationError) -> None:
            if self._process is not None:  # put the list back as it is stored
                self.set_process(self.services.processes.process(self._process.id))
            self.editor.show_problems(exc)

        self.edit(
            self.tr("Move stage “{0}”").format(name),
            lambda s: s.processes.move_stage(stage_id, index),
            on_invalid=invalid,
        )

    def move_selected(self, delta: int) -> None:
        row = current_row(self.table)
        if row is None:
            return
        stage_id = self.model.row(row).id
        if self.model.move(row, delta):
            self.select_stage(stage_id)
            self.table.setFocus()

    def _rename(self, stage_id: int, name: str) -> None:
        row = self.model.row_of(stage_id)
        if row is None:
            return
        old = self.model.row(row).name
        self.edit(
            self.tr("Rename stage “{0}”").format(old),
            lambda s: s.processes.rename_stage(stage_id, name),
        )

    def _save_stage(self, stage_id: int, spec: StageSpec) -> None:
        """Save the editor's stage; it keeps its edits (and stays "unsaved") until saved."""
        assert self._process is not None
        old = next(s for s in self._process.stages if s.id == stage_id)
        then, self._next_stage = self._next_stage, None

        def invalid(exc: ValidationError) -> None:
            self.select_stage(stage_id)
            self.editor.show_problems(exc)

        def done(_rev: Revision) -> None:
            if self.editor.stage_id == stage_id:
                self.editor.set_dirty(False)
            self.select_stage(then if then is not None else stage_id)  # loads it afresh

        self.edit(
            self.tr("Edit stage “{0}”").format(old.name),
            lambda s: s.processes.update_stage(stage_id, spec),
            on_invalid=invalid,
            on_done=done,
        )

    def _new_stage(self, index: int | None) -> None:
        if self._process is None:
            return
        names = [s.name for s in self._process.active_stages]
        spec = StageSpec(unique_name(self.tr("New stage"), names), StageCategory.OPEN)
        pid = self._process.id

        def done(rev: Revision) -> None:
            self.select_stage(rev.ids["stage"])
            self.editor.name.setFocus()
            self.editor.name.selectAll()

        self.edit(
            self.tr("Add stage “{0}”").format(spec.name),
            lambda s: s.processes.add_stage(pid, spec, index),
            on_done=done,
        )

    def add_stage(self) -> None:
        self._new_stage(None)

    def insert_stage(self) -> None:
        row = current_row(self.table)
        if row is not None:
            self._new_stage(row)

    def archive_selected(self) -> None:
        row = current_row(self.table)
        if row is None or self._process is None:
            return
        stage = self.model.row(row)
        move_to: int | None = None
        count = self.services.processes.open_engagement_count(stage.id)
        if count:
            choices = [s for s in self._process.active_stages if s.id != stage.id]
            dialog = MoveEngagementsDialog(stage, count, choices, self)
            if not dialog.exec():
                return
            move_to = dialog.target_id
        me, stage_id = self._me(), stage.id
        self.edit(
            self.tr("Archive stage “{0}”").format(stage.name),
            lambda s: s.processes.remove_stage(stage_id, move_to, me),
        )

    def restore_stage(self, stage: Stage) -> None:
        index = len(self._process.open_stages) if self._process else None
        stage_id = stage.id
        self.edit(
            self.tr("Restore stage “{0}”").format(stage.name),
            lambda s: s.processes.unarchive_stage(stage_id, index),
            on_done=lambda _rev: self.select_stage(stage_id),
        )
