"""Files that are not workspaces: refused with a clear message, and left exactly as they were.

A PNG, a text file, another program's SQLite database, a workspace whose application id was
changed, a folder and a symbolic link that loops back on itself, each given to
``open_workspace`` (what File > Open does) and to the command line (reading and writing
commands). Nothing may be written to them or beside them (no -wal, -shm or -journal files).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import pytest

from nextlevel_desktop.__main__ import main
from nextlevel_desktop.domain.errors import NextLevelError
from nextlevel_desktop.services.workspace import open_workspace

SRC = Path(__file__).resolve().parents[2] / "src"
NOT_A_DATABASE = "is not a Next Level workspace: it is not a database file"
NOT_OURS = "not a Next Level workspace"


def png(path: Path) -> Path:
    icon = files("nextlevel_desktop") / "assets/icons/hicolor/16x16/apps"
    path.write_bytes((icon / "com.nextleveldesktop.NextLevelDesktop.png").read_bytes())
    return path


def text(path: Path) -> Path:
    path.write_text("Meeting notes\nCall Acme on Monday about the renewal.\n" * 20)
    return path


def other_database(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.executemany("INSERT INTO notes (body) VALUES (?)", [(f"note {i}",) for i in range(50)])
    con.commit()
    con.close()
    return path


def other_empty_database(path: Path) -> Path:
    """Another program's database before it made its tables: only its application id says so."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA application_id = 1234")
    con.execute("VACUUM")
    con.close()
    return path


def changed_application_id(path: Path) -> Path:
    db, _ = open_workspace(path)
    db.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA application_id = 1234")
    con.execute("PRAGMA journal_mode = DELETE")  # no WAL left beside it
    con.close()
    return path


def folder(path: Path) -> Path:
    path.mkdir()
    (path / "inside.txt").write_text("not a workspace")
    return path


def symlink_loop(path: Path) -> Path:
    other = path.with_name("other-" + path.name)
    path.symlink_to(other.name)
    other.symlink_to(path.name)
    return path


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "png": (png, NOT_A_DATABASE),
    "text": (text, NOT_A_DATABASE),
    "other database": (other_database, NOT_OURS),
    "other empty database": (other_empty_database, NOT_OURS),
    "changed application id": (changed_application_id, NOT_OURS),
    "folder": (folder, "is a folder, not a workspace file"),
    "symlink loop": (symlink_loop, "is a symbolic link that loops back on itself"),
}


def fingerprint(root: Path) -> dict[str, str]:
    """Every entry under ``root``: a file's SHA-256, a link's target, a folder's mode."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = "-> " + os.readlink(p)
            elif p.is_dir():
                out[rel] = f"dir {p.stat().st_mode:o}"
            else:
                out[rel] = f"{p.stat().st_mode:o} " + hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(params=list(CASES))
def foreign(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str, Path]:
    make, message = CASES[request.param]
    room = tmp_path / "room"
    room.mkdir()
    return make(room / "client.nlw"), message, tmp_path


def test_open_refuses_and_leaves_it_untouched(foreign: tuple[Path, str, Path]) -> None:
    path, message, _ = foreign
    before = fingerprint(path.parent)
    for create in (True, False):
        with pytest.raises(NextLevelError) as err:
            open_workspace(path, create=create)
        assert message in str(err.value)
        assert fingerprint(path.parent) == before


def test_commands_refuse_and_leave_it_untouched(
    foreign: tuple[Path, str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path, message, tmp_path = foreign
    csv = tmp_path / "accounts.csv"
    csv.write_text("Company Name,Industry\nAcme,Retail\n")
    before = fingerprint(path.parent)
    commands = [
        ["report", "--process", "New business", "--json"],
        ["export", "--what", "activities", "-o", str(tmp_path / "out.csv")],
        ["backup", "-o", str(tmp_path / "copy.nlw")],
        ["import", str(csv), "--as", "accounts"],
        ["process", "export", "New business", "-o", str(tmp_path / "p.json")],
    ]
    for command in commands:
        code = main([*command, "--workspace", str(path)])
        err = capsys.readouterr().err
        assert code == 2, command
        assert err.startswith("error: ") and message in err, (command, err)
        assert fingerprint(path.parent) == before, command
    assert not any(tmp_path.glob("out.csv")) and not any(tmp_path.glob("copy.nlw*"))


def test_the_real_command_line_refuses_a_foreign_file(tmp_path: Path) -> None:
    """Once through ``python -m nextlevel_desktop`` itself: exit code 2, the message, no trace."""
    path = png(tmp_path / "picture.nlw")
    before = fingerprint(tmp_path)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run(
        [sys.executable, "-m", "nextlevel_desktop", "report", "--workspace", str(path)]
        + ["--process", "New business", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 2
    assert NOT_A_DATABASE in run.stderr and "Traceback" not in run.stderr
    assert run.stdout == ""
    assert fingerprint(tmp_path) == before
