"""Errors the domain and lower layers raise with messages meant for the user."""

from __future__ import annotations


class NextLevelError(Exception):
    """Base class: the message is written for the user, not the developer."""


class ValidationError(NextLevelError):
    """One or more fields are invalid. ``problems`` maps a field name to its message."""

    def __init__(self, problems: dict[str, str] | str) -> None:
        if isinstance(problems, str):
            problems = {"": problems}
        self.problems = dict(problems)
        super().__init__("\n".join(self.problems.values()))

    @property
    def first(self) -> str:
        return next(iter(self.problems.values()))


class NotFoundError(NextLevelError):
    """A record the user refers to does not exist (any more)."""


class WorkspaceError(NextLevelError):
    """The workspace file cannot be used as it is."""


class NotAWorkspaceError(WorkspaceError):
    """The file is not a Next Level workspace (or is damaged beyond reading)."""


class EmptyWorkspaceError(NotAWorkspaceError):
    """The file is empty (0 bytes): not a workspace, and never silently turned into one."""


class DamagedWorkspaceError(WorkspaceError):
    """The file is a SQLite database but damaged (truncated, malformed)."""


class NewerWorkspaceError(WorkspaceError):
    """The workspace was written by a newer version of the app."""


class StorageError(NextLevelError):
    """A write could not be done for a reason the user can act on (locked, full, read-only)."""


class WorkspaceBusyError(StorageError):
    """Another program held the workspace's write lock for longer than the busy timeout."""


class DiskFullError(StorageError):
    """The disk (or the user's quota) is full; nothing was saved."""


class ReadOnlyError(StorageError):
    """The file, its folder or the whole file system is read-only."""


class StorageIOError(StorageError):
    """The operating system reported an input/output error (failing disk, removed drive)."""


class AccessDeniedError(StorageError):
    """The operating system refused access to the file or its folder."""


class UnexpectedError(NextLevelError):
    """A bug (a Python error) stopped an operation; what it was changing was rolled back.

    The message says what was left as it was; the traceback goes to the log.
    """
