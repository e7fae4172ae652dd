"""Every table model of the Activities area through qtmodeltester, on the demo workspace."""

from __future__ import annotations

from datetime import date

from logger_testing import settle
from PySide6.QtCore import Qt

from nextlevel_desktop.domain.activities import ActivityColumn, ActivityFilter
from nextlevel_desktop.domain.engagements import EngagementColumn
from nextlevel_desktop.domain.models import ProcessKind, format_money
from nextlevel_desktop.ui.accounts.models import (
    AccountEngagementModel,
    AccountListModel,
    ContactModel,
)
from nextlevel_desktop.ui.engagements.list_model import EngagementTableModel
from nextlevel_desktop.ui.kit.rows_model import IdRole
from nextlevel_desktop.ui.logger.activity_model import ActivityTableModel
from nextlevel_desktop.ui.people.panel import PeopleModel


def test_activity_model(qtmodeltester, demo_road) -> None:  # type: ignore[no-untyped-def]
    model = ActivityTableModel(demo_road.ops)
    qtmodeltester.check(model)  # loading
    settle(demo_road)
    assert model.rowCount() == 3000
    qtmodeltester.check(model)  # loaded
    model.set_filter(ActivityFilter(status=None, text="Positive"))
    settle(demo_road)
    assert 0 < model.rowCount() < 3000
    model.sort(ActivityColumn.ACCOUNT, Qt.SortOrder.AscendingOrder)
    settle(demo_road)
    names = [model.data(model.index(r, ActivityColumn.ACCOUNT)) for r in range(50)]
    assert names == sorted(names)
    qtmodeltester.check(model)


def test_engagement_model_shows_its_lines(qtmodeltester, demo_services) -> None:
    process = demo_services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    rows = demo_services.engagements.engagements(process.id, open_only=False)
    model = EngagementTableModel()
    model.set_rows(rows, {s.id: s for s in process.stages}, "EUR", date(2026, 11, 27))
    qtmodeltester.check(model)
    values = [model.data(model.index(r, EngagementColumn.VALUE)) for r in range(len(rows))]
    assert values == [format_money(e.value_minor, "EUR") for e in rows]
    assert [model.data(model.index(r, 0), IdRole) for r in range(len(rows))] == [e.id for e in rows]
    stalled = [
        model.data(model.index(r, EngagementColumn.DAYS))
        for r in range(len(rows))
        if "stalled" in str(model.data(model.index(r, EngagementColumn.DAYS)))
    ]
    assert stalled, "the demo has stalled engagements and the list marks them"


def test_account_models(qtmodeltester, demo_road, demo_services) -> None:  # type: ignore[no-untyped-def]
    accounts = AccountListModel(demo_road.ops)
    qtmodeltester.check(accounts)  # loading
    settle(demo_road)
    assert accounts.rowCount() == 60
    qtmodeltester.check(accounts)  # loaded
    accounts.set_text("gmbh")
    settle(demo_road)
    assert all(
        "gmbh" in accounts.data(accounts.index(r, 0)).lower() for r in range(accounts.rowCount())
    )
    account_id = accounts.data(accounts.index(0, 0), IdRole)
    contacts = ContactModel()
    contacts.set_rows(demo_services.accounts.contacts(account_id))
    assert contacts.rowCount() >= 1
    qtmodeltester.check(contacts)
    engagements = AccountEngagementModel()
    names = {p.id: p.name for p in demo_services.processes.processes()}
    engagements.set_context(names, "EUR")
    engagements.set_rows(
        demo_services.engagements.engagements(account_id=account_id, open_only=False)
    )
    qtmodeltester.check(engagements)


def test_people_model(qtmodeltester, demo_services) -> None:
    model = PeopleModel()
    model.set_rows(demo_services.people.people(include_inactive=True))
    assert model.rowCount() == 4
    qtmodeltester.check(model)


