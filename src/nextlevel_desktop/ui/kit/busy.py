"""Waiting without blocking: a quiet busy state over a panel whose answer is on its way from
the reader thread; a worker thread for one long job; a modal wait behind a progress dialog.

Nothing shows for answers quicker than :data:`BUSY_AFTER_MS`; after that a thin moving bar runs
along the top edge of the panel (the panel stays usable, its old content visible) until every
answer it waits for is back.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Callable, Sequence

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QEventLoop,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QWidget

from ... import APP_NAME

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


class GuiCollector(QObject):
    """Python collects reference cycles on whichever thread happens to allocate; a worker that
    collected a cycle holding a Qt object (a timer, a dialog) destroyed it off its thread, and
    Qt warned or crashed (a segfault in the middle of a migration on the opener thread). While
    any worker thread runs, automatic collection is off and cycles are collected here, on the
    GUI thread, by generation as their thresholds are passed (the way pyqtgraph's
    GarbageCollector does). ``hold``/``release`` are called on the GUI thread.

    While workers run, the interpreter also hands its lock (the GIL) over every
    :data:`SWITCH_INTERVAL_S` instead of every 5 ms: a paint calls back into Python (a model's
    ``data``) a few hundred times, and each call waited for a busy worker to let go of the lock,
    up to the whole interval (a 30 ms repaint took 140 ms while an import or export ran)."""

    SWITCH_INTERVAL_S = 0.0005
    _default_interval = 0.005
    _holds = 0
    _instance: GuiCollector | None = None

    def __init__(self) -> None:
        super().__init__(QCoreApplication.instance())
        self._timer = QTimer(self)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self.collect)

    @classmethod
    def _get(cls) -> GuiCollector:
        if cls._instance is None or not shiboken6.isValid(cls._instance):
            cls._instance = GuiCollector()
        return cls._instance

    @classmethod
    def hold(cls) -> None:
        if cls._holds == 0:
            gc.disable()
            cls._get()._timer.start()
            cls._default_interval = sys.getswitchinterval()
            sys.setswitchinterval(cls.SWITCH_INTERVAL_S)
        cls._holds += 1

    @classmethod
    def release(cls) -> None:
        cls._holds = max(0, cls._holds - 1)
        if cls._holds == 0:
            instance = cls._instance
            if instance is not None and shiboken6.isValid(instance):
                instance._timer.stop()
            gc.enable()
            sys.setswitchinterval(cls._default_interval)

    def release_one(self) -> None:
        """Slot for a thread's ``finished``: delivered on the GUI thread."""
        GuiCollector.release()

    FULL_EVERY_S = 30.0  # a full collection at most this often
    _last_full = 0.0
    _frozen = False
    # While a bulk job runs (an import: a worker allocating and keeping some 100,000 records),
    # every collection here would walk its young objects on the GUI thread, up to 75 ms of CPU
    # each. Such a job makes next to no cyclic garbage (reference counting frees the rest), so
    # collecting waits until it has finished. What it leaves (a file's rows, kept while its
    # dialog is open) is then frozen rather than walked (30-45 ms of CPU in the next turn):
    # reference counting still frees it when it is dropped.
    _quiet = 0

    @classmethod
    def quiet(cls) -> None:
        """A bulk job starts (on the GUI thread): collection waits until it ends."""
        cls._quiet += 1

    @classmethod
    def unquiet(cls) -> None:
        """A bulk job ended (on the GUI thread)."""
        cls._quiet = max(0, cls._quiet - 1)
        if not cls._quiet:
            gc.freeze()

    def quiet_one(self) -> None:
        """Slot for a bulk thread's ``finished``: delivered on the GUI thread."""
        GuiCollector.unquiet()

    @classmethod
    def collect(cls) -> None:
        """Collect the youngest generation whose threshold is passed.

        A full collection walks every object in the process (the Qt wrappers, SQLAlchemy's and
        matplotlib's modules: 110–365 ms on a loaded machine, a stall the user feels), so it
        runs at most every ``FULL_EVERY_S`` seconds, standing in for CPython's own rule of
        collecting everything only when the long-lived objects have grown by a quarter. The
        first full collection freezes what survived it (``gc.freeze``): the modules and the
        window built at start-up live as long as the process, and later full collections skip
        them."""
        if cls._quiet:
            return
        thresholds, counts = gc.get_threshold(), gc.get_count()
        now = time.monotonic()
        if counts[2] > thresholds[2] and now - cls._last_full >= cls.FULL_EVERY_S:
            gc.collect(2)
            cls._last_full = now
            if not cls._frozen:
                gc.freeze()
                cls._frozen = True
            return
        for generation in (1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return


def start_guarded(thread: QThread, bulk: bool = False) -> None:
    """Start ``thread`` with Python's cycle collection kept on the GUI thread until it ends;
    a ``bulk`` thread (an import) puts collection off until it has ended."""
    GuiCollector.hold()
    collector = GuiCollector._get()
    if bulk:
        GuiCollector.quiet()
        thread.finished.connect(collector.quiet_one)
    thread.finished.connect(collector.release_one)
    thread.start()


class Worker(QThread):
    """Runs ``job(progress, cancelled)`` off the GUI thread, so the window stays responsive.

    The job's own database session is opened on this thread; progress comes back through a
    queued signal. ``cancel()`` sets a flag the job checks between batches.
    """

    progressed = Signal(float)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        job: Callable[[Callable[[float], None], Callable[[], bool]], object],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._job = job
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self._job(self.progressed.emit, self._cancel.is_set)
        except Exception as exc:  # handed to the GUI thread: never lost on this one
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


FREE_CHUNK = 5000
FREE_WAIT_S = 60.0


def free_later(items: Sequence[object]) -> threading.Thread:
    """Free a large collection (a file's 100,000 rows) on a thread of its own, a chunk at a
    time: freed at once on the GUI thread it held that thread for 15-40 ms (and any single
    free holds the interpreter's lock as long). The thread waits, up to ``FREE_WAIT_S``, until
    the others holding ``items`` (a closed dialog's workers) have let go of it."""
    box = [items]
    del items

    def free() -> None:
        waited = 0.0
        while sys.getrefcount(box[0]) > 2 and waited < FREE_WAIT_S:  # (box, and the call)
            time.sleep(0.05)
            waited += 0.05
        held = list(box.pop())
        while held:
            del held[-FREE_CHUNK:]

    thread = threading.Thread(target=free, name="free-later", daemon=True)
    thread.start()
    return thread


def wait_for(
    text: str,
    job: Callable[[Callable[[float], None]], object],
    parent: QWidget | None,
    *,
    bulk: bool = False,
) -> object:
    """Run ``job(progress)`` on a worker thread behind a window-modal progress dialog (shown
    after 300 ms) and return its result; the window keeps painting meanwhile. Raises what the
    job raised. ``bulk``: a job that makes many objects (reading a large file), as for
    :func:`start_guarded`."""
    progress = QProgressDialog(text, "", 0, 100, parent)
    progress.setWindowTitle(APP_NAME)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    outcome: dict[str, object] = {}
    loop = QEventLoop()
    worker = Worker(lambda report, _cancelled: job(report))
    worker.progressed.connect(lambda fraction: progress.setValue(round(fraction * 100)))

    def finish(key: str, value: object) -> None:
        outcome.setdefault(key, value)
        loop.quit()

    worker.succeeded.connect(lambda result: finish("result", result))
    worker.failed.connect(lambda error: finish("error", error))
    start_guarded(worker, bulk)
    loop.exec()
    worker.wait()
    progress.close()
    progress.deleteLater()
    worker.deleteLater()
    error = outcome.get("error")
    if isinstance(error, BaseException):
        raise error
    return outcome.get("result")
