"""Settings that describe the user (not the business): one typed place over ``QSettings``.

They live in an INI file in the app's data folder, so ``--data-dir`` isolates them completely.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ..storage.private import create_private_file, private_dir

MAX_RECENT = 8
COLOUR_SCHEMES = ("system", "light", "dark")


class UserSettings:
    def __init__(self, file: Path) -> None:
        # QSettings writes through a temporary file that keeps the existing file's mode, so a
        # file created private (0600, folder 0700) stays private, whatever the umask.
        try:
            private_dir(file.parent)
            create_private_file(file)
        except OSError:  # QSettings reports an unwritable file itself (status), not us
            pass
        self._s = QSettings(str(file), QSettings.Format.IniFormat)

    def sync(self) -> None:
        self._s.sync()

    # Recent workspaces -------------------------------------------------------------------
    def recent_workspaces(self) -> list[Path]:
        raw = self._s.value("recent/workspaces", [])
        items = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list) else []
        return [Path(p) for p in items if p]

    def add_recent(self, path: Path) -> None:
        path = Path(path).resolve()
        items = [p for p in self.recent_workspaces() if p != path]
        self._s.setValue("recent/workspaces", [str(p) for p in [path, *items][:MAX_RECENT]])

    def clear_recent(self) -> None:
        self._s.setValue("recent/workspaces", [])

    # Appearance --------------------------------------------------------------------------
    @property
    def colour_scheme(self) -> str:
        value = str(self._s.value("appearance/colour_scheme", "system"))
        return value if value in COLOUR_SCHEMES else "system"

    @colour_scheme.setter
    def colour_scheme(self, value: str) -> None:
        self._s.setValue("appearance/colour_scheme", value)

    # Who I am, per workspace (person ids belong to one workspace) -------------------------
    @staticmethod
    def _workspace_key(path: Path) -> str:
        return hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:16]

    def me(self, workspace: Path) -> int | None:
        value = self._s.value(f"workspace-{self._workspace_key(workspace)}/me", None)
        try:
            return int(str(value)) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def set_me(self, workspace: Path, person_id: int | None) -> None:
        key = f"workspace-{self._workspace_key(workspace)}/me"
        self._s.setValue(key, "" if person_id is None else person_id)

    # Window layout -----------------------------------------------------------------------
    def folder(self, purpose: str, fallback: Path) -> Path:
        """The folder last used for ``purpose`` ("csv": imports and exports), if it still
        exists; else ``fallback``."""
        raw = self._s.value(f"folders/{purpose}", "")
        folder = Path(str(raw)) if raw else None
        return folder if folder is not None and folder.is_dir() else fallback

    def set_folder(self, purpose: str, file: Path) -> None:
        """Remember the folder of ``file`` (or ``file`` itself, a folder) for ``purpose``."""
        file = Path(file)
        self._s.setValue(f"folders/{purpose}", str(file if file.is_dir() else file.parent))

    def bytes_value(self, key: str) -> QByteArray | None:
        value = self._s.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_bytes(self, key: str, value: QByteArray) -> None:
        self._s.setValue(key, value)

    def int_value(self, key: str, default: int = 0) -> int:
        try:
            return int(str(self._s.value(key, default)))
        except (TypeError, ValueError):
            return default

    def set_value(self, key: str, value: object) -> None:
        self._s.setValue(key, value)
