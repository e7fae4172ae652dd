"""The quick-log action (Ctrl+L from anywhere): an Edit-menu entry and a toolbar button.

Kept free of heavy imports so the main window paints first; the dialog loads on first use.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QToolBar


def install_logger_actions(window: QMainWindow) -> QAction:
    """Ctrl+L quick log from anywhere: an Edit-menu entry and a toolbar button.

    ``window`` provides ``services``, ``bus``, ``undo_stack`` and ``settings`` (the MainWindow).
    """
    action = QAction(window.tr("&Quick log…"), window)
    action.setObjectName("quickLogAction")
    action.setShortcut(QKeySequence("Ctrl+L"))
    action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    action.setToolTip(window.tr("Log an activity (Ctrl+L)"))
    dialog: list[QDialog] = []

    def show() -> None:
        if not window.is_open:  # type: ignore[attr-defined]
            return  # no workspace open yet
        if not dialog:
            from .dialogs import QuickLogDialog  # loaded on first use: start-up stays light

            dialog.append(QuickLogDialog(window, window))  # type: ignore[arg-type]
        d = dialog[0]
        d.show()
        d.raise_()
        d.activateWindow()
        d.form.account.setFocus()  # type: ignore[attr-defined]

    def show_for(account_id: int | None, engagement_id: int | None) -> None:
        """The quick log, ready for an activity on this account and engagement."""
        show()
        if dialog:
            dialog[0].form.prefill(account_id, engagement_id)  # type: ignore[attr-defined]

    action.triggered.connect(show)
    window.quick_log_action = action  # type: ignore[attr-defined]
    window.quick_log_for = show_for  # type: ignore[attr-defined]
    window.quick_log_dialog = lambda: dialog[0] if dialog else None  # type: ignore[attr-defined]
    menu = getattr(window, "edit_menu", None)
    if menu is not None:
        menu.insertAction(menu.actions()[0] if menu.actions() else None, action)
        menu.insertSeparator(menu.actions()[1])
    toolbar = window.findChild(QToolBar, "mainToolBar")
    if toolbar is None:
        toolbar = QToolBar(window.tr("Main toolbar"), window)
        toolbar.setObjectName("mainToolBar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    toolbar.addAction(action)
    workspace_actions = getattr(window, "workspace_actions", None)
    if isinstance(workspace_actions, list):
        workspace_actions.append(action)  # enabled once a workspace is open
    return action
