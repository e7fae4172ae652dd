"""The quick log by keyboard alone, as a rep uses it dozens of times a day: every field in Tab
order, every mnemonic, the stage move defaulting to the next stage, closing as won or lost."""

from __future__ import annotations

import re

from logger_testing import OFFSCREEN_NOISE, on_modal, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLabel, QWidget

from nextlevel_desktop.domain.models import Outcome, ProcessKind
from nextlevel_desktop.ui.engagements.dialogs import CloseDialog, MoveDialog

pytestmark = OFFSCREEN_NOISE


def open_quick_log(qtbot, window):  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = window.quick_log_dialog()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.waitUntil(dialog.form.account.hasFocus)
    return dialog


def focus() -> QWidget | None:
    return QApplication.focusWidget()


def owner(widget: QWidget | None, candidates: list[QWidget]) -> QWidget | None:
    """The field a focused widget belongs to (a spin box's focus sits in its line edit)."""
    while widget is not None:
        if widget in candidates:
            return widget
        widget = widget.parentWidget()
    return None


def test_tab_reaches_the_value_of_a_new_opportunity_right_after_the_engagement(
    qtbot, main_window
) -> None:  # type: ignore[no-untyped-def]
    dialog = open_quick_log(qtbot, main_window)
    form = dialog.form
    qtbot.keyClicks(form.account, "Fresh Prospect AG")
    new = next(
        i
        for i in range(form.engagement.count())
        if form.engagement.itemData(i)
        == (f"new:{main_window.services.processes.processes_of_kind(ProcessKind.HUNTING)[0].id}")
    )
    form.engagement.setCurrentIndex(new)
    assert form.new_value.isVisibleTo(dialog)
    form.engagement.setFocus()
    assert not form.process.isEnabled()  # a new opportunity's process is the one chosen
    fields = [form.engagement, form.new_value, form.process, form.type]
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    assert owner(focus(), fields) is form.new_value
    qtbot.keyClicks(focus(), "25000")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    assert form.new_value.value() == 25000
    assert owner(focus(), fields) is form.type


def test_every_mnemonic_focuses_its_field_and_none_share_a_letter(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    dialog = open_quick_log(qtbot, main_window)
    form = dialog.form
    letters: dict[str, str] = {}
    for widget in [*dialog.findChildren(QLabel), *dialog.findChildren(QAbstractButton)]:
        text = widget.text()
        if not widget.isVisibleTo(dialog) or "&" not in text.replace("&&", ""):
            continue
        letter = re.search(r"&([^&])", text)
        assert letter is not None
        key = letter.group(1).lower()
        assert key not in letters, f"{text!r} and {letters[key]!r} share Alt+{key.upper()}"
        letters[key] = text
    expected = {
        "a": form.account,
        "e": form.engagement,
        "c": form.process,
        "t": form.type,
        "w": form.when,
        "u": form.duration,
        "r": form.person,
        "o": form.outcome,
        "n": form.notes,
    }
    for key, widget in expected.items():
        form.account.setFocus()
        qtbot.keyClick(
            focus(), getattr(Qt.Key, f"Key_{key.upper()}"), Qt.KeyboardModifier.AltModifier
        )
        assert owner(focus(), [widget]) is widget, f"Alt+{key.upper()} went to {focus()!r}"
    # Nothing was typed into the account field on the way.
    assert form.account.text() == ""


def engagement_in(services, process, stage):  # type: ignore[no-untyped-def]
    return next(
        e
        for e in services.engagements.engagements(process.id)
        if e.stage_id == stage.id and e.outcome is None
    )


def test_move_defaults_to_the_next_stage_and_says_where_it_went(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    services = main_window.services
    process = services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    qualified, proposal = process.open_stages[2], process.open_stages[3]
    eng = engagement_in(services, process, qualified)
    dialog = open_quick_log(qtbot, main_window)
    form = dialog.form
    form.account.set_account(services.accounts.get(eng.account_id))
    form.engagement.setCurrentIndex(form.engagement.findData(eng.id))
    items = [form.move_stage.itemText(i) for i in range(form.move_stage.count())]
    assert qualified.name not in items
    assert items[-2:] == ["Won (close)", "Lost (close)"]
    assert form.move_stage.currentData() == proposal.id  # the next stage, not the first
    form.moves.setChecked(True)

    def confirm(checklist: QDialog) -> None:
        assert isinstance(checklist, MoveDialog)
        for check in checklist.checks:
            check.setChecked(True)
        checklist.accept()

    on_modal(confirm)
    qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    settle(main_window)
    assert services.engagements.get(eng.id).stage_id == proposal.id
    assert f"Moved to {proposal.name}." in dialog.status.text()


def test_close_as_lost_from_the_quick_log(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    services = main_window.services
    process = services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    eng = engagement_in(services, process, process.open_stages[1])
    dialog = open_quick_log(qtbot, main_window)
    form = dialog.form
    form.account.set_account(services.accounts.get(eng.account_id))
    form.engagement.setCurrentIndex(form.engagement.findData(eng.id))
    form.moves.setChecked(True)
    form.move_stage.setCurrentIndex(form.move_stage.findData(Outcome.LOST.value))

    def lose(close: QDialog) -> None:
        assert isinstance(close, CloseDialog) and close.checklist is None
        close.reason.setCurrentText("Went with a competitor")
        close.accept()

    on_modal(lose)
    qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    settle(main_window)
    closed = services.engagements.get(eng.id)
    assert closed.outcome is Outcome.LOST and closed.lost_reason == "Went with a competitor"
    assert "Closed as lost." in dialog.status.text()
    main_window.undo_stack.undo()
    settle(main_window)
    assert services.engagements.get(eng.id).outcome is None


def test_new_account_hint_does_not_move_the_fields(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    dialog = open_quick_log(qtbot, main_window)
    form = dialog.form
    before = form.engagement.mapTo(dialog, form.engagement.rect().topLeft())
    qtbot.keyClicks(form.account, "Nobody Knows Ltd")
    assert "will be created" in form.account_hint.text()
    qtbot.wait(10)
    assert form.engagement.mapTo(dialog, form.engagement.rect().topLeft()) == before
