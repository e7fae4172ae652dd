"""A chart panel: a chart drawn off the GUI thread, with hover values, click drill-down, export
and a table view.

The app's process never runs matplotlib (nor imports it) for the charts on screen. A panel
hands its ``draw`` function, the colours and the size it is shown at to the chart thread
(``ops.draw``), which sends them to the chart drawing process
(:mod:`~nextlevel_desktop.render.chart_process`) and waits; there the panel's own figure is
drawn with Agg, and the pixels come back, made into a ``QImage`` at the screen's pixel ratio on
the chart thread, with the bars' rectangles (:class:`~nextlevel_desktop.render.raster.Box`).
The GUI thread paints the image and answers hovers and clicks from the rectangles. A resize
shows the old image scaled until the chart, drawn again at the new size, comes back (the
drawing waits for the resize to settle).
A chart not on screen (another tab, or its table shown) is marked stale and drawn when shown.

How a new chart plugs in
    1. Write the plot in ``render`` (a module of its own if you like): a function taking an
       ``Axes``, plain data and a ``ChartTheme``, styled with ``render.chart_style`` (``style``,
       ``x_labels``, ``legend``, ``no_data``), returning a ``Hit`` for each bar or point that
       shows a tooltip or opens a drill-down (``Hit(artist, tooltip, key)``; any artist whose
       ``get_window_extent`` is its clickable area — for a point, a faceless bar behind it as
       ``plot_outcome_trend`` does). No Qt, no pyplot: it runs in the drawing process, in the PDF
       export and in tests alike.
    2. Wrap it as a ``build.ChartContent(draw, table)`` made by a ``@build.portable`` maker:
       ``draw(figure, theme)`` lays the plots out on the figure it is given
       (``render.chart_style.plots`` reuses them between draws) and returns the hits;
       ``table()`` returns the numbers for "Show as table". Both capture plain values only
       (read on the reader thread, e.g. in ``reads.chart_content``), never services or rows:
       the drawing travels to the drawing process as the maker and its arguments, pickled.
    3. Show it with ``ChartPanel(ops, title, hint)`` and ``panel.set_content(draw, table)``;
       connect ``barClicked`` to open what a hit's ``key`` stands for.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ...render import chart_process
from ...render.chart_style import LIGHT, ChartTheme, Hit
from ...render.raster import Box, Raster
from ..kit.busy import wait_for
from ..kit.ops import Operations
from ..kit.stale import Stale
from ..kit.tables import paint_cells_in_cpp
from ..plain_text import tip
from .tables import ValuesModel

DrawFn = Callable[[Any, ChartTheme], list[Hit]]
TableFn = Callable[[], tuple[Sequence[str], Sequence[Sequence[Any]]]]
EXPORT_FILTERS = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
# The smallest canvas (pixels) on which two plots side by side still fit their texts.
MIN_CANVAS = (480, 220)
REFIT_MS = 200  # a resize settles this long before the chart is drawn again at its new size
_KEYS = itertools.count(1)  # each panel's figure in the drawing process


def widget_theme(widget: QWidget) -> ChartTheme:
    pal = widget.palette()
    return ChartTheme.for_background(
        pal.color(QPalette.ColorRole.Base).name(), pal.color(QPalette.ColorRole.WindowText).name()
    )


def to_image(raster: Raster) -> QImage:
    """The raster as a ``QImage`` that owns its pixels, made on the chart thread in the format a
    window paints without converting: the chart is opaque (its figure has the window's base
    colour behind it), so ``Format_RGB32`` — painting it is a plain copy, where Agg's RGBA was
    converted pixel by pixel on the GUI thread at every paint (3–4× the time). The pixels are
    copied in first: a ``QImage`` made over a Python buffer upset PySide6's reference counts
    (a fatal "deallocating None")."""
    image = QImage(raster.width, raster.height, QImage.Format.Format_RGBA8888)
    memoryview(image.bits())[: len(raster.rgba)] = raster.rgba  # rows of 4 × width: no padding
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(raster.ratio)
    return image


class ChartView(QWidget):
    """Paints a drawn chart and answers hovers and clicks from its bars' rectangles."""

    clicked = Signal(object)
    resized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(*MIN_CANVAS)
        self.setMouseTracking(True)
        self.image: QImage | None = None
        self.boxes: list[Box] = []
        self.note = self.tr("Drawing the chart…")

    def set_image(self, image: QImage, boxes: list[Box]) -> None:
        self.image, self.boxes = image, boxes
        self.update()

    def drawn_size(self) -> QSize:
        """The size (logical pixels) the image shown was drawn for."""
        return self.image.deviceIndependentSize().toSize() if self.image else QSize()

    def drawn_to_fit(self) -> bool:
        """The image shown was drawn for this size and this screen's pixel ratio."""
        image = self.image
        return (
            image is not None
            and self.drawn_size() == self.size()
            and image.devicePixelRatio() == self.devicePixelRatioF()
        )

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        if self.image is None:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
            painter.drawText(self.rect().adjusted(24, 0, -24, 0), flags, self.note)
            return
        if self.drawn_to_fit():
            painter.drawImage(QPoint(0, 0), self.image)
        else:  # resizing: the old chart stretched until the new one comes
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(QRectF(self.rect()), self.image)

    def box_at(self, x: float, y: float) -> Box | None:
        if not self.drawn_to_fit():
            return None
        return next((b for b in reversed(self.boxes) if b.contains(x, y)), None)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        pos = event.position()
        box = self.box_at(pos.x(), pos.y())
        if box is None:
            QToolTip.hideText()
            self.unsetCursor()
            return
        QToolTip.showText(event.globalPosition().toPoint() + QPoint(12, 12), tip(box.tooltip), self)
        if box.key:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.unsetCursor()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position()
        box = self.box_at(pos.x(), pos.y())
        if box is not None and box.key:
            self.clicked.emit(box.key)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.resized.emit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.DevicePixelRatioChange:  # moved to another screen
            self.resized.emit()


