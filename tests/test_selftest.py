"""``--self-test``: passes on a good install, and reports (exit 1) what fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QSize, QTimer, Signal
from PySide6.QtGui import QImage

from nextlevel_desktop import selftest
from nextlevel_desktop.app import make_application
from nextlevel_desktop.paths import Paths

STEPS = (
    "open a demo workspace",
    "show the main window",
    "visit every area",
    "open the main dialogs",
    "render charts",
    "write and read a backup",
)
# The offscreen platform says so whenever a dialog is shown; it is not a problem of the app.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def run_python(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Run this Python with ``args`` offscreen, in a fresh process."""
    return subprocess.run(
        [sys.executable, *args],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_self_test_passes_in_a_fresh_process(tmp_path: Path) -> None:
    result = run_python(
        ["-m", "nextlevel_desktop", "--self-test", "--data-dir", str(tmp_path)],
        NLD_SELFTEST_SCREENSHOTS=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for step in STEPS:
        assert f"self-test: ok    {step}" in result.stdout
    assert result.stdout.rstrip().endswith("self-test: passed")
    shots = {p.name: QImage(str(p)).size() for p in tmp_path.glob("*.png")}
    areas = ["designer.png", "activities.png", "monitor.png"]
    assert shots == dict.fromkeys(areas, QSize(1280, 800))


def test_a_failing_step_is_reported_and_fails_the_run(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_controller: object) -> None:
        raise RuntimeError("the widget is missing")

    monkeypatch.setattr(selftest, "EXTRA_STEPS", [("check a broken thing", broken)])
    code = selftest.run_self_test(make_application(), Paths(tmp_path, tmp_path / "logs"))
    out, err = capsys.readouterr()
    assert code == 1
    assert "self-test: FAIL  check a broken thing" in err
    assert "RuntimeError: the widget is missing" in err
    assert "self-test: 1 step(s) failed" in err
    for step in STEPS:  # the other steps still ran and passed
        assert f"self-test: ok    {step}" in out


class _Emitter(QObject):
    fired = Signal()


def test_an_exception_in_a_qt_slot_fails_its_step(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    emitter = _Emitter()

    def slot() -> None:
        raise ValueError("a slot went wrong")

    emitter.fired.connect(slot)

    def step(_controller: object) -> None:
        QTimer.singleShot(0, emitter.fired.emit)

    monkeypatch.setattr(selftest, "EXTRA_STEPS", [("emit a signal", step)])
    code = selftest.run_self_test(make_application(), Paths(tmp_path, tmp_path / "logs"))
    _out, err = capsys.readouterr()
    assert code == 1
    assert "self-test: FAIL  emit a signal" in err
    assert "ValueError: a slot went wrong" in err


def test_chart_renders_and_exports_with_the_shipped_backends(qapp) -> None:  # type: ignore[no-untyped-def]
    exports = selftest.render_chart_offscreen()
    assert exports["png"].startswith(b"\x89PNG")
    assert exports["pdf"].startswith(b"%PDF")
    assert b"<svg" in exports["svg"]


def test_menu_commands_that_open_dialogs_are_visited(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from nextlevel_desktop.ui import workspace_files
    from nextlevel_desktop.ui.main_window import MainWindow

    visited: list[str] = []

    def broken_save_copy(window: MainWindow) -> None:
        visited.append("save a copy")
        raise OSError("the copy dialog is broken")

    monkeypatch.setattr(workspace_files, "save_copy", broken_save_copy)
    code = selftest.run_self_test(make_application(), Paths(tmp_path, tmp_path / "logs"))
    _out, err = capsys.readouterr()
    assert visited == ["save a copy"]
    assert code == 1
    assert "self-test: FAIL  open the main dialogs" in err
    assert "OSError: the copy dialog is broken" in err


def test_dialog_actions_are_the_enabled_ellipsis_commands(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    file_menu = window.menuBar().addMenu("&File")
    opens = file_menu.addAction("&Open…")
    file_menu.addAction("&Quit")
    file_menu.addAction("&Export…").setEnabled(False)
    more = file_menu.addMenu("More")
    imports = more.addAction("Import...")
    assert selftest._dialog_actions(window) == [opens, imports]


def test_a_hanging_step_ends_the_process_with_exit_3(tmp_path: Path) -> None:
    code = (
        "import sys, time\n"
        "from nextlevel_desktop import selftest\n"
        "selftest.EXTRA_STEPS.append(('hang', lambda c: time.sleep(60)))\n"
        "from nextlevel_desktop.__main__ import main\n"
        "sys.exit(main(['--self-test', '--data-dir', sys.argv[1]]))\n"
    )
    result = run_python(["-c", code, str(tmp_path)], NLD_SELFTEST_TIMEOUT="8")
    assert result.returncode == 3, result.stdout + result.stderr
    assert "self-test: FAIL  a step did not finish within 8 s" in result.stderr


def test_a_modal_dialog_in_any_step_is_cancelled_not_waited_for(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from PySide6.QtWidgets import QMessageBox

    answers: list[QMessageBox.StandardButton] = []

    def ask(_controller: object) -> None:
        answers.append(QMessageBox.question(None, "Self-test", "Carry on?"))

    monkeypatch.setattr(selftest, "EXTRA_STEPS", [("ask a question", ask)])
    code = selftest.run_self_test(make_application(), Paths(tmp_path, tmp_path / "logs"))
    out, _err = capsys.readouterr()
    assert code == 0
    assert answers == [QMessageBox.StandardButton.NoButton]  # cancelled: no button chosen
    assert "self-test: ok    ask a question" in out
