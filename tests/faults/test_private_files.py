"""Files stay private: 0600 files in 0700 folders whatever the umask (here the usual 022)."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from nextlevel_desktop.logs import MAX_BYTES, setup_logging
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage.backup import backup_to, daily_backup


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_new_workspace_and_its_wal_and_shm_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "new folder" / "clients"
    path = folder / "client.nlw"
    db, _ = open_workspace(path)
    try:
        with db.read() as session:  # the -wal and -shm exist while it is open
            session.connection().exec_driver_sql("SELECT count(*) FROM account").fetchone()
        files = [path, path.with_name("client.nlw-wal"), path.with_name("client.nlw-shm")]
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
        assert mode(folder) == 0o700 and mode(folder.parent) == 0o700
    finally:
        db.close()


def test_a_folder_the_user_chose_is_not_changed(tmp_path: Path) -> None:
    folder = tmp_path / "Documents"
    folder.mkdir()
    folder.chmod(0o755)
    open_workspace(folder / "client.nlw")[0].close()
    assert mode(folder) == 0o755
    assert mode(folder / "client.nlw") == 0o600


def test_workspace_from_an_older_version_is_tightened_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.nlw"
    open_workspace(path)[0].close()
    path.chmod(0o644)  # as older versions left it under umask 022
    db, _ = open_workspace(path, create=False)
    try:
        with db.transaction() as session:
            session.connection().exec_driver_sql("UPDATE setting SET value = value")
        assert mode(path) == 0o600
        assert mode(path.with_name("old.nlw-wal")) == 0o600
    finally:
        db.close()


def test_backups_are_private(tmp_path: Path) -> None:
    path = tmp_path / "client.nlw"
    open_workspace(path)[0].close()
    copy = backup_to(path, tmp_path / "out" / "copy.nlw")
    assert mode(copy) == 0o600 and mode(copy.parent) == 0o700
    folder = tmp_path / "data" / "backups"
    written = daily_backup(path, folder)
    assert written is not None and mode(written) == 0o600 and mode(folder) == 0o700
    con = sqlite3.connect(copy)  # still a good copy
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_settings_file_is_private(tmp_path: Path) -> None:
    from nextlevel_desktop.ui.user_settings import UserSettings

    folder = tmp_path / "data"
    settings = UserSettings(folder / "settings.ini")
    settings.add_recent(tmp_path / "a.nlw")
    settings.colour_scheme = "dark"
    settings.sync()
    assert mode(folder / "settings.ini") == 0o600 and mode(folder) == 0o700
    assert "dark" in (folder / "settings.ini").read_text()


def test_log_and_its_rotated_files_are_private(tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "nextlevel-desktop.log"
    handler = setup_logging(log_file)
    try:
        logger = logging.getLogger("nextlevel_desktop.test")
        for n in range(MAX_BYTES // 1000 + 50):
            logger.info("line %d %s", n, "x" * 1000)
    finally:
        logging.getLogger("nextlevel_desktop").removeHandler(handler)
        handler.close()
    rotated = log_file.with_name(log_file.name + ".1")
    assert rotated.exists() and log_file.stat().st_size < MAX_BYTES
    assert mode(log_file) == 0o600 and mode(rotated) == 0o600
    assert mode(log_file.parent) == 0o700


def test_a_native_crash_leaves_a_trace_in_the_log(tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "nextlevel-desktop.log"
    code = textwrap.dedent(
        f"""
        import faulthandler, logging
        from pathlib import Path
        from nextlevel_desktop.ui.errors import setup_logging
        setup_logging(Path({str(log_file)!r}))
        logging.getLogger("nextlevel_desktop").info("started")
        def crashing_in_qt():
            faulthandler._sigsegv()
        crashing_in_qt()
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode != 0
    text = log_file.read_text()
    assert "started" in text
    assert "Fatal Python error: Segmentation fault" in text and "crashing_in_qt" in text
