"""Designer area: the process map over a read-only view of each process's stages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.changes import Changes
from ...domain.models import Process, ProcessKind
from ...services.container import Services
from ..area import Area
from ..bus import ChangeBus
from ..user_settings import UserSettings
from .process_map import ProcessMap
from .stage_model import StageColumn, StageTableModel


class DesignerArea(Area):
    def __init__(
        self,
        services: Services,
        bus: ChangeBus,
        undo_stack: QUndoStack,
        settings: UserSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, bus, undo_stack, settings, parent)
        self._processes: list[Process] = []
        layout = QVBoxLayout(self)
        self.map = ProcessMap()
        self.map.stageClicked.connect(self._select_stage)
        layout.addWidget(self.map)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setMinimumWidth(180)
        self.tree.currentItemChanged.connect(self._process_chosen)
        self.splitter.addWidget(self.tree)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("areaTitle")
        self.purpose = QLabel()
        self.purpose.setWordWrap(True)
        rl.addWidget(self.title)
        rl.addWidget(self.purpose)
        self.model = StageTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(StageColumn.EXIT_CRITERIA, QHeaderView.ResizeMode.Stretch)
        rl.addWidget(self.table)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 800])
        layout.addWidget(self.splitter, 1)
        self.refresh()

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("processes", "stages", "people"):
            self.refresh()

    def refresh(self) -> None:
        current = self.current_process_id()
        self._processes = self.services.processes.processes()
        self.map.set_processes(self._processes)
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
                item = QTreeWidgetItem(group, [proc.name])
                item.setData(0, Qt.ItemDataRole.UserRole, proc.id)
                if select is None or proc.id == current:
                    select = item
            group.setExpanded(True)
        self.tree.blockSignals(False)
        if select is not None:
            self.tree.setCurrentItem(select)
        self._process_chosen()

    def current_process_id(self) -> int | None:
        item = self.tree.currentItem()
        value = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        return int(value) if value is not None else None

    def _process_chosen(self, *_args: object) -> None:
        pid = self.current_process_id()
        proc = next((p for p in self._processes if p.id == pid), None)
        if proc is None:
            self.model.set_stages([])
            self.title.setText("")
            self.purpose.setText("")
            return
        owner = f" · {self.tr('Owner')}: {proc.owner_name}" if proc.owner_name else ""
        self.title.setText(f"<b>{proc.name}</b> — {proc.kind.label}{owner}")
        self.purpose.setText(proc.purpose)
        self.model.set_stages(proc.active_stages)

    def _select_stage(self, process_id: int, stage_id: int) -> None:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                if group.child(j).data(0, Qt.ItemDataRole.UserRole) == process_id:
                    self.tree.setCurrentItem(group.child(j))
        row = self.model.row_of(stage_id)
        if row is not None:
            self.table.selectRow(row)
        self.map.set_selected_stage(stage_id)

    def save_state(self) -> None:
        self.settings.set_bytes("designer/splitter", self.splitter.saveState())

    def restore_state(self) -> None:
        state = self.settings.bytes_value("designer/splitter")
        if state is not None:
            self.splitter.restoreState(state)
