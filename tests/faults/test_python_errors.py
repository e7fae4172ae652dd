"""A Python error (a bug) in a migration or an import: a clear message, the file as it was.

The errors are raised inside the real code paths: a real extra Alembic revision that changes
the schema and then fails, and an import whose writer fails after writing rows.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from nextlevel_desktop.__main__ import main
from nextlevel_desktop.domain.errors import UnexpectedError
from nextlevel_desktop.paths import Paths
from nextlevel_desktop.services import import_writer
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage import migrate

BROKEN_REVISION = '''
"""A migration with a bug: it changes the schema, then fails.

Revision ID: 0099
Revises: HEAD
"""

import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = "HEAD"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("account", sa.Column("rating", sa.Integer(), nullable=True))
    op.execute("UPDATE account SET rating = 1")
    raise ZeroDivisionError("division by zero")


def downgrade() -> None:
    pass
'''


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def broken_migration(old_workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This version's migrations plus a failing revision 0099, as if shipped with the app
    (installed after ``old_workspace`` was written at this version's newest revision)."""
    copy = tmp_path / "migrations"
    shutil.copytree(
        str(resources.files("nextlevel_desktop.storage") / "migrations"),
        copy,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    # On top of this version's newest revision, whatever it is.
    (copy / "versions" / "0099_broken.py").write_text(BROKEN_REVISION.replace("HEAD", migrate.HEAD))
    real_config = migrate._config

    def config() -> Any:
        cfg = real_config()
        cfg.set_main_option("script_location", str(copy))
        return cfg

    monkeypatch.setattr(migrate, "_config", config)
    monkeypatch.setattr(migrate, "HEAD", "0099")
    monkeypatch.setattr(migrate, "KNOWN_REVISIONS", migrate.KNOWN_REVISIONS | {"0099"})


@pytest.fixture
def old_workspace(tmp_path: Path) -> Path:
    """A workspace at this version's revision with one account, written before the 'update'."""
    path = tmp_path / "client.nlw"
    db, _ = open_workspace(path)
    db.close()
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO account (name, industry, website, phone, notes, archived, created_at) "
        "VALUES ('Acme', '', '', '', '', 0, '2026-01-01')"
    )
    con.commit()
    con.close()
    return path


def columns(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[1] for r in con.execute("PRAGMA table_info(account)")]
    finally:
        con.close()


@pytest.mark.usefixtures("broken_migration")
def test_failing_migration_leaves_the_file_as_it_was(old_workspace: Path) -> None:
    before = digest(old_workspace)
    con = sqlite3.connect(old_workspace)
    (old_head,) = con.execute("SELECT version_num FROM alembic_version").fetchone()
    con.close()
    with pytest.raises(UnexpectedError) as err:
        open_workspace(old_workspace, create=False)
    text = str(err.value)
    assert "ZeroDivisionError" in text and "has not been changed" in text
    assert digest(old_workspace) == before
    assert "rating" not in columns(old_workspace)
    copies = list(old_workspace.parent.glob(f"client.before-{old_head}-*.nlw"))
    assert len(copies) == 1 and str(copies[0]) in text


@pytest.mark.usefixtures("broken_migration")
def test_failing_migration_on_the_command_line_is_one_line_exit_1(
    old_workspace: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    before = digest(old_workspace)
    csv = tmp_path / "accounts.csv"
    csv.write_text("name\nBeta\n")
    data = tmp_path / "data"
    args = ["--data-dir", str(data), "import", str(csv), "-w", str(old_workspace)]
    assert main([*args, "--as", "accounts"]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and err[0].startswith("error: ") and "has not been changed" in err[0]
    assert digest(old_workspace) == before
    log = Paths.default(data).log_file.read_text()
    assert "Traceback" in log and "ZeroDivisionError" in log  # the details, for a report


@pytest.mark.usefixtures("broken_migration")
def test_failing_migration_in_the_app_is_a_message(
    qtbot, old_workspace: Path, paths: Paths, user_settings
) -> None:  # type: ignore[no-untyped-def]
    from nextlevel_desktop.app import AppController

    class Recording(AppController):
        messages: list[str] = []

        def _tell(self, parent, message: str) -> None:  # type: ignore[no-untyped-def,override]
            self.messages.append(message)

    controller = Recording(paths, user_settings)
    before = digest(old_workspace)
    assert not controller.open_workspace(old_workspace)
    assert controller.window is None
    assert "has not been changed" in controller.messages[-1]
    assert digest(old_workspace) == before
    controller.close()


def test_failing_import_is_one_line_exit_1_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "client.nlw"
    open_workspace(path)[0].close()
    before = digest(path)
    real = import_writer.Writer._insert_accounts

    def insert_then_fail(self: Any, records: Any) -> None:
        real(self, records)  # the rows are written…
        raise KeyError("industry")  # …then a bug stops the import

    monkeypatch.setattr(import_writer.Writer, "_insert_accounts", insert_then_fail)
    csv = tmp_path / "accounts.csv"
    csv.write_text("name\n" + "".join(f"Firm {i}\n" for i in range(50)))
    code = main(
        ["--data-dir", str(tmp_path / "d"), "import", str(csv), "-w", str(path)]
        + [
            "--as",
            "accounts",
        ]
    )
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 1
    assert len(err) == 1 and "Nothing was imported" in err[0] and "KeyError" in err[0]
    assert digest(path) == before
