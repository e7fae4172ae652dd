"""Read-only table models over plain rows: in memory, or fetched lazily a page at a time; the
one id role every model answers."""

from __future__ import annotations

import sys
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableView, QWidget

from ...domain.errors import NextLevelError
from ...services.container import Services
from ...storage.integrity import is_corruption
from ..errors import show_error
from .ops import Operations

Index = QModelIndex | QPersistentModelIndex
IdRole = Qt.ItemDataRole.UserRole + 1  # every model's row id, for views that act on a row
T = TypeVar("T")
Q = TypeVar("Q")
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
R = Qt.ItemDataRole
# The roles a RowsModel answers: a view asks each cell for some eight (font, decoration, check
# state ...), and the others are turned away before any Python work (a 2,000-row list's
# columns are measured from every role of some 300 cells when it is shown).
ROLES = frozenset(
    int(r) for r in (R.DisplayRole, IdRole, R.ForegroundRole, R.TextAlignmentRole, R.ToolTipRole)
)


class HeaderedModel(QAbstractTableModel):
    """A flat table whose ``HEADERS`` name the columns (in the order of the model's column
    enum); subclasses give ``row_count``. ``headers`` may be given at run time instead."""

    HEADERS: Sequence[object] = ()  # strings; Qt's stubs type QT_TRANSLATE_NOOP as object

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.headers: Sequence[object] = self.HEADERS

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
            return self.tr(str(self.headers[section]))
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
        if role not in ROLES or not index.isValid() or not 0 <= index.row() < len(self.rows):
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
    """Rows of a lazy model, a page at a time, kept for the last ``max_pages``. A page not
    loaded is asked for once (``ask(page_no)``); its rows arrive later through ``put``."""

    def __init__(self, ask: Callable[[int], None], page: int = 200, max_pages: int = 50) -> None:
        self._ask = ask
        self.page = page
        self.max_pages = max_pages
        self._pages: OrderedDict[int, list[T]] = OrderedDict()
        self._asked: set[int] = set()

    def clear(self) -> None:
        self._pages.clear()
        self._asked.clear()

    def __len__(self) -> int:
        """How many pages are loaded."""
        return len(self._pages)

    def get(self, row: int) -> T | None:
        """The row if its page is loaded; else ``None``, and its page is asked for."""
        page_no, offset = divmod(row, self.page)
        rows = self._pages.get(page_no)
        if rows is None:
            if page_no not in self._asked:
                self._asked.add(page_no)
                self._ask(page_no)
            return None
        self._pages.move_to_end(page_no)
        return rows[offset] if offset < len(rows) else None

    def put(self, page_no: int, rows: list[T]) -> None:
        self._asked.discard(page_no)
        self._pages[page_no] = rows
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)

    def recent(self, n: int) -> list[int]:
        """The ``n`` pages used last (those on screen), in page order."""
        return sorted(list(self._pages)[-n:])

    def loaded(self, first: int = 0, last: int = sys.maxsize) -> Iterator[tuple[int, T]]:
        """(row, item) of every loaded row from ``first`` to ``last``."""
        for page_no, rows in self._pages.items():
            start = page_no * self.page
            for i in range(max(first - start, 0), min(last - start + 1, len(rows))):
                yield start + i, rows[i]


