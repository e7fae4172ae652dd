"""File menu actions for moving data in and out: Import…, Export, Back up…, Restore from backup….

``install_file_actions(window)`` adds them to the main window's File menu (one call from the
window), so the window itself stays small.

An import is the one write that does not run on the writer thread: it runs on the wizard's own
worker thread, on a connection of its own, because it reports progress and can be cancelled
between batches; it is one transaction (all or nothing). Like every write it returns a
``Revision`` (the ids it inserted as ranges, and the rows it updated: ``bulk_revision``), which
the wizard pushes as one undo command when it commits, publishing its changes on the window's
change bus; undo and redo run on the writer thread like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QLockFile, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from ... import APP_NAME
from ...domain.activities import ActivityFilter
from ...domain.errors import NextLevelError
from ...domain.exporting import FORMATS, CsvStyle
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
        self.export_menu.addAction(
            tr("Con&tacts of the accounts (as searched)…"), lambda: self.export("contacts")
        )
        self.export_menu.addSeparator()
        self.export_menu.addAction(
            tr("&Planned activities to your calendar (as filtered)…"),
            lambda: self.export("activities", kind="ics"),
        )
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
        if wizard.outcome is not None:
            self.window.statusBar().showMessage(wizard.outcome.summary(), 8000)
        wizard.deleteLater()

    def current_filter(self) -> ActivityFilter:
        if not self.window.is_open:
            return ActivityFilter()
        return self.window.activities.current_filter()

    def export_kinds(self, what: str) -> dict[str, str]:
        """The file kinds ``what`` can be saved as: key → file dialog filter."""
        tr = self.window.tr
        kinds = {
            "csv": tr("CSV, comma separated (*.csv)"),
            "csv;": tr("CSV, semicolon separated, decimal comma (*.csv)"),
            "xlsx": tr("Excel workbook (*.xlsx)"),
        }
        if what == "contacts":
            kinds["vcf"] = tr("vCard contacts (*.vcf)")
        if what == "activities":
            kinds["ics"] = tr("Calendar of the planned activities (*.ics)")
        return kinds

    @staticmethod
    def locale_csv() -> str:
        """The CSV kind of the user's locale: semicolons where decimals take a comma."""
        return "csv;" if QLocale().decimalPoint() == "," else "csv"

    def export(
        self,
        what: str,
        dest: Path | None = None,
        on_done: Callable[[int], None] | None = None,
        kind: str | None = None,
    ) -> None:
        """Export ``what`` as the Activities area shows it, on the reader thread: the window
        stays usable (a busy bar after 150 ms), the status bar says when it is done and
        ``on_done`` gets the number of rows written. ``kind`` is a key of ``export_kinds``
        (default: the file's suffix, CSV in the locale's style)."""
        window = self.window
        labels = {
            "activities": window.tr("activities"),
            "engagements": window.tr("opportunities and account plans"),
            "accounts": window.tr("accounts"),
            "contacts": window.tr("contacts"),
        }
        kinds = self.export_kinds(what)
        if dest is None:
            stem = window.services.path.stem
            settings = self._settings()
            folder = settings.folder("csv", Path.home()) if settings else Path.home()
            chosen = kind or self.locale_csv()
            suffix = chosen.rstrip(";")
            name, picked = QFileDialog.getSaveFileName(
                window,
                window.tr("Export {0}").format(labels[what]),
                str(folder / f"{stem} {what} {date.today().isoformat()}.{suffix}"),
                ";;".join(kinds.values()),
                kinds[chosen],
            )
            if not name:
                return
            kind = next((k for k, f in kinds.items() if f == picked), chosen)
            suffix = "." + kind.rstrip(";")
            dest = Path(name) if Path(name).suffix else Path(name).with_suffix(suffix)
            if settings is not None:
                settings.set_folder("csv", dest)
        if kind is None:
            suffix = dest.suffix.lstrip(".").lower()
            kind = suffix if suffix in FORMATS and suffix != "csv" else self.locale_csv()
        fmt = kind.rstrip(";")
        style = CsvStyle(";", True) if kind == "csv;" else CsvStyle()
        flt = self.current_filter() if what == "activities" else None
        # Engagements, accounts and contacts follow what the Pipeline and Accounts tabs show
        # (asking a tab builds it if it was never shown: only the one this export follows).
        area = window.activities
        process_id = owner = None
        if what == "engagements":
            process = area.pipeline.current_process()
            process_id = process.id if process is not None else None
            owner = area.pipeline.owner.currentData()
        text = area.accounts.search.text() if what in ("accounts", "contacts") else ""
        path = dest
        if fmt == "ics":
            labels[what] = window.tr("planned activities")

        def write(services: Services) -> int:
            return services.exporting.export(
                what,
                path,
                flt,
                process_id=process_id,
                owner_id=owner,
                account_text=text,
                fmt=fmt,
                style=style,
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