def test_engagement_list_sorts_and_keeps_the_selection(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """A click on a header sorts on the reader thread (every engagement read again, sorted
    there); the selected engagement stays selected."""
    main_window.show_area(1)
    area = main_window.activities
    area.tabs.setCurrentWidget(area.pipeline)
    panel = area.pipeline
    process = main_window.services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    panel.select_process(process.id)
    panel._set_view(1)
    panel.show_closed.setChecked(True)
    settle(main_window)
    model = panel.model
    panel.table.selectRow(3)
    chosen = model.id_at(3)
    panel.table.horizontalHeader().setSortIndicator(
        EngagementColumn.VALUE, Qt.SortOrder.DescendingOrder
    )
    settle(main_window)
    rows = main_window.services.engagements.engagements(process.id, open_only=False)
    expected = sorted(rows, key=lambda e: (e.value_minor, e.id), reverse=True)
    assert [model.id_at(r) for r in range(model.rowCount())] == [e.id for e in expected]
    selected = panel.table.selectionModel().selectedRows()[0].row()
    assert model.id_at(selected) == chosen and panel.current().id == chosen


def test_activity_model_shows_planned_work_apart(demo_road) -> None:  # type: ignore[no-untyped-def]
    from nextlevel_desktop.domain.models import ActivityStatus

    model = ActivityTableModel(demo_road.ops, flt=ActivityFilter(status=None))
    settle(demo_road)
    model.ids(list(range(model.rowCount())))  # every page loaded
    planned = done = None
    for r in range(model.rowCount()):
        status = model.data(model.index(r, ActivityColumn.STATUS))
        if status == "Planned" and planned is None:
            planned = r
        if status == "Done" and done is None:
            done = r
        if planned is not None and done is not None:
            break
    assert planned is not None and done is not None
    font = Qt.ItemDataRole.FontRole
    colour = Qt.ItemDataRole.ForegroundRole
    assert model.data(model.index(planned, ActivityColumn.TYPE), font).italic()
    assert model.data(model.index(planned, ActivityColumn.TYPE), colour) is not None
    assert model.data(model.index(done, ActivityColumn.TYPE), font) is None
    assert model.data(model.index(done, ActivityColumn.TYPE), colour) is None
    row = model.row(done)
    assert row is not None and row.status is ActivityStatus.DONE
    assert model.data(
        model.index(done, ActivityColumn.DATE)
    ) == row.occurred_at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert model.data(model.index(done, ActivityColumn.ACCOUNT)) == row.account_name


def test_account_list_shows_where_each_account_stands_and_sorts_by_it(
    qtmodeltester, demo_road, demo_services
) -> None:  # type: ignore[no-untyped-def]
    """Owner, hunting/farming status, open value, last and next activity: each true to the
    account's engagements and activities, and each column sorts (in SQL, every page)."""
    from datetime import UTC, datetime

    from nextlevel_desktop.domain.activities import ActivityFilter
    from nextlevel_desktop.domain.models import ActivityStatus, ProcessKind
    from nextlevel_desktop.services.accounts import AccountSort

    accounts = AccountListModel(demo_road.ops, currency="EUR")
    settle(demo_road)
    qtmodeltester.check(accounts)
    assert [accounts.headerData(c, Qt.Orientation.Horizontal) for c in range(7)] == [
        "Account", "Industry", "Owner", "Status", "Open value", "Last activity", "Next activity",
    ]  # fmt: skip
    kinds = {p.id: p.kind for p in demo_services.processes.processes()}
    for row in range(0, accounts.rowCount(), 7):
        line = accounts.line(row)
        assert line is not None
        open_ones = demo_services.engagements.engagements(account_id=line.account.id)
        assert line.open_value == sum(e.value_minor for e in open_ones)
        assert line.hunting == any(kinds[e.process_id] is ProcessKind.HUNTING for e in open_ones)
        assert line.farming == any(kinds[e.process_id] is ProcessKind.FARMING for e in open_ones)
        if open_ones:
            assert line.owner_name in {e.owner_name for e in open_ones}
        done = demo_services.activities.page(
            ActivityFilter(account_id=line.account.id, status=ActivityStatus.DONE), 0, 1
        )
        assert (line.last_done is None) == (not done)
        if done:
            assert line.last_done == done[0].occurred_at
    values = []
    accounts.sort(AccountSort.OPEN_VALUE, Qt.SortOrder.DescendingOrder)
    settle(demo_road)
    for row in range(accounts.rowCount()):
        values.append(accounts.line(row).open_value)  # type: ignore[union-attr]
    assert values == sorted(values, reverse=True) and values[0] > 0
    accounts.sort(AccountSort.NEXT, Qt.SortOrder.AscendingOrder)
    settle(demo_road)
    nexts = [accounts.line(r).next_planned for r in range(accounts.rowCount())]  # type: ignore[union-attr]
    known = [n for n in nexts if n is not None]
    assert known == sorted(known) and nexts[: len(known)] == known  # none last
    overdue_row = next(r for r, n in enumerate(nexts) if n and n < datetime.now(UTC))
    colour = accounts.data(
        accounts.index(overdue_row, AccountSort.NEXT), Qt.ItemDataRole.ForegroundRole
    )
    assert colour is not None  # overdue next steps stand out
