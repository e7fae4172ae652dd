"""Opening a workspace writes today's automatic backup, in the background."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from nextlevel_desktop.app import AppController
from nextlevel_desktop.paths import Paths
from nextlevel_desktop.storage.db import read_workspace_id


def test_opening_a_workspace_backs_it_up_once_a_day(
    qtbot, paths: Paths, user_settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    controller = AppController(paths, user_settings)
    try:
        assert controller.open_workspace(tmp_path / "client.nlw")
        workspace_id = read_workspace_id(tmp_path / "client.nlw")
        assert workspace_id
        expected = paths.backups_dir / workspace_id / f"client-{date.today().isoformat()}.nlw"
        qtbot.waitUntil(expected.exists, timeout=20000)
        assert not expected.with_name(expected.name + ".partial").exists()
    finally:
        if controller.window is not None:
            controller.window.close()
        controller.close()
