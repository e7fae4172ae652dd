"""Storage errors say what really happened: full disk, read-only file/folder/drive, not "damaged".

The conditions are real (a small tmpfs that fills up, read-only mounts), so the codes are the
ones SQLite and the OS really give.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from faulty_drives import Drive

from nextlevel_desktop.__main__ import main
from nextlevel_desktop.domain.errors import DiskFullError, ReadOnlyError
from nextlevel_desktop.services.accounts import AccountDraft
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage.backup import backup_to

CSV = "name;industry\nAcme;Retail\nBeta;Software\n"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return lines[0]


def test_write_on_a_full_disk_says_the_disk_is_full(drive: Drive) -> None:
    path = drive.path / "client.nlw"
    db, _ = open_workspace(path)
    services = Services.for_database(db)
    services.accounts.create(AccountDraft("Kept Ltd"))
    drive.fill()
    try:
        with pytest.raises(DiskFullError) as err:
            services.workspace.set_value("notes", "x" * 1_000_000)
        assert "full" in str(err.value) and "damaged" not in str(err.value)
        assert str(drive.path) in str(err.value)  # names where space is missing
    finally:
        db.close()
        drive.free()
    db, _ = open_workspace(path, create=False)  # the last saved state is intact
    try:
        names = [a.name for a in Services.for_database(db).accounts.page("", 0, 50)]
        assert "Kept Ltd" in names
    finally:
        db.close()


def test_cli_import_on_a_full_disk_is_not_called_damaged(
    drive: Drive, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = drive.path / "client.nlw"
    open_workspace(path)[0].close()
    csv = tmp_path / "accounts.csv"
    csv.write_text(CSV * 1 + "".join(f"Firm {i};Trade\n" for i in range(5000)))
    before = digest(path)
    drive.fill()
    code = main(["import", str(csv), "-w", str(path), "--as", "accounts"])
    err = capsys.readouterr().err
    drive.free()
    assert code != 0
    line = one_line(err)
    assert "full" in line and "damaged" not in line.lower() and "backup" not in line.lower()
    assert digest(path) == before


def test_backup_to_a_full_disk_says_the_disk_is_full(drive: Drive, tmp_path: Path) -> None:
    source = tmp_path / "client.nlw"
    db, _ = open_workspace(source)
    Services.for_database(db).accounts.create(AccountDraft("x" * 200))
    db.close()
    drive.fill()
    with pytest.raises(DiskFullError, match="full"):
        backup_to(source, drive.path / "copy.nlw")
    assert list(drive.path.glob("copy.nlw*")) == []  # nothing half-written


def test_read_only_drive_is_named_not_damaged(drive: Drive, capsys) -> None:  # type: ignore[no-untyped-def]
    path = drive.path / "client.nlw"
    open_workspace(path)[0].close()
    before = digest(path)
    drive.remount("ro")
    with pytest.raises(ReadOnlyError, match="read-only drive"):
        open_workspace(path, create=False)
    code = main(["process", "import", str(path), "-w", str(path)])
    assert code != 0
    csv = drive.path.parent / "a.csv"
    csv.write_text(CSV)
    code = main(["import", str(csv), "-w", str(path), "--as", "accounts"])
    err = capsys.readouterr().err.splitlines()[-1]
    assert code != 0
    assert "read-only drive" in err and "damaged" not in err
    drive.remount("rw")
    assert digest(path) == before


def test_read_only_folder_is_named(
    tmp_path: Path, read_only_bind: Callable[[Path], Path], capsys
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "clients"
    folder.mkdir()
    open_workspace(folder / "client.nlw")[0].close()
    view = read_only_bind(folder)
    with pytest.raises(ReadOnlyError, match="read-only"):
        open_workspace(view / "client.nlw", create=False)
    with pytest.raises(ReadOnlyError, match="read-only"):
        open_workspace(view / "new.nlw")
    csv = tmp_path / "a.csv"
    csv.write_text(CSV)
    assert main(["import", str(csv), "-w", str(view / "client.nlw"), "--as", "accounts"]) != 0
    err = capsys.readouterr().err
    assert "read-only" in err and "damaged" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_by_permissions(tmp_path: Path) -> None:
    folder = tmp_path / "clients"
    folder.mkdir()
    open_workspace(folder / "client.nlw")[0].close()
    folder.chmod(0o500)
    try:
        with pytest.raises(ReadOnlyError, match="folder .* is read-only"):
            open_workspace(folder / "client.nlw", create=False)
    finally:
        folder.chmod(0o700)
        shutil.rmtree(folder)


def _controller(paths, user_settings):  # type: ignore[no-untyped-def]
    from nextlevel_desktop.app import AppController

    class Recording(AppController):
        def __init__(self) -> None:
            super().__init__(paths, user_settings)
            self.messages: list[str] = []

        def _tell(self, parent, message: str) -> None:  # type: ignore[no-untyped-def,override]
            self.messages.append(message)

    return Recording()


def test_app_on_a_full_disk_says_full_not_read_only(
    qtbot, drive: Drive, paths, user_settings
) -> None:  # type: ignore[no-untyped-def]
    path = drive.path / "client.nlw"
    open_workspace(path)[0].close()
    before = digest(path)
    drive.fill()
    controller = _controller(paths, user_settings)
    try:
        assert not controller.open_workspace(path)
        message = controller.messages[-1]
        assert "full" in message and "read-only" not in message and "damaged" not in message
    finally:
        controller.close()
        drive.free()
    assert digest(path) == before


def test_app_on_a_read_only_drive_says_so(qtbot, drive: Drive, paths, user_settings) -> None:  # type: ignore[no-untyped-def]
    path = drive.path / "client.nlw"
    open_workspace(path)[0].close()
    drive.remount("ro")
    controller = _controller(paths, user_settings)
    try:
        assert not controller.open_workspace(path)
        assert "read-only drive" in controller.messages[-1]
    finally:
        controller.close()
        drive.remount("rw")
