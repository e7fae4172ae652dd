"""The File menu's workspace commands: New workspace…, Open… and Save a copy…."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from .. import APP_NAME
from ..domain.errors import NextLevelError
from ..paths import WORKSPACE_SUFFIX
from .errors import show_error
from .plain_text import message

if TYPE_CHECKING:
    from .main_window import MainWindow

FILE_FILTER = f"Next Level workspace (*{WORKSPACE_SUFFIX});;All files (*)"


def _start_folder(window: MainWindow) -> Path:
    current = window.workspace_path()
    return current.parent if current is not None else Path.home()


def new_workspace(window: MainWindow) -> None:
    """File > New workspace…: a file chosen, the new workspace's currency and demo data asked,
    then opened (in this window, or a new one)."""
    name, _ = QFileDialog.getSaveFileName(
        window,
        window.tr("New workspace"),
        str(_start_folder(window) / f"Client{WORKSPACE_SUFFIX}"),
        FILE_FILTER,
    )
    if not name:
        return
    path = Path(name)
    if path.suffix == "":
        path = path.with_suffix(WORKSPACE_SUFFIX)
    current = window.workspace_path()
    if current is not None and path.resolve() == current.resolve():
        QMessageBox.information(window, APP_NAME, window.tr("That workspace is already open."))
        return
    # An empty (0-byte) file there is replaced: the user chose to create a workspace there.
    if path.exists() and not (path.is_file() and path.stat().st_size == 0):
        message(
            window,
            QMessageBox.Icon.Warning,
            APP_NAME,
            window.tr(
                "“{0}” already exists. Use File > Open to open it, or choose another name."
            ).format(path.name),
        )
        return
    from .dialogs.new_workspace import NewWorkspaceDialog
    from .kit.form_dialog import ask

    dialog = NewWorkspaceDialog(path.name, window)
    if not ask(dialog):
        return
    window.controller.open_workspace(
        path,
        demo=dialog.demo.isChecked(),
        parent=window,
        new=True,
        currency=dialog.chosen_currency(),
    )


def open_workspace(window: MainWindow) -> None:
    """File > Open…"""
    name, _ = QFileDialog.getOpenFileName(
        window, window.tr("Open workspace"), str(_start_folder(window)), FILE_FILTER
    )
    if name:
        window.controller.open_workspace(Path(name), parent=window)


def save_copy(window: MainWindow) -> None:
    """File > Save a copy…: a consistent copy of the open workspace, written where chosen."""
    src = window.services.path
    name, _ = QFileDialog.getSaveFileName(
        window,
        window.tr("Save a copy"),
        str(src.with_name(f"{src.stem} copy{WORKSPACE_SUFFIX}")),
        FILE_FILTER,
    )
    if not name:
        return
    try:
        dest = window.services.save_copy(Path(name))
    except NextLevelError as exc:
        show_error(window, exc, window.tr("Save a copy"))
        return
    window.statusBar().showMessage(window.tr("Saved a copy to {0}").format(dest), 5000)
