"""The composition root: opening workspaces into windows, locks, refusals, layout."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from logger_testing import settle

from nextlevel_desktop.app import AppController, lock_path
from nextlevel_desktop.domain.activities import ActivityFilter
from nextlevel_desktop.domain.models import ActivityStatus
from nextlevel_desktop.paths import Paths
from nextlevel_desktop.storage.backup import backup_folder
from nextlevel_desktop.storage.db import read_workspace_id


class RecordingController(AppController):
    """The real controller, with its messages recorded instead of shown modally."""

    def __init__(self, paths: Paths, settings) -> None:  # type: ignore[no-untyped-def]
        super().__init__(paths, settings)
        self.messages: list[str] = []

    def _tell(self, parent, message: str) -> None:  # type: ignore[no-untyped-def,override]
        self.messages.append(message)


@pytest.fixture
def controller(make_controller):  # type: ignore[no-untyped-def]
    return make_controller(RecordingController)


def test_opens_new_workspace_with_demo_and_lock(controller, tmp_path: Path) -> None:
    path = tmp_path / "client.nlw"
    assert controller.open_workspace(path, demo=True)
    window = controller.window
    assert window is not None and window.isVisible()
    assert window.windowTitle().startswith("client — ")
    assert window.path_label.text() == str(path)
    assert lock_path(path).exists()
    window.show_area(1)
    settle(window)
    assert window.activities.model.rowCount() == window.services.activities.count(
        ActivityFilter(status=ActivityStatus.DONE)
    )
    assert controller.settings.recent_workspaces()[0] == path.resolve()


def test_a_new_workspace_gets_the_currency_chosen(controller, tmp_path: Path) -> None:
    path = tmp_path / "usd.nlw"
    assert controller.open_workspace(path, new=True, currency="USD")
    assert controller.window.services.workspace.settings().currency == "USD"


def test_second_instance_on_same_workspace_is_told(
    controller, tmp_path: Path, paths: Paths, user_settings
) -> None:
    path = tmp_path / "shared.nlw"
    assert controller.open_workspace(path)
    other = RecordingController(paths, user_settings)
    assert not other.open_workspace(path)
    assert "already open in another Next Level Desktop window" in other.messages[0]
    assert other.window is None


def test_lock_held_by_another_process_is_detected(controller, tmp_path: Path) -> None:
    path = tmp_path / "busy.nlw"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from PySide6.QtCore import QLockFile
                lock = QLockFile({str(lock_path(path))!r})
                assert lock.tryLock(0)
                print("locked", flush=True)
                sys.stdin.readline()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        assert not controller.open_workspace(path)
        assert f"process {holder.pid}" in controller.messages[0]
        assert not path.exists()  # nothing was created or written
    finally:
        holder.communicate("\n", timeout=10)
    # Once the other process has let go, the workspace opens.
    assert controller.open_workspace(path)


def test_damaged_workspace_message_keeps_current_window(controller, tmp_path: Path) -> None:
    good = tmp_path / "good.nlw"
    assert controller.open_workspace(good)
    first = controller.window
    bad = tmp_path / "bad.nlw"
    bad.write_bytes(b"this is not a database at all" * 100)
    assert not controller.open_workspace(bad)
    assert "is not a Next Level workspace" in controller.messages[-1]
    assert controller.window is first
    assert not lock_path(bad).exists()  # the lock is released again


def test_switching_workspace_replaces_window_and_releases_lock(controller, tmp_path: Path) -> None:
    a, b = tmp_path / "a.nlw", tmp_path / "b.nlw"
    assert controller.open_workspace(a)
    first = controller.window
    assert controller.open_workspace(b)
    assert controller.window is not first
    assert not lock_path(a).exists()
    assert lock_path(b).exists()
    assert [p.name for p in controller.settings.recent_workspaces()[:2]] == ["b.nlw", "a.nlw"]


def test_window_layout_is_restored(controller, tmp_path: Path, qtbot) -> None:
    path = tmp_path / "layout.nlw"
    assert controller.open_workspace(path)
    window = controller.window
    window.resize(1100, 700)
    window.show_area(2)
    window.activities.table.horizontalHeader().resizeSection(3, 333)
    window.close()
    saved = controller.settings.bytes_value("window/geometry")
    controller.close()
    controller.window = None
    assert controller.open_workspace(path)
    again = controller.window
    assert again.stack.currentIndex() == 2
    assert again.activities.table.horizontalHeader().sectionSize(3) == 333
    # The offscreen screen (800x600) clamps sizes, so check the saved geometry is usable.
    assert saved is not None and again.restoreGeometry(saved)


def test_first_start_paints_then_opens_the_workspace(controller, tmp_path: Path, qtbot) -> None:
    path = tmp_path / "first.nlw"
    window = controller.start(path, demo=True)
    assert window.isVisible()
    qtbot.waitUntil(lambda: bool(window.areas), timeout=10_000)
    model = window.activities.model  # its tab's panel is made (and reads) when first used
    settle(window)
    assert model.rowCount() == window.services.activities.count(
        ActivityFilter(status=ActivityStatus.DONE)
    )
    assert window.save_copy_action.isEnabled()
    assert window.windowTitle().startswith("first — ")


def test_first_start_on_a_damaged_file_leaves_a_usable_window(
    controller, tmp_path: Path, qtbot
) -> None:
    path = tmp_path / "broken.nlw"
    path.write_bytes(b"\x00garbage" * 64)
    window = controller.start(path)
    qtbot.waitUntil(lambda: bool(controller.messages), timeout=10_000)
    assert "not a Next Level workspace" in controller.messages[0]
    assert "No workspace is open" in window.opening.text()
    assert window.open_action.isEnabled() and window.new_action.isEnabled()
    assert not window.save_copy_action.isEnabled()


def test_close_shuts_the_workspace_down_in_order(
    controller, tmp_path: Path, paths: Paths, qtbot
) -> None:
    """On quit: the window (layout saved, deleted once control is back in the event loop, so
    never by the interpreter's exit), then the day's backup finished, the database, the lock."""
    path = tmp_path / "order.nlw"
    assert controller.open_workspace(path)
    window = controller.window
    window.show_area(2)
    controller.close()
    assert controller.window is None and not window.isVisible()
    assert controller.settings.int_value("window/area", 0) == 2
    folder = backup_folder(paths.backups_dir, read_workspace_id(path) or "")
    backup = folder / f"order-{date.today().isoformat()}.nlw"
    assert backup.exists() and not backup.with_name(backup.name + ".partial").exists()
    assert not lock_path(path).exists()
    assert shiboken6.isValid(window)  # not deleted under a handler that may still run
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))
    controller.close()  # a second call (aboutToQuit after File > Quit) has nothing left to do


def test_close_stops_an_import_still_running_before_its_window_goes(
    controller, tmp_path: Path, qtbot
) -> None:
    """Quitting with the import wizard open: its worker thread is cancelled and waited for
    (a QThread deleted while running aborts the process), then the window is deleted."""
    import threading

    from nextlevel_desktop.ui.kit.busy import Worker

    assert controller.open_workspace(tmp_path / "import.nlw")
    window = controller.window
    wizard = window.file_actions.import_file()
    started = threading.Event()

    def job(_progress, cancelled) -> str:  # type: ignore[no-untyped-def]
        started.set()
        while not cancelled():  # an import checks between batches
            threading.Event().wait(0.01)
        return "cancelled"

    worker = Worker(job, wizard)
    wizard.workers.append(worker)
    worker.start()
    assert started.wait(10)
    try:
        controller.close()
        assert worker.isFinished() and not wizard.isVisible()
        qtbot.waitUntil(lambda: not shiboken6.isValid(window))
    finally:
        if shiboken6.isValid(worker) and worker.isRunning():
            worker.cancel()
            worker.wait()


def test_start_reopens_the_last_workspace_used(tmp_path: Path, paths: Paths, user_settings) -> None:  # type: ignore[no-untyped-def]
    """A consultant works in one client's workspace for days: the app opens the last one used,
    not the default one; the default one (with demo data) only when there is none."""
    from nextlevel_desktop.app import startup_workspace
    from nextlevel_desktop.cli import parse

    args = parse([])
    assert startup_workspace(args, paths, user_settings) == (paths.default_workspace, True)
    client = tmp_path / "client.nlw"
    client.write_bytes(b"")
    user_settings.add_recent(client)
    assert startup_workspace(args, paths, user_settings) == (client.resolve(), False)
    named = tmp_path / "other.nlw"
    assert startup_workspace(parse(["-w", str(named)]), paths, user_settings) == (named, False)
    client.unlink()  # gone since: back to the default one
    assert startup_workspace(args, paths, user_settings)[0] == paths.default_workspace
    assert startup_workspace(parse(["--no-demo"]), paths, user_settings)[1] is False
