"""Damage detection: SQLite's ``quick_check`` on a workspace, read and acted on.

A workspace is checked before anything is written to it or backed up from it. Files below
:data:`SYNC_CHECK_LIMIT` are checked while they are opened; a larger file opens at once for
reading and an :class:`IntegrityGate` holds every write transaction and every backup until a
background ``quick_check`` (on its own read-only connection) has answered. A damaged answer
turns the gate into a refusal carrying the one damage message.

Corruption met later (a damaged page read by a query) is recognised by SQLite's result codes
(``SQLITE_CORRUPT``, ``SQLITE_NOTADB``), never by message text: see :func:`is_corruption`.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from ..domain.errors import DamagedWorkspaceError

log = logging.getLogger(__name__)

# Below this size ``quick_check`` takes well under a second, so it runs while opening.
SYNC_CHECK_LIMIT = 32 * 1024 * 1024
# A held background check starts at the latest this long after the workspace opened.
HOLD_AT_MOST_S = 20.0
SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26
_PRIMARY_CODE_MASK = 0xFF


def damage_message(path: Path, detail: str) -> str:
    """The one message for a damaged workspace: what is wrong and the ways out."""
    return (
        f"“{path.name}” is damaged: {detail}. Nothing has been written to it. "
        "Open the newest healthy backup, or salvage what is readable into a new file "
        f"(command line: nextlevel-desktop recover --workspace “{path}” -o NEW.nlw)."
    )


def damaged(path: Path, detail: str) -> DamagedWorkspaceError:
    error = DamagedWorkspaceError(damage_message(path, detail))
    error.path = path  # type: ignore[attr-defined]
    return error


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection that never creates, changes or checkpoints the file."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=5)


def quick_check_connection(con: sqlite3.Connection) -> list[str]:
    """The problems ``PRAGMA quick_check`` reports on ``con`` (an empty list means healthy)."""
    try:
        rows = [str(r[0]) for r in con.execute("PRAGMA quick_check(20)")]
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and not is_corruption(exc):
            raise
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def quick_check(path: Path) -> list[str]:
    """Run a full ``quick_check`` on the file at ``path``; an empty list means healthy."""
    try:
        con = connect_read_only(path)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        return quick_check_connection(con)
    except sqlite3.Error as exc:
        return [str(exc)]
    finally:
        con.close()


def describe(problems: list[str]) -> str:
    """A short account of ``quick_check``'s findings for a message."""
    first = problems[0] if problems else "unknown damage"
    more = len(problems) - 1
    return f"SQLite's check found {first}" + (f" (and {more} more problems)" if more else "")


def sqlite_error_code(exc: BaseException) -> int | None:
    """The SQLite result code behind ``exc`` (directly, or SQLAlchemy's ``exc.orig``)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        code = getattr(current, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code
        orig = getattr(current, "orig", None)
        current = (
            orig if isinstance(orig, BaseException) else current.__cause__ or current.__context__
        )
    return None


def is_corruption(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite reporting a damaged file (SQLITE_CORRUPT or SQLITE_NOTADB)."""
    if isinstance(exc, DamagedWorkspaceError):
        return True
    code = sqlite_error_code(exc)
    return code is not None and code & _PRIMARY_CODE_MASK in (SQLITE_CORRUPT, SQLITE_NOTADB)


class IntegrityGate:
    """Whether the open workspace passed its check: writes and backups wait on it.

    States: ``pending`` (a background check is running), ``ok`` or ``damaged``. ``wait()``
    blocks while pending and raises the damage error when damaged (also when the check was
    stopped because the workspace was closed).
    """

    def __init__(self, path: Path, checked: bool = True) -> None:
        self.path = path
        self._done = threading.Event()
        self._error: DamagedWorkspaceError | None = None
        self._listeners: list[Callable[[DamagedWorkspaceError], None]] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._con: sqlite3.Connection | None = None
        self._stopped = False
        self._go = threading.Event()  # the check may begin (see ``start(held=True)``)
        self._go.set()
        if checked:
            self._done.set()

    @property
    def pending(self) -> bool:
        return not self._done.is_set()

    @property
    def error(self) -> DamagedWorkspaceError | None:
        return self._error

    def wait(self, timeout: float | None = None) -> None:
        """Return once the workspace is known healthy; raise when it is damaged. A held
        check begins now: something needs its answer."""
        self._go.set()
        if not self._done.wait(timeout):
            raise damaged(self.path, "its check has not finished")  # pragma: no cover
        if self._error is not None:
            raise self._error

    def on_damage(self, listener: Callable[[DamagedWorkspaceError], None]) -> None:
        """Call ``listener`` (from the checking thread) if the check finds damage."""
        with self._lock:
            if self._done.is_set():
                error = self._error
            else:
                self._listeners.append(listener)
                return
        if error is not None:
            listener(error)

    def start(self, *, held: bool = False) -> None:
        """Run the full check in the background (a large workspace). ``held``: it begins only
        on :meth:`release`, when something waits for its answer (a write, a backup), or after
        :data:`HOLD_AT_MOST_S`: the app's start-up does not share the disk and a core with
        reading a whole large file before its first screen is shown."""
        self._done.clear()
        if held:
            self._go.clear()
        self._thread = threading.Thread(target=self._run, name="integrity-check", daemon=True)
        self._thread.start()

    def release(self) -> None:
        """Let a held check begin."""
        self._go.set()

    def _run(self) -> None:
        problems: list[str] = []
        self._go.wait(HOLD_AT_MOST_S)
        try:
            with self._lock:
                if self._stopped:
                    raise sqlite3.OperationalError("interrupted")
                self._con = connect_read_only(self.path)
            problems = quick_check_connection(self._con)
        except sqlite3.Error as exc:
            problems = [str(exc)]
        finally:
            with self._lock:
                if self._con is not None:
                    self._con.close()
                    self._con = None
        if self._stopped:
            self._finish(damaged(self.path, "it was closed before its check finished"))
        elif problems:
            log.error("Integrity check of %s failed: %s", self.path, problems)
            self._finish(damaged(self.path, describe(problems)))
        else:
            log.info("Integrity check of %s passed", self.path)
            self._finish(None)

    def _finish(self, error: DamagedWorkspaceError | None) -> None:
        with self._lock:
            self._error = error
            listeners, self._listeners = self._listeners, []
            self._done.set()
        if error is not None and not self._stopped:
            for listener in listeners:
                listener(error)

    def stop(self) -> None:
        """Interrupt a running check (the workspace is being closed)."""
        with self._lock:
            if self._done.is_set():
                return
            self._stopped = True
            self._go.set()  # a held check ends at once
            if self._con is not None:
                self._con.interrupt()
        if self._thread is not None:
            self._thread.join(timeout=10)
