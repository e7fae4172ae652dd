"""The one road for every write and every slow read, off the GUI thread.

In the way of Anki's ``CollectionOp``: a write is a function of the workspace's services that
returns a :class:`~nextlevel_desktop.services.revisions.Revision` (its ``Changes`` and the rows
it touched). :func:`run_op` runs it on the writer thread, which has a connection of its own;
back on the GUI thread a validation problem goes to the form that asked (``on_invalid``), any
other known problem to a message, a bug to the crash dialog; a successful write is pushed as one
undo command (undo = :meth:`RevisionService.revert`, redo = ``reapply``, run on the same thread)
and ``(changes, initiator)`` is published on the window's :class:`ChangeBus`.

Slow reads (scorecards, counts, pages, drill-downs, exports) go to the reader thread through
:meth:`Operations.read`: a newer request for the same owner and key supersedes an older one (it
is skipped if not started, its answer dropped if it was), and the owner's panel shows a quiet
busy state when an answer takes longer than :data:`BUSY_AFTER_MS`.

Charts go through a third thread (:meth:`Operations.draw`), which never touches the
workspace: it hands each chart to the chart drawing process
(:mod:`~nextlevel_desktop.render.chart_process`) and waits for its pixels, so the GUI thread
only paints the finished images, and drawing never waits behind a read (nor a read behind
drawing).

Jobs on one thread run in the order they were asked for, so Ctrl+Z pressed twice undoes twice,
in order; writes never wait behind a long read. One exception, for reads and draws only: those
asked for by a widget on screen go before those of hidden ones (at start-up the area the user
turned to gets its rows before the scorecards of the Monitor built behind it).
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, QThread, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget

from ...domain.changes import Changes
from ...domain.errors import NextLevelError, ValidationError
from ...services.container import Services
from ...services.revisions import Revision
from ..errors import show_error
from ..user_settings import UserSettings
from .bus import ChangeBus
from .busy import Busy, GuiCollector
from .fields import ErrorMap

if TYPE_CHECKING:
    from ...services.read_ahead import ReadAhead

log = logging.getLogger(__name__)

T = TypeVar("T")
Op = Callable[[Services], Revision]
Read = Callable[[Services], T]


class Host(Protocol):
    """What panels and dialogs need of their window: services for quick reads on the GUI
    thread, the operation road, the change bus, the undo stack, the user's settings and the
    small lists read as the workspace opened (while no write has changed them)."""

    services: Services
    ops: Operations
    bus: ChangeBus
    undo_stack: QUndoStack
    settings: UserSettings

    @property
    def read_ahead(self) -> ReadAhead | None: ...


@dataclass(eq=False)
class _Job(Generic[T]):
    fn: Callable[[Services], T]
    done: Callable[[T], None]
    failed: Callable[[BaseException], None]
    key: tuple[int, str] | None = None
    serial: int = 0
    front: bool = True  # asked for by a widget on screen (or by code waiting for it)
    result: Any = None
    error: BaseException | None = None
    skipped: bool = False
    finished: threading.Event = field(default_factory=threading.Event)


class _Worker(QThread):
    """One thread, one connection, one queue; jobs run in order, those in ``front`` first."""

    answered = Signal(object)

    def __init__(self, name: str, services: Callable[[], Services | None]) -> None:
        """``services`` makes the thread's own services at its first job (``None``: none)."""
        super().__init__()
        self.setObjectName(name)
        self._make_services = services
        self._queue: deque[_Job[Any] | None] = deque()
        self._ready = threading.Condition()
        self.current: Callable[[_Job[Any]], bool] = lambda job: True

    def submit(self, job: _Job[Any] | None) -> None:
        with self._ready:
            self._queue.append(job)
            self._ready.notify()

    def stop(self) -> None:
        self.submit(None)

    def _next(self) -> _Job[Any] | None:
        """The first job in front, else the first job (``None``: stop, asked for last)."""
        with self._ready:
            while not self._queue:
                self._ready.wait()
            jobs = self._queue
            index = next((i for i, job in enumerate(jobs) if job is not None and job.front), 0)
            job = jobs[index]
            del jobs[index]
            return job

    def run(self) -> None:
        services: Any = None
        try:
            while True:
                job = self._next()
                if job is None:
                    return
                if not self.current(job):
                    job.skipped = True  # a newer request for the same thing is queued
                else:
                    try:
                        if services is None:
                            services = self._make_services()
                        job.result = job.fn(services)
                    except BaseException as exc:  # delivered to the GUI thread
                        job.error = exc
                job.finished.set()
                self.answered.emit(job)
        finally:
            if services is not None:
                services.close()


