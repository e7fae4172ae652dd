"""The one message for a damaged workspace, with the ways out as buttons.

Damage can be found while opening (the integrity check), by the background check of a large
workspace, or by a query that meets a damaged page while painting. Each way ends here, and the
message is shown once per workspace per session (later meetings are only logged), never as a
crash dialog per paint.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ... import APP_NAME
from ...domain.errors import NextLevelError
from ..kit.busy import wait_for

log = logging.getLogger(__name__)


class Opener(Protocol):
    def open_workspace(
        self, path: Path, demo: bool = False, parent: QWidget | None = None
    ) -> bool: ...


class DamageDialog(QMessageBox):
    """Names the file and what is wrong; offers the newest healthy backup, salvage, Close."""

    def __init__(self, path: Path, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(self.tr("Damaged workspace"))
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(self.tr("The workspace “{0}” is damaged.").format(path.name))
        self.setInformativeText(
            message
            + "\n\n"
            + self.tr(
                "Both ways out write a NEW file beside it and leave the damaged file as it is."
            )
        )
        self.backup_button = self.addButton(
            self.tr("Open the newest healthy backup"), QMessageBox.ButtonRole.AcceptRole
        )
        self.salvage_button = self.addButton(
            self.tr("Salvage into a new file"), QMessageBox.ButtonRole.ActionRole
        )
        self.close_button = self.addButton(QMessageBox.StandardButton.Close)
        self.setDefaultButton(self.backup_button)


class DamageHandler(QObject):
    """Shows the damage message and carries out the chosen way out.

    ``found`` may be emitted from any thread (the background integrity check); the message is
    shown on the GUI thread.
    """

    found = Signal(object, str)  # path, message

    def __init__(self, opener: Opener, backups_root: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.opener = opener
        self.backups_root = backups_root
        self.told: set[Path] = set()
        # Queued even from the GUI thread: the message comes after the open that found it.
        self.found.connect(self._found, Qt.ConnectionType.QueuedConnection)

    def _found(self, path: Path, message: str) -> None:
        self.report(path, message, QApplication.activeWindow())

    def report(self, path: Path, message: str, parent: QWidget | None) -> None:
        """Show the message for ``path`` once this session; afterwards only log it."""
        key = Path(path).resolve()
        if key in self.told:
            log.warning("%s (already told)", message)
            return
        self.offer(path, message, parent)

    def offer(self, path: Path, message: str, parent: QWidget | None) -> Path | None:
        """Show the message; returns the new file opened, if the user chose a way out."""
        self.told.add(Path(path).resolve())
        log.error("%s", message)
        dialog = DamageDialog(path, message, parent)
        dialog.exec()
        clicked = dialog.clickedButton()
        dialog.deleteLater()
        if clicked is dialog.backup_button:
            return self.open_newest_backup(path, parent)
        if clicked is dialog.salvage_button:
            return self.salvage(path, parent)
        return None

    def _busy(
        self, text: str, job: Callable[[Callable[[float], None]], object], parent: QWidget | None
    ) -> object:
        """Run ``job(progress)`` off the GUI thread behind a progress dialog; return its result.
        A large workspace takes a while to check, copy or salvage; the window keeps painting."""
        return wait_for(text, job, parent)

    def open_newest_backup(self, path: Path, parent: QWidget | None) -> Path | None:
        from ...services import files

        try:
            restored = self._busy(
                self.tr("Looking for the newest healthy backup of “{0}”…").format(path.name),
                lambda _progress: files.restore_newest_healthy_backup(path, self.backups_root),
                parent,
            )
        except NextLevelError as exc:
            QMessageBox.warning(parent, APP_NAME, str(exc))
            return None
        if not isinstance(restored, Path):
            QMessageBox.warning(
                parent,
                APP_NAME,
                self.tr(
                    "There is no healthy backup of “{0}”. Choose “Salvage into a new file” to "
                    "keep what is readable, or open another workspace."
                ).format(path.name),
            )
            return None
        self.opener.open_workspace(restored, parent=parent)
        return restored

    def salvage(self, path: Path, parent: QWidget | None) -> Path | None:
        from ...services import files
        from ...storage.salvage import SalvageReport

        dest = files.free_name(path.with_name(f"{path.stem} salvaged{path.suffix or '.nlw'}"))
        try:
            report = self._busy(
                self.tr("Salvaging what is readable from “{0}”…").format(path.name),
                lambda progress: files.salvage(path, dest, progress),
                parent,
            )
        except NextLevelError as exc:
            QMessageBox.warning(parent, APP_NAME, str(exc))
            return None
        assert isinstance(report, SalvageReport)
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Salvage into a new file"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            self.tr("{0:,} rows were salvaged into “{1}”; {2:,} could not be recovered.").format(
                report.salvaged, dest.name, report.lost
            )
        )
        box.setDetailedText("\n".join(report.lines()))
        info = self.tr("The salvaged workspace opens now; check what is missing.")
        if report.restored:
            info += " " + self.tr(
                "No {0} process survived; the default one was added from the templates."
            ).format(" / ".join(report.restored))
        box.setInformativeText(info)
        box.exec()
        box.deleteLater()
        self.opener.open_workspace(dest, parent=parent)
        return dest
