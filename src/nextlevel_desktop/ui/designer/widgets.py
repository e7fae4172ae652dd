"""Small widget helpers the designer's panels share: inline messages, a side splitter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QWidget

from ...domain.errors import ValidationError
from ...services.revisions import Revision
from ..kit.ops import Op
from ..plain_text import plain_label


class Edit(Protocol):
    """How a designer panel saves: one undoable write on the operation road
    (``DesignerArea.edit``); problems show inline or on the area's message line."""

    def __call__(
        self,
        text: str,
        op: Op,
        *,
        on_invalid: Callable[[ValidationError], None] | None = None,
        on_done: Callable[[Revision], None] | None = None,
    ) -> None: ...


def error_label() -> QLabel:
    """An inline validation message, hidden until there is something to say."""
    label = plain_label()  # messages quote names the user typed
    label.setObjectName("inlineError")
    label.setWordWrap(True)
    label.setStyleSheet("color: #c0392b;")
    label.hide()
    return label


def show_problems(labels: dict[str, QLabel], fallback: QLabel, exc: ValidationError) -> None:
    """Each problem under its field; problems without a field under ``fallback``."""
    for label in (*labels.values(), fallback):
        label.clear()
        label.hide()
    for key, message in exc.problems.items():
        label = labels.get(key, fallback)
        label.setText(message)
        label.show()


def side_by_side(main: QWidget, side: QWidget) -> QSplitter:
    """A list on the left that takes the spare width, its editor on the right."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(main)
    splitter.addWidget(side)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 2)
    splitter.setChildrenCollapsible(False)
    return splitter
