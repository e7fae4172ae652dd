"""A quiet busy state over a panel whose answer is on its way from the reader thread.

Nothing shows for answers quicker than :data:`BUSY_AFTER_MS`; after that a thin moving bar runs
along the top edge of the panel (the panel stays usable, its old content visible) until every
answer it waits for is back.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QProgressBar, QWidget

BUSY_AFTER_MS = 150
_BAR_HEIGHT = 3


class Busy(QProgressBar):
    """The bar over one panel; made on the first wait, reused after."""

    def __init__(self, panel: QWidget) -> None:
        super().__init__(panel)
        self.setObjectName("busyBar")
        self.setRange(0, 0)
        self.setTextVisible(False)
        self.setFixedHeight(_BAR_HEIGHT)
        self.setAccessibleName(self.tr("Updating"))
        self.setToolTip(self.tr("Updating…"))
        self.waiting = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(BUSY_AFTER_MS)
        self._timer.timeout.connect(self._appear)
        panel.installEventFilter(self)
        self.hide()

    @classmethod
    def over(cls, panel: QWidget) -> Busy:
        """The bar of ``panel``, now counting one more answer it waits for."""
        bar = panel.findChild(Busy, "busyBar", Qt.FindChildOption.FindDirectChildrenOnly)
        if bar is None:
            bar = cls(panel)
        bar.hold()
        return bar

    def hold(self) -> None:
        self.waiting += 1
        if not self.isVisible() and not self._timer.isActive():
            self._timer.start()

    def release(self) -> None:
        if not shiboken6.isValid(self):
            return  # the panel went away while its answer was on the way
        self.waiting = max(0, self.waiting - 1)
        if not self.waiting:
            self._timer.stop()
            self.hide()

    def _appear(self) -> None:
        if self.waiting:
            self._place()
            self.show()
            self.raise_()

    def _place(self) -> None:
        panel = self.parentWidget()
        if panel is not None:
            self.setGeometry(0, 0, panel.width(), _BAR_HEIGHT)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False
