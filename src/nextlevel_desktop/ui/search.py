"""Find anything (Ctrl+K, or Ctrl+F): accounts, contacts, opportunities and account plans,
people and recent activities by text, and jump there with Enter."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services.container import Services
from ..services.search import HitKind, SearchHit
from .kit.ops import Operations
from .plain_text import plain_label
from .wording import short_date

HitRole = Qt.ItemDataRole.UserRole + 1
HEADINGS = {
    HitKind.ACCOUNT: "Accounts",
    HitKind.CONTACT: "Contacts",
    HitKind.ENGAGEMENT: "Opportunities and account plans",
    HitKind.PERSON: "People",
    HitKind.ACTIVITY: "Recent activities",
}


class SearchDialog(QDialog):
    """Type to find; Up/Down choose, Enter goes there, Esc closes. ``chosen`` carries the hit."""

    chosen = Signal(object)  # SearchHit

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._asked: str | None = None  # the text whose hits are on their way
        self._go_when_answered = False  # Enter was pressed before they came
        self.setWindowTitle(self.tr("Find"))
        self.resize(620, 460)
        layout = QVBoxLayout(self)
        self.query = QLineEdit()
        self.query.setPlaceholderText(
            self.tr("Find accounts, contacts, opportunities, people, activities…")
        )
        self.query.setClearButtonEnabled(True)
        self.query.installEventFilter(self)
        layout.addWidget(self.query)
        self.results = QListWidget()
        self.results.setUniformItemSizes(False)
        self.results.itemActivated.connect(self._activate)
        layout.addWidget(self.results, 1)
        self.status = plain_label()
        self.status.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.status)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.run)
        self.query.textChanged.connect(self._debounce.start)
        self.status.setText(self.tr("Type two letters or more. Enter opens what is chosen."))

    def run(self) -> None:
        """Search for the typed text on the reader thread (a newer text supersedes it)."""
        self._debounce.stop()
        text = self._asked = self.query.text()

        def search(services: Services) -> list[SearchHit]:
            return services.search.search(text)

        self.ops.read(
            self, "search", search, lambda hits: self._show(text, hits), busy=self.results
        )

    def _show(self, searched: str, hits: list[SearchHit]) -> None:
        """List the hits for ``searched`` under one heading per kind."""
        self._asked = None
        self.results.clear()
        kind: HitKind | None = None
        for hit in hits:
            if hit.kind is not kind:
                kind = hit.kind
                heading = QListWidgetItem(self.tr(HEADINGS[kind]))
                heading.setFlags(Qt.ItemFlag.NoItemFlags)
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
                self.results.addItem(heading)
            item = QListWidgetItem(self._text(hit))
            item.setData(HitRole, hit)
            item.setToolTip(hit.title)
            self.results.addItem(item)
        first = next(
            (i for i in range(self.results.count()) if self.results.item(i).data(HitRole)), -1
        )
        if first >= 0:
            self.results.setCurrentRow(first)
        text = searched.strip()
        if len(text) < 2:
            self.status.setText(self.tr("Type two letters or more. Enter opens what is chosen."))
        elif not hits:
            self.status.setText(self.tr("Nothing found for “{0}”.").format(text))
        else:
            self.status.setText(self.tr("↑ ↓ choose, Enter opens, Esc closes."))
        if self._go_when_answered:
            self._go_when_answered = False
            self._activate_current()

    @staticmethod
    def _text(hit: SearchHit) -> str:
        parts = [hit.title]
        if hit.detail:
            parts.append(hit.detail)
        if hit.when is not None:
            parts.append(short_date(hit.when))
        return "  ·  ".join(parts)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._step(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._debounce.isActive():
                    self.run()  # Enter before the list caught up: search first
                if self._asked is not None:
                    self._go_when_answered = True  # go when the hits come
                else:
                    self._activate_current()
                return True
        return super().eventFilter(watched, event)

    def _step(self, direction: int) -> None:
        row = self.results.currentRow()
        for _ in range(self.results.count()):
            row += direction
            if not 0 <= row < self.results.count():
                return
            if self.results.item(row).data(HitRole) is not None:
                self.results.setCurrentRow(row)
                return

    def _activate_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._activate(item)

    def _activate(self, item: QListWidgetItem) -> None:
        hit = item.data(HitRole)
        if isinstance(hit, SearchHit):
            self.accept()
            self.chosen.emit(hit)
