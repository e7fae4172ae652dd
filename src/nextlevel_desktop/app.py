"""Composition root: builds the application, opens workspaces (with a lock), wires windows.

Everything is passed in through constructors from here; there are no global singletons.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import threading
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from . import APP_ID, APP_NAME, ORG_NAME, __version__
from .domain.errors import DamagedWorkspaceError, NextLevelError
from .locking import WorkspaceLock, lock_path
from .paths import Paths
from .storage.backup import start_daily_backup
from .storage.errors import write_problem
from .storage.private import private_dir
from .ui.desktop_integration import declare_app_user_model_id, install_file_open_handler
from .ui.dialogs.damage import DamageHandler
from .ui.errors import install_excepthook, setup_logging
from .ui.kit.busy import GuiCollector, start_guarded
from .ui.kit.stale import AfterPaint
from .ui.main_window import MainWindow
from .ui.theme import apply_colour_scheme
from .ui.user_settings import UserSettings

if TYPE_CHECKING:
    from .services.container import Services
    from .services.read_ahead import ReadAhead
    from .storage.db import Database

log = logging.getLogger("nextlevel_desktop")

__all__ = ["AppController", "lock_path", "make_application", "run_gui"]

BACKUP_WAIT_SECONDS = 60.0  # at quit, how long a daily backup still being written is waited for


def _open_database(
    path: Path, demo: bool, new: bool, currency: str | None = None, hold_check: bool = False
) -> Database | BaseException:
    """Open (or create, in ``currency``) the workspace; a known problem is returned, not raised.
    ``hold_check``: a large file's damage check waits for ``db.integrity.release()``."""
    try:
        from .services.workspace import open_workspace

        db, _created = open_workspace(
            path, demo=demo, replace_empty=new, currency=currency, hold_check=hold_check
        )
    except NextLevelError as exc:
        return exc
    return db


# What the opener imports besides the storage stack: the layers under the user interface,
# which make no Qt class. The interface's own modules are imported on the GUI thread
# (``MainWindow._import_in_turns``: a Qt class made on another thread crashed the app).
OPENER_PACKAGES = ("services", "domain")
# What the charts sent to the drawing process are made of (imported there as it starts).
CHART_MODULES = ("nextlevel_desktop.ui.monitor.build",)


class _Opener(QThread):
    """Imports the storage stack and the services and opens the workspace, off the GUI
    thread, then says so (``opened``). Its connections are closed before the GUI thread takes
    the database, so no SQLite connection crosses threads."""

    opened = Signal()

    def __init__(self, path: Path, demo: bool) -> None:
        super().__init__()
        self.setObjectName("nextlevel-opener")
        self.path, self.demo = path, demo
        self.result: Database | BaseException | None = None
        self.taken = False  # the GUI thread has the database (else ``close`` closes it)
        self.ahead: ReadAhead | None = None  # the small lists, read here as it opened

    def run(self) -> None:
        _start_chart_process()
        try:
            result = _open_database(self.path, self.demo, False, hold_check=True)
            if not isinstance(result, BaseException):
                gc.freeze()
                for name in _opener_modules():
                    import_module(name)
                self.ahead = _warm_up(result)
                result.engine.dispose()
            self.result = result
        except BaseException as exc:  # a bug: raised again on the GUI thread
            self.result = exc
        # What the imports made lives as long as the app: frozen, the GUI thread's full
        # collections (GuiCollector, while this thread runs) do not walk it (0.1–0.2 s each).
        gc.freeze()
        self.opened.emit()


def _start_chart_process() -> None:
    """Start the chart drawing process: it imports matplotlib on a core of its own while the
    workspace opens. If it cannot start, the workspace still opens; each chart then says why
    it could not be drawn (it tries to start the process again first)."""
    from .render import chart_process

    try:
        chart_process.shared().start(CHART_MODULES)
    except (chart_process.ChartProcessError, OSError):
        log.exception("The chart drawing process could not start")


def _opener_modules() -> list[str]:
    """Every module of :data:`OPENER_PACKAGES` (none imports Qt: tests/domain/test_layering.py)."""
    import pkgutil

    names = []
    for package in OPENER_PACKAGES:
        module = import_module(f"{__package__}.{package}")
        prefix = f"{module.__name__}."
        names += [m.name for m in pkgutil.iter_modules(module.__path__, prefix)]
    return names


