"""File menu actions for moving data in and out: Import…, Export, Back up…, Restore from backup….

``install_file_actions(window)`` adds them to the main window's File menu (one call from the
window), so the window itself stays small.

An import is the one write that does not go through ``run_op``: it runs on the wizard's own
worker thread, on a connection of its own, because it reports progress and can be cancelled
between batches; it is one transaction (all or nothing). It is NOT undoable: the import writer
records no ``Revision`` (one would hold every row of a file of hundreds of thousands of rows),
so Undo does not offer it. What it wrote is published on the window's change bus when the
wizard closes, and every panel follows it as after any other write.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from ... import APP_NAME
from ...domain.activities import ActivityFilter
from ...domain.errors import NextLevelError
from ...paths import WORKSPACE_SUFFIX
from ..errors import show_error
from ..plain_text import message
from ..user_settings import UserSettings

if TYPE_CHECKING:
    from ...services.container import Services
    from ..main_window import MainWindow
    from .import_wizard import ImportWizard

# This module is imported with the main window, before the first paint: the storage stack
# (services, SQLAlchemy) is imported inside the handlers only, when a workspace is open.

CSV_FILTER = "CSV files (*.csv);;All files (*)"
WORKSPACE_FILTER = f"Next Level workspace (*{WORKSPACE_SUFFIX});;All files (*)"


class FileActions:
    """The actions and their handlers; kept on the window as ``window.file_actions``."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        tr = window.tr
        self.import_action = QAction(tr("&Import…"), window)
        self.import_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.import_action.setStatusTip(tr("Import opportunities, activities, accounts or people"))
        self.import_action.triggered.connect(self.import_file)
        self.export_menu = QMenu(tr("&Export"), window)
        self.export_activities_action = self.export_menu.addAction(
            tr("&Activities (as filtered)…"), lambda: self.export("activities")
        )
        self.export_activities_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.export_menu.addAction(
            tr("&Opportunities or account plans (as in Pipeline)…"),
            lambda: self.export("engagements"),
        )
        self.export_menu.addAction(tr("A&ccounts (as searched)…"), lambda: self.export("accounts"))
        self.backup_action = QAction(tr("&Back up…"), window)
        self.backup_action.triggered.connect(lambda: self.back_up())
        self.restore_action = QAction(tr("&Restore from backup…"), window)
        self.restore_action.triggered.connect(lambda: self.restore())

    def install(self) -> None:
        menu = self.window.file_menu
        actions = menu.actions()
        anchor = actions[actions.index(self.window.save_copy_action) + 1]  # the separator after
        menu.insertAction(anchor, self.backup_action)
        menu.insertAction(anchor, self.restore_action)
        menu.insertSeparator(anchor)
        menu.insertAction(anchor, self.import_action)
        menu.insertMenu(anchor, self.export_menu)
        # A window that opens its workspace after the first paint enables these on attach.
        needs_workspace = [self.import_action, self.export_menu.menuAction(), self.backup_action]
        workspace_actions = getattr(self.window, "workspace_actions", None)
        if isinstance(workspace_actions, list):
            workspace_actions.extend(needs_workspace)

    # Import and export ---------------------------------------------------------------------
    def import_file(self) -> ImportWizard:
        from .import_wizard import ImportWizard

        wizard = ImportWizard(self.window.services, self.window, self._settings(), host=self.window)
        wizard.finished.connect(lambda _r: self._imported(wizard))
        wizard.open()
        return wizard

    def _settings(self) -> UserSettings | None:
        settings = getattr(self.window, "settings", None)
        return settings if isinstance(settings, UserSettings) else None

    def _imported(self, wizard: ImportWizard) -> None:
        if wizard.changes:
            self.window.publish(wizard.changes)
        if wizard.outcome is not None:
            self.window.statusBar().showMessage(wizard.outcome.summary(), 8000)
        wizard.deleteLater()

    def current_filter(self) -> ActivityFilter:
        if not self.window.is_open:
            return ActivityFilter()
        return self.window.activities.current_filter()

    def export(
        self, what: str, dest: Path | None = None, on_done: Callable[[int], None] | None = None
    ) -> None:
        """Export ``what`` as the Activities area shows it, on the reader thread: the window
        stays usable (a busy bar after 150 ms), the status bar says when it is done and
        ``on_done`` gets the number of rows written."""
        window = self.window
        labels = {
            "activities": window.tr("activities"),
            "engagements": window.tr("opportunities and account plans"),
            "accounts": window.tr("accounts"),
        }
        if dest is None:
            stem = window.services.path.stem
            settings = self._settings()
            folder = settings.folder("csv", Path.home()) if settings else Path.home()
            name, _ = QFileDialog.getSaveFileName(
                window,
                window.tr("Export {0}").format(labels[what]),
                str(folder / f"{stem} {what} {date.today().isoformat()}.csv"),
                CSV_FILTER,
            )
            if not name:
                return
            dest = Path(name) if Path(name).suffix else Path(name).with_suffix(".csv")
            if settings is not None:
                settings.set_folder("csv", dest)
        flt = self.current_filter() if what == "activities" else None
        # Engagements and accounts follow what the Pipeline and Accounts tabs are showing.
        area = window.activities
        process = area.pipeline.current_process()
        process_id = process.id if process is not None and what == "engagements" else None
        owner = area.pipeline.owner.currentData() if what == "engagements" else None
        text = area.accounts.search.text() if what == "accounts" else ""
        path = dest

        def write(services: Services) -> int:
            return services.exporting.export(
                what, path, flt, process_id=process_id, owner_id=owner, account_text=text
            )

        def done(count: int) -> None:
            self._exporting(False)
            window.statusBar().showMessage(
                window.tr("Exported {0:,} {1} to {2}").format(count, labels[what], path), 8000
            )
            if on_done is not None:
                on_done(count)

        def failed(exc: BaseException) -> None:
            self._exporting(False)
            window.statusBar().clearMessage()
            if not isinstance(exc, NextLevelError):
                raise exc
            show_error(window, exc, window.tr("Export"))

        self._exporting(True)  # one export at a time
        window.statusBar().showMessage(
            window.tr("Exporting {0} to {1}…").format(labels[what], path)
        )
        busy = window.centralWidget()
        window.ops.read(window, f"export to {path}", write, done, busy=busy, on_failed=failed)

    def _exporting(self, running: bool) -> None:
        for action in self.export_menu.actions():
            action.setEnabled(not running)

    # Backups -------------------------------------------------------------------------------
    def _workspace_path(self) -> Path | None:
        """The open workspace's file (``None`` while a window is still opening one)."""
        return self.window.workspace_path()

    def _backups_dir(self) -> Path:
        paths = getattr(self.window.controller, "paths", None)
        folder = getattr(paths, "backups_dir", None)
        if folder:
            return Path(folder)
        current = self._workspace_path()
        return current.parent if current is not None else Path.home()

    def back_up(self, dest: Path | None = None) -> Path | None:
        window = self.window
        src = window.services.path
        if dest is None:
            default = self._backups_dir() / f"{src.stem} {date.today().isoformat()}{src.suffix}"
            name, _ = QFileDialog.getSaveFileName(
                window, window.tr("Back up the workspace"), str(default), WORKSPACE_FILTER
            )
            if not name:
                return None
            dest = Path(name)
        if dest.exists() and dest.resolve() == src.resolve():
            show_error(window, NextLevelError(window.tr("Choose another file than the workspace.")))
            return None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = window.services.save_copy(dest)
        except NextLevelError as exc:
            show_error(window, exc, window.tr("Back up"))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        window.statusBar().showMessage(window.tr("Backed up to {0}").format(written), 8000)
        return written

    def restore(self, source: Path | None = None, dest: Path | None = None) -> Path | None:
        """Restore a backup into a NEW workspace file, then offer to open it."""
        window = self.window
        if source is None:
            name, _ = QFileDialog.getOpenFileName(
                window, window.tr("Choose a backup"), str(self._backups_dir()), WORKSPACE_FILTER
            )
            if not name:
                return None
            source = Path(name)
        current = self._workspace_path()
        if dest is None:
            folder = current.parent if current is not None else source.parent
            default = folder / f"{source.stem} restored{WORKSPACE_SUFFIX}"
            name, _ = QFileDialog.getSaveFileName(
                window,
                window.tr("Restore into a new workspace file"),
                str(default),
                WORKSPACE_FILTER,
            )
            if not name:
                return None
            dest = Path(name) if Path(name).suffix else Path(name).with_suffix(WORKSPACE_SUFFIX)
        if current is not None and dest.resolve() == current.resolve():
            message(
                window,
                QMessageBox.Icon.Warning,
                APP_NAME,
                window.tr(
                    "“{0}” is the workspace that is open now. Restore into a new file; you can "
                    "then open it and keep or delete the old one."
                ).format(dest.name),
            )
            return None
        from ...services import files

        # The same lock file the app takes on an open workspace: never restore over a file
        # another window has open.
        lock = QLockFile(str(dest.with_name(dest.name + ".lock")))
        lock.setStaleLockTime(0)
        if not lock.tryLock(200):
            message(
                window,
                QMessageBox.Icon.Warning,
                APP_NAME,
                window.tr(
                    "“{0}” is open in another Next Level Desktop window. Close it there, or "
                    "restore into another file."
                ).format(dest.name),
            )
            return None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            restored = files.restore_backup(source, dest)
        except NextLevelError as exc:
            show_error(window, exc, window.tr("Restore from backup"))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
            lock.unlock()
        answer = message(
            window,
            QMessageBox.Icon.Question,
            window.tr("Restore from backup"),
            window.tr("The backup was restored to “{0}”. Open it now?").format(restored),
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
            QMessageBox.StandardButton.Open,
        )
        if answer == QMessageBox.StandardButton.Open:
            window.controller.open_workspace(restored, parent=window)
        return restored


def install_file_actions(window: MainWindow) -> FileActions:
    """Add Import…, Export, Back up… and Restore from backup… to the window's File menu."""
    actions = FileActions(window)
    actions.install()
    window.file_actions = actions  # type: ignore[attr-defined]
    return actions
