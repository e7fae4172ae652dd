"""A chart panel: a matplotlib canvas with hover values, click drill-down, export and a table view.

matplotlib costs about half a second to import, so a panel creates its canvas (and imports
matplotlib) only when it first has a chart to draw; the very first canvas of the session waits
until the panel has been painted once, so the Monitor shows its numbers before its charts.
A chart not on screen (another tab, or its table shown) is marked stale and drawn when shown.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QPalette
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

from ...render.charts import ChartTheme, Hit
from ...render.format import literal_text
from ..kit.stale import AfterPaint, Stale
from ..plain_text import tip
from .tables import ValuesModel

if TYPE_CHECKING:
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

DrawFn = Callable[["Figure", ChartTheme], list[Hit]]
TableFn = Callable[[], tuple[Sequence[str], Sequence[Sequence[Any]]]]
EXPORT_FILTERS = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
# The smallest canvas (pixels) on which two plots side by side still fit their texts: constrained
# layout leaves a smaller figure as it was, with a warning.
MIN_CANVAS = (480, 220)


def widget_theme(widget: QWidget) -> ChartTheme:
    pal = widget.palette()
    return ChartTheme.for_background(
        pal.color(QPalette.ColorRole.Base).name(), pal.color(QPalette.ColorRole.WindowText).name()
    )


class ChartPanel(QWidget):
    """One chart. Give it ``draw`` (fills a Figure, returns the bars) and ``table`` (its numbers).

    ``draw`` gets the figure as the previous draw left it and clears or reuses its axes itself
    (``build`` reuses them, which makes a refresh cheaper).

    It redraws only when :meth:`set_content` is called with new data, or when the colour scheme
    changes, and then only once it is on screen; ``barClicked`` carries the key of a clicked bar
    for drill-down.
    """

    barClicked = Signal(object)

    def __init__(self, title: str, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._draw: DrawFn | None = None
        self._table: TableFn | None = None
        self.hits: list[Hit] = []
        self.draw_count = 0
        self._theme_key = ""
        self._drawn_width = 0
        # Legend columns and slanted labels are chosen for the width a chart is drawn at: once a
        # resize settles, a chart drawn for another width is drawn again.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(200)
        self._refit.timeout.connect(self._redraw_if_resized)

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

        self.figure: Figure | None = None
        self.canvas: FigureCanvasQTAgg | None = None
        self.drawing_note = QLabel(self.tr("Drawing the chart…"))
        self.drawing_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drawing_note.setEnabled(False)
        self.drawing_note.setMinimumHeight(220)
        self._waiting: AfterPaint | None = None
        # The chart's page of the stack: visible exactly when the chart is on screen.
        self.chart_page = QWidget()
        self._chart_layout = QVBoxLayout(self.chart_page)
        self._chart_layout.setContentsMargins(0, 0, 0, 0)
        self._chart_layout.addWidget(self.drawing_note)
        self.stale = Stale(self.chart_page, lambda _changes: self.redraw())
        self.table_model = ValuesModel()
        self.table_view = QTableView()
        self.table_view.setModel(self.table_model)
        self.table_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table_view.setAlternatingRowColors(True)
        self.table_view.verticalHeader().hide()
        self.table_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.table_view.horizontalHeader().setStretchLastSection(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.chart_page)
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

    def ensure_canvas(self) -> FigureCanvasQTAgg:
        """The matplotlib canvas, created (and matplotlib imported) on first use."""
        if self.canvas is None:
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
            from matplotlib.figure import Figure

            from ...render.layout import RowLayout

            self.figure = Figure(figsize=(6, 3.4), layout=RowLayout())
            canvas = self.canvas = FigureCanvasQTAgg(self.figure)
            canvas.setMinimumSize(*MIN_CANVAS)
            canvas.mpl_connect("motion_notify_event", self._on_motion)
            canvas.mpl_connect("button_press_event", self._on_press)
            self._chart_layout.replaceWidget(self.drawing_note, canvas)
            self.drawing_note.deleteLater()
            canvas.show()
        return self.canvas

    def redraw(self) -> None:
        """Draw the chart now if it is on screen, else when it is next shown."""
        if self._draw is None:
            return
        if not self.chart_page.isVisible():
            self.stale.mark()
            return
        if self.canvas is None and "matplotlib.backends.backend_qtagg" not in sys.modules:
            # The session's first chart: the numbers around it paint before matplotlib loads.
            if self._waiting is None:
                self._waiting = AfterPaint(self.drawing_note, self._first_canvas)
            return
        self.stale.clear()
        canvas = self.ensure_canvas()
        assert self.figure is not None
        self._drawn_width = canvas.width()
        theme = widget_theme(self)
        self._theme_key = theme.bg
        self.figure.set_facecolor(theme.bg)
        with literal_text():
            self.hits = self._draw(self.figure, theme)
        self.draw_count += 1
        canvas.draw_idle()

    def _first_canvas(self) -> None:
        self._waiting = None
        self.ensure_canvas()
        self.redraw()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.canvas is not None and self._draw is not None:
            self._refit.start()

    def _redraw_if_resized(self) -> None:
        if self.canvas is not None and self.canvas.width() != self._drawn_width:
            self.redraw()

    def changeEvent(self, event: Any) -> None:
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

    # Hover and click ---------------------------------------------------------------------
    def hit_at(self, event: Any) -> Hit | None:
        for hit in reversed(self.hits):
            try:
                inside, _ = hit.artist.contains(event)
            except (AttributeError, ValueError):
                continue
            if inside:
                return hit
        return None

    def _on_motion(self, event: Any) -> None:
        hit = self.hit_at(event) if event.inaxes is not None else None
        canvas = self.ensure_canvas()
        if hit is None:
            QToolTip.hideText()
            canvas.unsetCursor()
            return
        QToolTip.showText(QCursor.pos() + QPoint(12, 12), tip(hit.tooltip), canvas)
        if hit.key:
            canvas.setCursor(Qt.CursorShape.PointingHandCursor)

    def _on_press(self, event: Any) -> None:
        if event.button != 1 or event.inaxes is None:
            return
        hit = self.hit_at(event)
        if hit is not None and hit.key:
            self.barClicked.emit(hit.key)

    # Export ------------------------------------------------------------------------------
    def export_dialog(self) -> None:
        name, chosen = QFileDialog.getSaveFileName(
            self, self.tr("Export chart"), f"{self.title}.png", EXPORT_FILTERS
        )
        if name:
            self.export(Path(name), chosen)

    def export(self, path: Path, chosen_filter: str = "") -> Path:
        """Write the chart (light colours, for print and documents) as PNG, SVG or PDF."""
        if path.suffix.lower() not in (".png", ".svg", ".pdf"):
            ext = (
                ".svg"
                if "svg" in chosen_filter.lower()
                else ".pdf"
                if "pdf" in chosen_filter.lower()
                else ".png"
            )
            path = path.with_suffix(ext)
        if self._draw is None:
            raise RuntimeError("nothing to export yet")
        from matplotlib.figure import Figure

        figure = Figure(figsize=(9, 5), layout="constrained")
        theme = ChartTheme()
        figure.set_facecolor(theme.bg)
        with literal_text():
            self._draw(figure, theme)
            figure.savefig(path, dpi=200, facecolor=theme.bg)
        return path
