"""The one read-only table view: whole rows, one at a time, as the lists of the areas use it;
and the style every long table paints its cells with."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QProxyStyle,
    QStyleFactory,
    QTableView,
)

from .rows_model import IdRole


def paint_cells_in_cpp(table: QTableView) -> None:
    """Give ``table`` the application's style without its Python layer (``theme.AppStyle``, a
    ``QProxyStyle`` whose ``drawPrimitive`` is Python): every cell's row and item panels went
    through it, two Python calls per cell on every repaint (400 for a screen of 200 cells),
    and with PySide 6.12 on Python 3.11 each call dropped a reference to ``None`` (a returned
    ``None`` not counted), so a few hundred repaints ended the interpreter ("none_dealloc").
    The same C++ style draws the cells and frame; the header (a child widget) keeps the
    application's style and its sort arrows."""
    app_style = QApplication.style()
    if not isinstance(app_style, QProxyStyle):
        return  # a C++ style already
    style = QStyleFactory.create(app_style.baseStyle().name())
    if style is None:
        return
    style.setParent(table)  # deleted with the table; a widget does not own its style
    table.setStyle(style)


def row_table(
    model: QAbstractItemModel, stretch: int | None = None, widths: Iterable[tuple[int, int]] = ()
) -> QTableView:
    """A single-selection, whole-row, read-only table over ``model``. Columns keep the
    ``(column, width)`` given and the last one takes the spare width; with ``stretch``, that
    column takes it and the others fit their contents."""
    table = QTableView()
    paint_cells_in_cpp(table)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    if stretch is None:
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for column, width in widths:
        header.resizeSection(column, width)
    return table


def select_table_row(table: QTableView, row: int, column: int = 0) -> None:
    model = table.model()
    table.selectionModel().setCurrentIndex(
        model.index(row, column),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def current_row(table: QTableView) -> int | None:
    index = table.selectionModel().currentIndex()
    return index.row() if index.isValid() else None


def current_id(table: QTableView) -> int | None:
    """The id (``IdRole``) of the table's current row; None without one."""
    return table.selectionModel().currentIndex().data(IdRole)
