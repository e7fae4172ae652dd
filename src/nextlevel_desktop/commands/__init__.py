"""Sub-commands of the ``nextlevel-desktop`` command line (one module each)."""

from __future__ import annotations

import argparse
from typing import Any


def register_all(sub: argparse._SubParsersAction[Any]) -> None:
    from . import backup, export, import_, process, recover, report

    for module in (backup, process, import_, export, report, recover):
        module.register(sub)
