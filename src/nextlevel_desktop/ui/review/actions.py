"""Editing the agreed actions of a one-on-one review."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...services.reviews import ActionItem
from ..plain_text import plain_label


class ActionsEditor(QWidget):
    """Rows of action text and due date, with add and remove."""

    edited = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(0, 1)
        self.rows: list[tuple[QLineEdit, QDateEdit, QCheckBox, QToolButton]] = []
        self.add_button = QPushButton(self.tr("Add action"))
        self.add_button.setToolTip(self.tr("Add an agreed action (Ctrl+Shift+A)"))
        self.add_button.setShortcut("Ctrl+Shift+A")
        self.add_button.clicked.connect(lambda: self.add(focus=True))
        self.error = plain_label()
        self.error.setStyleSheet("color: #c0504d;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.grid)
        layout.addWidget(self.error)
        layout.addWidget(self.add_button)

    def add(self, item: ActionItem | None = None, focus: bool = False) -> None:
        text = QLineEdit(item.text if item else "")
        text.setPlaceholderText(
            self.tr("What was agreed, e.g. “Book 3 demos with qualified leads”")
        )
        due = QDateEdit()
        due.setCalendarPopup(True)
        due.setDisplayFormat("d MMM yyyy")
        due.setDate(QDate(item.due_on if item and item.due_on else self.today + timedelta(days=14)))
        due.setToolTip(self.tr("Due date"))
        done = QCheckBox(self.tr("Done"))
        done.setChecked(bool(item and item.done))
        remove = QToolButton()
        remove.setText("✕")
        remove.setToolTip(self.tr("Remove this action"))
        row = (text, due, done, remove)
        self.rows.append(row)
        r = len(self.rows)
        for c, w in enumerate(row):
            self.grid.addWidget(w, r, c)
        remove.clicked.connect(lambda: self.remove(row))
        text.textEdited.connect(self.edited)
        due.dateChanged.connect(self.edited)
        done.toggled.connect(self.edited)
        if focus:
            text.setFocus()
        self.edited.emit()

    def remove(self, row: tuple[QLineEdit, QDateEdit, QCheckBox, QToolButton]) -> None:
        self.rows.remove(row)
        for w in row:
            self.grid.removeWidget(w)
            w.deleteLater()
        self.edited.emit()

    def set_items(self, items: tuple[ActionItem, ...]) -> None:
        for row in list(self.rows):
            self.remove(row)
        for item in items:
            self.add(item)
        self.show_problems({})

    def items(self) -> tuple[ActionItem, ...]:
        result = []
        for text, due, done, _ in self.rows:
            if not text.text().strip() and not done.isChecked():
                continue  # an empty new row is ignored, not an error
            result.append(
                ActionItem(
                    text.text().strip(),
                    due.date().toPython(),  # type: ignore[arg-type]
                    done.isChecked(),
                    self.today if done.isChecked() else None,
                )
            )
        return tuple(result)

    def show_problems(self, problems: dict[str, str]) -> None:
        texts = [v for k, v in problems.items() if k.startswith(("action", "due"))]
        self.error.setText("\n".join(texts))
        self.error.setVisible(bool(texts))
