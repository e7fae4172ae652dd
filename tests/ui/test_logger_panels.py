"""Log, Due, Accounts and People tabs through real widgets, each edit undone and redone."""

from __future__ import annotations

from logger_testing import OFFSCREEN_NOISE, on_modal, settle
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from nextlevel_desktop.domain.activities import ActivityFilter
from nextlevel_desktop.domain.models import ActivityStatus
from nextlevel_desktop.ui.accounts.dialogs import AccountDialog, ContactDialog
from nextlevel_desktop.ui.logger.dialogs import ActivityDialog, MarkDoneDialog, RescheduleDialog
from nextlevel_desktop.ui.people.panel import PersonDialog

pytestmark = OFFSCREEN_NOISE


def _tab(main_window, name: str):  # type: ignore[no-untyped-def]
    area = main_window.activities
    main_window.show_area(1)
    panel = getattr(area, name)
    area.tabs.setCurrentWidget(panel)
    settle(main_window)
    return panel


def test_open_activity_with_enter_edit_and_undo(qtbot, main_window) -> None:
    panel = _tab(main_window, "log")
    services = main_window.services
    panel.table.setFocus()
    panel.table.selectRow(5)
    activity_id = panel.model.ids([5])[0]
    old = services.activities.get(activity_id).outcome

    def edit(dialog: QDialog) -> None:
        assert isinstance(dialog, ActivityDialog)
        dialog.form.outcome.setText("Edited outcome")
        # Enter saves (a press: the release goes to a form disabled while it saves).
        qtbot.keyPress(dialog.form.outcome, Qt.Key.Key_Return)

    seen = on_modal(edit)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    settle(main_window)
    assert seen and services.activities.get(activity_id).outcome == "Edited outcome"
    main_window.undo_stack.undo()
    settle(main_window)
    assert services.activities.get(activity_id).outcome == old
    main_window.undo_stack.redo()
    settle(main_window)
    assert services.activities.get(activity_id).outcome == "Edited outcome"


def test_edit_activity_shows_inline_error(qtbot, main_window) -> None:
    panel = _tab(main_window, "log")
    panel.table.selectRow(0)

    def edit(dialog: QDialog) -> None:
        dialog.form.account.setText("")
        dialog.accept()
        qtbot.waitUntil(dialog.isEnabled)  # the write answered
        assert dialog.isVisible()
        assert "Choose an account" in dialog.form.fields["account"].error.text()
        dialog.reject()

    seen = on_modal(edit)
    panel.activity_actions.open_current()
    assert seen


def test_delete_activities_and_undo(qtbot, main_window) -> None:
    panel = _tab(main_window, "log")
    services = main_window.services
    shown = panel.current_filter()
    assert shown.status is ActivityStatus.DONE  # the log shows done work by default
    total = services.activities.count(shown)
    panel.table.setFocus()
    panel.table.selectRow(0)
    activity_id = panel.model.ids([0])[0]
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    settle(main_window)
    assert services.activities.count(shown) == total - 1
    assert panel.model.rowCount() == total - 1
    main_window.undo_stack.undo()
    settle(main_window)
    assert services.activities.get(activity_id).id == activity_id
    assert panel.count_label.text() == f"{total:,} activities"


def test_filters_and_search_narrow_the_list(qtbot, main_window) -> None:
    panel = _tab(main_window, "log")
    services = main_window.services
    person = [p for p in services.people.people() if p.role == "rep"][0]
    panel.person.setCurrentIndex(panel.person.findData(person.id))
    panel.status.setCurrentIndex(panel.status.findData("planned"))
    settle(main_window)
    expected = services.activities.count(
        ActivityFilter(person_id=person.id, status=ActivityStatus.PLANNED)
    )
    assert panel.model.rowCount() == expected > 0
    qtbot.keyClicks(panel.search, "no answer")
    qtbot.waitUntil(lambda: panel.model.filter.text == "no answer")
    settle(main_window)
    assert panel.model.rowCount() == 0  # planned activities have no outcome yet


