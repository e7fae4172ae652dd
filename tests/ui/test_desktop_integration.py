"""Opening a workspace from the desktop: Finder's open-file event, and ``-w`` without a file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFileOpenEvent

from nextlevel_desktop.cli import parse
from nextlevel_desktop.ui.desktop_integration import FileOpenHandler, install_file_open_handler


def test_file_open_at_launch_is_kept_until_the_app_is_ready(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    handler = install_file_open_handler(qapp, "darwin")
    try:
        target = tmp_path / "Client.nlw"
        QCoreApplication.sendEvent(qapp, QFileOpenEvent(str(target)))
        assert handler.requested == target

        opened: list[Path] = []
        handler.open_path = opened.append
        later = tmp_path / "Other.nlw"
        QCoreApplication.sendEvent(qapp, QFileOpenEvent(str(later)))
        assert opened == [later]
    finally:
        qapp.removeEventFilter(handler)
        handler.deleteLater()


def test_no_application_event_filter_where_qt_sends_no_file_open_events(
    qapp, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    # Elsewhere than macOS a Python filter would only be called for every event of the app.
    handler = install_file_open_handler(qapp, "linux")
    try:
        QCoreApplication.sendEvent(qapp, QFileOpenEvent(str(tmp_path / "Client.nlw")))
        assert handler.requested is None
    finally:
        qapp.removeEventFilter(handler)
        handler.deleteLater()


def test_other_events_pass_through(qapp) -> None:  # type: ignore[no-untyped-def]
    handler = FileOpenHandler()
    from PySide6.QtCore import QEvent

    assert handler.eventFilter(qapp, QEvent(QEvent.Type.User)) is False
    assert handler.requested is None


def test_menu_entry_without_a_file_opens_the_default_workspace() -> None:
    # The .desktop entry runs "nextlevel-desktop --workspace %f"; %f is dropped without a file.
    assert parse(["--workspace"]).workspace is None
    assert parse(["--workspace", "a.nlw"]).workspace == Path("a.nlw")


def test_the_app_id_is_the_desktop_file_name(qapp) -> None:  # type: ignore[no-untyped-def]
    from nextlevel_desktop import APP_ID
    from nextlevel_desktop.app import make_application

    assert make_application().desktopFileName() == APP_ID
