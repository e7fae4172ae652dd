"""Cells of a long list drawn from text laid out once, not on every repaint.

The style lays out and shapes each cell's text two or three times per paint (its size, its
elision, the drawing: ~70 % of a repaint of the activity list, ~200 cells) and asks the model
for seven roles of every cell (C++ into Python each time). A list whose rows shift on every
write (a new row at the top) repaints every cell each time. ``KeptTextDelegate`` draws a plain
cell (not selected, current or hovered, its text fitting, no colour or font of its own) from a
``QStaticText`` kept per text, at the place the style puts it; any other cell is the style's.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPainter, QPalette, QPen, QStaticText, QTextLayout
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

State = QStyle.StateFlag
_STYLED = State.State_Selected | State.State_HasFocus | State.State_MouseOver
_REFIT = (
    QEvent.Type.FontChange,
    QEvent.Type.StyleChange,
    QEvent.Type.LayoutDirectionChange,
    QEvent.Type.PaletteChange,
)
_GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled)
_KEPT = 4000  # texts kept (a screen shows ~200; scrolling far brings new ones)


class KeptTextDelegate(QStyledItemDelegate):
    """Draws plain cells of ``view`` from kept static text; ``text(row, column)`` is a cell's
    text when the cell is plain (``None``: the style draws it, e.g. planned work in italics)."""

    def __init__(self, view: QAbstractItemView, text: Callable[[int, int], str | None]) -> None:
        super().__init__(view)
        self._text = text
        self._kept: dict[str, tuple[QStaticText, float]] = {}
        self._font = QFont()
        self._height = 0
        self._margin = 0
        self._left_to_right = True  # right to left: the style's
        self._pens: dict[QPalette.ColorGroup, QPen] = {}  # the text's, as the style's pen
        self._fit(view)
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _REFIT:
            self._fit(watched)  # type: ignore[arg-type]
        return False

    def _fit(self, view: QAbstractItemView) -> None:
        self._kept.clear()
        self._left_to_right = view.layoutDirection() == Qt.LayoutDirection.LeftToRight
        self._font = QFont(view.font())
        palette = view.palette()  # the cells' (the view's options carry it)
        self._pens = {g: QPen(palette.color(g, QPalette.ColorRole.Text)) for g in _GROUPS}
        layout = QTextLayout("X", self._font)  # the style's line box: a laid-out line's height
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(1000)
        self._height = int(line.height())
        layout.endLayout()
        focus = QStyle.PixelMetric.PM_FocusFrameHMargin
        self._margin = view.style().pixelMetric(focus, None, view) + 1

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        state = option.state
        plain = self._left_to_right and not state & _STYLED
        text = self._text(index.row(), index.column()) if plain else None
        if text is None:
            super().paint(painter, option, index)
            return
        if not text:
            return
        box: tuple[int, int, int, int] = option.rect.getRect()  # type: ignore[assignment]
        left, top, width, height = box  # one call, not four
        kept = self._kept.get(text)
        if kept is None:
            kept = self._keep(text)
        static, text_width = kept
        if text_width > width - 2 * self._margin:
            super().paint(painter, option, index)  # elided by the style
            return
        if not state & State.State_Enabled:
            group = QPalette.ColorGroup.Disabled
        elif state & State.State_Active:
            group = QPalette.ColorGroup.Active
        else:
            group = QPalette.ColorGroup.Inactive
        painter.setPen(self._pens[group])
        painter.drawStaticText(left + self._margin, top + (height - self._height) // 2, static)

    def _keep(self, text: str) -> tuple[QStaticText, float]:
        if len(self._kept) >= _KEPT:
            self._kept.clear()
        static = QStaticText(text)
        static.setTextFormat(Qt.TextFormat.PlainText)  # text a user typed: never markup
        static.prepare(font=self._font)
        kept = self._kept[text] = (static, static.size().width())
        return kept
