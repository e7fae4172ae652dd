"""The process map: every active process drawn as a row of stage chevrons, hunting and farming
side by side, the "two parallel processes" picture of the whole business."""

from __future__ import annotations

from html import escape
from typing import cast

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ...domain.models import Process, ProcessKind, Stage, StageCategory
from .stage_model import stage_colour

ROW_H = 58
MIN_ROW_H = 34  # compact rows: stage name and figures on one line
LABEL_W = 150
GAP = 6
TIP = 12


class ProcessMap(QWidget):
    """Click a box to select that stage (``stageClicked(process_id, stage_id)``)."""

    stageClicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._processes: list[Process] = []
        self._boxes: list[tuple[QRectF, int, int]] = []
        self._selected: int | None = None
        self.row_h = float(ROW_H)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def set_processes(self, processes: list[Process]) -> None:
        self._processes = [p for p in processes if not p.archived]
        self.updateGeometry()
        self.update()

    def set_selected_stage(self, stage_id: int | None) -> None:
        self._selected = stage_id
        self.update()

    def set_row_height(self, height: float) -> None:
        """Rows as tall as ``height`` (at least :data:`MIN_ROW_H`): the Designer shrinks them so
        that every process stays in view rather than scrolling some out of it."""
        height = max(float(MIN_ROW_H), min(float(ROW_H), height))
        if height != self.row_h:
            self.row_h = height
            self.updateGeometry()
            self.update()

    def sizeHint(self) -> QSize:
        rows = max(1, len(self._processes))
        return QSize(900, int(rows * (self.row_h + GAP) + GAP))

    def minimumSizeHint(self) -> QSize:
        return QSize(400, self.sizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        self._boxes = []
        bold = QFont(self.font())
        bold.setBold(True)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.85))
        y = float(GAP)
        # Wide windows have room for whole process names.
        label_w = LABEL_W + 60 if self.width() > 1400 else LABEL_W
        for proc in self._processes:
            stages = proc.active_stages
            opens = [s for s in stages if s.category is StageCategory.OPEN]
            closes = [s for s in stages if s.category is not StageCategory.OPEN]
            label = QRectF(0, y, label_w - 8, self.row_h)
            p.setPen(pal.windowText().color())
            p.setFont(bold)
            name = p.fontMetrics().elidedText(
                proc.name, Qt.TextElideMode.ElideRight, int(label.width() - 6)
            )
            p.drawText(label.adjusted(4, 4, 0, -self.row_h / 2), Qt.AlignmentFlag.AlignLeft, name)
            p.setFont(small)
            p.setPen(pal.placeholderText().color())
            p.drawText(
                label.adjusted(4, self.row_h / 2 - 2, 0, 0),
                Qt.AlignmentFlag.AlignLeft,
                proc.kind.label,
            )
            width = self.width() - label_w - GAP
            close_w = min(110.0, width * 0.14)
            open_w = (width - close_w - GAP) / max(len(opens), 1)
            x = float(label_w)
            for stage in opens:
                self._draw_chevron(
                    p, QRectF(x, y, open_w - 2, self.row_h), stage, proc.id, bold, small
                )
                x += open_w
            half = (self.row_h - 4) / 2
            for i, stage in enumerate(closes[:2]):
                rect = QRectF(x + GAP, y + i * (half + 4), close_w, half)
                self._draw_box(p, rect, stage, proc.id, small)
            y += self.row_h + GAP
        p.end()

    def _text_colour(self, fill: QColor) -> QColor:
        return QColor("#ffffff") if fill.lightness() < 170 else QColor("#1a1a1a")

    def _draw_chevron(
        self, p: QPainter, r: QRectF, stage: Stage, pid: int, bold: QFont, small: QFont
    ) -> None:
        path = QPainterPath()
        path.moveTo(r.left(), r.top())
        path.lineTo(r.right() - TIP, r.top())
        path.lineTo(r.right(), r.center().y())
        path.lineTo(r.right() - TIP, r.bottom())
        path.lineTo(r.left(), r.bottom())
        path.lineTo(r.left() + TIP, r.center().y())
        path.closeSubpath()
        fill = stage_colour(stage)
        p.setBrush(fill)
        selected = stage.id == self._selected
        p.setPen(QPen(self.palette().highlight().color(), 3) if selected else Qt.PenStyle.NoPen)
        p.drawPath(path)
        p.setPen(self._text_colour(fill))
        inner = r.adjusted(TIP + 4, 4, -TIP - 2, -4)
        bits = []
        if stage.expected_days is not None:
            bits.append(f"{stage.expected_days} d")
        if stage.target_conversion is not None:
            bits.append(f"→ {stage.target_conversion} %")
        figures = "  ".join(bits)
        compact = r.height() < 48
        p.setFont(bold)
        name_w = p.fontMetrics().horizontalAdvance(stage.name)
        p.setFont(small)
        room = inner.width()
        figures_w = p.fontMetrics().horizontalAdvance(figures) + 6
        # One line: the name first, the figures flush right where both fit (the tooltip
        # has them all).
        if compact:
            if name_w + figures_w <= room:
                room -= figures_w
                right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                p.drawText(inner, right, figures)
        else:
            detail = p.fontMetrics().elidedText(figures, Qt.TextElideMode.ElideRight, int(room))
            p.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, detail)
        p.setFont(bold)
        name = p.fontMetrics().elidedText(stage.name, Qt.TextElideMode.ElideRight, int(room))
        where = Qt.AlignmentFlag.AlignVCenter if compact else Qt.AlignmentFlag.AlignTop
        p.drawText(inner, Qt.AlignmentFlag.AlignLeft | where, name)
        self._boxes.append((r, pid, stage.id))

    def _draw_box(self, p: QPainter, r: QRectF, stage: Stage, pid: int, small: QFont) -> None:
        fill = stage_colour(stage)
        selected = stage.id == self._selected
        p.setBrush(fill)
        p.setPen(QPen(self.palette().highlight().color(), 3) if selected else Qt.PenStyle.NoPen)
        p.drawRoundedRect(r, 5, 5)
        p.setPen(self._text_colour(fill))
        p.setFont(small)
        text = p.fontMetrics().elidedText(
            stage.name, Qt.TextElideMode.ElideRight, int(r.width() - 8)
        )
        p.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
        self._boxes.append((r, pid, stage.id))

    def stage_at(self, pos: QPointF) -> tuple[int, int] | None:
        for rect, pid, sid in self._boxes:
            if rect.contains(pos):
                return pid, sid
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = self.stage_at(event.position())
        if hit is not None:
            self.stageClicked.emit(*hit)
        super().mousePressEvent(event)

    def tooltip_for(self, stage_id: int) -> str:
        """The stage's design in one tooltip: what the box cannot show."""
        for proc in self._processes:
            for stage in proc.active_stages:
                if stage.id != stage_id:
                    continue
                lines = [f"<b>{escape(stage.name)}</b> · {escape(proc.name)}"]
                if stage.expected_days is not None:
                    lines.append(self.tr("Expected {0} days in stage").format(stage.expected_days))
                if stage.target_conversion is not None:
                    lines.append(
                        self.tr("Target conversion to the next stage: {0} %").format(
                            stage.target_conversion
                        )
                    )
                if stage.probability is not None and proc.kind is ProcessKind.HUNTING:
                    lines.append(self.tr("Win probability: {0} %").format(stage.probability))
                if stage.guidance:
                    lines.append(f"<i>{escape(stage.guidance)}</i>")
                return "<br>".join(lines)
        return ""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            help_event = cast(QHelpEvent, event)
            hit = self.stage_at(QPointF(help_event.pos()))
            if hit is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(help_event.globalPos(), self.tooltip_for(hit[1]), self)
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self.stage_at(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)
