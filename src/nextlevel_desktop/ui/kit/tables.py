"""The one read-only table view: whole rows, one at a time, as the lists of the areas use it."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from .rows_model import IdRole


def row_table(
    model: QAbstractItemModel, stretch: int | None = None, widths: Iterable[tuple[int, int]] = ()
) -> QTableView:
    """A single-selection, whole-row, read-only table over ``model``. Columns keep the
    ``(column, width)`` given and the last one takes the spare width; with ``stretch``, that
    column takes it and the others fit their contents."""
    table = QTableView()
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
