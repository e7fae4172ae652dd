"""A small tmpfs drive a test can fill, free or make read-only (mounted by conftest)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class Drive:
    """A tmpfs mounted at ``path`` that a test can fill, free or make read-only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.filler = path / "filler.bin"

    def remount(self, options: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{options}", str(self.path)], check=True)

    def fill(self) -> None:
        """Write until the drive is full (ENOSPC), leaving no free byte."""
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            for size in (1 << 16, 1 << 12, 1):
                try:
                    while os.write(fd, b"\0" * size):
                        pass
                except OSError:
                    pass
        finally:
            os.close(fd)

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)