def _warm_up(db: Database) -> ReadAhead | None:
    """Read once here the small lists every screen reads while it is built (people,
    processes, activity types, settings): SQLAlchemy compiles a statement the first time it
    runs (20–150 ms each on the GUI thread at start-up), and keeps the compiled form with the
    engine, which the GUI thread's services share. The screens built at start-up take the
    lists (:class:`ReadAhead`). A failure here changes nothing."""
    from .services.container import Services
    from .services.read_ahead import ReadAhead

    services = Services.for_database(db)
    try:
        everyone = services.people.people(include_inactive=True)
        people = services.people.people()
        processes = services.processes.processes()
        types = services.activities.activity_types()
        return ReadAhead(processes, people, services.workspace.settings(), everyone, types)
    except Exception:  # only a head start: the screens read again, and say what is wrong
        log.warning("Reading ahead in %s failed", db.path, exc_info=True)
        return None


class AppController:
    """Opens workspaces into windows; one window (and one lock) per open workspace."""

    def __init__(self, paths: Paths, settings: UserSettings) -> None:
        self.paths = paths
        self.settings = settings
        self.window: MainWindow | None = None
        self._lock: WorkspaceLock | None = None
        self._services: Services | None = None
        self.damage = DamageHandler(self, paths.backups_dir)
        self._backups: list[threading.Thread] = []
        self._opener: _Opener | None = None

    def open_workspace(
        self,
        path: Path,
        demo: bool = False,
        parent: QWidget | None = None,
        new: bool = False,
        currency: str | None = None,
    ) -> bool:
        """Open (or create) ``path`` in a new window, replacing the current one on success.

        ``new``: the user asked to create a workspace there (File > New), so an empty file at
        ``path`` is replaced. Every failure is told to the user in a message; the current
        window stays as it was.
        """
        path = Path(path).expanduser().absolute()
        if self._services is not None and path.resolve() == self._services.path.resolve():
            return True
        opened = self._open(path, demo, parent, new, currency)
        if opened is None:
            return False
        services, lock = opened
        self._replace(MainWindow(services, self.settings, self), services, lock)
        return True

    def start(self, path: Path, demo: bool = False) -> MainWindow:
        """First start: paint the window at once, then open the workspace into it.

        After the first paint the storage stack (SQLAlchemy), the services and the first
        area's module are imported, and the workspace is opened (checked, migrated, created
        with demo data on a first start), on a thread of their own: the window stays
        responsive meanwhile. Only building the area's widgets happens on the GUI thread.
        """
        path = Path(path).expanduser().absolute()
        window = MainWindow(None, self.settings, self)
        self.window = window
        started = False

        def begin() -> None:
            nonlocal started
            if started:
                return
            started = True
            lock = self._lock_for(path, window)
            if lock is None:
                window.show_not_opened()
                return
            gc.freeze()  # the window and its libraries: long-lived, never walked again
            opener = self._opener = _Opener(path, demo)
            opener.opened.connect(lambda: finish(opener, lock))
            opener.finished.connect(lambda: ended(opener))
            start_guarded(opener)
            # Until the storage stack is imported and frozen, a collection here would walk
            # all it made so far (the first one, 30 ms of the GUI thread's CPU).
            GuiCollector.quiet()

        def finish(opener: _Opener, lock: WorkspaceLock) -> None:
            GuiCollector.unquiet()  # (and freezes what the imports made)
            opener.taken = True
            opened = self._opened(path, lock, opener.result, window, backup=False)
            if opened is None:
                if self.window is window:  # not replaced by a backup or salvage opened instead
                    window.show_not_opened()
                return
            self._services, self._lock = opened, lock
            window.firstScreenShown.connect(lambda: shown(opened))
            window.attach(opened, in_steps=True, ahead=opener.ahead)
            # The libraries and the first screen leave a few hundred thousand long-lived
            # objects; without this, every full garbage collection walks them all again
            # (a ~0.1 s pause in the middle of a Monitor refresh). Again when the other
            # areas' modules are in.
            gc.freeze()

        def shown(services: Services) -> None:
            # Only now: the large file's damage check and the daily backup would have shared
            # the cores with the first screen.
            if self._services is services:
                services.db.integrity.release()
                self._start_backup(services.db)

        def ended(opener: _Opener) -> None:
            opener.wait()
            if self._opener is opener:
                self._opener = None
            gc.freeze()

        self._first_paint = AfterPaint(window, begin)
        QTimer.singleShot(1000, begin)  # in case the platform never paints (minimal, vnc)
        window.show()
        return window

    def _open(
        self,
        path: Path,
        demo: bool,
        parent: QWidget | None,
        new: bool = False,
        currency: str | None = None,
    ) -> tuple[Services, WorkspaceLock] | None:
        """Lock and open the workspace; on failure tell the user and return ``None``."""
        lock = self._lock_for(path, parent)
        if lock is None:
            return None
        from .ui.kit.busy import wait_for

        def job(_progress: object) -> Database | BaseException:
            result = _open_database(path, demo, new, currency)
            if not isinstance(result, BaseException):
                result.engine.dispose()  # its connections stay on this thread
            return result

        opened = wait_for(self.tr_("Opening “{0}”…").format(path.name), job, parent)
        services = self._opened(path, lock, cast("Database | BaseException", opened), parent)
        return None if services is None else (services, lock)

    def _lock_for(self, path: Path, parent: QWidget | None) -> WorkspaceLock | None:
        """The workspace's lock, taken; ``None`` (the user was told why) if it cannot be."""
        try:
            private_dir(path.parent, tighten_existing=False)
        except OSError as exc:
            self._tell(
                parent,
                self.tr_("The folder for “{0}” cannot be created: {1}").format(path, exc.strerror),
            )
            return None
        lock = WorkspaceLock(path)
        if not lock.acquire(200) and not self._locked_elsewhere(lock, path, parent):
            return None
        return lock

    def _opened(
        self,
        path: Path,
        lock: WorkspaceLock,
        result: Database | BaseException | None,
        parent: QWidget | None,
        backup: bool = True,
    ) -> Services | None:
        """Services on the workspace just opened, with its daily backup started (``backup``;
        else the caller starts it); or tell the user why it could not be opened (releasing the
        lock) and return ``None``."""
        if isinstance(result, DamagedWorkspaceError):
            lock.unlock()
            self.damage.offer(path, str(result), parent)
            return None
        if isinstance(result, NextLevelError):
            lock.unlock()
            log.warning("Could not open %s: %s", path, result)
            self._tell(parent, str(result))
            return None
        if result is None or isinstance(result, BaseException):
            lock.unlock()
            raise result or RuntimeError("the workspace was not opened")
        db = result
        # A large workspace's check runs in the background: its answer may be "damaged".
        db.integrity.on_damage(lambda error: self.damage.found.emit(path, str(error)))
        if backup:
            self._start_backup(db)
        log.info("Opened workspace %s", path)
        self.settings.add_recent(path)
        self.settings.sync()
        from .services.container import Services

        return Services.for_database(db)

    def _start_backup(self, db: Database) -> None:
        self._backups = [t for t in self._backups if t.is_alive()]
        self._backups.append(start_daily_backup(db.path, self.paths.backups_dir, gate=db.integrity))

    def _locked_elsewhere(self, lock: WorkspaceLock, path: Path, parent: QWidget | None) -> bool:
        """Tell the user who holds the lock; True if they took over a lock left by another
        machine (which Qt cannot check for a live process)."""
        holder = lock.holder() if lock.held_by_other else None
        problem = write_problem(path) if not lock.held_by_other else None
        if problem is not None:  # a full disk, a read-only drive or folder: say which
            self._tell(parent, str(problem))
            return False
        if holder is None:
            self._tell(
                parent,
                self.tr_(
                    "“{0}” cannot be locked for use: its lock file cannot be created (the "
                    "folder may be read-only). Copy the workspace to a writable folder."
                ).format(path),
            )
            return False
        if not holder.on_this_machine:
            question = self.tr_(
                "“{0}” is locked by Next Level Desktop on another computer ({1}). The lock is "
                "{2}.\n\nIf the app is still open there, close it there first: two computers "
                "writing to one workspace could overwrite each other's work. If it is not (the "
                "computer crashed or the drive was unplugged), you can take the lock over."
            ).format(path.name, holder.where(), holder.age_text())
            if not self._confirm(parent, question, self.tr_("Take over")):
                return False
            if lock.take_over():
                log.warning("Took over the lock of %s from %s", path, holder.where())
                return True
            self._tell(parent, self.tr_("The lock of “{0}” could not be taken over.").format(path))
            return False
        if holder.is_app:
            text = self.tr_(
                "“{0}” is already open in another Next Level Desktop window ({1}). Switch to "
                "that window, or close it there first; two windows on one workspace could "
                "overwrite each other's work."
            )
        else:
            text = self.tr_(
                "“{0}” is being changed by a Next Level command ({1}), such as an import. "
                "Open it again when the command has finished."
            )
        self._tell(parent, text.format(path.name, holder.where()))
        return False

    def _replace(self, window: MainWindow, services: Services, lock: WorkspaceLock) -> None:
        old_window, old_services, old_lock = self.window, self._services, self._lock
        self.window, self._services, self._lock = window, services, lock
        window.show()
        if old_window is not None:
            old_window.close()
            old_window.deleteLater()
        if old_services is not None:
            old_services.close()
        if old_lock is not None:
            old_lock.unlock()

    def report_damage(self, exc: BaseException) -> None:
        """A damaged page met while reading (any paint or refresh): one message per session."""
        from .storage.integrity import damage_message

        if self._services is None:
            log.error("Damage met with no workspace open: %s", exc)
            return
        path = self._services.path
        message = (
            str(exc)
            if isinstance(exc, DamagedWorkspaceError)
            else damage_message(path, "a damaged page was met while reading it")
        )
        self.damage.report(path, message, QApplication.activeWindow())

    def close(self) -> None:
        """Shut the open workspace down, in this order: the window's open dialogs (with their
        worker threads), the window (it saves its layout; its areas, timers and chart canvases
        go with it), a daily backup still being written, the database, the lock. Runs on
        ``aboutToQuit``; calling it again does nothing."""
        if self._opener is not None:  # quit while the first workspace was still opening
            self._opener.wait()
            result = self._opener.result
            if (
                not self._opener.taken
                and result is not None
                and not isinstance(result, BaseException)
            ):
                result.close()
            self._opener = None
        window, self.window = self.window, None
        if window is not None:
            # Its open dialogs first: one may be running a worker thread (an import, one
            # transaction), which ``done`` cancels and waits for before the dialog can go.
            for dialog in window.findChildren(QDialog):
                if dialog.isVisible():
                    dialog.done(QDialog.DialogCode.Rejected)
            if window.isVisible():  # File > Quit has closed it (and saved its layout) already
                window.close()
            # Deleted when control is back in an event loop, or by ``shut_down`` after the
            # last one: never while Python is finalizing (a segfault in libshiboken).
            window.deleteLater()
        for thread in self._backups:
            thread.join(BACKUP_WAIT_SECONDS)
            if thread.is_alive():
                log.warning("The daily backup was still running at quit; it is left unfinished")
        self._backups = []
        if self._services is not None:
            self._services.close()
            self._services = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    @staticmethod
    def tr_(text: str) -> str:
        return QApplication.translate("AppController", text)

    @staticmethod
    def _tell(parent: QWidget | None, message: str) -> None:
        QMessageBox.warning(parent, APP_NAME, message)

    @staticmethod
    def _confirm(parent: QWidget | None, question: str, action: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, question, parent=parent)
        take = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is take


