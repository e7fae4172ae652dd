"""The ``Changes`` value every service write returns, so each panel refreshes only what changed."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


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

    def __or__(self, other: Changes) -> Changes:
        values = {
            f.name: getattr(self, f.name) or getattr(other, f.name)
            for f in fields(self)
            if f.name != "ids"
        }
        return Changes(**values, ids=self.ids | other.ids)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name != "ids")

    def touches(self, *names: str) -> bool:
        """True if any of the named kinds changed (or the whole workspace did)."""
        return self.workspace or any(getattr(self, n) for n in names)

    @classmethod
    def everything(cls) -> Changes:
        return cls(workspace=True)
