"""Header sort arrows point the way users read them: ▼ for newest first (descending)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QStyleFactory

from nextlevel_desktop.ui.theme import AppStyle


def header_image(qtbot, style, order: Qt.SortOrder) -> QImage:  # type: ignore[no-untyped-def]
    model = QStandardItemModel(1, 1)
    model.setHorizontalHeaderLabels(["Date"])
    header = QHeaderView(Qt.Orientation.Horizontal)
    qtbot.addWidget(header)
    header.setStyle(style)
    header.setModel(model)
    header.setSortIndicatorShown(True)
    header.setSortIndicator(0, order)
    header.resize(160, 28)
    header.resizeSection(0, 160)
    return header.grab().toImage()


def test_descending_draws_the_arrow_fusion_draws_for_ascending(qtbot) -> None:  # type: ignore[no-untyped-def]
    fusion = QStyleFactory.create("Fusion")
    ours = AppStyle()
    newest_first = header_image(qtbot, ours, Qt.SortOrder.DescendingOrder)
    assert newest_first == header_image(qtbot, fusion, Qt.SortOrder.AscendingOrder)
    assert newest_first != header_image(qtbot, fusion, Qt.SortOrder.DescendingOrder)
    oldest_first = header_image(qtbot, ours, Qt.SortOrder.AscendingOrder)
    assert oldest_first == header_image(qtbot, fusion, Qt.SortOrder.DescendingOrder)