def make_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    declare_app_user_model_id(APP_ID)
    from .ui.app_icon import app_icon

    app.setWindowIcon(app_icon())
    return app


def run_gui(args: argparse.Namespace) -> int:
    paths = Paths.default(args.data_dir)
    setup_logging(paths.log_file)
    app = make_application()
    settings = UserSettings(paths.data_dir / "settings.ini")
    apply_colour_scheme(settings.colour_scheme)
    if args.self_test:
        from .selftest import run_self_test

        try:
            return run_self_test(app, paths)
        finally:
            shut_down(app)
    controller = AppController(paths, settings)
    install_excepthook(paths.log_file, controller.report_damage)
    file_open = install_file_open_handler(app)  # a workspace opened from Finder (macOS)
    if file_open.requested is not None and not args.workspace:
        path, demo = file_open.requested, False
    else:
        path, demo = startup_workspace(args, paths, settings)
    controller.start(path, demo=demo)
    file_open.open_path = lambda p: controller.open_workspace(p, parent=controller.window)
    app.aboutToQuit.connect(controller.close)
    try:
        return app.exec()
    finally:
        shut_down(app, file_open)


def startup_workspace(
    args: argparse.Namespace, paths: Paths, settings: UserSettings
) -> tuple[Path, bool]:
    """The workspace to open at start, and whether to fill it with demo data: the one named on
    the command line, else the last one used (a consultant works in one client's workspace
    for days), else the default one, with demo data on the very first start."""
    if args.workspace:
        return Path(args.workspace), bool(args.demo)
    recent = next((p for p in settings.recent_workspaces() if p.is_file()), None)
    if recent is not None:
        return recent, False
    path = paths.default_workspace
    return path, not path.exists() and not args.no_demo


def shut_down(app: QApplication, *app_filters: QObject) -> None:
    """Tear Qt down in a defined order once the event loop has returned, while Python is
    still whole: remove the application's event filters, delete every widget still waiting
    for deletion (the main window among them), then the QApplication itself.

    Left to the interpreter's exit, PySide deletes the remaining Qt objects in no particular
    order while Python is finalizing; a Python event filter or widget method called then
    crashes the process (a segmentation fault in libshiboken).
    """
    for obj in app_filters:
        app.removeEventFilter(obj)
    for widget in app.topLevelWidgets():
        if widget.parent() is None:  # menus and dialogs go with their parent window
            if widget.isVisible():
                widget.close()
            widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    app.shutdown()
