"""Logging, forms and moves write on the writer thread: the GUI thread never waits for them.

Each test holds the writer thread on a gate first, so "the write has not happened yet" is a
fact, not a race: what the user sees meanwhile (a disabled form, an open dialog) is asserted,
then the gate opens and the answer arrives.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from logger_testing import OFFSCREEN_NOISE, on_modal, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from nextlevel_desktop.domain.activities import ActivityFilter
from nextlevel_desktop.domain.changes import Changes
from nextlevel_desktop.domain.models import ProcessKind
from nextlevel_desktop.services.revisions import Revision
from nextlevel_desktop.ui.accounts.dialogs import AccountDialog

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def gate(main_window) -> Iterator[threading.Event]:  # type: ignore[no-untyped-def]
    """The writer thread waits on this event before any write asked for after it."""
    event = threading.Event()

    def hold(_services: object) -> Revision:
        event.wait(20)
        return Revision(Changes())

    main_window.ops.write("hold", hold)
    yield event
    event.set()


def _quick_log(qtbot, window):  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = window.quick_log_dialog()
    qtbot.waitUntil(dialog.form.account.hasFocus)
    return dialog


def test_quick_log_saves_without_blocking_and_clears_when_written(  # type: ignore[no-untyped-def]
    qtbot, main_window, gate
) -> None:
    services = main_window.services
    before = services.activities.count(ActivityFilter())
    dialog = _quick_log(qtbot, main_window)
    form = dialog.form
    account = services.accounts.page("", 0, 1)[0]
    form.account.set_account(account)
    qtbot.keyClicks(form.outcome, "Written later")
    qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    # Back on the GUI thread at once; the form waits, with everything typed, for the answer:
    # it takes no input meanwhile, and shows that it waits (greyed) once the answer is slow.
    qtbot.keyClicks(form.outcome, " and more")
    assert form.outcome.text() == "Written later" and dialog.status.text() == ""
    qtbot.waitUntil(lambda: not form.isEnabled() and not dialog.log_button.isEnabled())
    qtbot.keyClick(form.outcome, Qt.Key.Key_Return)  # a second Enter saves nothing twice
    gate.set()
    settle(main_window)
    assert services.activities.count(ActivityFilter()) == before + 1
    assert form.isEnabled() and form.outcome.text() == "" and form.account.text() == ""
    assert "Logged" in dialog.status.text() and form.account.hasFocus()


def test_esc_closes_the_quick_log_while_its_save_is_on_its_way(  # type: ignore[no-untyped-def]
    qtbot, main_window, gate
) -> None:
    services = main_window.services
    before = services.activities.count(ActivityFilter())
    dialog = _quick_log(qtbot, main_window)
    form = dialog.form
    form.account.set_account(services.accounts.page("", 0, 1)[0])
    qtbot.keyClicks(form.outcome, "Closed while saving")
    qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    assert form.isEnabled()  # not greyed yet: the answer is not slow so far
    qtbot.keyClick(form.outcome, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    gate.set()
    settle(main_window)
    assert services.activities.count(ActivityFilter()) == before + 1


def test_quick_log_problem_keeps_everything_typed(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    dialog = _quick_log(qtbot, main_window)
    form = dialog.form
    form.notes.setPlainText("Long notes worth keeping")
    qtbot.keyClicks(form.outcome, "No account chosen")
    qtbot.keyClick(form.outcome, Qt.Key.Key_Return)
    settle(main_window)
    assert form.isEnabled()
    assert "Choose an account" in form.fields["account"].error.text()
    assert form.outcome.text() == "No account chosen"
    assert form.notes.toPlainText() == "Long notes worth keeping"
    assert form.account.hasFocus()  # on the field with the problem, not on Close


def test_a_form_stays_open_until_its_write_answers(qtbot, main_window, gate) -> None:  # type: ignore[no-untyped-def]
    area = main_window.activities
    main_window.show_area(1)
    area.tabs.setCurrentWidget(area.accounts)
    seen: dict[str, bool] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, AccountDialog)
        dialog.name.setText("Gated Account Ltd")
        dialog.accept()
        seen["open while writing"] = dialog.isVisible() and not dialog.isEnabled()
        gate.set()

    on_modal(fill)
    area.accounts.new_account()
    settle(main_window)
    assert seen["open while writing"]
    assert area.accounts.account is not None
    assert area.accounts.account.name == "Gated Account Ltd"
    main_window.undo_stack.undo()
    settle(main_window)
    assert main_window.services.accounts.count("Gated Account") == 0


def test_a_move_shows_when_written_and_undo_restores_the_same_rows(  # type: ignore[no-untyped-def]
    qtbot, main_window, gate
) -> None:
    services = main_window.services
    area = main_window.activities
    main_window.show_area(1)
    area.tabs.setCurrentWidget(area.pipeline)
    panel = area.pipeline
    process = services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    panel.select_process(process.id)
    gate.set()
    settle(main_window)
    eng = panel.board.columns[1].item(0).data(Qt.ItemDataRole.UserRole + 1)[0]
    history = services.engagements.history(eng.id)
    panel.move_to(eng.id, process.open_stages[0].id)  # backward: no checklist
    settle(main_window)
    assert services.engagements.get(eng.id).stage_id == process.open_stages[0].id
    assert "moved to" in panel.status.text()
    assert panel.current() is not None and panel.current().id == eng.id
    moved = services.engagements.history(eng.id)
    main_window.undo_stack.undo()
    settle(main_window)
    assert services.engagements.history(eng.id) == history
    main_window.undo_stack.redo()
    settle(main_window)
    assert services.engagements.history(eng.id) == moved  # the same stage change, same id


def test_an_account_edit_undoes_and_redoes_on_the_same_row(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    services = main_window.services
    area = main_window.activities
    main_window.show_area(1)
    area.tabs.setCurrentWidget(area.accounts)
    settle(main_window)
    account = services.accounts.page("", 0, 1)[0]
    area.accounts.select_account(account.id)
    settle(main_window)

    def rename(dialog: QDialog) -> None:
        assert isinstance(dialog, AccountDialog)
        dialog.name.setText("Renamed Account Ltd")
        dialog.accept()

    on_modal(rename)
    area.accounts.edit_account()
    settle(main_window)
    assert services.accounts.get(account.id).name == "Renamed Account Ltd"
    assert area.accounts.title.text() == "Renamed Account Ltd"
    main_window.undo_stack.undo()
    settle(main_window)
    assert services.accounts.get(account.id).name == account.name
    assert area.accounts.title.text() == account.name
    main_window.undo_stack.redo()
    settle(main_window)
    assert services.accounts.get(account.id).name == "Renamed Account Ltd"
