"""Activity types of a process kind: add, rename, reorder, archive, mark review types."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ValidationError
from ...domain.models import ActivityType, ProcessKind
from ...domain.processes import unique_name
from ...services.container import Services
from ...services.revisions import Revision
from ..kit.rows_model import RowsModel
from ..kit.tables import current_id, current_row, row_table, select_table_row
from ..plain_text import plain_label
from .widgets import Edit, error_label, side_by_side


class TypeColumn(enum.IntEnum):
    NAME = 0
    REVIEW = 1
    STATUS = 2


class ActivityTypeModel(RowsModel[ActivityType]):
    HEADERS = ("Activity type", "Account review", "Status")

    def names(self) -> list[str]:
        return [t.name for t in self.rows]

    def row_of(self, type_id: int) -> int | None:
        return next((i for i, t in enumerate(self.rows) if t.id == type_id), None)

    def cell(self, t: ActivityType, column: int) -> str:
        if column == TypeColumn.NAME:
            return t.name
        if column == TypeColumn.REVIEW:
            if t.kind is not ProcessKind.FARMING:
                return ""
            return self.tr("Yes") if t.is_review else self.tr("No")
        return self.tr("Archived") if t.archived else self.tr("Active")

    def foreground(self, t: ActivityType, column: int) -> Any:
        if t.archived:
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return None


class ActivityTypesPanel(QWidget):
    def __init__(self, services: Services, edit: Edit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.edit = edit
        self._kind: ProcessKind | None = None
        self.model = ActivityTypeModel(self)
        self.table = row_table(self.model, TypeColumn.NAME)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        for text, keys, delta in (("Move up", "Alt+Up", -1), ("Move down", "Alt+Down", 1)):
            action = QAction(self.tr(text), self.table)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _=False, d=delta: self.move_selected(d))
            self.table.addAction(action)

        self.note = plain_label()
        self.note.setWordWrap(True)
        self.add_button = self._button(self.tr("&Add type"), self.add_type)
        self.up_button = self._button(self.tr("Move &up"), lambda: self.move_selected(-1))
        self.down_button = self._button(self.tr("Move do&wn"), lambda: self.move_selected(1))
        self.archive_button = self._button(self.tr("Ar&chive"), self.toggle_archived)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.up_button, self.down_button, self.archive_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.note)
        ll.addWidget(self.table, 1)
        ll.addLayout(buttons)

        self.form_box = QGroupBox(self.tr("Activity type"))
        form = QFormLayout(self.form_box)
        self.name = QLineEdit()
        self.name.setMaxLength(80)
        self.name.returnPressed.connect(self.save)
        self.name_error = error_label()
        name_box = QVBoxLayout()
        name_box.setSpacing(1)
        name_box.addWidget(self.name)
        name_box.addWidget(self.name_error)
        name_label = QLabel(self.tr("&Name:"))
        name_label.setBuddy(self.name)
        form.addRow(name_label, name_box)
        self.is_review = QCheckBox(self.tr("Counts as an account review (review co&verage)"))
        form.addRow(self.is_review)
        self.save_button = self._button(self.tr("Save type"), self.save)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        form.addRow(save_row)

        self.splitter = side_by_side(left, self.form_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def _button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # Showing -----------------------------------------------------------------------------
    def set_kind(self, kind: ProcessKind | None) -> None:
        keep = current_id(self.table)
        self._kind = kind
        rows = self.services.design.activity_types(kind) if kind else []
        self.model.set_rows(rows)
        self.setEnabled(kind is not None)
        farming = kind is ProcessKind.FARMING
        self.is_review.setVisible(farming)
        self.table.setColumnHidden(TypeColumn.REVIEW, not farming)
        if kind is not None:
            self.note.setText(
                self.tr(
                    "These activity types are shared by every {0} process. Archived types "
                    "keep their history but are no longer offered when logging."
                ).format(kind.label.lower())
            )
        row = self.model.row_of(keep) if keep is not None else None
        self.select_row(row if row is not None else 0)

    def select_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            self._load(None)
            return
        select_table_row(self.table, row)
        self._load(self.model.row(row))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._load(self.model.row(current.row()) if current.isValid() else None)

    def _load(self, atype: ActivityType | None) -> None:
        self.name_error.hide()
        self.name.setText(atype.name if atype else "")
        self.is_review.setChecked(bool(atype and atype.is_review))
        self.form_box.setEnabled(atype is not None)
        row = current_row(self.table)
        count = self.model.rowCount()
        self.up_button.setEnabled(row is not None and row > 0)
        self.down_button.setEnabled(row is not None and row < count - 1)
        self.archive_button.setEnabled(atype is not None)
        self.archive_button.setText(
            self.tr("R&estore") if atype and atype.archived else self.tr("Ar&chive")
        )

    # Editing -----------------------------------------------------------------------------
    def _invalid(self, exc: ValidationError) -> None:
        self.name_error.setText(exc.first)
        self.name_error.show()
        self.name.setFocus()

    def add_type(self) -> None:
        if self._kind is None:
            return
        kind = self._kind
        name = unique_name(self.tr("New activity type"), self.model.names())

        def select(rev: Revision) -> None:
            row = self.model.row_of(rev.ids["activity_type"])
            if row is not None:
                self.select_row(row)
            self.name.setFocus()
            self.name.selectAll()

        self.edit(
            self.tr("Add activity type “{0}”").format(name),
            lambda s: s.design.add_activity_type(kind, name),
            on_done=select,
        )

    def save(self) -> None:
        row = current_row(self.table)
        if row is None:
            return
        old = self.model.row(row)
        name, review = self.name.text(), self.is_review.isChecked()
        if name.strip() == old.name and review == old.is_review:
            return
        type_id = old.id
        self.edit(
            self.tr("Edit activity type “{0}”").format(old.name),
            lambda s: s.design.update_activity_type(type_id, name, review),
            on_invalid=self._invalid,
        )

    def move_selected(self, delta: int) -> None:
        row = current_row(self.table)
        if row is None or not 0 <= row + delta < self.model.rowCount():
            return
        atype = self.model.row(row)
        type_id, index = atype.id, row + delta

        def select(_rev: Revision) -> None:
            self.select_row(index)
            self.table.setFocus()

        self.edit(
            self.tr("Move activity type “{0}”").format(atype.name),
            lambda s: s.design.move_activity_type(type_id, index),
            on_done=select,
        )

    def toggle_archived(self) -> None:
        row = current_row(self.table)
        if row is None:
            return
        atype = self.model.row(row)
        type_id, archived = atype.id, not atype.archived
        verb = self.tr("Restore") if atype.archived else self.tr("Archive")
        self.edit(
            self.tr("{0} activity type “{1}”").format(verb, atype.name),
            lambda s: s.design.set_activity_type_archived(type_id, archived),
        )
