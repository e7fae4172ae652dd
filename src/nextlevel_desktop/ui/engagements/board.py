"""Kanban board: one column per open stage; cards show the engagement, its account and value,
owner and days in stage (named as everywhere else: the engagement's name first).

Cards are dragged between columns (or moved with an action); a card stalled past its stage's
expected days has a red edge and says so.

A move rebuilds the columns. So a drop only records the move: the board asks for it once the
drag is over and control is back in the event loop, and the old columns are deleted later. A
column is never deleted inside its own drop, drag or click handler (on a real X display that
ends in a segmentation fault when the handler returns into the deleted widget).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.engagements import days_in_stage, is_stalled
from ...domain.models import Engagement, Process, Stage, format_money
from ...services.engagement_reads import BoardRead, BoardStage
from ..plain_text import rich, tip
from ..wording import day_text

MIME = "application/x-nextlevel-engagement"
EngagementRole = Qt.ItemDataRole.UserRole + 1
STALLED = "#c0504d"
CARD_HEIGHT = 74
MAX_CARDS = 100  # per column; the header still counts every engagement in the stage


class CardDelegate(QStyledItemDelegate):
    """Paints a card from its item's ``Card`` (its lines written when the board was read)."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(160, CARD_HEIGHT)

    @staticmethod
    def _pair(
        painter: QPainter,
        text: QRect,
        top: int,
        height: int,
        pair: tuple[str, str],
        colour: QColor | None,
    ) -> None:
        """``left`` elided into the room ``right`` leaves it, ``right`` flush right."""
        left, right = pair
        metrics = painter.fontMetrics()
        room = text.width() - metrics.horizontalAdvance(right) - 8
        if colour is not None:
            painter.setPen(colour)
        painter.drawText(
            QRect(text.left(), top, max(room, 0), height),
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(left, Qt.TextElideMode.ElideRight, max(room, 0)),
        )
        painter.drawText(
            QRect(text.left(), top, text.width(), height),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            right,
        )

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        card: Card | None = index.data(EngagementRole)
        if card is None:
            return
        eng, days, stage, (account_line, days_line) = card
        stalled = is_stalled(days, stage)
        pal = QApplication.palette()
        rect: QRect = option.rect.adjusted(2, 2, -2, -2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(
            QPen(
                pal.color(QPalette.ColorRole.Highlight)
                if selected
                else pal.color(QPalette.ColorRole.Mid),
                2 if selected else 1,
            )
        )
        painter.setBrush(pal.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(rect, 5, 5)
        edge = (
            QColor(STALLED)
            if stalled
            else QColor(stage.color if stage and stage.color else "#8fa6c8")
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(edge)
        painter.drawRoundedRect(QRect(rect.left(), rect.top(), 5, rect.height()), 2, 2)
        text = rect.adjusted(12, 5, -8, -5)
        line = (text.height()) // 3
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(pal.color(QPalette.ColorRole.Text))
        metrics = painter.fontMetrics()
        painter.drawText(
            QRect(text.left(), text.top(), text.width(), line),
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(eng.name, Qt.TextElideMode.ElideRight, text.width()),
        )
        painter.setFont(option.font)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        self._pair(painter, text, text.top() + line, line, account_line, None)
        self._pair(
            painter,
            text,
            text.top() + 2 * line,
            line,
            days_line,
            QColor(STALLED) if stalled else muted,
        )
        painter.restore()


Lines = tuple[tuple[str, str], tuple[str, str]]  # a card's second and third lines
Card = tuple[Engagement, int, Stage, Lines]  # a card item's EngagementRole


def card_lines(eng: Engagement, days: int, stage: Stage | None, currency: str) -> Lines:
    """The card's second and third lines as (left, right) pairs: the account with the value,
    the owner with the days in stage (and how many over the expected days, when stalled). The
    right part, the figure, always shows; the names on the left are elided to the room left,
    and the tooltip says it all in full."""
    value = format_money(eng.value_minor, currency)
    if eng.expected_close is not None:
        value = f"{value} · {day_text(eng.expected_close)}"
    if eng.stage_entered_at is None:  # an import did not say when: never stalled
        when = "? d"
    elif is_stalled(days, stage):
        assert stage is not None and stage.expected_days is not None
        when = f"{days} d (+{days - stage.expected_days})"
    else:
        when = f"{days} d"
    return (eng.account_name or "—", value), (eng.owner_name or "—", when)


def card_tooltip(eng: Engagement, days: int, stage: Stage) -> str:
    lines = [eng.name, eng.account_name, f"Owner: {eng.owner_name or 'nobody'}"]
    if eng.stage_entered_at is None:
        lines.append(f"In {stage.name} since a date the import did not give")
    elif is_stalled(days, stage):
        lines.append(f"Stalled: {days} days in {stage.name}, {stage.expected_days} expected")
    else:
        lines.append(f"{days} days in {stage.name}")
    if eng.expected_close is not None:
        lines.append(f"Expected close: {day_text(eng.expected_close)}")
    if stage.guidance:
        lines.append(stage.guidance)
    return "\n".join(lines)


@dataclass(frozen=True)
class Column:
    """One stage's column: its oldest cards (days in stage, engagement, tooltip, lines; at
    most ``MAX_CARDS``) and the figures of every engagement in it."""

    stage: Stage
    cards: list[tuple[int, Engagement, str, Lines]]
    count: int
    value_minor: int
    stalled: int


def board_columns(process: Process, read: BoardRead, today: date, currency: str) -> list[Column]:
    """The board's columns, one per open stage of ``process``, from its ``read`` (plain values,
    the cards' tooltips and lines written: made on the reader thread)."""
    columns = []
    for stage in process.open_stages:
        figures = read.stages.get(stage.id, BoardStage())
        made = []
        for e in figures.cards:
            days = days_in_stage(e.stage_entered_at, today)
            made.append(
                (days, e, tip(card_tooltip(e, days, stage)), card_lines(e, days, stage, currency))
            )
        columns.append(Column(stage, made, figures.count, figures.value_minor, figures.stalled))
    return columns


class ColumnFrame(QFrame):
    """A column's background: a rounded panel in the palette's alternate base (painted, not
    a style sheet: a style sheet restyles every card list and label in it, slowly)."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().color(QPalette.ColorRole.AlternateBase))
        painter.drawRoundedRect(self.rect(), 6, 6)


class CardList(QListWidget):
    """One column's cards; accepts cards dragged from the other columns."""

    dropped = Signal(int, int)  # engagement id, stage id
    dragging = Signal(bool)  # a drag from this column started (True) or ended (False)

    def __init__(self, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSpacing(1)
        self.setUniformItemSizes(True)  # every card is CARD_HEIGHT high: no size asked per card
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.viewport().setAutoFillBackground(False)
        self.setAutoFillBackground(False)

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        if items:
            eng = items[0].data(EngagementRole)[0]
            data.setData(MIME, QByteArray(str(eng.id).encode()))
        return data

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        # QDrag.exec() runs the whole drag (the drop included) in a nested event loop, and the
        # view uses itself again when it returns: the board must not rebuild before then.
        self.dragging.emit(True)
        try:
            super().startDrag(supportedActions)
        finally:
            self.dragging.emit(False)

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if not event.mimeData().hasFormat(MIME):
            event.ignore()
            return
        engagement_id = int(bytes(event.mimeData().data(MIME).data()).decode())
        # Copy, never move: the board reloads from the database after the service has moved it.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.dropped.emit(engagement_id, self.stage.id)


class Board(QScrollArea):
    """The columns of one process."""

    moveRequested = Signal(int, int)  # engagement id, to stage id
    currentChanged = Signal(object)  # Engagement | None
    activated = Signal(object)  # Engagement
    menuRequested = Signal(QPoint)  # a card was right-clicked (selected first); global position

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.columns: list[CardList] = []
        self.headers: list[QLabel] = []
        self._current: Engagement | None = None
        self._drag_active = False
        self._pending: tuple[int, int] | None = None  # a dropped move not yet asked for
        self._held: tuple[list[Column], str] | None = None

    def _dropped(self, engagement_id: int, stage_id: int) -> None:
        self._pending = (engagement_id, stage_id)
        if not self._drag_active:
            QTimer.singleShot(0, self, self._request_pending)

    def _dragging(self, active: bool) -> None:
        self._drag_active = active
        if not active and (self._pending is not None or self._held is not None):
            # Still inside the source column's mouse handler: go on once it has returned.
            QTimer.singleShot(0, self, self._after_drag)

    def _after_drag(self) -> None:
        if self._held is not None and not self._drag_active:
            held, self._held = self._held, None
            self.show_columns(*held)
        self._request_pending()

    def _request_pending(self) -> None:
        if self._pending is not None and not self._drag_active:
            pending, self._pending = self._pending, None
            self.moveRequested.emit(*pending)

    def _menu(self, column: CardList, pos: QPoint) -> None:
        item = column.itemAt(pos)
        if item is None:
            return
        column.setCurrentItem(item)
        # The menu is popped up (not exec'd) once the column's handler has returned: an
        # action in it may rebuild the board and delete this column.
        where = column.viewport().mapToGlobal(pos)
        QTimer.singleShot(0, self, lambda: self.menuRequested.emit(where))

    def _activate(self, item: QListWidgetItem) -> None:
        # Opening the card (a dialog) may rebuild the board: not inside the column's handler.
        eng = item.data(EngagementRole)[0]
        QTimer.singleShot(0, self, lambda: self.activated.emit(eng))

    def show_columns(self, columns: list[Column], currency: str) -> None:
        if self._drag_active:
            # A refresh during a drag (a search typed just before): the source column must
            # outlive QDrag.exec(), so the columns are rebuilt when the drag is over.
            self._held = (columns, currency)
            return
        keep = self._current.id if self._current else None
        inner = QWidget()
        row = QHBoxLayout(inner)
        row.setContentsMargins(4, 4, 4, 4)
        row.setSpacing(8)
        self.columns, self.headers = [], []
        delegate = CardDelegate(inner)
        for column in columns:
            stage = column.stage
            frame = ColumnFrame()
            frame.setMinimumWidth(140)  # six stages fit at 1280 px; cards elide
            col = QVBoxLayout(frame)
            col.setContentsMargins(6, 6, 6, 6)
            cards = CardList(stage)
            cards.setItemDelegate(delegate)
            cards.addItems([eng.name for _days, eng, _tip, _lines in column.cards])  # at once
            for i, (days, eng, tooltip, lines) in enumerate(column.cards):
                item = cards.item(i)
                item.setData(EngagementRole, (eng, days, stage, lines))
                item.setToolTip(tooltip)
                if eng.id == keep:
                    cards.setCurrentItem(item)
                    self._current = eng  # as read now (its stage may have changed)
            money = format_money(column.value_minor, currency)
            stalled, count = column.stalled, column.count
            header = QLabel(
                f"<b>{rich(stage.name)}</b><br><span style='color:gray'>{count} · {money}"
                + (f" · <span style='color:{STALLED}'>{stalled} stalled</span>" if stalled else "")
                + "</span>"
            )
            header.setTextFormat(Qt.TextFormat.RichText)  # the stage name is escaped
            header.setToolTip(tip(stage.guidance))
            col.addWidget(header)
            col.addWidget(cards, 1)
            if count > len(column.cards):
                more = QLabel(
                    self.tr("+{0} more: filter by owner or use the list").format(
                        count - len(column.cards)
                    )
                )
                more.setWordWrap(True)
                col.addWidget(more)
            cards.dropped.connect(self._dropped)
            cards.dragging.connect(self._dragging)
            cards.currentItemChanged.connect(lambda cur, _prev, c=cards: self._on_current(c, cur))
            cards.itemActivated.connect(self._activate)
            cards.customContextMenuRequested.connect(lambda pos, c=cards: self._menu(c, pos))
            row.addWidget(frame, 1)
            self.columns.append(cards)
            self.headers.append(header)
        old = self.takeWidget()
        self.setWidget(inner)
        if old is not None:
            # One of the old columns may be inside its own event handler (a key press, a
            # double-click that opened a dialog): delete them once control is back in the loop.
            old.hide()
            old.setParent(self)
            old.deleteLater()
        if keep is not None and not any(c.currentItem() for c in self.columns):
            self._set_current(None)

    def _on_current(self, column: CardList, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        for other in self.columns:
            if other is not column:
                other.blockSignals(True)
                other.clearSelection()
                other.setCurrentRow(-1)
                other.blockSignals(False)
        self._set_current(item.data(EngagementRole)[0])

    def _set_current(self, eng: Engagement | None) -> None:
        self._current = eng
        self.currentChanged.emit(eng)

    def current(self) -> Engagement | None:
        return self._current

    def select(self, engagement_id: int) -> bool:
        for column in self.columns:
            for i in range(column.count()):
                if column.item(i).data(EngagementRole)[0].id == engagement_id:
                    column.setCurrentRow(i)
                    column.setFocus()
                    return True
        return False
