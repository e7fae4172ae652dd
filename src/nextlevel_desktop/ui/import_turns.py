"""Importing the user interface's modules on the GUI thread a module a turn, leaves first.

The interface's modules must be imported on the GUI thread (PySide 6 on Python 3.11: a Qt class
made on another thread changes a table the GUI thread reads without the interpreter lock, and
the app crashed at start-up about once in 30–50 starts). Imported one named module a turn, a
module's whole subtree of not yet imported modules came in that turn: the Monitor's dashboard
or the Activities area took 25–50 ms of CPU in one turn. Here each turn imports one module
whose own modules of this app are already imported: before a module, the ones its top level
imports (read from its compiled code, not run) are imported first, each in a turn of its own.
"""

from __future__ import annotations

import dis
import importlib.util
import logging
import sys
from collections.abc import Callable
from importlib import import_module

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)
_APP = __package__.partition(".")[0]  # only this app's modules are put first


def imports_of(name: str) -> list[str]:
    """This app's modules that module ``name``'s top level imports, as absolute names (an
    import under ``if TYPE_CHECKING`` counts too: importing it early is harmless)."""
    try:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "get_code"):
            return []
        code = spec.loader.get_code(name)
    except (ImportError, SyntaxError, ValueError):  # (its import says so, where it is used)
        return []
    if code is None:
        return []
    package = name if spec.submodule_search_locations is not None else name.rpartition(".")[0]
    found: list[str] = []
    consts: list[object] = []
    for ins in dis.get_instructions(code):
        if ins.opname == "LOAD_CONST":
            consts.append(ins.argval)
        elif ins.opname == "IMPORT_NAME" and len(consts) >= 2:
            level, fromlist = consts[-2], consts[-1]
            if not isinstance(level, int):
                continue
            base = (
                importlib.util.resolve_name("." * level + ins.argval, package)
                if level
                else str(ins.argval)
            )
            found.append(base)
            if isinstance(fromlist, tuple) and hasattr(sys.modules.get(base), "__path__"):
                found += [f"{base}.{item}" for item in fromlist if item != "*"]  # submodules
    return [m for m in dict.fromkeys(found) if m.partition(".")[0] == _APP and _is_module(m)]


def _is_module(name: str) -> bool:
    """``name`` is a module (finding it imports at most its package, here already imported
    or an empty ``__init__``)."""
    if name in sys.modules:
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # its package failed, or a name that is not a module
        return False


def import_in_turns(owner: QObject, names: list[str], then: Callable[[], None]) -> None:
    """Import ``names`` on the GUI thread, one module a turn of the event loop, each after the
    app's modules it imports; then call ``then`` (on a later turn)."""
    pending = [n for n in names if n not in sys.modules]
    looked: set[str] = set()  # modules whose imports were put first already

    def turn() -> None:
        while pending and pending[0] in sys.modules:
            pending.pop(0)
        if not pending:
            then()
            return
        name = pending[0]
        if name not in looked:  # a turn of its own: reading a module's code takes 1–2 ms
            looked.add(name)
            # (one already looked at waits for this one: a cycle, imported with it)
            first = [m for m in imports_of(name) if m not in sys.modules and m not in looked]
            pending[:] = first + [m for m in pending if m not in first]
        else:
            pending.pop(0)
            try:
                import_module(name)
            except Exception:  # raised again where it is used, with the crash dialog
                log.exception("Importing %s failed", name)
        QTimer.singleShot(0, owner, turn)

    QTimer.singleShot(0, owner, turn)
