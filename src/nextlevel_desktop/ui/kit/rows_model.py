"""Read-only table models over plain rows: in memory, or fetched lazily a page at a time; the
one id role every model answers."""

from __future__ import annotations

import sys
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer

from ...storage.integrity import is_corruption

Index = QModelIndex | QPersistentModelIndex
IdRole = Qt.ItemDataRole.UserRole + 1  # every model's row id, for views that act on a row
T = TypeVar("T")
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class HeaderedModel(QAbstractTableModel):
    """A flat table whose ``HEADERS`` name the columns (in the order of the model's column
    enum); subclasses give ``row_count``. ``headers`` may be given at run time instead."""

    HEADERS: Sequence[str] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.headers: Sequence[str] = self.HEADERS

    def row_count(self) -> int:
        """The number of rows; an empty table until a subclass says otherwise."""
        return 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return self.tr(self.headers[section])
        return None


class RowsModel(HeaderedModel, Generic[T]):
    """Plain rows (dataclasses, tuples) held in memory, one per table row: the one read-only
    table model. Subclasses say what a cell shows (``cell``) and, where they need to, its
    colour, alignment and tooltip; ``IdRole`` gives the row's ``id``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[T] = []

    def set_rows(self, rows: Sequence[T], headers: Sequence[str] | None = None) -> None:
        """Show ``rows``; ``headers`` for a table whose columns are only known with its rows."""
        self.beginResetModel()
        self.rows = list(rows)
        if headers is not None:
            self.headers = list(headers)
        self.endResetModel()

    def row(self, row: int) -> T:
        return self.rows[row]

    def row_count(self) -> int:
        return len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, column)
        if role == IdRole:
            return getattr(row, "id", None)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if self.right_aligned(row, column) else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        return None

    def cell(self, row: T, column: int) -> str:
        """The text of one cell; subclasses say what each column shows (blank by default)."""
        return ""

    def foreground(self, row: T, column: int) -> Any:
        return None

    def right_aligned(self, row: T, column: int) -> bool:
        """Numbers are right-aligned."""
        return False

    def tooltip(self, row: T, column: int) -> str | None:
        return None


class PageCache(Generic[T]):
    """Rows of a lazy model, fetched a page at a time and kept for the last ``max_pages``."""

    def __init__(
        self, fetch: Callable[[int, int], list[T]], page: int = 200, max_pages: int = 50
    ) -> None:
        self._fetch = fetch
        self.page = page
        self.max_pages = max_pages
        self._pages: OrderedDict[int, list[T]] = OrderedDict()

    def clear(self) -> None:
        self._pages.clear()

    def __len__(self) -> int:
        """How many pages are loaded."""
        return len(self._pages)

    def get(self, row: int) -> T | None:
        page_no, offset = divmod(row, self.page)
        rows = self._pages.get(page_no)
        if rows is None:
            try:
                rows = self._fetch(page_no * self.page, self.page)
            except Exception as exc:
                if not is_corruption(exc):
                    raise
                # A damaged page in the file: these rows show empty, and the error goes to the
                # excepthook once (after the paint), which tells the user once. Raising here
                # would raise from every cell's paint.
                rows = []
                QTimer.singleShot(0, lambda e=exc: sys.excepthook(type(e), e, e.__traceback__))
            self._pages[page_no] = rows
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return rows[offset] if offset < len(rows) else None

    def loaded(self) -> Iterator[tuple[int, T]]:
        """(row, item) of every loaded row."""
        for page_no, rows in self._pages.items():
            for i, item in enumerate(rows):
                yield page_no * self.page + i, item
