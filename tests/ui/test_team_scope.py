"""Teams in the GUI: the Monitor's person selector offers each team; the People tab edits
team, office and manager; the account and engagement dialogs edit the new facts."""

from __future__ import annotations

import pytest
from logger_testing import settle
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from nextlevel_desktop.domain.changes import Changes
from nextlevel_desktop.domain.models import ProcessKind
from nextlevel_desktop.services.people import PersonDraft
from nextlevel_desktop.ui.accounts.dialogs import AccountDialog
from nextlevel_desktop.ui.people.panel import PersonDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def on_modal(fill) -> None:  # type: ignore[no-untyped-def]
    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, run)
            return
        fill(dialog)

    QTimer.singleShot(0, run)


def test_monitor_scopes_to_a_team(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    services = main_window.services
    people = services.people.people()
    east = people[:2]
    for p in east:
        services.people.update(p.id, PersonDraft(p.name, p.email, p.role, team="East"))
    main_window.area_actions[2].trigger()
    area = main_window.monitor
    qtbot.waitUntil(lambda: area.dashboard is not None)
    settle(area)
    dash = area.dashboard
    bar = dash.filter_bar
    hunting = next(p for p in dash.processes() if p.kind is ProcessKind.HUNTING)
    bar.process.setCurrentIndex(bar.process.findData(hunting.id))
    bar.picker.kind.setCurrentIndex(bar.picker.kind.findData("quarter"))
    settle(area)
    bar.person.setCurrentIndex(bar.person.findText("Team: East"))
    settle(area)
    scope = dash.cards[0].scope
    assert scope.team == "East" and set(scope.members) == {p.id for p in east}
    assert "Team: East" in dash.grids[hunting.id].heading.text()
    # The team's figures are its people's figures added up.
    cards = services.scorecards
    each = [cards.scorecard(cards.scope(hunting.id, p.id, scope.period)) for p in east]
    m = dash.cards[0].measures
    assert m.activity_count == sum(c.measures.activity_count for c in each)
    assert m.won_count == sum(c.measures.won_count for c in each)
    assert m.open_value == sum(c.measures.open_value for c in each)
    everybody = cards.scorecard(cards.scope(hunting.id, None, scope.period)).measures
    assert everybody.activity_count > m.activity_count


def test_people_tab_edits_team_office_and_manager(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    main_window.show_area(0)
    area = main_window.activities
    area.tabs.setCurrentWidget(area.people)
    panel = area.people
    services = main_window.services
    boss, rep = services.people.people()[:2]
    panel.select(rep.id)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, PersonDialog)
        dialog.team.setCurrentText("West")
        dialog.office.setText("Denver")
        dialog.manager.setCurrentIndex(dialog.manager.findData(boss.id))
        dialog.accept()

    on_modal(fill)
    panel.edit_action.trigger()
    settle(main_window)
    saved = services.people.get(rep.id)
    assert (saved.team, saved.office, saved.manager_id) == ("West", "Denver", boss.id)
    row = next(i for i, p in enumerate(panel.model.rows) if p.id == rep.id)
    cells = [panel.model.index(row, c).data() for c in range(panel.model.columnCount())]
    assert cells[3:6] == ["West", "Denver", boss.name]
    main_window.undo_stack.undo()
    settle(main_window)
    assert services.people.get(rep.id).team == ""


def test_account_dialog_edits_facts_and_refuses_a_loop(qtbot, demo_services) -> None:  # type: ignore[no-untyped-def]
    accounts = demo_services.accounts.page("", 0, 2)
    group, child = accounts
    dialog = AccountDialog(child, None, "", "USD")
    qtbot.addWidget(dialog)
    dialog.employees.setText("1,200")
    dialog.revenue.setText("about 2 million")
    with pytest.raises(Exception, match="not an amount"):
        dialog.draft()
    dialog.revenue.setText("2,500,000")
    dialog.country.setText("Norway")
    dialog.size_band.setText("Enterprise")
    dialog.parent_account.setText(group.name)
    demo_services.accounts.update(child.id, dialog.draft())
    saved = demo_services.accounts.get(child.id)
    assert (saved.employees, saved.annual_revenue_minor, saved.parent_id) == (
        1200,
        250_000_000,
        group.id,
    )
    assert (saved.country, saved.size_band) == ("Norway", "Enterprise")
    # The group cannot become its own subsidiary's child.
    loop = AccountDialog(group, None, child.name)
    qtbot.addWidget(loop)
    with pytest.raises(Exception, match="own parent"):
        demo_services.accounts.update(group.id, loop.draft())


def test_designer_sets_a_target_for_a_team(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    services = main_window.services
    rep = services.people.people()[0]
    services.people.update(rep.id, PersonDraft(rep.name, rep.email, rep.role, team="North"))
    main_window.publish(Changes(people=True))
    main_window.show_area(0)
    designer = main_window.designer
    hunting = services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    designer.select_process(hunting.id)
    panel = designer.targets
    designer.tabs.setCurrentWidget(panel)
    settle(main_window)
    panel.new_target()
    panel.measure.setCurrentIndex(panel.measure.findData("won_count"))
    panel.scope.setCurrentIndex(panel.scope.findText("Team: North"))
    panel.value.setText("6")
    panel.save_button.click()
    settle(main_window)
    new = next(t for t in services.design.targets(hunting.id) if t.team == "North")
    assert (new.person_id, new.value, new.measure) == (None, 6, "won_count")
    row = panel.model.row_of(new.id)
    assert "Team: North" in [panel.model.index(row, c).data() for c in range(4)]
    panel.select_row(row)
    assert panel.scope.currentText() == "Team: North"


def test_process_health_follows_a_team_chosen_on_scorecards(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """ "Team: East" on Scorecards gives the East team's stage health, not everybody's."""
    services = main_window.services
    east = services.people.people()[:2]
    for p in east:
        services.people.update(p.id, PersonDraft(p.name, p.email, p.role, team="East"))
    main_window.area_actions[2].trigger()
    area = main_window.monitor
    qtbot.waitUntil(lambda: area.dashboard is not None)
    settle(area)
    bar = area.dashboard.filter_bar
    bar.picker.kind.setCurrentIndex(bar.picker.kind.findData("quarter"))
    bar.person.setCurrentIndex(bar.person.findText("Team: East"))
    settle(area)
    health = area.health  # made on first use, from the Scorecards' filters
    area.tabs.setCurrentWidget(health)
    settle(area)
    scope = health.scope()
    assert scope is not None
    assert scope.team == "East" and set(scope.members) == {p.id for p in east}
    team_rows = services.health.stage_health(scope)
    everybody = services.scorecards.scope(scope.process.id, None, scope.period, scope.today)
    assert [r.entered for r in health.rows] == [r.entered for r in team_rows]
    assert sum(r.entered for r in team_rows) < sum(
        r.entered for r in services.health.stage_health(everybody)
    )
