"""Ctrl+K (and Ctrl+F) finds anything and goes there, by keyboard alone."""

from __future__ import annotations

import threading

from logger_testing import OFFSCREEN_NOISE, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

pytestmark = OFFSCREEN_NOISE


def open_find(qtbot, window, ctrl_key=Qt.Key.Key_K):  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, ctrl_key, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window._search is not None and window._search.isVisible())
    dialog = window._search
    qtbot.waitUntil(dialog.query.hasFocus)
    return dialog


def test_ctrl_k_finds_an_account_and_enter_opens_it(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    account = main_window.services.accounts.page("", 0, 1)[0]
    dialog = open_find(qtbot, main_window)
    qtbot.keyClicks(dialog.query, account.name)
    qtbot.waitUntil(lambda: dialog.results.count() > 0)
    assert dialog.results.item(0).text() == "Accounts"  # a heading
    assert dialog.results.currentItem().text().startswith(account.name)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    settle(main_window)
    assert not dialog.isVisible()
    area = main_window.activities
    assert main_window.stack.currentWidget() is area
    assert area.tabs.currentWidget() is area.accounts
    assert area.accounts.account is not None and area.accounts.account.id == account.id


def test_ctrl_f_finds_an_opportunity_with_the_arrow_keys(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    services = main_window.services
    eng = services.engagements.engagements()[0]
    dialog = open_find(qtbot, main_window, Qt.Key.Key_F)
    qtbot.keyClicks(dialog.query, eng.name)
    qtbot.waitUntil(lambda: dialog.results.count() > 0)
    for _ in range(dialog.results.count()):
        hit = dialog.results.currentItem().data(Qt.ItemDataRole.UserRole + 1)
        if hit.kind.value == "engagement" and hit.id == eng.id:
            break
        qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    settle(main_window)
    area = main_window.activities
    assert area.tabs.currentWidget() is area.pipeline
    assert area.pipeline.current() is not None and area.pipeline.current().id == eng.id


def test_nothing_found_says_so(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    dialog = open_find(qtbot, main_window)
    qtbot.keyClicks(dialog.query, "zzzqqq")
    qtbot.waitUntil(lambda: "Nothing found" in dialog.status.text())
    assert dialog.results.count() == 0
    qtbot.keyClick(dialog.query, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert QApplication.instance() is not None


def test_enter_before_the_hits_come_goes_to_the_first_when_they_do(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """The search runs on the reader thread; Enter pressed while it does is not lost."""
    account = main_window.services.accounts.page("", 0, 1)[0]
    dialog = open_find(qtbot, main_window)
    gate = threading.Event()
    main_window.ops.read(dialog, "hold", lambda _s: gate.wait(10), lambda _r: None)
    qtbot.keyClicks(dialog.query, account.name)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)  # before the debounce, and the answer
    assert dialog.isVisible() and dialog.results.count() == 0
    gate.set()
    settle(main_window)
    assert not dialog.isVisible()
    area = main_window.activities
    assert area.accounts.account is not None and area.accounts.account.id == account.id
