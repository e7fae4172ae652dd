"""The log file: rotated, private, and also where a native crash leaves its trace.

Used by the app and by the command line (which must not import ``ui``).
"""

from __future__ import annotations

import faulthandler
import io
import logging
import logging.handlers
import os
from pathlib import Path

from .storage.private import make_private, open_private_append, private_dir

LOGGER = "nextlevel_desktop"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Rotates at ``MAX_BYTES`` keeping ``BACKUP_COUNT`` old files, each created 0600.

    With ``crash_trace``, ``faulthandler`` writes into the current file, and follows it when
    the file is rotated, so a native crash (a segfault in Qt) leaves a Python traceback.
    """

    def __init__(self, file: Path, crash_trace: bool = False, delay: bool = False) -> None:
        self._crash_trace = crash_trace
        super().__init__(
            file, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=delay
        )
        self._follow_crash_trace()

    def _open(self) -> io.TextIOWrapper:
        private_dir(Path(self.baseFilename).parent)
        fd = open_private_append(Path(self.baseFilename))
        stream = os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)
        assert isinstance(stream, io.TextIOWrapper)
        return stream

    def doRollover(self) -> None:
        super().doRollover()
        for n in range(1, BACKUP_COUNT + 1):  # files from older versions were 0644
            make_private(Path(f"{self.baseFilename}.{n}"))
        self._follow_crash_trace()

    def _follow_crash_trace(self) -> None:
        if self._crash_trace and self.stream is not None:
            faulthandler.enable(file=self.stream, all_threads=True)

    def close(self) -> None:
        if self._crash_trace and faulthandler.is_enabled():
            faulthandler.disable()
        super().close()


def setup_logging(log_file: Path, *, crash_trace: bool = False) -> logging.Handler:
    """Log the app's messages (INFO and up) to ``log_file``; stderr if it cannot be written.

    Returns the handler installed (a test or a caller can remove it again).
    """
    logger = logging.getLogger(LOGGER)
    handler: logging.Handler
    try:
        private_dir(log_file.parent)
        handler = PrivateRotatingFileHandler(log_file, crash_trace=crash_trace)
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler


def command_log_handler(log_file: Path) -> logging.Handler:
    """For a command-line run: warnings and errors (with tracebacks) go to ``log_file``, which
    is only created when there is something to write, and never to the terminal."""
    handler = PrivateRotatingFileHandler(log_file, delay=True)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter(FORMAT))
    return handler
