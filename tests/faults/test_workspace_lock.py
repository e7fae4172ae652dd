"""One workspace, one writer at a time: the app's lock is honoured by writing commands, a
command's lock by the app, and a lock left by another computer can be taken over."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from nextlevel_desktop.__main__ import main
from nextlevel_desktop.app import AppController
from nextlevel_desktop.locking import lock_path, locked_for_writing
from nextlevel_desktop.paths import Paths

CSV = "name\nAcme\nBeta\n"
THREE_DAYS = 3 * 24 * 3600


class Recording(AppController):
    """The real controller; messages and confirmations recorded instead of shown modally."""

    def __init__(self, paths: Paths, settings, confirm: bool = False) -> None:  # type: ignore[no-untyped-def]
        super().__init__(paths, settings)
        self.messages: list[str] = []
        self.questions: list[str] = []
        self.answer = confirm

    def _tell(self, parent, message: str) -> None:  # type: ignore[no-untyped-def,override]
        self.messages.append(message)

    def _confirm(self, parent, question: str, action: str) -> bool:  # type: ignore[no-untyped-def,override]
        self.questions.append(f"{question} [{action}]")
        return self.answer


@pytest.fixture
def controller(make_controller):  # type: ignore[no-untyped-def]
    return make_controller(Recording)


def accounts(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT count(*) FROM account").fetchone()[0])
    finally:
        con.close()


def foreign_lock(workspace: Path, age_seconds: float) -> Path:
    """A lock file as QLockFile writes it on another computer (a pid we cannot check)."""
    lock = lock_path(workspace)
    lock.write_text("4242\nNext Level Desktop\nother-laptop\n")
    then = time.time() - age_seconds
    os.utime(lock, (then, then))
    return lock


def test_writing_commands_refuse_while_the_app_has_the_workspace_open(
    controller: Recording, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "client.nlw"
    assert controller.open_workspace(path)
    before = accounts(path)
    csv = tmp_path / "a.csv"
    csv.write_text(CSV)
    data = ["--data-dir", str(tmp_path / "d")]
    assert main([*data, "import", str(csv), "-w", str(path), "--as", "accounts"]) == 2
    err = capsys.readouterr().err
    assert f"“client.nlw” is open in Next Level Desktop (process {os.getpid()} on " in err
    assert "Close it there first" in err
    assert accounts(path) == before
    process_file = tmp_path / "hunting.json"
    assert (
        main([*data, "process", "export", "New business", "-w", str(path), "-o", str(process_file)])
        == 0
    )
    assert main([*data, "process", "import", str(process_file), "-w", str(path)]) == 2
    assert "is open in Next Level Desktop" in capsys.readouterr().err
    # Reading commands run while the app has it open.
    assert main([*data, "backup", "-w", str(path), "-o", str(tmp_path / "copy.nlw")]) == 0
    assert main([*data, "import", str(csv), "-w", str(path), "--as", "accounts", "--dry-run"]) == 0
    assert accounts(path) == before


def test_the_app_cannot_open_a_workspace_a_command_is_writing(
    controller: Recording, tmp_path: Path
) -> None:
    path = tmp_path / "client.nlw"
    assert controller.open_workspace(path)
    controller.close()
    with locked_for_writing(path):
        assert not controller.open_workspace(path)
    assert "is being changed by a Next Level command" in controller.messages[-1]
    assert f"process {os.getpid()}" in controller.messages[-1]
    assert controller.open_workspace(path)  # once the command is done


def test_a_command_holds_the_lock_only_while_it_writes(tmp_path: Path) -> None:
    path = tmp_path / "client.nlw"
    csv = tmp_path / "a.csv"
    csv.write_text(CSV)
    main(
        ["--data-dir", str(tmp_path / "d"), "import", str(csv), "-w", str(path), "--as", "accounts"]
    )
    assert not lock_path(path).exists()


def test_lock_left_by_another_computer_is_described_and_can_be_taken_over(
    controller: Recording, tmp_path: Path
) -> None:
    path = tmp_path / "client.nlw"
    assert controller.open_workspace(path)
    controller.close()
    lock = foreign_lock(path, THREE_DAYS)
    # Declined: nothing changes, the other computer's lock stays.
    assert not controller.open_workspace(path)
    question = controller.questions[-1]
    assert "process 4242 on other-laptop" in question and "3 days old" in question
    assert "user " in question and question.endswith("[Take over]")
    assert lock.read_text().startswith("4242\n")
    # Confirmed: the lock is ours, and private.
    controller.answer = True
    assert controller.open_workspace(path)
    assert lock.read_text().startswith(f"{os.getpid()}\n")
    assert lock.stat().st_mode & 0o777 == 0o600


def test_command_refused_by_another_computers_lock_says_whose_and_how_old(
    tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "client.nlw"
    from nextlevel_desktop.services.workspace import open_workspace

    open_workspace(path)[0].close()
    foreign_lock(path, 2 * 3600 + 60)
    csv = tmp_path / "a.csv"
    csv.write_text(CSV)
    assert (
        main(
            [
                "--data-dir",
                str(tmp_path / "d"),
                "import",
                str(csv),
                "-w",
                str(path),
                "--as",
                "accounts",
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "process 4242 on other-laptop" in err and "2 hours old" in err
    assert accounts(path) == 0
