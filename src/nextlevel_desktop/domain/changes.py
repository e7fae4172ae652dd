"""The ``Changes`` value every service write returns, so each panel refreshes only what changed."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

from .activities import ActivityEdit, ActivityFilter, count_delta

_FLAGS_EXCEPT = ("ids", "activity_edits")


@dataclass(frozen=True)
class Changes:
    """Which kinds of records a write touched. Combine with ``|``."""

    processes: bool = False
    stages: bool = False
    targets: bool = False
    activity_types: bool = False
    people: bool = False
    accounts: bool = False
    engagements: bool = False
    activities: bool = False
    reviews: bool = False
    settings: bool = False
    workspace: bool = False  # a different workspace was opened: refresh everything
    ids: frozenset[int] = field(default_factory=frozenset)
    # Every activity row the write changed, when the writer knows them all (``None``: not
    # known, e.g. an import, or rows changed through a foreign key). An open activity list
    # then adjusts its total from these instead of counting a million rows again.
    activity_edits: tuple[ActivityEdit, ...] | None = None

    def __or__(self, other: Changes) -> Changes:
        values = {
            f.name: getattr(self, f.name) or getattr(other, f.name)
            for f in fields(self)
            if f.name not in _FLAGS_EXCEPT
        }
        edits = (
            None
            if self.activity_edits is None or other.activity_edits is None
            else self.activity_edits + other.activity_edits
        )
        return Changes(**values, ids=self.ids | other.ids, activity_edits=edits)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name not in _FLAGS_EXCEPT)

    def inverted(self) -> Changes:
        """The changes of undoing this write (each activity edit the other way round)."""
        if self.activity_edits is None:
            return self
        return replace(self, activity_edits=tuple(e.inverted() for e in self.activity_edits))

    def inexact(self) -> Changes:
        """The same kinds of records, with the activity rows no longer known exactly."""
        return replace(self, activity_edits=None)

    def count_delta(self, flt: ActivityFilter) -> int | None:
        """How a list's total under ``flt`` changed through this write; ``None`` when only a
        recount can tell."""
        if self.workspace or self.activity_edits is None:
            return None
        return count_delta(flt, self.activity_edits)

    def touches(self, *names: str) -> bool:
        """True if any of the named kinds changed (or the whole workspace did)."""
        return self.workspace or any(getattr(self, n) for n in names)

    @classmethod
    def everything(cls) -> Changes:
        return cls(workspace=True)