class ChartPanel(QWidget):
    """One chart. Give it ``draw`` (fills a Figure, returns the bars) and ``table`` (its numbers).

    ``draw`` gets the figure as the previous draw left it and clears or reuses its axes itself
    (``build`` reuses them, which makes a refresh cheaper); it runs in the chart drawing process.

    It draws only when :meth:`set_content` is called with new data, when the colour scheme
    changes or when its size has settled on a new one, and then only once it is on screen;
    ``barClicked`` carries the key of a clicked bar for drill-down.
    """

    barClicked = Signal(object)

    def __init__(
        self, ops: Operations, title: str, hint: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.title = title
        self._draw: DrawFn | None = None
        self._table: TableFn | None = None
        self.key = next(_KEYS)  # its figure's in the drawing process
        self.hits: list[Box] = []
        self.draw_count = 0
        self.drawing = False  # a drawing asked of the chart thread has not come back yet
        self._theme_key = ""
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(REFIT_MS)
        self._refit.timeout.connect(self._redraw_if_resized)
        start = chart_process.shared().start
        ops.draw(self, "warm-up", start, lambda _none: None, on_failed=self._failed)

        header = QHBoxLayout()
        header.setContentsMargins(4, 0, 4, 0)
        self.caption = QLabel(hint)
        self.caption.setEnabled(False)
        self.caption.setWordWrap(True)
        header.addWidget(self.caption, 1)
        self.table_button = QToolButton()
        self.table_button.setText(self.tr("Show as table"))
        self.table_button.setCheckable(True)
        self.table_button.setToolTip(self.tr("Switch between the chart and its numbers"))
        self.table_button.toggled.connect(self._toggle_table)
        self.export_button = QToolButton()
        self.export_button.setText(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Save this chart as PNG, SVG or PDF"))
        self.export_button.clicked.connect(self.export_dialog)
        header.addWidget(self.table_button)
        header.addWidget(self.export_button)
        for button in (self.table_button, self.export_button):
            button.setEnabled(False)  # until there is a chart

        self.view = ChartView()
        self.view.clicked.connect(self.barClicked)
        self.view.resized.connect(self._resized)
        self.stale = Stale(self.view, lambda _changes: self.redraw())
        self.table_model = ValuesModel()
        self.table_view = QTableView()
        paint_cells_in_cpp(self.table_view)
        self.table_view.setModel(self.table_model)
        self.table_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table_view.setAlternatingRowColors(True)
        self.table_view.verticalHeader().hide()
        self.table_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.table_view.horizontalHeader().setStretchLastSection(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.table_view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)

    # Content -----------------------------------------------------------------------------
    def set_content(self, draw: DrawFn, table: TableFn) -> None:
        self._draw, self._table = draw, table
        self.table_button.setEnabled(True)
        self.export_button.setEnabled(True)
        self.redraw()
        if self.table_button.isChecked():
            self._fill_table()

    def redraw(self) -> None:
        """Draw the chart (on the chart thread) if it is on screen, else when it is next shown."""
        draw = self._draw
        if draw is None:
            return
        if not self.view.isVisible():
            self.stale.mark()
            return
        self.stale.clear()
        self._refit.stop()
        theme = widget_theme(self)
        self._theme_key = theme.bg
        key, size, ratio = self.key, self.view.size(), self.view.devicePixelRatioF()
        width, height = size.width(), size.height()

        def job() -> tuple[QImage, list[Box]]:  # on the chart thread: plain values only
            drawn = chart_process.shared().render(key, draw, theme, width, height, ratio)
            return to_image(drawn), drawn.boxes

        self.drawing = True
        self.ops.draw(self, "chart", job, self._drawn, on_failed=self._failed)

    def _drawn(self, answer: tuple[QImage, list[Box]]) -> None:
        self.drawing = False
        image, self.hits = answer
        self.draw_count += 1
        self.view.set_image(image, self.hits)
        if not self.view.drawn_to_fit():
            self._refit.start()  # resized while it was drawing

    def _failed(self, exc: BaseException) -> None:
        self.drawing = False
        if isinstance(exc, chart_process.ChartProcessError):  # not a bug: say so in its place
            self.view.image, self.view.boxes = None, []
            self.view.note = self.tr("This chart could not be drawn. {0}").format(exc)
            self.view.update()
            return
        raise exc  # a bug in a plot: the crash dialog

    def _resized(self) -> None:
        if self._draw is not None and self.view.image is not None:
            self._refit.start()

    def _redraw_if_resized(self) -> None:
        if not self.view.drawn_to_fit() and not self.drawing:
            self.redraw()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._draw is not None:
            if widget_theme(self).bg != self._theme_key:
                self.redraw()

    def _fill_table(self) -> None:
        if self._table is not None:
            headers, rows = self._table()
            self.table_model.set_rows(rows, headers)

    def _toggle_table(self, on: bool) -> None:
        if on:
            self._fill_table()
        self.stack.setCurrentIndex(1 if on else 0)
        self.table_button.setText(self.tr("Show as chart") if on else self.tr("Show as table"))

    # Export ------------------------------------------------------------------------------
    def export_dialog(self) -> None:
        name, chosen = QFileDialog.getSaveFileName(
            self, self.tr("Export chart"), f"{self.title}.png", EXPORT_FILTERS
        )
        if name:
            self.export(Path(name), chosen)

    def export(self, path: Path, chosen_filter: str = "") -> Path:
        """Write the chart (light colours, for print and documents) as PNG, SVG or PDF, in the
        drawing process while the window keeps painting."""
        if path.suffix.lower() not in (".png", ".svg", ".pdf"):
            ext = (
                ".svg"
                if "svg" in chosen_filter.lower()
                else ".pdf"
                if "pdf" in chosen_filter.lower()
                else ".png"
            )
            path = path.with_suffix(ext)
        draw = self._draw
        if draw is None:
            raise RuntimeError("nothing to export yet")
        wait_for(
            self.tr("Exporting the chart…"),
            lambda _p: chart_process.shared().export(draw, path, LIGHT),
            self,
        )
        return path
