"""Keeps ``None`` alive under PySide 6.12 on Python 3.11.

PySide 6.12's bindings return ``None`` from every void C++ call (``widget.update()``,
``painter.drawText(...)``) and pass a null pointer into a Python override as ``None`` without
counting the reference, as Python 3.12 allows (``None`` is immortal there, PEP 683). On 3.11
each such call takes one reference from ``None``; the app holds ~36,000, so after that many
calls (about 70 quick-log saves with the app's style, a few minutes of scrolling) ``None``'s
count reaches zero and the interpreter aborts ("none_dealloc: deallocating None").
"""

from __future__ import annotations

import ctypes
import sys

RESERVE = 1 << 40  # more than any session uses: a million void calls a second for 12 days


def keep_none_alive() -> None:
    """Give ``None`` references enough for any session, as 3.12 makes it immortal (there it
    has no count to keep, and this does nothing)."""
    if sys.version_info >= (3, 12):
        return
    count = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt, the object's first field
    if count.value < RESERVE:
        count.value += RESERVE
