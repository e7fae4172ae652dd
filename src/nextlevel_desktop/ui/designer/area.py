"""Designer area: the process map over the process list, process details, and the stages,
targets and activity types of the chosen process. Every edit is saved at once, on the
operation road, and undoable (undo reverts its recorded rows)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.changes import Changes
from ...domain.errors import NextLevelError, ValidationError
from ...domain.models import Process, ProcessKind
from ...domain.processes import TEMPLATES, unique_name
from ...domain.text_rules import MAX_PURPOSE
from ...services.container import Services
from ...services.process_files import SUFFIX
from ...services.revisions import Revision
from ..area import Area
from ..kit.ops import Host, Op, run_op
from ..kit.stale import Stale
from ..kit.tables import current_id
from ..plain_text import plain_label
from .activity_types_panel import ActivityTypesPanel
from .process_map import GAP, ROW_H, ProcessMap
from .stages_panel import StagesPanel
from .targets_panel import TargetsPanel
from .widgets import error_label

FILE_FILTER = f"Next Level process (*{SUFFIX} *.json);;All files (*)"
ERROR_STYLE = (
    "QLabel { background: #fbe9e7; color: #8a1f11; border: 1px solid #e6a096;"
    " border-radius: 4px; padding: 6px; }"
)
INFO_STYLE = (
    "QLabel { background: #e8f1fb; color: #183b63; border: 1px solid #9bbbe0;"
    " border-radius: 4px; padding: 6px; }"
)
MAP_ROWS = 3  # process rows shown before the map scrolls
REFRESH_ON = ("processes", "stages", "people", "targets", "activity_types", "settings")


class DesignerArea(Area):
    def __init__(
        self,
        host: Host,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(host, parent)
        self._processes: list[Process] = []
        self._stale = Stale(self, lambda _changes: self.refresh())

        layout = QVBoxLayout(self)
        self.message = plain_label()  # messages quote process and stage names
        self.message.setObjectName("designerMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.map = ProcessMap()
        self.map.stageClicked.connect(self.select_stage)
        # Many processes scroll rather than squeeze the editors below.
        self.map_scroll = QScrollArea()
        self.map_scroll.setWidget(self.map)
        self.map_scroll.setWidgetResizable(True)
        self.map_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.map_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.map_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.map_scroll)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self._build_process_list())
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(self._build_details())
        self.tabs = QTabWidget()
        self.stages = StagesPanel(self.services, self.edit, self._me)
        self.stages.stageSelected.connect(self.map.set_selected_stage)
        self.targets = TargetsPanel(self.services, self.edit)
        self.types = ActivityTypesPanel(self.services, self.edit)
        self.tabs.addTab(self.stages, self.tr("&Stages"))
        self.tabs.addTab(self.targets, self.tr("&Targets"))
        self.tabs.addTab(self.types, self.tr("Activit&y types"))
        rl.addWidget(self.tabs, 1)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([210, 1000])
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        self.refresh()

    # Building ----------------------------------------------------------------------------
    def _build_process_list(self) -> QWidget:
        box = QWidget()
        bl = QVBoxLayout(box)
        bl.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setMinimumWidth(190)
        self.tree.currentItemChanged.connect(self._process_chosen)
        bl.addWidget(self.tree, 1)
        self.show_archived = QCheckBox(self.tr("Show arc&hived processes"))
        self.show_archived.toggled.connect(self.refresh)
        bl.addWidget(self.show_archived)
        self.add_button = QToolButton()
        self.add_button.setText(self.tr("New p&rocess"))
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menu = QMenu(self.add_button)
        for kind in ProcessKind:
            menu.addAction(
                self.tr("{0} from the default template").format(kind.label),
                partial(self.add_process, kind, False),
            )
        menu.addSeparator()
        for kind in ProcessKind:
            menu.addAction(
                self.tr("Blank {0} process").format(kind.label.lower()),
                partial(self.add_process, kind, True),
            )
        menu.addSeparator()
        menu.addAction(self.tr("From a process file…"), self.import_dialog)
        self.add_button.setMenu(menu)
        self.archive_button = QPushButton(self.tr("Archive"))
        self.archive_button.setAutoDefault(False)
        self.archive_button.clicked.connect(self.toggle_archived)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setAutoDefault(False)
        self.export_button.setToolTip(
            self.tr("Save this process (stages, targets, activity types) to a file")
        )
        self.export_button.clicked.connect(self.export_dialog)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.archive_button)
        row.addWidget(self.export_button)
        bl.addLayout(row)
        return box

    def _build_details(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kind_label = QLabel()
        self.kind_label.setObjectName("areaTitle")
        self.name = QLineEdit()
        self.name.setMaxLength(120)
        self.name.editingFinished.connect(self._save_details)
        self.name_error = error_label()
        self.owner = QComboBox()
        self.owner.activated.connect(self._save_details)
        self.purpose = QLineEdit()
        self.purpose.setMaxLength(MAX_PURPOSE)
        self.purpose.setPlaceholderText(self.tr("What this process is for"))
        self.purpose.editingFinished.connect(self._save_details)
        name_row = QHBoxLayout()
        name_row.addWidget(self.name, 3)
        name_row.addSpacing(12)
        owner_label = QLabel(self.tr("&Owner:"))
        owner_label.setBuddy(self.owner)
        name_row.addWidget(owner_label)
        name_row.addWidget(self.owner, 1)
        name_box = QVBoxLayout()
        name_box.setSpacing(1)
        name_box.addLayout(name_row)
        name_box.addWidget(self.name_error)
        for text, field in ((self.tr("Process na&me:"), name_box), (self.tr("&Purpose:"), None)):
            label = QLabel(text)
            if field is None:
                label.setBuddy(self.purpose)
                form.addRow(label, self.purpose)
            else:
                label.setBuddy(self.name)
                form.addRow(label, field)
        form.insertRow(0, self.kind_label)
        return form

    def _me(self) -> int | None:
        return self.settings.me(self.services.path)

    # Messages ----------------------------------------------------------------------------
    def show_message(self, text: str, error: bool = True) -> None:
        self.message.setProperty("error", error)
        self.message.setStyleSheet(ERROR_STYLE if error else INFO_STYLE)
        self.message.setText(text)
        self.message.show()

    def clear_message(self) -> None:
        self.message.hide()
        self.message.clear()

    # Saving ------------------------------------------------------------------------------
    def edit(
        self,
        text: str,
        op: Op,
        *,
        on_invalid: Callable[[ValidationError], None] | None = None,
        on_done: Callable[[Revision], None] | None = None,
    ) -> None:
        """Save one undoable edit on the operation road. A problem shows inline
        (``on_invalid``) or on the message line; success clears the line, brings the panels
        up to date, then calls ``on_done``."""

        def done(rev: Revision) -> None:
            self.clear_message()
            self._stale.flush()  # e.g. select what was just added: it must be listed first
            if on_done is not None:
                on_done(rev)

        run_op(
            self,
            self,
            text,
            op,
            on_done=done,
            on_invalid=on_invalid or (lambda exc: self.show_message(str(exc))),
            on_failed=lambda exc: self.show_message(str(exc)),
        )

    # Showing -----------------------------------------------------------------------------
    def on_changes(self, changes: Changes) -> None:
        if changes.touches(*REFRESH_ON):
            self._stale.mark(changes)

    def refresh(self) -> None:
        self._stale.clear()
        current = self.current_process_id()
        self._processes = self.services.processes.processes(include_archived=True)
        self.map.set_processes([p for p in self._processes if not p.archived])
        self._fit_map()
        self.tree.blockSignals(True)
        self.tree.clear()
        select = None
        for kind in ProcessKind:
            group = QTreeWidgetItem(self.tree, [kind.label])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for proc in (p for p in self._processes if p.kind is kind):
                if proc.archived and not self.show_archived.isChecked() and proc.id != current:
                    continue
                label = proc.name + (self.tr(" (archived)") if proc.archived else "")
                item = QTreeWidgetItem(group, [label])
                item.setData(0, Qt.ItemDataRole.UserRole, proc.id)
                if proc.archived:
                    item.setForeground(0, self.palette().placeholderText())
                if select is None or proc.id == current:
                    select = item
            group.setExpanded(True)
        if select is not None:
            self.tree.setCurrentItem(select)
        self.tree.blockSignals(False)
        self._process_chosen()  # once, not also through the tree's signal

    def _fit_map(self) -> None:
        # The map has the room of two full rows in a small window, three in a large one; more
        # processes get lower rows (down to MIN_ROW_H) so all stay in view, and only past
        # that does the map scroll.
        limit = MAP_ROWS if self.height() > 850 else MAP_ROWS - 1
        room = limit * (ROW_H + GAP) + GAP
        rows = max(1, sum(1 for p in self._processes if not p.archived))
        self.map.set_row_height((room - GAP * (rows + 1)) / rows)
        self.map_scroll.setFixedHeight(min(room, self.map.sizeHint().height()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_map()

    def current_process_id(self) -> int | None:
        item = self.tree.currentItem()
        value = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        return int(value) if value is not None else None

    def current_process(self) -> Process | None:
        pid = self.current_process_id()
        return next((p for p in self._processes if p.id == pid), None)

    def _process_chosen(self, *_args: object) -> None:
        proc = self.current_process()
        self.name_error.hide()
        self.owner.clear()
        self.owner.addItem(self.tr("No owner"), None)
        for person in self.services.people.people(include_inactive=True):
            self.owner.addItem(person.name, person.id)
        if proc is None:
            self.kind_label.setText("")
            self.name.clear()
            self.purpose.clear()
        else:
            state = self.tr(" · archived") if proc.archived else ""
            self.kind_label.setText(
                f"<b>{proc.kind.label}</b> {self.tr('process')}{state} — "
                + self.tr("{0} stages, engagements are called “{1}”").format(
                    len(proc.active_stages), proc.kind.engagement_label
                )
            )
            self.name.setText(proc.name)
            self.purpose.setText(proc.purpose)
            self.owner.setCurrentIndex(max(0, self.owner.findData(proc.owner_id)))
        for w in (self.name, self.owner, self.purpose, self.export_button, self.archive_button):
            w.setEnabled(proc is not None)
        self.archive_button.setText(
            self.tr("Restore") if proc and proc.archived else self.tr("Archive")
        )
        self.stages.set_process(proc)
        self.targets.set_process(proc)
        self.types.set_kind(proc.kind if proc else None)
        self.map.set_selected_stage(current_id(self.stages.table))

    def select_process(self, process_id: int) -> None:
        flags = Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchWildcard
        for item in self.tree.findItems("*", flags):
            if item.data(0, Qt.ItemDataRole.UserRole) == process_id:
                self.tree.setCurrentItem(item)
                return

    def select_stage(self, process_id: int, stage_id: int) -> None:
        """The process map's click: show that stage in the editor."""
        self.select_process(process_id)
        self.tabs.setCurrentWidget(self.stages)
        self.stages.select_stage(stage_id)
        self.map.set_selected_stage(stage_id)

    # Process edits -----------------------------------------------------------------------
    def _save_details(self, *_args: object) -> None:
        proc = self.current_process()
        if proc is None:
            return
        name, purpose = self.name.text(), self.purpose.text()
        owner = self.owner.currentData()
        if (name.strip(), purpose.strip(), owner) == (proc.name, proc.purpose, proc.owner_id):
            self.name_error.hide()
            return

        def invalid(exc: ValidationError) -> None:
            self.name_error.setText(exc.first)
            self.name_error.show()

        self.name_error.hide()
        pid = proc.id
        self.edit(
            self.tr("Edit process “{0}”").format(proc.name),
            lambda s: s.processes.update_process(pid, name, purpose, owner),
            on_invalid=invalid,
        )

    def _new_process(self, text: str, op: Op, then: Callable[[int], None]) -> None:
        def done(rev: Revision) -> None:
            self.select_process(rev.ids["process"])
            then(rev.ids["process"])

        self.edit(text, op, on_done=done)

    def add_process(self, kind: ProcessKind, blank: bool) -> None:
        """Add a process (selected, its name ready to type over, once saved)."""
        # Archived names count too, so an undone add never leaves two processes of one name.
        taken = [p.name for p in self._processes]
        base = (
            self.tr("New {0} process").format(kind.label.lower()) if blank else TEMPLATES[kind].name
        )
        name = unique_name(base, taken)

        def focus_name(_pid: int) -> None:
            self.name.setFocus()
            self.name.selectAll()

        self._new_process(
            self.tr("Add process “{0}”").format(name),
            lambda s: s.processes.add_process(kind, name, blank),
            focus_name,
        )

    def toggle_archived(self) -> None:
        proc = self.current_process()
        if proc is None:
            return
        verb = self.tr("Restore") if proc.archived else self.tr("Archive")
        pid, archived = proc.id, not proc.archived
        self.edit(
            self.tr("{0} process “{1}”").format(verb, proc.name),
            lambda s: s.processes.set_process_archived(pid, archived),
        )

    # Files -------------------------------------------------------------------------------
    def export_dialog(self) -> None:
        proc = self.current_process()
        if proc is None:
            return
        start = self.services.path.parent / f"{proc.name}{SUFFIX}"
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export process"), str(start), FILE_FILTER
        )
        if name:
            self.export_process(Path(name))

    def export_process(self, path: Path) -> bool:
        proc = self.current_process()
        if proc is None:
            return False
        try:
            dest = self.services.process_files.export(proc.id, path)
        except NextLevelError as exc:
            self.show_message(str(exc))
            return False
        self.show_message(self.tr("Exported “{0}” to {1}.").format(proc.name, dest), error=False)
        return True

    def import_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import process"), str(self.services.path.parent), FILE_FILTER
        )
        if name:
            self.import_process(Path(name))

    def import_process(self, path: Path) -> None:
        """Import a process file; a bad file shows why and changes nothing."""
        try:
            design = self.services.process_files.read(path)
        except NextLevelError as exc:
            self.show_message(str(exc))
            return
        notes: list[str] = []

        def write(services: Services) -> Revision:  # on the writer thread
            result = services.process_files.import_design(design)
            notes.extend(result.notes)
            return result.revision

        def show_notes(_pid: int) -> None:
            if notes:
                self.show_message(self.tr("Imported. ") + " ".join(notes), error=False)

        self._new_process(self.tr("Import process “{0}”").format(design.name), write, show_notes)

    # State -------------------------------------------------------------------------------
    def save_state(self) -> None:
        self.settings.set_bytes("designer/splitter", self.splitter.saveState())
        self.settings.set_bytes("designer/stages", self.stages.splitter.saveState())

    def restore_state(self) -> None:
        state = self.settings.bytes_value("designer/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        state = self.settings.bytes_value("designer/stages")
        if state is not None:
            self.stages.splitter.restoreState(state)
