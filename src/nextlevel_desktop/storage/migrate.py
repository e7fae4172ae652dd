"""Alembic migrations shipped in the package, run programmatically when a workspace opens.

``HEAD`` is the newest revision this version knows; a test keeps it equal to the script
directory's head. Opening an up-to-date workspace does not import Alembic at all (start-up time).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

HEAD = "0010"
KNOWN_REVISIONS = frozenset(
    {"0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010"}
)


def is_known_revision(revision: str) -> bool:
    return revision in KNOWN_REVISIONS


def _config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option(
        "script_location", str(resources.files("nextlevel_desktop.storage") / "migrations")
    )
    return cfg


def upgrade(connection: Any, revision: str = "head") -> None:
    """Upgrade the database behind ``connection`` (inside its transaction) to ``revision``."""
    from alembic import command

    cfg = _config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


def script_heads() -> tuple[str, ...]:
    from alembic.script import ScriptDirectory

    return tuple(ScriptDirectory.from_config(_config()).get_heads())


def all_revisions() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    return frozenset(r.revision for r in ScriptDirectory.from_config(_config()).walk_revisions())
