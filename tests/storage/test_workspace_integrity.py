"""Zero-length files, workspace identity for backups, and creation that is never half-done."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from nextlevel_desktop.__main__ import main
from nextlevel_desktop.domain.errors import EmptyWorkspaceError
from nextlevel_desktop.services.workspace import create_workspace, creating_path, open_workspace
from nextlevel_desktop.storage import migrate
from nextlevel_desktop.storage.backup import backup_before_migration, daily_backup
from nextlevel_desktop.storage.db import inspect_file, read_workspace_id


@pytest.mark.parametrize(
    "command",
    [
        ["report", "--process", "New business", "--json"],
        ["export", "--what", "activities", "-o", "{tmp}/out.csv"],
        ["backup", "-o", "{tmp}/copy.nlw"],
        ["process", "export", "New business", "-o", "{tmp}/p.json"],
        ["recover", "-o", "{tmp}/salvaged.nlw"],
    ],
)
def test_commands_refuse_an_empty_file(tmp_path: Path, command: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.nlw"
    empty.touch()
    argv = [part.format(tmp=tmp_path) for part in command] + ["--workspace", str(empty)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: “empty.nlw” is empty (0 bytes)")
    assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.nlw"]


def test_inspect_file_refuses_an_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.nlw"
    empty.touch()
    with pytest.raises(EmptyWorkspaceError, match="it is not a workspace"):
        inspect_file(empty)


def test_same_file_name_in_two_folders_gets_two_backup_folders(tmp_path: Path) -> None:
    root = tmp_path / "backups"
    first, second = tmp_path / "a" / "workspace.nlw", tmp_path / "b" / "workspace.nlw"
    for path in (first, second):
        open_workspace(path)[0].close()
    today = date(2026, 11, 29)
    one = daily_backup(first, root, today=today)
    two = daily_backup(second, root, today=today)
    assert one is not None and two is not None and one != two
    assert one.parent.name == read_workspace_id(first)
    assert two.parent.name == read_workspace_id(second)
    assert read_workspace_id(first) != read_workspace_id(second)
    assert one.name == two.name == "workspace-2026-11-29.nlw"


def test_an_older_workspace_gets_its_identity_on_open(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.nlw"
    open_workspace(path)[0].close()
    con = sqlite3.connect(path)
    con.execute("DELETE FROM setting WHERE key = 'workspace_id'")
    con.commit()
    con.close()
    assert read_workspace_id(path) is None
    open_workspace(path, create=False)[0].close()
    assert read_workspace_id(path)


def test_pre_migration_backups_keep_the_newest_three(tmp_path: Path) -> None:
    path = tmp_path / "client.nlw"
    open_workspace(path)[0].close()
    for stamp in ("20260101-000000", "20260201-000000", "20260301-000000", "20260401-000000"):
        (tmp_path / f"client.before-0000-{stamp}.nlw").write_bytes(path.read_bytes())
    (tmp_path / "other.before-0000-20250101-000000.nlw").write_bytes(b"x")
    written = backup_before_migration(path, "0001")
    left = sorted(p.name for p in tmp_path.glob("client.before-*"))
    assert len(left) == 3 and written.name in left
    assert left[:2] == [
        "client.before-0000-20260301-000000.nlw",
        "client.before-0000-20260401-000000.nlw",
    ]
    assert (tmp_path / "other.before-0000-20250101-000000.nlw").exists()


def test_a_failed_creation_leaves_no_workspace(tmp_path: Path) -> None:
    target = tmp_path / "new.nlw"

    def fail(_db: object) -> None:
        raise RuntimeError("closed mid-way")

    with pytest.raises(RuntimeError):
        create_workspace(target, demo=True, fill=fail)
    assert list(tmp_path.iterdir()) == []


def test_a_killed_creation_leaves_no_workspace_and_is_cleaned_up(tmp_path: Path) -> None:
    target = tmp_path / "workspace.nlw"
    ready = tmp_path / "ready"
    code = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from nextlevel_desktop.services.workspace import create_workspace

        def hang(db):
            Path({str(ready)!r}).touch()
            time.sleep(120)

        create_workspace(Path({str(target)!r}), demo=True, fill=hang)
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    try:
        for _ in range(1200):
            if ready.exists() or proc.poll() is not None:
                break
            subprocess.run(["sleep", "0.1"], check=True)  # polling the child, not timing a test
        assert ready.exists(), "the child never reached the demo data"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert not target.exists()
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".workspace.nlw.creating-")]
    assert leftovers, "the child's temporary file should be there to clean up"
    # The next start creates the workspace and removes what the killed one left.
    db, created = open_workspace(target, demo=False)
    db.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "ready") == ["workspace.nlw"]
    assert not creating_path(target).exists()
    assert created and inspect_file(target) == migrate.HEAD
