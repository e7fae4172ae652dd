"""Deleting Qt objects safely: never inside their own event or signal handler.

A widget or action deleted while Qt is still inside one of its handlers (a menu action whose
``triggered`` rebuilt the menu, a list whose drop rebuilt the board) crashes when the handler
returns into it. These helpers take such objects out of sight at once and delete them when
control is back in the event loop.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMenu


def clear_menu(menu: QMenu) -> None:
    """Like ``QMenu.clear()``, but the menu's own actions are deleted later, not now: the
    action being triggered may be the one that asked for the menu to be filled again."""
    for action in menu.actions():
        menu.removeAction(action)
        if action.parent() is menu:
            action.deleteLater()
