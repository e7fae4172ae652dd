"""Every file location the app uses, from appdirs, with a ``--data-dir`` override.

Nothing is created at import time: callers ask for a path and create it when they write.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import appdirs

APP_DIR_NAME = "NextLevelDesktop"
WORKSPACE_SUFFIX = ".nlw"


@dataclass(frozen=True)
class Paths:
    data_dir: Path
    log_dir: Path

    @classmethod
    def default(cls, data_dir: Path | None = None) -> Paths:
        if data_dir is not None:
            data_dir = Path(data_dir).expanduser().resolve()
            return cls(data_dir=data_dir, log_dir=data_dir / "logs")
        return cls(
            data_dir=Path(appdirs.user_data_dir(APP_DIR_NAME, False)),
            log_dir=Path(appdirs.user_log_dir(APP_DIR_NAME, False)),
        )

    @property
    def default_workspace(self) -> Path:
        return self.data_dir / f"workspace{WORKSPACE_SUFFIX}"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "nextlevel-desktop.log"