def test_due_mark_done_and_reschedule_with_undo(qtbot, main_window) -> None:
    panel = _tab(main_window, "due")
    services = main_window.services
    panel.person.setCurrentIndex(0)  # everyone
    due = panel.model.rowCount()
    assert due > 0
    panel.table.setFocus()
    panel.table.selectRow(0)
    first = panel.model.ids([0])[0]

    def with_outcome(dialog: QDialog) -> None:
        # Marking done asks what came of it, and confirms.
        assert isinstance(dialog, MarkDoneDialog)
        dialog.outcome.setText("Agreed next steps")
        dialog.accept()

    on_modal(with_outcome)
    qtbot.keyClick(panel.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    settle(main_window)
    assert services.activities.get(first).status is ActivityStatus.DONE
    assert services.activities.get(first).outcome == "Agreed next steps"
    assert panel.model.rowCount() == due - 1
    main_window.undo_stack.undo()
    settle(main_window)
    assert panel.model.rowCount() == due

    panel.table.selectRow(0)
    target = QDateTime.currentDateTime().addDays(10)  # past the 7 days the tab shows

    def reschedule(dialog: QDialog) -> None:
        assert isinstance(dialog, RescheduleDialog)
        dialog.when.setDateTime(target)
        dialog.accept()

    on_modal(reschedule)
    panel.reschedule.trigger()
    settle(main_window)
    assert panel.model.rowCount() == due - 1
    assert services.activities.get(first).status is ActivityStatus.PLANNED
    main_window.undo_stack.undo()
    settle(main_window)
    assert panel.model.rowCount() == due


def test_new_account_and_contact_with_undo(qtbot, main_window) -> None:
    panel = _tab(main_window, "accounts")
    services = main_window.services

    def fill_account(dialog: QDialog) -> None:
        assert isinstance(dialog, AccountDialog)
        dialog.name.setText("Orbit Robotics AG")
        dialog.industry.setText("Industrial")
        dialog.accept()

    on_modal(fill_account)
    panel.new_account()
    settle(main_window)
    assert panel.account is not None and panel.account.name == "Orbit Robotics AG"
    assert panel.title.text() == "Orbit Robotics AG"

    def fill_contact(dialog: QDialog) -> None:
        assert isinstance(dialog, ContactDialog)
        dialog.email.setText("not an email")
        dialog.accept()
        # The dialog stays open, and shows the problems under the fields.
        qtbot.waitUntil(dialog.isEnabled)
        assert dialog.isVisible()
        assert "name" in dialog.errors.fields and dialog.fields["name"].error.text()
        dialog.name.setText("Rita Ng")
        dialog.email.setText("rita@orbit.example")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    on_modal(fill_contact)
    panel.add_contact()
    settle(main_window)
    assert [c.name for c in services.accounts.contacts(panel.account.id)] == ["Rita Ng"]
    assert panel.contact_model.rowCount() == 1
    main_window.undo_stack.undo()
    settle(main_window)
    assert panel.contact_model.rowCount() == 0
    main_window.undo_stack.undo()
    settle(main_window)
    assert services.accounts.count("Orbit Robotics") == 0


def test_people_add_and_deactivate_hides_from_pickers(qtbot, main_window) -> None:
    panel = _tab(main_window, "people")
    services = main_window.services

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, PersonDialog)
        dialog.name.setText("Quinn Reyes")
        dialog.email.setText("quinn@example.com")
        dialog.accept()

    on_modal(fill)
    panel.add_action.trigger()
    settle(main_window)
    person = next(p for p in services.people.people() if p.name == "Quinn Reyes")
    pipeline = main_window.activities.pipeline
    assert pipeline.owner.findData(person.id) >= 0
    panel.select(person.id)
    assert panel.toggle_action.text() == "De&activate"
    panel.toggle_action.trigger()
    settle(main_window)
    assert not services.people.get(person.id).active
    assert pipeline.owner.findData(person.id) < 0
    assert main_window.activities.due.person.findData(person.id) < 0
    main_window.undo_stack.undo()
    settle(main_window)
    assert pipeline.owner.findData(person.id) >= 0


def test_log_tab_button_opens_the_quick_log(qtbot, main_window) -> None:
    panel = _tab(main_window, "log")
    panel.log_button.click()
    dialog = main_window.quick_log_dialog()
    assert dialog is not None and dialog.isVisible()
    dialog.close()


def test_lost_reasons_are_edited_in_a_dialog_and_offered_when_losing(qtbot, main_window) -> None:
    from nextlevel_desktop.domain.models import ProcessKind
    from nextlevel_desktop.ui.engagements.reasons import ReasonsDialog

    area = main_window.activities
    area.tabs.setCurrentWidget(area.pipeline)
    dialog = ReasonsDialog(area, ProcessKind.HUNTING, area)
    qtbot.addWidget(dialog)
    before = dialog.list.count()
    dialog._run("Add reason", lambda s: s.engagements.add_reason(ProcessKind.HUNTING, "Went dark"))
    settle(main_window)
    assert dialog.list.count() == before + 1
    dialog.list.setCurrentRow(dialog.list.count() - 1)
    dialog.remove()
    settle(main_window)
    assert dialog.list.count() == before
    main_window.undo_stack.undo()
    settle(main_window)
    assert dialog.list.item(dialog.list.count() - 1).text() == "Went dark"
    assert "Went dark" in main_window.services.engagements.lost_reasons(ProcessKind.HUNTING)
