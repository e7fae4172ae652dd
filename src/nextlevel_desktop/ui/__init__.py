"""Qt user interface: widgets and item models that call services and show plain data.

Importing it first makes the interpreter safe from PySide 6.12's uncounted ``None`` on Python
3.11 (:mod:`.none_guard`), before any of its widgets makes a Qt call."""

from .none_guard import keep_none_alive

keep_none_alive()
