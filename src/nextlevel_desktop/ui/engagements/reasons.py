"""The editable list of reasons for losing (hunting) or churning (farming), with undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.changes import Changes
from ...domain.models import ProcessKind
from ..kit.ops import Op, run_op
from ..logger.dialogs import Host


class ReasonsDialog(QDialog):
    def __init__(self, host: Host, kind: ProcessKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.kind = kind
        what = self.tr("lost") if kind is ProcessKind.HUNTING else self.tr("churned")
        self.setWindowTitle(self.tr("Reasons: {0}").format(kind.label))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Closing an engagement as {0} asks for one of these reasons. Closed engagements "
                "keep the reason they were closed with."
            ).format(what)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.list = QListWidget()
        row.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        self.add_button = QPushButton(self.tr("&Add…"))
        self.rename_button = QPushButton(self.tr("&Rename…"))
        self.remove_button = QPushButton(self.tr("Re&move"))
        for button in (self.add_button, self.rename_button, self.remove_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.remove_button.clicked.connect(self.remove)
        self.list.itemActivated.connect(lambda _item: self.rename())
        self.list.currentRowChanged.connect(self._update)
        host.bus.changed.connect(self._on_changes)
        self.resize(420, 360)
        self.reload()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("engagements"):
            self.reload()

    def reload(self) -> None:
        keep = self.current_id()
        self.list.clear()
        for reason in self.host.services.engagements.reason_list(self.kind):
            item = QListWidgetItem(reason.name)
            item.setData(Qt.ItemDataRole.UserRole, reason.id)
            self.list.addItem(item)
            if reason.id == keep:
                self.list.setCurrentItem(item)
        self._update()

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _update(self, *_args: object) -> None:
        chosen = self.current_id() is not None
        self.rename_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def _run(self, text: str, op: Op) -> None:
        run_op(self.host, self, text, op)

    def add(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Add reason"), self.tr("Reason:"))
        if ok:
            kind = self.kind
            self._run(self.tr("Add reason"), lambda s: s.engagements.add_reason(kind, name))

    def rename(self) -> None:
        reason_id, item = self.current_id(), self.list.currentItem()
        if reason_id is None or item is None:
            return
        name, ok = QInputDialog.getText(
            self, self.tr("Rename reason"), self.tr("Reason:"), text=item.text()
        )
        if ok and name.strip() != item.text():
            self._run(
                self.tr("Rename reason"), lambda s: s.engagements.rename_reason(reason_id, name)
            )

    def remove(self) -> None:
        reason_id = self.current_id()
        if reason_id is not None:
            self._run(self.tr("Remove reason"), lambda s: s.engagements.remove_reason(reason_id))
