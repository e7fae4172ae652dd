"""What an import did (``ImportResult``), its cancellation, and its progress callback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..domain.changes import Changes
from ..domain.errors import NextLevelError
from .import_history import HistoryCounts
from .revisions import Revision

Progress = Callable[[float], None]


class ImportCancelled(NextLevelError):
    """The user cancelled the import; nothing was written."""


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    skipped: int
    new_people: int = 0
    new_accounts: int = 0
    new_stages: int = 0
    new_types: int = 0
    dry_run: bool = False
    changes: Changes = field(default_factory=Changes)
    history: HistoryCounts = field(default_factory=HistoryCounts)
    handovers: int = 0
    revision: Revision | None = None  # undoes the import (none for a dry run)

    def summary(self) -> str:
        verb = "Would create" if self.dry_run else "Created"
        parts = [
            f"{verb} {self.created:,}, updated {self.updated:,}, left {self.unchanged:,} "
            f"unchanged, skipped {self.skipped:,} invalid row(s)."
        ]
        extra = [
            f"{n:,} {label}"
            for n, label in (
                (self.new_people, "new people"),
                (self.new_accounts, "new accounts"),
                (self.new_stages, "new stages"),
                (self.new_types, "new activity types"),
            )
            if n
        ]
        if extra:
            parts.append("Added " + ", ".join(extra) + ".")
        if self.handovers:
            parts.append(
                f"Handed {self.handovers:,} won account(s) over to farming, dated at the close."
            )
        if self.history.text():
            parts.append(self.history.text())
        return " ".join(parts)
