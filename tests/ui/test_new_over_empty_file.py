"""File > New may create a workspace over an empty (0-byte) file; never over a real file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox


def test_new_over_an_empty_file_creates_there(qtbot, main_window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "Client C.nlw"
    empty.touch()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(empty), ""))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().accept())  # (no demo data)
    main_window.new_action.trigger()
    assert warned == []
    assert main_window.controller.opened == [(Path(empty), False)]
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # (the closed dialog)


def test_new_over_a_real_file_is_refused(qtbot, main_window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    taken = tmp_path / "Client D.nlw"
    taken.write_bytes(b"something")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(taken), ""))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    main_window.new_action.trigger()
    assert warned and "already exists" in warned[0]
    assert main_window.controller.opened == []