class LazyRowsModel(HeaderedModel, Generic[Q, T]):
    """A long list counted and paged on the reader thread, for one query (a frozen value:
    filter and sort).

    ``rowCount`` is the last answered count; a row whose page is not loaded yet shows empty
    cells, its page is asked for once and ``dataChanged`` follows for exactly its rows. Asking
    for another query, or ``reload`` after a write, counts again in the background (with the
    pages on screen) and resets the model when the answer comes; a newer request supersedes
    an older one. ``busy`` (the view) shows the quiet busy bar while an answer is slow.
    Subclasses say how to ``count`` and ``fetch`` on the reader's services, and ``id_of`` a row.
    """

    PAGE = 200
    MAX_PAGES = 50

    def __init__(
        self,
        ops: Operations,
        query: Q,
        count: Callable[[Services, Q], int],
        fetch: Callable[[Services, Q, int, int, int], list[T]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._count = count
        self._fetch = fetch
        self.busy: QWidget | None = None
        self.query = query  # what is asked for; the rows are of ``_shown`` until it answers
        self._shown = query
        self._total = 0
        self._generation = 0
        self._pages: PageCache[T] = PageCache(self._want, self.PAGE, self.MAX_PAGES)
        self._wanted: set[int] = set()
        self.reload()

    def id_of(self, item: T) -> int:
        """The id of a row (``IdRole``); rows with an ``id`` need not say."""
        return int(item.id)  # type: ignore[attr-defined]

    # Asking -----------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        """True until the rows of the query asked for last have been counted."""
        return self._shown != self.query or self._generation == 0

    def ask(self, query: Q) -> None:
        """Show the rows of ``query`` (when its count answers)."""
        if query != self.query:
            self.query = query
            self.reload()

    def reload(self, fetch: Callable[[Services, Q, int, int, int], list[T]] | None = None) -> None:
        """Count again (after a write) with the pages on screen; reset when answered.
        ``fetch`` reads those pages instead of the model's own (reusing rows it already has)."""
        query = self.query
        keep = self._pages.recent(2) if query == self._shown else []
        keep = keep or [0]
        count, fetch, page = self._count, fetch or self._fetch, self.PAGE

        def read(services: Services) -> tuple[int, dict[int, list[T]]]:
            total = count(services, query)
            pages = {n: fetch(services, query, n * page, page, total) for n in keep}
            return total, {n: rows for n, rows in pages.items() if rows}

        self._ops.read(self, "count", read, lambda a: self._reset(query, *a), busy=self.busy)

    def _reset(self, query: Q, total: int, pages: dict[int, list[T]]) -> None:
        self.beginResetModel()
        self._shown = query
        self._total = total
        self._generation += 1
        self._wanted.clear()
        self._pages.clear()
        for page_no, rows in pages.items():
            self._pages.put(page_no, rows)
        self.endResetModel()

    def _want(self, page_no: int) -> None:
        # Asked from data() while a view paints: the reads go out together, just after.
        if not self._wanted:
            QTimer.singleShot(0, self._ask_pages)
        self._wanted.add(page_no)

    def _ask_pages(self) -> None:
        for page_no in sorted(self._wanted):
            self._ask_page(page_no)
        self._wanted.clear()

    def _ask_page(self, page_no: int) -> None:
        query, total, generation = self._shown, self._total, self._generation
        fetch, offset, page = self._fetch, page_no * self.PAGE, self.PAGE

        def read(services: Services) -> list[T]:
            return fetch(services, query, offset, page, total)

        def failed(exc: BaseException) -> None:
            self._failed(generation, page_no, exc)

        def arrived(rows: list[T]) -> None:
            self._arrived(generation, page_no, rows)

        self._ops.read(self, f"page {page_no}", read, arrived, busy=self.busy, on_failed=failed)

    def _arrived(self, generation: int, page_no: int, rows: list[T]) -> None:
        if generation != self._generation:
            return  # a page of what was shown before the last reset
        self._pages.put(page_no, rows)
        first = page_no * self.PAGE
        last = min(first + len(rows), self._total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))

    def _failed(self, generation: int, page_no: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._pages.put(page_no, [])  # shown empty, not asked for again and again
        if isinstance(exc, NextLevelError) and not is_corruption(exc):
            show_error(QApplication.activeWindow(), exc)
        else:
            raise exc  # a damaged page or a bug: the excepthook tells the user, once

    # Reading what is loaded ---------------------------------------------------------------
    def row_count(self) -> int:
        return self._total

    def line(self, row: int) -> T | None:
        """The row's item if its page is loaded (else ``None``, and the page is asked for)."""
        if not 0 <= row < self._total:
            return None
        return self._pages.get(row)

    def row_of(self, item_id: int) -> int:
        """The row of ``item_id`` among the loaded pages; -1 if not there."""
        return next((r for r, item in self._pages.loaded() if self.id_of(item) == item_id), -1)

    def ids(self, rows: list[int]) -> list[int]:
        """Ids of the given rows (a selection): pages not loaded are read, waiting for them
        (rare: a selection reaching beyond the pages kept), and kept."""
        wanted = {r for r in rows if 0 <= r < self._total}
        found = {r: self.id_of(item) for r, item in self._pages.loaded() if r in wanted}
        missing = {r // self.PAGE for r in wanted - found.keys()}
        if missing:
            query, total, page, fetch = self._shown, self._total, self.PAGE, self._fetch
            generation = self._generation
            pages = self._ops.read_now(
                lambda s: {n: fetch(s, query, n * page, page, total) for n in missing}
            )
            for n, items in pages.items():
                self._arrived(generation, n, items)
                for i, item in enumerate(items):
                    if n * page + i in wanted:
                        found[n * page + i] = self.id_of(item)
        return [found[r] for r in rows if r in found]

    def loaded_ids(self, first: int = 0, last: int = sys.maxsize) -> Iterator[tuple[int, int]]:
        """(row, id) of the loaded rows from ``first`` to ``last`` (nothing is asked for)."""
        for r, item in self._pages.loaded(first, last):
            yield r, self.id_of(item)


class KeepPlace(QObject):
    """Keeps a view's selection, current row and scroll position across the resets of its
    lazy model, for the rows that are still there (loaded) after it. A view scrolled to the top
    stays at the top, so a new row that sorts first shows."""

    def __init__(self, view: QTableView, model: LazyRowsModel[Any, Any]) -> None:
        super().__init__(view)
        self._view = view
        self._model = model
        self._selected: list[int] = []
        self._current: int | None = None
        self._top: int | None = None
        model.modelAboutToBeReset.connect(self._remember)
        model.modelReset.connect(self._restore)

    def _remember(self) -> None:
        view, model = self._view, self._model
        self._selected = [
            item_id
            for rng in view.selectionModel().selection().toList()
            for _r, item_id in model.loaded_ids(rng.top(), rng.bottom())
        ]
        current = view.currentIndex()
        ids = dict(model.loaded_ids(current.row(), current.row())) if current.isValid() else {}
        self._current = ids.get(current.row())
        top = view.rowAt(0)
        at_top = view.verticalScrollBar().value() == 0
        self._top = None if at_top else dict(model.loaded_ids(top, top)).get(top)

    def _restore(self) -> None:
        view, model = self._view, self._model
        # Lay the rows out now, not on the view's zero timer: a new count changes the scroll
        # range, whose queued relayout repainted the whole table a second time (~17 ms).
        view.executeDelayedItemsLayout()
        rows = {item_id: r for r, item_id in model.loaded_ids()}
        last = model.columnCount() - 1
        chosen = QItemSelection()
        for item_id in self._selected:
            if (r := rows.get(item_id)) is not None:
                chosen.select(model.index(r, 0), model.index(r, last))
        flags = QItemSelectionModel.SelectionFlag
        if not chosen.isEmpty():
            view.selectionModel().select(chosen, flags.ClearAndSelect | flags.Rows)
        if self._current in rows:
            view.selectionModel().setCurrentIndex(
                model.index(rows[self._current], 0), flags.NoUpdate
            )
        if self._top in rows:
            view.scrollTo(
                model.index(rows[self._top], 0), QAbstractItemView.ScrollHint.PositionAtTop
            )
