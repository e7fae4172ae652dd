"""The workspace lock file, shared by the app and the command line (which never imports ``ui``).

One lock per workspace (``client.nlw.lock``, Qt's ``QLockFile``: "pid, app name, host…"). The
app holds it while a workspace is open; writing commands hold it while they write and refuse
while someone else holds it; reading commands do not need it. A lock left by a process on this
machine that is gone is removed by Qt itself; one from another machine cannot be checked, so
the user is told whose and how old it is and may take it over.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QSysInfo

from .domain.errors import NextLevelError, WorkspaceError
from .storage.errors import write_problem
from .storage.private import make_private

# How long a writing command waits for another command to finish with the workspace.
COMMAND_WAIT_MS = 5000
# A line a writing command adds to its lock file (after Qt's own lines, which Qt reads alone),
# so that others can tell it from the app: both are the same executable to Qt.
COMMAND_MARKER = "nextlevel-desktop-command"


def lock_path(workspace: Path) -> Path:
    return workspace.with_name(workspace.name + ".lock")


@dataclass(frozen=True)
class LockHolder:
    """Who holds a workspace's lock, from the lock file."""

    pid: int
    host: str
    app: str
    user: str
    age_seconds: float | None
    command: bool = False

    @property
    def on_this_machine(self) -> bool:
        return not self.host or self.host == QSysInfo.machineHostName()

    @property
    def is_app(self) -> bool:
        """Held by the app's window (not by a writing command)."""
        return not self.command

    def where(self) -> str:
        """ "process 1234 on laptop, user ann"."""
        user = f", user {self.user}" if self.user else ""
        return f"process {self.pid} on {self.host or 'this computer'}{user}"

    def age_text(self) -> str:
        if self.age_seconds is None:
            return "of unknown age"
        minutes = int(self.age_seconds // 60)
        if minutes < 1:
            return "less than a minute old"
        if minutes < 120:
            return f"{minutes} minute{'s' if minutes != 1 else ''} old"
        hours = minutes // 60
        if hours < 48:
            return f"{hours} hours old"
        return f"{hours // 24} days old"


def _owner(path: Path) -> str:
    try:
        uid = path.stat().st_uid
    except OSError:
        return ""
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)


class WorkspaceLock:
    """The lock of one workspace: acquire, tell who holds it, take it over, release."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = Path(workspace)
        self.path = lock_path(self.workspace)
        self._lock = QLockFile(str(self.path))
        # Never stale by age: only a vanished process on this machine frees it by itself.
        self._lock.setStaleLockTime(0)

    def acquire(self, timeout_ms: int = 0, command: bool = False) -> bool:
        """Lock; ``command`` marks the lock as a writing command's (not the app's)."""
        if not self._lock.tryLock(timeout_ms):
            return False
        make_private(self.path)  # QLockFile creates it with the umask's mode
        if command:
            with contextlib.suppress(OSError), self.path.open("a", encoding="utf-8") as fh:
                fh.write(COMMAND_MARKER + "\n")
        return True

    @property
    def held_by_other(self) -> bool:
        """The last ``acquire`` failed because someone holds the lock (not a file problem)."""
        return self._lock.error() == QLockFile.LockError.LockFailedError

    def holder(self) -> LockHolder | None:
        info = self._lock.getLockInfo()  # (pid, host, app); some bindings prepend ok
        if len(info) == 4 and not info[0]:
            return None
        pid, host, app = info[-3], info[-2], info[-1]
        try:
            age: float | None = max(0.0, time.time() - self.path.stat().st_mtime)
        except OSError:
            age = None
        try:
            command = COMMAND_MARKER in self.path.read_text("utf-8", "replace").splitlines()
        except OSError:
            command = False
        return LockHolder(int(pid), str(host), str(app), _owner(self.path), age, command)

    def take_over(self) -> bool:
        """Remove a lock the user has confirmed is stale (left by another machine), then lock."""
        self._lock.removeStaleLockFile()
        return self.acquire()

    def unlock(self) -> None:
        self._lock.unlock()

    def refusal(self) -> NextLevelError:
        """The error to give a writing command that could not get the lock."""
        name = self.workspace.name
        if not self.held_by_other:
            problem = write_problem(self.workspace)
            if problem is not None:
                return problem
            return WorkspaceError(
                f"“{name}” cannot be locked for writing: “{self.path}” cannot be created (the "
                "folder may be read-only). Check the folder, then try again."
            )
        holder = self.holder()
        if holder is None:
            return WorkspaceError(f"“{name}” is in use by another program. Try again later.")
        if not holder.on_this_machine:
            return WorkspaceError(
                f"“{name}” is locked by Next Level Desktop ({holder.where()}), "
                f"a lock {holder.age_text()}. If nothing uses it there any more, open it in "
                "the app once to take the lock over, then run this command again."
            )
        if holder.is_app:
            return WorkspaceError(
                f"“{name}” is open in Next Level Desktop ({holder.where()}). Close it there "
                "first, or make this change in the app; reading commands (report, export, "
                "backup) can run while it is open."
            )
        return WorkspaceError(
            f"“{name}” is being changed by another Next Level command ({holder.where()}). Try "
            "again when it has finished."
        )


@contextlib.contextmanager
def locked_for_writing(workspace: Path) -> Iterator[WorkspaceLock]:
    """Hold the workspace's lock while a command writes, so the app cannot open it mid-write.

    Refuses (``WorkspaceError``) while the app or another machine holds it; waits up to
    5 s for another command. A workspace that does not exist yet needs no lock from others,
    but gets one all the same (its folder must exist for that).
    """
    workspace = Path(workspace).absolute()
    lock = WorkspaceLock(workspace)
    if workspace.parent.is_dir():
        if not lock.acquire(command=True):
            holder = lock.holder() if lock.held_by_other else None
            waits = holder is not None and not holder.is_app and holder.on_this_machine
            if not (waits and lock.acquire(COMMAND_WAIT_MS, command=True)):
                raise lock.refusal()
        try:
            yield lock
        finally:
            lock.unlock()
    else:
        yield lock
