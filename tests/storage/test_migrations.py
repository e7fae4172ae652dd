"""Alembic migrations: shipped in the package, producing exactly the ORM schema."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage import migrate
from nextlevel_desktop.storage.orm import Base


def test_head_constant_matches_the_scripts() -> None:
    assert migrate.script_heads() == (migrate.HEAD,)
    assert migrate.all_revisions() == migrate.KNOWN_REVISIONS


def test_migrations_produce_exactly_the_orm_schema(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.begin() as conn:
        migrate.upgrade(conn)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    assert diff == []


def test_downgrade_to_base_and_up_again(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.begin() as conn:
        migrate.upgrade(conn)
    from alembic import command

    cfg = migrate._config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    with engine.begin() as conn:
        tables = {
            r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert tables <= {"alembic_version"}
        migrate.upgrade(conn)
    engine.dispose()


def test_older_workspace_is_backed_up_then_migrated(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "old.nlw"
    db, _ = open_workspace(path)
    db.close()
    # Pretend the file is at an older revision that this version knows how to upgrade.
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '0000'")
    con.commit()
    con.close()
    monkeypatch.setattr(migrate, "KNOWN_REVISIONS", migrate.KNOWN_REVISIONS | {"0000"})
    upgraded: list[str] = []
    monkeypatch.setattr(migrate, "upgrade", lambda conn, revision="head": upgraded.append(revision))
    db, created = open_workspace(path)
    db.close()
    assert not created
    assert upgraded == ["head"]
    backups = list(tmp_path.glob("old.before-0000-*.nlw"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0000"
    con.close()


def test_opening_a_workspace_loads_only_the_sqlite_dialect(tmp_path: Path) -> None:
    # SQLAlchemy loads a dialect to check a table option named after it: one named for
    # PostgreSQL in the ORM's tables cost every start-up 40–90 ms of CPU on the opener thread.
    # (Migrating runs the scripts, which name both: the workspace is made first.)
    db, _ = open_workspace(tmp_path / "w.nlw")
    db.close()
    script = (
        "import sys; from pathlib import Path\n"
        "from nextlevel_desktop.services.workspace import open_workspace\n"
        "import nextlevel_desktop.services.container\n"
        "db, _ = open_workspace(Path(sys.argv[1])); db.close()\n"
        "print(sorted(m for m in sys.modules if m.startswith('sqlalchemy.dialects.')"
        " and m.count('.') == 2 and not m.endswith('_typing')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "w.nlw")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert out.strip() == "['sqlalchemy.dialects.sqlite']"