class Operations(QObject):
    """The writer and reader threads of one open workspace, and what comes back from them."""

    def __init__(
        self,
        services: Services,
        bus: ChangeBus,
        undo_stack: QUndoStack,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.bus = bus
        self.undo_stack = undo_stack
        self._serials = itertools.count(1)
        self._latest: dict[tuple[int, str], int] = {}
        self._owners: dict[int, QObject] = {}
        self._pending = 0
        # The threads are not Qt children: a window deleted without being closed must not
        # destroy a running thread (Qt aborts); they are stopped when this object goes.
        self._writer = _Worker("nextlevel-writer", services.sibling)
        self._reader = _Worker("nextlevel-reader", services.sibling)
        self._charts = _Worker("nextlevel-charts", lambda: None)  # no workspace there
        self._reader.current = self._charts.current = self._is_current
        GuiCollector.hold()  # released when the threads have stopped
        for worker in (self._writer, self._reader, self._charts):
            worker.answered.connect(self._answered)
            worker.start()
        self._closed = False
        self._finalizer = weakref.finalize(self, _stop, self._writer, self._reader, self._charts)

    # Writes ------------------------------------------------------------------------------
    def write(
        self,
        text: str,
        op: Op,
        *,
        parent: QWidget | None = None,
        initiator: object = None,
        on_done: Callable[[Revision], None] | None = None,
        on_invalid: Callable[[ValidationError], None] | None = None,
        on_failed: Callable[[NextLevelError], None] | None = None,
        undoable: bool = True,
    ) -> None:
        """Run ``op`` on the writer thread; see the module docstring for what follows."""

        def done(rev: Revision) -> None:
            if undoable and rev:
                self.undo_stack.push(RevisionCommand(text, self, rev, initiator))
            else:
                self.bus.publish(rev.changes, initiator)
            if on_done is not None:
                on_done(rev)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationError) and on_invalid is not None:
                on_invalid(exc)
            elif isinstance(exc, NextLevelError):
                if on_failed is not None:
                    on_failed(exc)
                else:
                    show_error(_alive(parent) or QApplication.activeWindow(), exc, text)
            else:
                raise exc

        self._submit(self._writer, _Job(op, done, failed))

    def step(
        self,
        text: str,
        fn: Callable[[Services], Changes],
        initiator: object,
        *,
        bulk: bool = False,
    ) -> None:
        """An undo or redo step: runs after every write asked for before it, with the window's
        quiet busy state while it takes longer than 150 ms. A ``bulk`` step (an import's)
        puts the GUI thread's cycle collection off until it has ended, as the import did."""
        window = self.parent()
        if isinstance(window, QMainWindow):
            window = window.centralWidget() or window
        indicator = Busy.over(window) if isinstance(window, QWidget) else None
        if bulk:
            GuiCollector.quiet()

        def finish() -> None:
            if indicator is not None:
                indicator.release()
            if bulk:
                GuiCollector.unquiet()

        def done(changes: Changes) -> None:
            finish()
            self.bus.publish(changes, initiator)

        def failed(exc: BaseException) -> None:
            finish()
            if not isinstance(exc, NextLevelError):
                raise exc
            show_error(QApplication.activeWindow(), exc, text)

        self._submit(self._writer, _Job(fn, done, failed))

    # Reads -------------------------------------------------------------------------------
    def read(
        self,
        owner: QObject,
        key: str,
        fn: Read[T],
        on_result: Callable[[T], None],
        *,
        busy: QWidget | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``fn`` on the reader thread and give its answer to ``on_result``, unless a newer
        read for the same ``owner`` and ``key`` was asked for meanwhile, or ``owner`` is gone.
        ``busy`` shows a quiet busy state while the answer takes longer than 150 ms.

        Once the workspace is closed a read or draw is dropped: it can only have been asked for
        by a view that is going away with it (a debounced search firing as the window closes)."""
        self._ask(self._reader, owner, key, fn, on_result, busy, on_failed)

    def draw(
        self,
        owner: QObject,
        key: str,
        fn: Callable[[], T],
        on_result: Callable[[T], None],
        *,
        on_failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``fn`` (a chart: sent to the drawing process, waited for) on the chart thread, as
        :meth:`read` runs a read: a newer job for the same ``owner`` and ``key`` supersedes it."""
        self._ask(self._charts, owner, key, lambda _s: fn(), on_result, None, on_failed)

    def _ask(
        self,
        worker: _Worker,
        owner: QObject,
        key: str,
        fn: Read[T],
        on_result: Callable[[T], None],
        busy: QWidget | None,
        on_failed: Callable[[BaseException], None] | None,
    ) -> None:
        if self._closed:
            return
        slot = (id(owner), key)
        serial = next(self._serials)
        self._latest[slot] = serial
        if slot[0] not in self._owners:
            self._owners[slot[0]] = owner
            owner.destroyed.connect(lambda *_a, i=slot[0]: self._forget(i))
        indicator = Busy.over(busy) if busy is not None else None

        def finish() -> None:
            if indicator is not None:
                indicator.release()

        def done(result: T) -> None:
            finish()
            if self._latest.get(slot) == serial and shiboken6.isValid(owner):
                on_result(result)

        def failed(exc: BaseException) -> None:
            finish()
            if self._latest.get(slot) != serial or not shiboken6.isValid(owner):
                return
            if on_failed is not None:
                on_failed(exc)
            elif isinstance(exc, NextLevelError):
                show_error(QApplication.activeWindow(), exc)
            else:
                raise exc

        front = not isinstance(owner, QWidget) or owner.isVisible()
        job = _Job(fn, done, failed, key=slot, serial=serial, front=front)
        self._submit(worker, job, on_skip=finish)

    def read_now(self, fn: Read[T]) -> T:
        """Run a read on the reader thread and wait for it (command-like uses that need the
        answer before going on, e.g. a file export's rows); raises what ``fn`` raised."""
        job: _Job[T] = _Job(fn, lambda _r: None, lambda _e: None)
        self._submit(self._reader, job)
        self._wait_for(job)
        if job.error is not None:
            raise job.error
        return job.result

    def _is_current(self, job: _Job[Any]) -> bool:
        return job.key is None or self._latest.get(job.key) == job.serial

    def _forget(self, owner_id: int) -> None:
        self._owners.pop(owner_id, None)
        for slot in [s for s in self._latest if s[0] == owner_id]:
            del self._latest[slot]

    # Both --------------------------------------------------------------------------------
    def _submit(
        self, worker: _Worker, job: _Job[Any], on_skip: Callable[[], None] | None = None
    ) -> None:
        if self._closed:
            raise RuntimeError("the workspace is closed")
        if on_skip is not None:
            job.failed = _or_skip(job.failed, on_skip)
        self._pending += 1
        worker.submit(job)

    def _answered(self, job: _Job[Any]) -> None:
        self._pending -= 1
        if job.skipped:
            job.failed(_Skipped())
            return
        try:
            if job.error is not None:
                job.failed(job.error)
            else:
                job.done(job.result)
        except BaseException:  # a bug: the crash dialog, as for any slot
            sys.excepthook(*sys.exc_info())

    @property
    def idle(self) -> bool:
        """True when no write, undo step or read is waiting or running."""
        return self._pending == 0

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Deliver answers until nothing is pending (tests; closing a workspace)."""
        deadline = QDeadlineTimer(timeout_ms)
        while self._pending and not deadline.hasExpired():
            QCoreApplication.processEvents()
            QThread.msleep(1)
        return self._pending == 0

    def _wait_for(self, job: _Job[Any]) -> None:
        while not job.finished.wait(0.005):
            pass
        QCoreApplication.processEvents()  # deliver its answer (and any before it)

    def close(self) -> None:
        """Finish what was asked, stop the threads and close their connections."""
        if self._closed:
            return
        self.wait_idle()
        self._closed = True
        self._finalizer()


def _stop(*workers: _Worker) -> None:
    for worker in workers:
        worker.stop()
    for worker in workers:
        worker.wait()
    GuiCollector.release()


class _Skipped(Exception):
    """A read superseded before it started."""


def _or_skip(
    failed: Callable[[BaseException], None], on_skip: Callable[[], None]
) -> Callable[[BaseException], None]:
    def handle(exc: BaseException) -> None:
        if isinstance(exc, _Skipped):
            on_skip()
        else:
            failed(exc)

    return handle


def _alive(widget: QWidget | None) -> QWidget | None:
    return widget if widget is not None and shiboken6.isValid(widget) else None


class RevisionCommand(QUndoCommand):
    """Undo reverts the exact rows a write made, redo re-applies them (same ids both ways);
    both run on the writer thread, after every write asked for before them."""

    def __init__(self, text: str, ops: Operations, revision: Revision, initiator: object) -> None:
        super().__init__(text)
        self.ops = ops
        self.revision = revision
        self.initiator = initiator
        self._done = True  # the write already happened before the command was pushed

    def redo(self) -> None:
        if self._done:
            self._done = False
            self.ops.bus.publish(self.revision.changes, self.initiator)
            return
        rev = self.revision
        self.ops.step(self.text(), lambda s: s.revisions.reapply(rev), None, bulk=bool(rev.bulk))

    def undo(self) -> None:
        rev = self.revision
        self.ops.step(self.text(), lambda s: s.revisions.revert(rev), None, bulk=bool(rev.bulk))


def run_op(
    host: Host,
    parent: QWidget | None,
    text: str,
    op: Op,
    *,
    initiator: object = None,
    on_done: Callable[[Revision], None] | None = None,
    on_invalid: Callable[[ValidationError], None] | None = None,
    on_failed: Callable[[NextLevelError], None] | None = None,
) -> None:
    """Run one undoable write on the window's operation road."""
    host.ops.write(
        text,
        op,
        parent=parent,
        initiator=initiator,
        on_done=on_done,
        on_invalid=on_invalid,
        on_failed=on_failed,
    )


def run_form(
    host: Host,
    dialog: QDialog,
    errors: ErrorMap,
    text: str,
    op: Callable[[], Op],
    on_done: Callable[[Revision], None] | None = None,
) -> None:
    """Save a form's write when its OK is pressed: the dialog stays open, with its buttons
    disabled, until the write succeeds (then it closes) or fails (problems under their fields,
    or a message)."""
    dialog.setEnabled(False)

    def invalid(exc: ValidationError) -> None:
        dialog.setEnabled(True)
        errors.show(exc)

    def failed(exc: NextLevelError) -> None:
        dialog.setEnabled(True)
        show_error(dialog, exc, text)

    def done(rev: Revision) -> None:
        dialog.setEnabled(True)
        QDialog.accept(dialog)
        if on_done is not None:
            on_done(rev)

    try:
        fn = op()
    except ValidationError as exc:  # found on the form itself, before any write
        invalid(exc)
        return
    run_op(host, dialog, text, fn, on_done=done, on_invalid=invalid, on_failed=failed)
